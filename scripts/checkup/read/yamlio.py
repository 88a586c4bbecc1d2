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

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..findings import Finding, finding, pointer_of

try:  # libyaml is bundled with PyYAML's wheels; the pure parser is the fallback
    from yaml._yaml import CParser as _Parser  # yaml itself re-exports only the loaders
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

_MAX_DIGITS = 308  # the largest float is about 1.8e308
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_WORDS: dict[str, Any] = {
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
    "null": None, "Null": None, "NULL": None, "~": None, "": None,
}
_STR_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_TAB_INDENT = re.compile(r"[ ]*(?:[-?:][ ]+)*[-?:]?\t")  # a tab before the content of a line

# Characters a reader cannot see but that change what a page shows: controls (a file's own line
# breaks and tabs aside), bidirectional overrides and isolates that reorder text ("Trojan Source",
# CVE-2021-42574), zero-width and other invisible format characters that hide text or split words
# for search. They come from text pasted out of word processors, web pages and chats, and must
# never reach a page, a CSV or a JSON download, so every one is a finding.
_INVISIBLE_CLASS = (
    "\x7f-\x9f"  # DEL and the C1 controls (NEL included: it breaks lines in some programs only)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    "\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff"  # zero-width and invisible format characters
    "\u2028\u2029"  # line and paragraph separators: invisible breaks that JSON and JavaScript treat apart
    "\ufff9-\ufffb\ufffe\uffff"  # interlinear annotations and noncharacters
)
# In the file's text, tab, line feed and carriage return are the file's own layout; in a value
# (a double-quoted "\u202e" or "\r" escape) only tab and line feed belong to block text.
_INVISIBLE_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_INVISIBLE_CLASS}]")
INVISIBLE_IN_VALUE = re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE_CLASS}]")
MAX_INVISIBLE_REPORTED = 10  # per file: a pasted paragraph can carry hundreds; the first ones show the fault
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = frozenset("\u180e\u200b\u200c\u200d\u2060\ufeff")


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
            # Beyond a float's range a number is of no use to the assessment, and Python refuses
            # to convert more than 4300 digits: such a "number" stays text and fails the schema.
            return int(text) if len(text.lstrip("+-0")) <= _MAX_DIGITS else text
        if _FLOAT.fullmatch(text) and text not in {".", "-.", "+."}:
            value = float(text)
            return text if math.isinf(value) else value
    return text


def read_text(path: Path, rel: str) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 text, or say why it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [finding("file-unreadable", rel, reason=exc.strerror or str(exc))]
    if size > MAX_FILE_BYTES:
        return None, [too_large(rel, size)]
    raw = path.read_bytes()
    return decode(raw, rel)


