"""The annual report "1+1+6": chapters and references, the annexes, and the PDF read back."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from checkup import paths
from checkup.assess import assess_edition
from checkup.check.validate import check_data
from checkup.cli import main
from checkup.model import Chapter, Edition
from checkup.report.build import make_report, numeral, report_document, report_downloads
from checkup.report.narrative import UNRESOLVED, Resolver, chapter_blocks

YEAR = 2023


@pytest.fixture(scope="session")
def example_edition() -> Edition:
    return check_data(paths.DATA_DIR).editions[YEAR]


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example 2023 report, made once per test session through the command line."""
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(main, ["report", str(YEAR), "--data-dir", str(paths.DATA_DIR), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def pdf_text(report_dir: Path) -> str:
    reader = PdfReader(report_dir / f"checkup-{YEAR}-report.pdf")
    return "\n".join(page.extract_text() for page in reader.pages)


def _squeeze(text: str) -> str:
    """Drop the spaces and line breaks text extraction puts inside CJK runs and table cells."""
    return re.sub(r"\s+", "", text)


# -- the PDF -------------------------------------------------------------------------------
def test_the_report_command_says_what_it_wrote(report_dir: Path) -> None:
    names = sorted(p.name for p in report_dir.iterdir())
    assert f"checkup-{YEAR}-report.pdf" in names and "SHA256SUMS" in names
    assert "annex-1-conclusions.csv" in names and "annex-2-key-tasks.csv" in names


def test_the_pdf_has_every_chapter_heading_in_order(pdf_text: str, example_edition: Edition) -> None:
    text = _squeeze(pdf_text)
    assert len([c for c in example_edition.chapters if c.part == "general"]) >= 4
    assert any(c.part == "special" for c in example_edition.chapters)
    for part in ("general", "special"):
        chapters = [c for c in example_edition.chapters if c.part == part]
        for i, chapter in enumerate(chapters, start=1):
            assert f"第{numeral(i)}章{chapter.title}" in text


def test_the_pdf_has_a_cover_a_table_of_contents_and_page_numbers(report_dir: Path) -> None:
    reader = PdfReader(report_dir / f"checkup-{YEAR}-report.pdf")
    cover, contents, first = (_squeeze(reader.pages[i].extract_text()) for i in range(3))
    assert "2023年度城市体检评估报告" in cover and "示例" in cover
    assert "目录" in contents and "附件1指标结论表" in contents
    assert first.endswith("—1—")


def test_the_conclusions_table_lists_every_indicator(pdf_text: str, example_edition: Edition) -> None:
    text = _squeeze(pdf_text)
    annex = text[text.index("附件1指标结论表", text.index("附件1指标结论表") + 1):]
    missing = [iid for iid in example_edition.indicators if iid not in annex]
    assert missing == []


def test_the_drawings_annex_shows_a_map_by_area_for_every_mapped_indicator(pdf_text: str,
                                                                         example_edition: Edition) -> None:
    mapped = [ind for ind in example_edition.indicators.values()
              if ind.by_area and set(ind.by_area) <= set(example_edition.geometry)]
    assert mapped, "the example edition maps some indicators by area"
    text = _squeeze(pdf_text)
    annex = text[text.index("附件3分析图纸", text.index("附件3分析图纸") + 1):]
    assert f"{example_edition.city}各区" in annex
    missing = [ind.id for ind in mapped if _squeeze(f"{ind.id}{ind.name}（分区）") not in annex]
    assert missing == []
    assert "边界为示意" in annex


def test_the_departments_submissions_are_printed_after_the_conclusions(pdf_text: str,
                                                                      example_edition: Edition) -> None:
    text = _squeeze(pdf_text)
    submitted = [i for i in example_edition.indicators.values() if i.submission]
    assert len(submitted) >= 10
    section = text[text.index("部门报送说明"):]  # its first appearance: the table after annex 1
    for indicator in submitted:
        assert indicator.submission is not None
        assert _squeeze(str(indicator.submission.shortcomings)) in section, indicator.id


def test_no_reference_is_left_unresolved_in_the_pdf(pdf_text: str) -> None:
    assert "{{" not in pdf_text and "｛｛" not in pdf_text
    assert _squeeze(UNRESOLVED) not in _squeeze(pdf_text)


def test_references_show_the_assessed_figures(pdf_text: str, example_edition: Edition) -> None:
    assessed = assess_edition(example_edition).indicators["XT-05"]
    assert f"人均城镇建设用地面积为{assessed.latest_value:g}平方米/人" in _squeeze(pdf_text)


def test_the_chinese_fonts_are_embedded(report_dir: Path) -> None:
    reader = PdfReader(report_dir / f"checkup-{YEAR}-report.pdf")
    fonts = set()
    for page in reader.pages[:4]:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert any("SerifCJK" in f for f in fonts) and any("SansCJK" in f for f in fonts)


def test_the_checksums_match_the_files(report_dir: Path) -> None:
    for line in (report_dir / "SHA256SUMS").read_text("ascii").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((report_dir / name).read_bytes()).hexdigest() == digest


def test_the_annex_files_are_the_tables_of_the_report(report_dir: Path, example_edition: Edition) -> None:
    rows = (report_dir / "annex-1-conclusions.csv").read_text("utf-8-sig").splitlines()  # CSVs carry a BOM for Excel
    assert rows[0].startswith("序号,指标,单位,指标属性,基期值,现状值,规划目标值,评估结论,责任部门")
    assert len(rows) == 1 + len(example_edition.indicators)


def test_the_report_of_an_edition_with_errors_is_refused(data_copy: Path) -> None:
    chapter = data_copy / "2023/report/general/01-总体情况.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n{{指标:XX-99:数值}}\n", "utf-8")
    result = CliRunner().invoke(main, ["report", "2023", "--data-dir", str(data_copy), "-o", str(data_copy / "out")])
    assert result.exit_code == 1
    assert "2023 年版本有" in result.output and "checkup validate" in result.output
    assert not (data_copy / "out").exists()


# -- the document behind the PDF -------------------------------------------------------------
def _edition_with(edition: Edition, body: str, status: str = "published") -> Edition:
    chapter = Chapter(part="general", number=9, title="测试", domain="总体", department="GHZY", body=body,
                      file="report/general/09.md")
    return dataclasses.replace(edition, chapters=(chapter,), status=status)


def _blocks(edition: Edition, body: str) -> list[dict[str, object]]:
    return chapter_blocks(body, 1, Resolver(edition, assess_edition(edition)))


@pytest.mark.parametrize(("body", "shown"), [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("#sys.exit() 与 $x^2$", "#sys.exit() 与 $x^2$"),
    ("[链接](http://example.com)", "[链接](http://example.com)"),
    ("前\u202e后\u200b文\x0b字", "前后文字"),
])
def test_narrative_text_is_shown_as_typed_without_hidden_characters(example_edition: Edition, body: str,
                                                                   shown: str) -> None:
    assert _blocks(example_edition, body) == [{"kind": "para", "spans": [{"text": shown, "strong": False}]}]


@pytest.mark.parametrize(("reference", "shown"), [
    ("{{指标:XT-05:状态}}", "稳定"),  # +0.4 on 109.4 is within the 1% band of the previous year
    ("{{指标:XT-05:数值}}", "109.8平方米/人"),
    ("{{指标：XT-05：目标}}", "2025年≤105平方米/人"),
    ("｛｛指标:AQ-06:基期｝｝", "2020年38个"),
    ("{{任务:RW-035:名称}}", "推进老旧小区综合整治"),
    ("{{满意度:出行便捷性}}", "56.4分"),
])
def test_a_reference_is_replaced_by_what_it_names(example_edition: Edition, reference: str, shown: str) -> None:
    [block] = _blocks(example_edition, f"结果：{reference}。")
    assert block["spans"] == [{"text": f"结果：{shown}。", "strong": False}]


def test_a_reference_alone_on_its_line_becomes_a_table_or_a_chart(example_edition: Edition) -> None:
    row, chart, tasks = _blocks(example_edition, "{{指标:AQ-07}}\n\n{{指标:AQ-07:图}}\n{{任务清单:改善居住条件}}")
    assert row["kind"] == "table" and row["rows"][0][0] == "AQ-07 消防救援5分钟可达覆盖率"  # type: ignore[index]
    assert chart == {"kind": "figure", "path": "charts/AQ-07.svg", "caption": "消防救援5分钟可达覆盖率（%）"}
    assert tasks["kind"] == "table" and len(tasks["rows"]) == 13  # type: ignore[arg-type]


def test_headings_lists_notes_and_bold_are_the_only_markdown(example_edition: Edition) -> None:
    blocks = _blocks(example_edition, "## 小节\n> 示例\n- 一\n- **二**\n1. 甲\n正文")
    assert [b["kind"] for b in blocks] == ["heading", "note", "list", "list", "para"]
    assert blocks[2]["items"][1] == [{"text": "二", "strong": True}]  # type: ignore[index]


def test_a_draft_report_is_watermarked_and_a_published_one_is_not(example_edition: Edition) -> None:
    assessment = assess_edition(example_edition)
    draft, _, _, _ = report_document(_edition_with(example_edition, "正文", status="draft"), assessment)
    published, _, _, _ = report_document(example_edition, assessment)
    assert draft["draft"] is True and draft["date_line"] == "草稿，未经审定，不得引用"
    assert published["draft"] is False and published["date_line"] == "2024年11月28日"


def test_hostile_narrative_reaches_the_pdf_as_plain_text(example_edition: Edition) -> None:
    small = dataclasses.replace(example_edition, indicators=dict(list(example_edition.indicators.items())[:2]),
                                survey=None)
    body = '#text(fill: red)[注入] <b>粗</b> ")] #panic("x") \\ 文字'
    made = make_report(_edition_with(small, body, status="draft"), assess_edition(small))
    text = "\n".join(page.extract_text() for page in PdfReader(_bytes_io(made.pdf)).pages)
    assert _squeeze('#text(fill:red)[注入]<b>粗</b>")]#panic("x")\\文字') in _squeeze(text)
    assert "草稿" in text


def _bytes_io(data: bytes) -> object:
    import io
    return io.BytesIO(data)


@pytest.mark.parametrize(("n", "word"), [(1, "一"), (4, "四"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_chapters_are_numbered_in_chinese(n: int, word: str) -> None:
    assert numeral(n) == word


# -- reviewers see the report change ---------------------------------------------------------------
def test_the_diff_names_the_changed_section_of_a_chapter_by_its_heading(data_copy: Path) -> None:
    from checkup.editions.diff import diff_editions
    from checkup.editions.diff_report import render_markdown, render_text

    old = check_data(data_copy).editions[YEAR]
    chapter = data_copy / "2023/report/general/01-总体情况.md"
    chapter.write_text(chapter.read_text("utf-8").replace("土地利用效率有待提高", "土地利用效率亟待提高"), "utf-8")
    new = check_data(data_copy).editions[YEAR]
    diff = diff_editions(old, new, statuses=False)
    assert [(c.record, c.id, c.field) for c in diff.changes] == [("chapter", "总报告·01-总体情况", "§主要结论")]
    assert "报告章节 总报告·01-总体情况 总体情况：“主要结论”一节由“" in render_text(diff)
    assert "“主要结论”一节" in render_markdown(diff)


# -- department submissions ----------------------------------------------------------------------
def test_a_submission_filled_in_a_workbook_lands_in_the_indicator_file(tmp_path: Path) -> None:
    import shutil

    from openpyxl import load_workbook

    from checkup.editions.newedition import new_edition
    from checkup.staff.sheetimport import import_workbook
    from checkup.staff.sheets import INDICATOR_SHEET, export_template
    from editionyears import NEXT

    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    made = new_edition(data, NEXT)
    assert "submission:" not in (data / f"{NEXT}/indicators/GX-11.yaml").read_text("utf-8")  # a year's own text
    had_report = (data / str(made.source) / "report").is_dir()  # a draft has no chapters to drop yet
    assert any(rel.startswith("report/") for rel in made.dropped) is had_report
    book_path = tmp_path / f"{NEXT}.xlsx"
    export_template(data, "ZJW", NEXT, book_path)
    book = load_workbook(book_path)
    ws = book[INDICATOR_SHEET]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "GX-11")
    ws.cell(row, headers.index("基本情况") + 1).value = "累计加装电梯2300部。"
    ws.cell(row, headers.index("短板及成因") + 1).value = "业主意见难统一。"
    book.save(book_path)
    result = import_workbook(book_path, data)
    assert (result.ok, result.findings) == (True, [])
    text = (data / f"{NEXT}/indicators/GX-11.yaml").read_text("utf-8")
    assert "submission:\n  situation: 累计加装电梯2300部。\n  shortcomings: 业主意见难统一。\n" in text
    indicator = check_data(data).editions[NEXT].indicators["GX-11"]
    assert indicator.submission is not None and indicator.submission.shortcomings == "业主意见难统一。"


# -- published with the site -------------------------------------------------------------------------
def test_with_the_report_option_the_site_downloads_carry_the_pdf_and_annexes_with_checksums(
        tmp_path: Path) -> None:
    from checkup.site.render import render_docs

    docs = tmp_path / "docs"
    result = CliRunner().invoke(main, ["render", str(paths.DATA_DIR), "--docs", str(docs), "--report"])
    assert result.exit_code == 0, result.output
    folder = docs / "downloads/2023"
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text("ascii").splitlines())
    for name in ("checkup-2023-report.pdf", "annex-1-conclusions.csv", "annex-2-key-tasks.csv"):
        assert sums[name] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    page = (folder / "index.md").read_text("utf-8")
    assert "| [`checkup-2023-report.pdf`](checkup-2023-report.pdf) | 年度体检评估报告（“1+1+6”，可打印 PDF） |" in page
    assert "报告附件1 指标结论表：指标结论表" in page
    assert "[2023年度体检评估报告（网页版：总报告、专项报告和附件表格）](report.md)" in page
    report_md = (folder / "report.md").read_text("utf-8")
    assert "[下载可打印的 PDF 版](checkup-2023-report.pdf)" in report_md
    assert "### 第一章　总体情况" in report_md and "### 附件1　指标结论表" in report_md
    assert "{{" not in report_md and "| XT-05 人均城镇建设用地面积 |" in report_md
    # the same data give the same PDF: a published edition's report is reproducible from its frozen files
    again = tmp_path / "again"
    render_docs(paths.DATA_DIR, again, extra=None)
    assert not (again / "downloads/2023/checkup-2023-report.pdf").exists()
    render_docs(paths.DATA_DIR, again, extra=report_downloads)
    assert (again / "downloads/2023/checkup-2023-report.pdf").read_bytes() == \
        (folder / "checkup-2023-report.pdf").read_bytes()
