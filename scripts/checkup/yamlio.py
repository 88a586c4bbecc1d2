"""Read YAML the safe way: strings stay strings, nothing is lost, every fault is a finding.

PyYAML's own loaders follow YAML 1.1: they turn `no` into False, `2024-11-28`
into a date object, keep the last of two equal keys and expand aliases without
limit. Data files are written by hand, so this module builds values straight
from libyaml's event stream with its own rules (the JSON-compatible core of
YAML 1.2): mapping keys are strings, only true/false are booleans, dates stay
text, duplicate keys, aliases and explicit tags are findings, and nesting depth
is bounded. No recursion, so no input can exhaust the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding, finding

try:  # libyaml is bundled with PyYAML's wheels; the pure parser is the fallback
    from yaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _BaseParser  # type: ignore[assignment]
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _BaseParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _BaseParser.__init__(self)


MAX_FILE_BYTES = 20 * 1024 * 1024  # a national-scale indicator file is < 1 MB
MAX_DEPTH = 32  # the deepest schema needs 8 levels

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_WORDS: dict[str, Any] = {
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
    "null": None, "Null": None, "NULL": None, "~": None, "": None,
}
_STR_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    """One parsed file: its value, or the findings that stopped it."""

    path: str
    value: Any
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def plain_scalar(text: str) -> Any:
    """Type an unquoted scalar: integers, decimals, true/false, null; all else is text."""
    if text in _WORDS:
        return _WORDS[text]
    first = text[0]
    if first.isdigit() or first in "-+.":
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text) and text not in {".", "-.", "+."}:
            return float(text)
    return text


def read_text(path: Path, rel: str) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 text, or say why it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [finding("file-unreadable", rel, reason=exc.strerror or str(exc))]
    if size > MAX_FILE_BYTES:
        return None, [finding("file-too-large", rel, size=f"{size / 1048576:.0f}",
                              limit=f"{MAX_FILE_BYTES // 1048576}")]
    raw = path.read_bytes()
    return decode(raw, rel)


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Finding]]:
    """Decode bytes as UTF-8 without BOM, pointing at the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [finding("bom", rel, line=1, column=1)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [finding("not-utf8", rel, line=line, column=column,
                              byte=f"0x{raw[exc.start]:02X}")]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [finding("empty-file", rel, line=1, column=1)]
    return text, []


def parse_text(text: str, rel: str) -> Document:
    """Build a value from YAML text; on any fault return the findings instead."""
    tab = _TAB_INDENT.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        column = tab.end() - tab.start()
        return Document(rel, None, (finding("tab-indent", rel, line=line, column=column),))
    try:
        return _build(text, rel)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "格式错误"
        return Document(rel, None, (finding("yaml-syntax", rel, line=mark.line + 1 if mark else None,
                                            column=mark.column + 1 if mark else None,
                                            reason=reason),))
    except yaml.YAMLError as exc:
        return Document(rel, None, (finding("yaml-syntax", rel, reason=str(exc)),))


def load_file(path: Path, rel: str) -> Document:
    """Read and parse one data file."""
    text, problems = read_text(path, rel)
    if text is None:
        return Document(rel, None, tuple(problems))
    return parse_text(text, rel)


class _Stop(Exception):
    def __init__(self, found: Finding) -> None:
        self.found = found


def _build(text: str, rel: str) -> Document:  # noqa: C901 - one loop over the event kinds
    parser = _Parser(text)
    found: list[Finding] = []
    # stack entries: [container, pending_key, key_mark] ; key_mark only for mappings
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    get_event = parser.get_event
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    raise _Stop(_mark_finding("yaml-alias", rel, event))
                if event.style is None and event.tag is None:
                    value: Any = plain_scalar(event.value)
                elif event.tag in _STR_TAGS:
                    value = event.value
                else:
                    raise _Stop(_mark_finding("yaml-tag", rel, event, tag=event.tag))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise _Stop(_mark_finding("yaml-alias", rel, event))
                if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise _Stop(_mark_finding("yaml-tag", rel, event, tag=event.tag))
                if len(stack) >= MAX_DEPTH:
                    raise _Stop(_mark_finding("too-deep", rel, event, limit=str(MAX_DEPTH)))
                container: Any = {} if kind is yaml.MappingStartEvent else []
                if stack and isinstance(stack[-1][0], dict) and stack[-1][1] is _NO_KEY:
                    raise _Stop(_mark_finding("complex-key", rel, event))
                stack.append([container, _NO_KEY, None, event])
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop()[0]
            elif kind is yaml.AliasEvent:
                raise _Stop(_mark_finding("yaml-alias", rel, event))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Stop(_mark_finding("multiple-documents", rel, event))
                continue
            elif kind is yaml.StreamEndEvent:
                break
            else:  # StreamStart, DocumentEnd
                continue
            # place the finished value into its parent
            if not stack:
                root = value
                continue
            top = stack[-1]
            parent = top[0]
            if type(parent) is list:
                parent.append(value)
            elif top[1] is _NO_KEY:
                key = value if isinstance(value, str) else event.value
                if key in parent:
                    found.append(_mark_finding("duplicate-key", rel, event, key=key))
                    top[1] = _DUPLICATE
                else:
                    top[1] = key
            else:
                if top[1] is not _DUPLICATE:
                    parent[top[1]] = value
                top[1] = _NO_KEY
    except _Stop as stop:
        return Document(rel, None, (stop.found,))
    finally:
        parser.dispose()
    if root is None:
        return Document(rel, None, (finding("empty-file", rel, line=1, column=1),))
    return Document(rel, root, tuple(found))


_NO_KEY = object()
_DUPLICATE = object()


def _mark_finding(code: str, rel: str, event: Any, **fields: str) -> Finding:
    mark = event.start_mark
    return finding(code, rel, line=mark.line + 1, column=mark.column + 1, **fields)


def locate(text: str, pointer: tuple[str | int, ...]) -> tuple[int, int] | None:
    """Return the 1-based line and column of the node at a JSON path, or its nearest parent."""
    parser = _Parser(text)
    try:
        node = _compose_shallow(parser)
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    best = node
    for part in pointer:
        if node is None:
            break
        node = _child(node, part)
        if node is not None:
            best = node
    if best is None:
        return None
    mark = best.start_mark
    return mark.line + 1, mark.column + 1


def _compose_shallow(parser: Any) -> Any:
    """Compose nodes (with positions) from events, iteratively; only used for error reports."""
    stack: list[tuple[Any, list[Any]]] = []
    root = None
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            node_cls = yaml.MappingNode if kind is yaml.MappingStartEvent else yaml.SequenceNode
            stack.append((node_cls("", [], event.start_mark, None), []))
            continue
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            node, items = stack.pop()
            if isinstance(node, yaml.MappingNode):
                node.value = list(zip(items[::2], items[1::2], strict=False))
            else:
                node.value = items
        elif kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
            node = yaml.ScalarNode("", getattr(event, "value", ""), event.start_mark, None)
        elif kind is yaml.StreamEndEvent:
            return root
        else:
            continue
        if stack:
            stack[-1][1].append(node)
        else:
            root = node


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, yaml.MappingNode):
        found = None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                found = value  # the last one wins, as in the built value
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if 0 <= part < len(node.value) else None
    return None


def key_line(text: str, pointer: tuple[str | int, ...], key: str) -> tuple[int, int] | None:
    """Return the position of a key inside the mapping at a JSON path."""
    parser = _Parser(text)
    try:
        node = _compose_shallow(parser)
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    for part in pointer:
        node = _child(node, part)
        if node is None:
            return None
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k.start_mark.line + 1, k.start_mark.column + 1
    return None