def too_large(rel: str, size: int) -> Finding:
    """Report a file over the size limit, its size rounded up so it never reads as the limit itself."""
    return finding("file-too-large", rel, size=f"{math.ceil(size / 1048576 * 10) / 10:g}",
                   limit=f"{MAX_FILE_BYTES // 1048576}")


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Finding]]:
    """Decode bytes as UTF-8 without BOM, pointing at the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [finding("bom", rel, line=1, column=1)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8")) + 1  # in characters, as elsewhere
        return None, [finding("not-utf8", rel, line=line, column=column,
                              byte=f"0x{raw[exc.start]:02X}")]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [finding("empty-file", rel, line=1, column=1)]
    return text, []


def parse_text(text: str, rel: str) -> Document:
    """Build a value from YAML text; on any fault return the findings instead."""
    hidden = invisible_characters(text, rel)
    if hidden:
        return Document(rel, None, tuple(hidden))
    try:
        doc = _build(text, rel)
    except yaml.MarkedYAMLError as exc:
        return Document(rel, None, (_syntax_finding(text, rel, exc),))
    except yaml.reader.ReaderError as exc:  # a character libyaml refuses that the scan above let through
        found = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        at = found if found >= 0 else exc.position  # libyaml counts bytes, the pure parser characters
        char = chr(exc.character) if isinstance(exc.character, int) else "\ufffd"
        return Document(rel, None, (_invisible_finding(text, rel, at, char),))
    except yaml.YAMLError:
        return Document(rel, None, (finding("yaml-syntax", rel, reason=_UNKNOWN_REASON),))
    if doc.ok and "\\" in text:  # only a double-quoted escape can put such a character in a value
        escaped = _invisible_in_values(doc.value, text, rel)
        if escaped:
            return Document(rel, None, (*doc.findings, *escaped))
    return doc


def invisible_characters(text: str, rel: str) -> list[Finding]:
    """Report the invisible and direction-changing characters of a file, each at its line and column."""
    found = []
    for match in _INVISIBLE_IN_TEXT.finditer(text):
        found.append(_invisible_finding(text, rel, match.start(), match.group()))
        if len(found) == MAX_INVISIBLE_REPORTED:
            break
    return found


def _invisible_finding(text: str, rel: str, at: int, char: str, line_column: tuple[int, int] | None = None,
                       pointer: str = "") -> Finding:
    if line_column is None:
        line_column = (text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1)
    line, column = line_column
    return finding("invisible-character", rel, line=line, column=column, pointer=pointer,
                   char=f"U+{ord(char):04X}", category=_invisible_kind(char))


def _invisible_kind(char: str) -> str:
    if char in _BIDI:
        return "改变文字方向的双向控制符"
    if char in _ZERO_WIDTH:
        return "零宽字符"
    if char in "\u2028\u2029":
        return "特殊换行符"
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return "控制字符"
    return "不可见的格式字符"


def _invisible_in_values(value: Any, text: str, rel: str) -> list[Finding]:
    """Report invisible characters that double-quoted escapes put into keys or values."""
    found: list[Finding] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack and len(found) < MAX_INVISIBLE_REPORTED:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                stack.append(((*path, key), child))
                match = INVISIBLE_IN_VALUE.search(key)
                if match:
                    at = key_line(text, path, key) or locate(text, path) or (1, 1)
                    found.append(_invisible_finding(text, rel, 0, match.group(), at, pointer_of((*path, key))))
        elif isinstance(node, list):
            stack.extend(((*path, i), child) for i, child in enumerate(node))
        elif isinstance(node, str):
            match = INVISIBLE_IN_VALUE.search(node)
            if match:
                found.append(_invisible_finding(text, rel, 0, match.group(), locate(text, path) or (1, 1),
                                                pointer_of(path)))
    return sorted(found, key=Finding.sort_key)


def _syntax_finding(text: str, rel: str, exc: yaml.MarkedYAMLError) -> Finding:
    """Say where and why libyaml gave up, in the clerk's words where we know them."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    if mark is not None and exc.context_mark is not None and (mark.line, mark.column) >= (
        len(lines) - 1, len(lines[-1])
    ):  # the parser ran off the end: where the unclosed quote or bracket began is more useful
        mark = exc.context_mark
    if exc.problem and _NESTING_LIMIT in exc.problem:
        # libyaml (0.2.6 and later) stops at its own nesting limit while scanning ahead, before our
        # event loop reaches MAX_DEPTH; either way the clerk's fault is the same.
        at = exc.problem_mark
        return finding("too-deep", rel, line=at.line + 1 if at else 1, column=at.column + 1 if at else 1,
                       limit=str(MAX_DEPTH))
    if mark is None:
        return finding("yaml-syntax", rel, reason=_reason(exc.problem or exc.context))
    line, column = mark.line + 1, mark.column + 1
    for at in (exc.problem_mark, mark):  # a tab in the indentation is the commonest cause
        if at is not None and at.line < len(lines):
            tab = _TAB_INDENT.match(lines[at.line])
            if tab:
                return finding("tab-indent", rel, line=at.line + 1, column=tab.end())
    return finding("yaml-syntax", rel, line=line, column=column, reason=_reason(exc.problem or exc.context))


