"""Write the rows of a download workbook's sheets as XML directly, byte for byte as openpyxl would.

openpyxl's write-only sheets spend most of a download's time on a cell object,
a type check and an XML element per cell. Our cells are only text and
numbers, so the rows are written here as text: the same inline strings,
numbers and escapes (non-ASCII as character references) openpyxl writes, and
openpyxl still writes every other part of the workbook. A row holding
anything else (empty text, an error code such as #N/A, a control character, a cell over
Excel's 32,767 characters, another type) is left to openpyxl: `sheet_rows`
returns None and the caller writes the whole workbook the slow way.
`tests/test_speed.py` compares the two writers on every table of
the example data and on awkward cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

MAX_CELL_CHARS = 32767  # Excel's limit; openpyxl cuts longer text, which we leave to it
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_FORMULA = re.compile(r"=.")  # openpyxl's test: text of two or more characters starting with "="
_COLUMNS = [get_column_letter(i) for i in range(1, 257)]


def sheet_rows(rows: Sequence[Sequence[object]], text_cells: Sequence[set[int]] | None = None) -> str | None:
    """Return the XML of these rows (`<row>` elements, numbered from 1), or None if openpyxl must write them.

    `text_cells[i]` names the columns of row i written as typed text although they
    start like a formula (openpyxl would make them formulas otherwise).
    """
    out: list[str] = []
    add = out.append
    for index, row in enumerate(rows):
        number = index + 1
        if len(row) > len(_COLUMNS):
            return None
        add(f'<row r="{number}">')
        typed = text_cells[index] if text_cells is not None else ()
        for col, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            ref = f"{_COLUMNS[col]}{number}"
            if kind is str:
                text: str = value  # type: ignore[assignment]
                if (not text or len(text) > MAX_CELL_CHARS or text in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(text)
                        or (col not in typed and _FORMULA.match(text))):
                    return None
                space = ' xml:space="preserve"' if text != text.strip() else ""
                add(f'<c r="{ref}" t="inlineStr"><is><t{space}>{text.translate(_ESCAPES)}</t></is></c>')
            elif kind is int or kind is float:
                number_value: float = value  # type: ignore[assignment]
                shown = "" if math.isnan(number_value) or math.isinf(number_value) else f"{number_value:.16g}"
                add(f'<c r="{ref}" t="n"><v>{shown}</v></c>')
            else:
                return None
        add("</row>")
    return "".join(out)


def to_ascii_xml(text: str) -> bytes:
    """Encode XML text as openpyxl writes it: ASCII, every other character as a character reference."""
    return text.encode("ascii", "xmlcharrefreplace")
