"""Rewrite YAML data files in one canonical form, keeping their comments.

The canonical form is the one the example data are written in, so that a
clerk's edit and a tool's edit give the same small line diff:

- keys in the order of the schema's `properties`, unknown keys after them;
- two-space indents, list items indented under their key (`  - id: ...`);
- block style, except year-value maps (`{2020: 12.1, 2021: 12.4}`, years in
  order) and lists of numbers (`[2025, 2035]`), which are one-line flows;
- a string is quoted, with double quotes, only when a reader could take it for
  something else: when YAML (1.2, 1.1 or our reader) would not read it back as
  the same text, or when it starts with a digit, a sign or a comparison symbol
  (dates, "2023年...", "≥85"); text with line breaks is a `|` block;
- numbers as Python writes them (`2.0`, `12.1`), booleans `true`/`false`;
- UTF-8 without BOM, LF line ends, one newline at the end.

Comments stay where ruamel.yaml's round trip puts them; a comment inside a
block map that becomes a flow map moves to the end of that map's line.
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.tag import Tag
from ruamel.yaml.tokens import CommentToken

from .. import atomic, paths
from ..atomic import WriteError
from ..check.schema import load_schema
from ..findings import Finding, finding
from ..read.load import list_files
from ..read.yamlio import decode, parse_text, plain_scalar

BOM = b"\xef\xbb\xbf"
_READ_AS_OTHER_BY_YAML11 = {
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
    "on", "On", "ON", "off", "Off", "OFF", "=", "<<",
}
_NO_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")  # YAML indicators cannot open a plain scalar
_LOOKS_NUMERIC_START = set("0123456789+-.≥≤<>~～±")  # people read these as numbers or bounds


class _Resolver(VersionedResolver):
    """Type plain scalars exactly as yamlio does, so both readers see the same values."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            typed = plain_scalar(value)
            if typed is None:
                return Tag(suffix="tag:yaml.org,2002:null")
            if isinstance(typed, bool):
                return Tag(suffix="tag:yaml.org,2002:bool")
            if isinstance(typed, int):
                return Tag(suffix="tag:yaml.org,2002:int")
            if isinstance(typed, float):
                return Tag(suffix="tag:yaml.org,2002:float")
            implicit = (False, implicit[1])
        return super().resolve(kind, value, implicit)


class _Representer(RoundTripRepresenter):
    def represent_none(self, data: Any) -> ScalarNode:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")

    def represent_float(self, data: Any) -> ScalarNode:
        text = repr(float(data))
        if "e" in text and "." not in text:  # YAML 1.1 readers need the dot: 1.0e+16
            text = text.replace("e", ".0e", 1)
        return self.represent_scalar("tag:yaml.org,2002:float", text)


_Representer.add_representer(type(None), _Representer.represent_none)
_Representer.add_representer(float, _Representer.represent_float)


def new_yaml() -> YAML:
    """Return a ruamel.yaml round-trip instance set up for the canonical form."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _Resolver
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 20  # never fold a long line: folding Chinese text inserts spaces
    yaml.allow_unicode = True
    yaml.preserve_quotes = False
    return yaml


def load_roundtrip(text: str, *, keep_quotes: bool = False) -> Any:
    """Load YAML text into ruamel.yaml's commented containers."""
    yaml = new_yaml()
    yaml.preserve_quotes = keep_quotes
    return yaml.load(text)


def dump_roundtrip(data: Any) -> str:
    """Write a round-trip tree back as it is, for edits that touch a few nodes only."""
    out = io.StringIO()
    new_yaml().dump(data, out)
    return out.getvalue()


def dump_canonical(data: Any, kind: str | None) -> str:
    """Put a round-trip tree into canonical form and return its text."""
    schema = load_schema(kind) if kind else {}
    data = canonical_node(data, schema, schema)
    out = io.StringIO()
    new_yaml().dump(data, out)
    return out.getvalue()