# libyaml's words (or a part of them) for the faults people make by hand, and what they mean
_REASONS = (
    ("could not find expected ':'", "找不到冒号，“字段: 值”的冒号后面要有空格"),
    ("mapping values are not allowed", "这里不能出现“字段: 值”；若文字里有“: ”，请给整段文字加引号"),
    ("did not find expected key", "缩进没有对齐，这一行的字段名应与上面的字段对齐"),
    ("did not find expected '-' indicator", "缩进没有对齐，列表的每一项都要以“- ”开头并对齐"),
    ("',' or ']'", "方括号 [ ] 没有成对，或列表的各项之间少了逗号"),
    ("',' or '}'", "花括号 { } 没有成对，或各项之间少了逗号"),
    ("found unexpected end of stream", "文件在引号闭合之前就结束了，引号要成对"),
    ("found character that cannot start any token", "这里有一个不能用作开头的字符（如 Tab、@、`），请给文字加引号"),
    ("found undefined tag handle", "以 ! 开头的写法不允许；若是文字，请加引号"),
    ("invalid Unicode character escape", "双引号里的 \\u 转义写法不对；含反斜杠的文字请改用单引号"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 用法不对；含反斜杠的文字请改用单引号"),
    ("did not find expected alphabetic or numeric character", "* 或 & 后面缺少名称；若是文字，请加引号"),
    ("block sequence entries are not allowed", "这里不能出现列表项“- ”，请检查缩进"),
    ("found incompatible YAML document", "文件开头的 %YAML 版本声明不受支持，请删除"),
)


# libyaml's own words when a file nests deeper than it allows (1,000 levels)
_NESTING_LIMIT = "exceeded maximum nesting depth"
# The parser's English never reaches a clerk: a fault we have no words for gets these.
_UNKNOWN_REASON = "解析器无法读懂这一处"


def _reason(problem: str | None) -> str:
    for words_in, words in _REASONS:
        if problem and words_in in problem:
            return words
    return _UNKNOWN_REASON


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
    parser: Any = _Parser(text)  # events are typed loosely: each kind has its own fields
    found: list[Finding] = []
    # stack entries: [container, pending key, start event]; `top` is the innermost one
    stack: list[list[Any]] = []
    top: list[Any] | None = None
    root: Any = None
    documents = 0
    get_event = parser.get_event
    # This loop runs once per event (a million for a national edition): names are local.
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    no_key, duplicate, str_tags, typed = _NO_KEY, _DUPLICATE, _STR_TAGS, _TYPED
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None:
                    raise _Stop(_mark_finding("yaml-alias", rel, event))
                tag = event.tag
                plain = not event.style and tag is None  # plain: None from the pure parser, "" from libyaml
                if not plain and tag not in str_tags:
                    raise _Stop(_mark_finding("yaml-tag", rel, event, tag=_short_tag(tag)))
                if top is not None and top[1] is no_key and type(top[0]) is dict:
                    key = event.value  # a key is its text: typing it would only be undone
                    if key in top[0]:
                        found.append(_mark_finding("duplicate-key", rel, event, key=key))
                        top[1] = duplicate
                    else:
                        top[1] = key
                    continue
                value: Any = event.value
                if plain:
                    text = value
                    value = typed.get(text, no_key)
                    if value is no_key:
                        value = plain_scalar(text)
                        if len(typed) >= _TYPED_LIMIT:
                            typed.clear()
                        typed[text] = value
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None:
                    raise _Stop(_mark_finding("yaml-alias", rel, event))
                if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise _Stop(_mark_finding("yaml-tag", rel, event, tag=_short_tag(event.tag)))
                if len(stack) >= MAX_DEPTH:
                    raise _Stop(_mark_finding("too-deep", rel, event, limit=str(MAX_DEPTH)))
                if top is not None and type(top[0]) is dict and top[1] is no_key:
                    raise _Stop(_mark_finding("complex-key", rel, event))
                top = [{} if kind is mapping_start else [], no_key, event]
                stack.append(top)
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = stack.pop()[0]
                top = stack[-1] if stack else None
            elif kind is alias_event:
                raise _Stop(_mark_finding("yaml-alias", rel, event))
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    raise _Stop(_mark_finding("multiple-documents", rel, event))
                continue
            elif kind is stream_end:
                break
            else:  # StreamStart, DocumentEnd
                continue
            # place the finished value into its parent (keys were placed above)
            if top is None:
                root = value
                continue
            parent = top[0]
            if type(parent) is list:
                parent.append(value)
            else:
                if top[1] is not duplicate:
                    parent[top[1]] = value
                top[1] = no_key
    except _Stop as stop:
        return Document(rel, None, (stop.found,))
    finally:
        parser.dispose()
    if root is None:
        return Document(rel, None, (finding("empty-file", rel, line=1, column=1),))
    return Document(rel, root, tuple(found))


_NO_KEY = object()
_DUPLICATE = object()
# Plain scalars typed so far: a national edition repeats the same few thousand numbers a
# million times. The values are immutable, so sharing them is safe; the bound keeps long
# runs (a server, a test session) from growing it without end.
_TYPED: dict[str, Any] = {}
_TYPED_LIMIT = 1 << 16


def _short_tag(tag: str) -> str:
    """Write a tag the way it was typed: !!str rather than tag:yaml.org,2002:str."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _mark_finding(code: str, rel: str, event: Any, **fields: str) -> Finding:
    mark = event.start_mark
    return finding(code, rel, line=mark.line + 1, column=mark.column + 1, **fields)


def locate(text: str, pointer: tuple[str | int, ...]) -> tuple[int, int] | None:
    """Return the 1-based line and column of the node at a JSON path, or its nearest parent."""
    node = best = _compose(text)
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


@lru_cache(maxsize=8)  # a file with many findings is composed once, not once per finding
def _compose(text: str) -> Any:
    """Compose a file's nodes with their positions, or None when it does not parse."""
    parser = _Parser(text)
    try:
        return _compose_shallow(parser)
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()


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
    node = _compose(text)
    for part in pointer:
        node = _child(node, part)
        if node is None:
            return None
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k.start_mark.line + 1, k.start_mark.column + 1
    return None
