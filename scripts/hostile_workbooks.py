"""Write the largest hostile workbooks `checkup import` must refuse, to measure what refusing them costs.

    .venv/bin/python scripts/hostile_workbooks.py OUT_DIR
    /usr/bin/time -v .venv/bin/checkup import OUT_DIR/zip-bomb.xlsx --data-dir OUT_DIR/data

Both start from the exported template of a draft 2024 edition of the example data:
`zip-bomb.xlsx` packs about 4 GB of sheet XML into about 4 MB; `rows-200000.xlsx`
holds 200,000 rows in its indicator sheet. The tests use small versions of both;
these are too slow to make for a test.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

from checkup import paths
from checkup.editions.newedition import new_edition
from checkup.staff.sheets import export_template

BOMB_BYTES = 4 * 2**30  # what the zip bomb unpacks to
ROWS = 200_000
CHUNK = 2**20


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = out / "data"
    if not data.exists():
        shutil.copytree(paths.DATA_DIR, data)
        new_edition(data, 2024)
    template = out / "template.xlsx"
    export_template(data, None, 2024, template)
    sheet = "xl/worksheets/sheet2.xml"  # the indicator sheet
    with zipfile.ZipFile(template) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    head, _, rest = parts[sheet].partition(b"<sheetData>")
    kept, _, tail = rest.partition(b"</sheetData>")  # the header and the exported rows stay as they were
    first = kept.count(b"<row ") + 1

    bomb_path = out / "zip-bomb.xlsx"
    with zipfile.ZipFile(bomb_path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for name, body in parts.items():
            if name != sheet:
                bomb.writestr(name, body)
        with bomb.open(sheet, "w", force_zip64=True) as part:
            part.write(head + b"<sheetData>")
            filler = b" " * CHUNK
            for _ in range(BOMB_BYTES // CHUNK):
                part.write(filler)
            part.write(b"</sheetData>" + tail)

    rows = kept + b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>AQ-01</t></is></c></row>' % (n, n)
                           for n in range(first, ROWS + 1))
    with zipfile.ZipFile(out / f"rows-{ROWS}.xlsx", "w", zipfile.ZIP_DEFLATED) as many:
        for name, body in parts.items():
            many.writestr(name, head + b"<sheetData>" + rows + b"</sheetData>" + tail if name == sheet else body)
    for name in ("zip-bomb.xlsx", f"rows-{ROWS}.xlsx"):
        print(f"{out / name}: {(out / name).stat().st_size / 2**20:.1f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