def needs_quotes(text: str) -> bool:
    """Say whether a one-line string must be quoted to be read back as the same text."""
    if not text or text != text.strip() or not isinstance(plain_scalar(text), str):
        return True
    if text in _READ_AS_OTHER_BY_YAML11 or text[0] in _NO_PLAIN_START | _LOOKS_NUMERIC_START:
        return True
    if ": " in text or " #" in text or text.endswith(":"):
        return True
    return not text.isprintable()


def canonical_node(node: Any, schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """Return a node in canonical form; containers are changed in place."""
    sub = _resolve(root, schema)
    if isinstance(node, CommentedMap):
        _canonical_map(node, sub, root)
        return node
    if isinstance(node, CommentedSeq):
        items: dict[str, Any] = sub["items"] if isinstance(sub.get("items"), dict) else {}
        for i, item in enumerate(node):
            # list.__setitem__: ruamel's own would keep the old string's quoting style
            list.__setitem__(node, i, canonical_node(item, items, root))
            _hoist_comments(node, i, node[i])
        if node and all(_is_number(v) for v in node):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        return node
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        if "\n" in node and node.replace("\n", "").isprintable():
            return LiteralScalarString(str(node))
        return DoubleQuotedScalarString(node) if needs_quotes(node) else str(node)
    return node


def _canonical_map(node: CommentedMap, sub: dict[str, Any], root: dict[str, Any]) -> None:
    props = sub.get("properties", {})
    extra = sub.get("additionalProperties")
    _year_keys_plain(node)
    for key in list(node):
        child = props.get(str(key)) or (extra if isinstance(extra, dict) else {})
        # OrderedDict.__setitem__: ruamel's own would keep the old string's quoting style
        OrderedDict.__setitem__(node, key, canonical_node(node[key], child, root))
        _hoist_comments(node, key, node[key])
    if _is_year_map(node):
        order = sorted(node, key=lambda k: int(k))
        node.fa.set_flow_style()
    else:
        rank = {name: i for i, name in enumerate(props)}
        order = sorted(node, key=lambda k: rank.get(str(k), len(rank)))  # stable: unknown keys keep place
        node.fa.set_block_style()
    for key in order:
        node.move_to_end(key)


def _year_keys_plain(node: CommentedMap) -> None:
    """Write a quoted year key ("2021":) plain; every reader of ours sees the same key."""
    for pos, (key, value) in enumerate(list(node.items())):
        if isinstance(key, str) and re.fullmatch(r"(19|20)[0-9]{2}", key) and int(key) not in node:
            slots = node.ca.items.pop(key, None)
            del node[key]
            node.insert(pos, int(key), value)
            if slots:
                node.ca.items[int(key)] = slots


def _is_year_map(node: CommentedMap) -> bool:
    return bool(node) and all(
        re.fullmatch(r"(19|20)[0-9]{2}", str(k)) and _is_number(v) for k, v in node.items()
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _hoist_comments(parent: Any, key: Any, child: Any) -> None:
    """Move the comments inside a map that becomes a flow map to the end of its line."""
    if not isinstance(child, (CommentedMap, CommentedSeq)) or not child.fa.flow_style():
        return
    if not child.ca.items:
        return
    tokens = [t for slots in child.ca.items.values() for t in slots if isinstance(t, CommentToken)]
    child.ca.items.clear()
    if not tokens:
        return
    # a token holds the end of its entry's line, then any whole comment lines below it
    text = "".join(t.value.removeprefix("\n") for t in tokens)
    text = text if text.endswith("\n") else text + "\n"
    slots = parent.ca.items.setdefault(key, [None, None, None, None])
    at = 0 if isinstance(parent, CommentedSeq) else 2
    old = slots[at]
    slots[at] = CommentToken(text if old is None else old.value + text, CommentMark(0), None)


def _resolve(root: dict[str, Any], node: Any) -> dict[str, Any]:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
        target = root["$defs"][node["$ref"][len("#/$defs/"):]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}


@dataclass
class Formatted:
    """The outcome for one file: its canonical text, or why it could not be read."""

    file: str
    changed: bool = False
    text: str | None = None
    findings: list[Finding] = field(default_factory=list)
    frozen: bool = False  # in a published edition: not read, not written


def format_bytes(raw: bytes, rel: str, kind: str | None) -> Formatted:
    """Return the canonical text of a file's bytes, checking that no value changed."""
    text, problems = decode(raw.removeprefix(BOM), rel)
    if text is None:
        return Formatted(rel, findings=problems)
    text = text.replace("\r\n", "\n")
    before = parse_text(text, rel)
    if not before.ok:
        return Formatted(rel, findings=list(before.findings))
    try:
        dumped = dump_canonical(load_roundtrip(text), kind)
    except YAMLError as exc:  # ruamel.yaml refuses what libyaml let through: say so, change nothing
        return Formatted(rel, findings=[finding("yaml-syntax", rel, reason=str(exc).split("\n", 1)[0])])
    result = dumped.rstrip("\n") + "\n"
    if not same_value(before.value, parse_text(result, rel).value):
        result = dumped  # the last value is a block text that keeps its final blank lines
        if not same_value(before.value, parse_text(result, rel).value):  # a bug here, not in the data
            raise AssertionError(f"fmt would change the values of {rel}")
    return Formatted(rel, changed=result.encode("utf-8") != raw, text=result)


def same_value(a: Any, b: Any) -> bool:
    """Compare two parsed values, telling 1 from 1.0 and true from 1."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def edition_of(path: Path) -> Path | None:
    """Return the edition folder a file lies in (a four-digit folder name, even in a copy)."""
    for parent in path.parents:
        if paths.is_year_name(parent.name):
            return parent
    return None


def kind_of(path: Path) -> str | None:
    """Return the schema name of a data file from its place in an edition folder."""
    edition = edition_of(path)
    return paths.schema_for(path.relative_to(edition).as_posix()) if edition else None


def is_frozen(path: Path) -> bool:
    """Say whether a file belongs to a published edition, whose files must keep their bytes."""
    edition = edition_of(path)
    return edition is not None and (edition / paths.MANIFEST_FILE).is_file()


def yaml_files(targets: Iterable[Path]) -> Iterator[Path]:
    """List the YAML files named or contained in the targets, in order."""
    for target in targets:
        if target.is_dir():  # links are skipped, never followed: the validator reports them
            yield from (p for p in list_files(target)[0].values() if p.suffix in (".yaml", ".yml"))
        else:
            yield target


def _through_link(path: Path, targets: list[Path]) -> bool:
    """Say whether a file is a link, or lies in a linked folder below the target it was found in."""
    if path.is_symlink():
        return True
    edition = edition_of(path.absolute())
    if edition is not None:  # the edition folder and every folder below it, down to the file
        return any(p.is_symlink() for p in path.absolute().parents if p == edition or edition in p.parents)
    for target in targets:
        try:
            inside = path.relative_to(target)
        except ValueError:
            continue
        return any((target / part).is_symlink() for part in _prefixes(inside.parent))
    return False


def _prefixes(rel: Path) -> list[Path]:
    return [Path(*rel.parts[:n]) for n in range(1, len(rel.parts) + 1)]


def format_paths(targets: Iterable[Path], write: bool, shown: Any = str) -> list[Formatted]:
    """Format every YAML file under the targets; write the changed ones when asked.

    Files of published editions are left alone: their manifest holds the hash
    of their bytes, so even a change of layout would read as an unrecorded edit.
    """
    results = []
    changes: list[tuple[Path, str]] = []
    targets = list(targets)
    for path in yaml_files(targets):
        if is_frozen(path.resolve()):
            results.append(Formatted(shown(path), frozen=True))
            continue
        result = format_bytes(path.read_bytes(), shown(path), kind_of(path.resolve()))
        if result.changed and result.text is not None:
            changes.append((path, result.text))
        results.append(result)
    if write:
        linked = [shown(path) for path, _ in changes if _through_link(path, targets)]
        if linked:  # checked before any write: the file a link points to may lie outside the repository
            raise WriteError(f"这些文件是符号链接或在链接的文件夹里，不会通过链接改写：{'、'.join(linked)}。"
                             "把它们换成普通文件后重新运行；没有整理任何文件。")
        for path, text in changes:
            atomic.write_text(path, text)
    return results
