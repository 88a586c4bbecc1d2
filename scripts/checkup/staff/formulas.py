"""Keep text from running as a spreadsheet formula: typed as text in XLSX, neutralised in CSV.

A name such as `=HYPERLINK("http://…","点击查看")` is text to us, but Excel, WPS
and LibreOffice run a cell that starts like a formula (CSV injection, OWASP).
In an XLSX file a cell carries its type, so such text is written as a typed
string and comes back unchanged through `checkup import`. A CSV cell has no
type: following OWASP, the text gets a leading single quote, which the
spreadsheet shows as text and does not run.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import Cell

# What a spreadsheet may read as the start of a formula: OWASP's list (= + - @, tab, carriage
# return) and the full-width forms a Chinese input method types, which WPS also accepts.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# A signed number written as text ("-12.5") is shown by a spreadsheet as that number and runs nothing.
_SIGNED_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")
CSV_GUARD = "'"  # OWASP: a leading single quote makes the cell text


def runs_as_formula(value: object) -> bool:
    """Say whether a spreadsheet would read this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _SIGNED_NUMBER.fullmatch(value)


def csv_safe(value: Any) -> Any:
    """Return a CSV cell's value with formula-like text neutralised; numbers and other text unchanged."""
    return CSV_GUARD + value if runs_as_formula(value) else value


def keep_as_text(cell: Cell | Any) -> None:
    """Make a cell that holds formula-like text a typed string, so nothing runs it."""
    if runs_as_formula(cell.value):
        cell.data_type = "s"
