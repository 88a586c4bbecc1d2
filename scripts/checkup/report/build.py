"""Make the annual report "1+1+6" of an edition: a print-ready PDF and the annex files.

The narrative chapters and the six annexes become one JSON document; a fixed
Typst template (report.typ) typesets it with the CJK fonts embedded. Typst was
chosen by measurement over headless Chromium printing a page (see CHANGELOG and
scripts/benchmark.py): it needs no browser, is several times faster and makes a
smaller file. The PDF is reproducible: it carries the edition's publication
date, not the time it was made, so the same data give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..assess import EditionAssessment
from ..atomic import Transaction
from ..model import Edition
from ..site.downloads import edition_tables, to_csv
from ..site.maps import edition_maps
from ..site.render import EditionExtras
from . import annexes, svg
from .narrative import Resolver, chapter_blocks

TEMPLATE = Path(__file__).with_name("report.typ")
# Debian's fonts-noto-cjk (installed by scripts/install-browser.sh). Naming the folder lets
# Typst skip scanning every system font; without it Typst falls back to the system's.
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"),)
NUMERALS = "一二三四五六七八九十"
PART_TITLES = {"general": "总报告", "special": "专项报告"}
EXAMPLE_LINE = "本报告为示例数据生成的示例，示例市是虚构城市，报告中的数值和文字不代表任何官方口径。"


class ReportError(Exception):
    """The report cannot be made; the message says why in a clerk's words."""


@dataclass
class Report:
    """A made report: the PDF, the annex files, and what could not be resolved."""

    pdf: bytes
    files: dict[str, bytes] = field(default_factory=dict)  # annex CSV files by name
    unresolved: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # annex CSV file name -> what it holds

    def sums(self, pdf_name: str) -> str:
        """Return SHA256SUMS lines for the PDF and the annex files."""
        items = [(pdf_name, self.pdf), *sorted(self.files.items())]
        return "".join(f"{hashlib.sha256(body).hexdigest()}  {name}\n" for name, body in items)


