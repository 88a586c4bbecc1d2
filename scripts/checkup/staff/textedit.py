"""Change top-level keys of a YAML file by editing its lines, so comments and layout survive.

Clerks write the data by hand and explain it in comments; rewriting a file
through a YAML library would reflow it. These edits touch only the lines of
the key they change, and every caller re-reads the result to confirm it.
"""

from __future__ import annotations

import re


def key_span(lines: list[str], key: str) -> tuple[int, int] | None:
    """Return the [start, end) lines of a top-level key and its continuation lines."""
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if _continues(line):
            end += 1
        elif not line.strip():
            # a blank line belongs to the value only if the value goes on after it
            nxt = next((j for j in range(end, len(lines)) if lines[j].strip()), len(lines))
            if nxt < len(lines) and _continues(lines[nxt]):
                end = nxt
            else:
                break
        else:
            break
    return start, end


def _continues(line: str) -> bool:
    # indented lines, and the items of a sequence written flush left under its key
    return line[:1] in (" ", "\t") or line.startswith("- ") or line.rstrip() == "-"


def set_key(text: str, key: str, value: str, *, after: str | None = None) -> str:
    """Set a top-level key to a one-line value, keeping a comment at its end; add it if missing."""
    lines = text.splitlines(keepends=True)
    span = key_span(lines, key)
    if span is not None:
        start, end = span
        comment = _trailing_comment(lines[start]) if end == start + 1 else ""
        lines[start:end] = [f"{key}: {value}{comment}\n"]
        return "".join(lines)
    anchor = key_span(lines, after) if after else None
    if after and anchor is None:
        raise ValueError(f"no top-level key {after!r} to put {key!r} after")
    at = anchor[1] if anchor else len(lines)
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.insert(at, f"{key}: {value}\n")
    return "".join(lines)


def drop_key(text: str, key: str) -> str:
    """Remove a top-level key and its value lines."""
    lines = text.splitlines(keepends=True)
    span = key_span(lines, key)
    if span is None:
        return text
    del lines[span[0]:span[1]]
    return "".join(lines)


def replace_in_key(text: str, key: str, old: str, new: str) -> str:
    """Replace a piece of text inside the value of a top-level key only."""
    lines = text.splitlines(keepends=True)
    span = key_span(lines, key)
    if span is None:
        return text
    start, end = span
    head, _, rest = lines[start].partition(":")
    lines[start] = head + ":" + rest.replace(old, new)
    lines[start + 1:end] = [line.replace(old, new) for line in lines[start + 1:end]]
    return "".join(lines)


def leading_comments(text: str) -> str:
    """Return the comment block at the top of a file."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[:_header_end(lines)])


def replace_in_header(text: str, old: str, new: str) -> str:
    """Replace a piece of text in the comment block at the top of a file only."""
    lines = text.splitlines(keepends=True)
    end = _header_end(lines)
    return "".join([line.replace(old, new) for line in lines[:end]] + lines[end:])


def _header_end(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))


def _trailing_comment(line: str) -> str:
    """Return the ` # comment` at the end of a `key: value` line, with its leading spaces."""
    body = line.rstrip("\r\n")
    at = body.index(":") + 1
    value = body[at:].lstrip()
    at = len(body) - len(value)
    if value[:1] in ("'", '"'):  # a quoted value may hold " #"; look after its closing quote
        close = re.match(r"'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\"", value)
        at += close.end() if close else len(value)
    found = re.search(r"[ \t]+#.*$", body[at:])
    return found.group(0) if found else ""
