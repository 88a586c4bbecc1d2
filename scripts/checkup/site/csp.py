"""The Content-Security-Policy of every page: only the site's own scripts, styles and data run or load.

The page template (site_overrides/main.html) puts the policy in a <meta> tag at the
top of <head>, with a placeholder for the page's inline scripts. The theme writes a
few small inline scripts whose text depends on the page's depth in the site, so
their SHA-256 hashes are computed from each built page (`seal_page`, called by the
site engine's hook) and put in place of the placeholder: any other inline script,
injected or not, does not run. The chart specs are `application/json` data blocks,
which a browser never runs, so they need no hash.
"""

from __future__ import annotations

import base64
import hashlib
import re

PLACEHOLDER = "'checkup-inline-script-hashes'"  # not a valid source: unsealed, no inline script runs
# Every directive names this site only. Styles: the Markdown tables align their cells with
# style="" attributes and plotly.js sizes its charts with inline styles, so inline styles are
# allowed; they cannot run code, and every text from the data is escaped before it is shown.
# data: images are the theme's icons, drawn from SVG data URIs in its stylesheet.
POLICY = (
    "default-src 'self'; "
    f"script-src 'self' {PLACEHOLDER}; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "worker-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'"
)
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_RUNS = re.compile(r"""\btype\s*=\s*["']?(?:text/javascript|module|application/javascript)\b""", re.I)
_TYPED = re.compile(r"\btype\s*=", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)


def inline_script_hashes(html: str) -> list[str]:
    """Return the CSP hash sources of the inline scripts a browser would run in a page, in order."""
    found: dict[str, None] = {}
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if _SRC.search(attrs) or (_TYPED.search(attrs) and not _RUNS.search(attrs)):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group("body").encode("utf-8")).digest()).decode("ascii")
        found[f"'sha256-{digest}'"] = None
    return list(found)


def seal_page(html: str) -> str:
    """Put the hashes of a built page's own inline scripts into its policy."""
    if PLACEHOLDER not in html:
        return html
    return html.replace(PLACEHOLDER, " ".join(inline_script_hashes(html)) or "", 1)