def numeral(n: int) -> str:
    """Write a chapter number as a Chinese numeral (1-99)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def report_document(edition: Edition, assessment: EditionAssessment,
                    previous: EditionAssessment | None = None) -> tuple[dict[str, Any], dict[str, str],
                                                                         list[annexes.Annex], list[str]]:
    """Lay out the report as a JSON-ready document, its chart files and its annexes."""
    resolver = Resolver(edition, assessment)
    parts = []
    for part, title in PART_TITLES.items():
        chapters = [c for c in edition.chapters if c.part == part]
        parts.append({"title": title, "chapters": [
            {"numeral": numeral(i), "title": c.title, "domain": c.domain,
             "department": edition.department_name(c.department),
             "blocks": chapter_blocks(c.body, c.body_line, resolver)}
            for i, c in enumerate(chapters, start=1)]})
    tables = edition_tables(edition, assessment)
    maps = edition_maps(edition)
    sums = {f"{t.name}.csv": hashlib.sha256(to_csv(t)).hexdigest() for t in tables}
    made = [annexes.conclusions(edition, assessment), annexes.key_tasks(edition, assessment),
            annexes.drawings(edition, assessment, maps),
            annexes.survey_report(edition, assessment.survey, previous.survey if previous else None),
            annexes.database(edition, tables, sums), annexes.construction_notes(edition)]
    charts = {f"charts/{iid}.svg": svg.indicator_chart(ind, assessment.indicators[iid])
              for iid, ind in edition.indicators.items()}
    charts["charts/status.svg"] = svg.status_chart(assessment.status_counts())
    if assessment.survey:
        charts["charts/survey.svg"] = svg.survey_chart(assessment.survey)
    charts.update({f"maps/{name}.svg": drawing for name, drawing in maps.items()})
    document = {
        "title": f"{edition.city}{edition.year}年度城市体检评估报告", "city": edition.city, "year": edition.year,
        "publisher": edition.publisher, "draft": edition.status != "published", "example": edition.example,
        "example_line": EXAMPLE_LINE, "date_line": _date_line(edition), "parts": parts,
        "annexes": [{"number": a.number, "title": a.title, "lines": a.lines,
                     "figures": [list(f) for f in a.figures],
                     "tables": [{"title": t.title, "header": list(t.header), "rows": t.rows, "widths": list(t.widths)}
                                for t in a.tables]} for a in made],
    }
    return document, charts, made, resolver.unresolved


def make_report(edition: Edition, assessment: EditionAssessment,
                previous: EditionAssessment | None = None) -> Report:
    """Typeset an edition's report and lay out its annex files."""
    import typst  # the compiler is a compiled extension: load it only when a report is made

    document, charts, made, unresolved = report_document(edition, assessment, previous)
    with tempfile.TemporaryDirectory(prefix="checkup-report-") as scratch:
        root = Path(scratch)
        (root / "charts").mkdir()
        (root / "maps").mkdir()
        (root / "report.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        (root / "main.typ").write_text(TEMPLATE.read_text("utf-8"), "utf-8")
        for name, body in charts.items():
            (root / name).write_text(body, "utf-8")
        fonts = [str(d) for d in FONT_DIRS if d.is_dir()]
        try:
            pdf = typst.compile(str(root / "main.typ"), root=str(root), font_paths=fonts,
                                timestamp=_timestamp(edition))
        except RuntimeError as exc:  # a template fault is a bug: show the compiler's words
            raise ReportError(f"排版失败：{exc}") from exc
    files, labels = {}, {}
    for annex in made:
        for i, table in enumerate(annex.tables):
            name = f"{annex.name}-{i + 1}.csv" if i else f"{annex.name}.csv"  # the annex's main table first
            files[name] = to_csv(annexes.to_data_table(annex, table))
            labels[name] = f"报告附件{annex.number} {annex.title}：{table.title}"
    return Report(pdf=bytes(pdf), files=files, unresolved=unresolved, labels=labels)


def report_downloads(edition: Edition, assessment: EditionAssessment,
                     previous: EditionAssessment | None) -> EditionExtras:
    """Make an edition's report for the site's downloads: the PDF, the annex CSVs and the report page."""
    from .pages import report_page

    report = make_report(edition, assessment, previous)
    if report.unresolved:  # the check refuses these; reaching here is a bug
        raise ReportError(f"报告中有无法解析的引用：{'、'.join(report.unresolved)}。")
    label = "年度体检评估报告（“1+1+6”，可打印 PDF）" + ("，草稿" if edition.status != "published" else "")
    pdf = pdf_name(edition.year)
    document, _, made, _ = report_document(edition, assessment, previous)
    page = f"downloads/{edition.year}/{REPORT_PAGE}"
    markdown = report_page(page, f"downloads/{edition.year}/{pdf}", document, made)
    return EditionExtras(
        files=[(pdf, label, report.pdf), *((name, report.labels[name], body) for name, body in report.files.items())],
        pages={REPORT_PAGE: (f"{edition.year}年度体检评估报告（网页版：总报告、专项报告和附件表格）", markdown)})


REPORT_PAGE = "report.md"


def _date_line(edition: Edition) -> str:
    if edition.status == "published" and edition.published_on:
        y, m, d = (int(p) for p in edition.published_on.split("-"))
        return f"{y}年{m}月{d}日"
    return "草稿，未经审定，不得引用"


def _timestamp(edition: Edition) -> int:
    """The time written into the PDF: the publication date, or the edition year's end for a draft."""
    when = date.fromisoformat(edition.published_on) if edition.published_on else date(edition.year, 12, 31)
    return int(datetime(when.year, when.month, when.day, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Written:
    """What `checkup report` wrote."""

    pdf: Path
    files: tuple[Path, ...]
    pages: int
    draft: bool


def pdf_name(year: int) -> str:
    return f"checkup-{year}-report.pdf"


def write_report(data_dir: Path, year: int, out_dir: Path) -> Written:
    """Check the data, make the report of one edition and write the PDF, annex files and SHA256SUMS."""
    from ..assess import assess_edition
    from ..check.validate import check_data

    result = check_data(data_dir)
    if str(year) not in result.raw:
        raise ReportError(f"没有 {year} 年的版本文件夹。")
    folder = result.raw[str(year)].folder
    errors = [f for f in result.errors if f.file.startswith(folder + "/")]
    if errors or year not in result.editions:
        raise ReportError(f"{year} 年版本有 {len(errors)} 个错误，运行 checkup validate 查看并改正后再生成报告。")
    edition = result.editions[year]
    earlier = result.editions.get(year - 1)
    report = make_report(edition, assess_edition(edition), assess_edition(earlier) if earlier else None)
    if report.unresolved:  # the check refuses these; reaching here is a bug
        raise ReportError(f"报告中有无法解析的引用：{'、'.join(report.unresolved)}。")
    out_dir.mkdir(parents=True, exist_ok=True)
    name = pdf_name(year)
    written = [out_dir / name]
    with Transaction() as change:  # the PDF, its annexes and their checksums land together
        change.write_bytes(out_dir / name, report.pdf)
        for file, body in report.files.items():
            change.write_bytes(out_dir / file, body)
            written.append(out_dir / file)
        change.write_bytes(out_dir / "SHA256SUMS", report.sums(name).encode("ascii"))
    return Written(pdf=out_dir / name, files=tuple(written[1:]), pages=len(_PAGE.findall(report.pdf)),
                   draft=edition.status != "published")


_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")  # a page object; /Pages is the tree above them
