"""Time validation, the site build and the diff, each set against a yardstick measured in the same run.

Usage:
    python scripts/benchmark.py [--areas N --indicators N --years N --tasks N --problems N]
                                [--preview-indicators N] [--runs 3] [--only validate,build,preview,diff,report,periods]
                                [--json] [--strict]

Every measurement runs in a fresh Python process (no warm caches, a peak RSS of
its own) and the table shows the median over --runs. Ratios are taken run by
run (validate and parse back to back) before the median, so a busy machine
slows both sides alike. The synthetic data come from checkup.synth and are
checked first: a benchmark of data with errors would time the error reports.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("validate", "build", "preview", "diff", "report", "periods")
MB = 1024 * 1024

# The targets, and why.
EXAMPLE_SECONDS = 1.0  # a clerk runs validate after every edit: it must feel instant
PARSE_RATIO = 1.0  # building values from events must cost no more than PyYAML's C loader alone
MS_PER_INDICATOR = 1.0  # CPU per indicator of a national-scale edition (122 indicators, 300 areas)
PEAK_RSS_MB = 2048  # the national edition must check on a small 2 GB CI runner
BUILD_RATIO = 1.5  # our rendering may add at most half of what the site engine itself costs
PAGE_KB = 100  # the largest page, charts included, on a phone's connection
FIRST_OPEN_GZ_KB = 150  # an indicator page opened first on a phone: everything it loads before any tap
DIFF_RATIO = 2.0  # comparing two editions may cost at most twice loading them
# The annual report is made once per edition (and in CI for a changed one): a national edition's
# report must still come back while a reviewer waits for the checks of a pull request.
REPORT_SECONDS = 60.0
REPORT_TASKS = 300  # the report's key-task list; the national 3000 tasks would be a 150-page annex
PREVIEW_EXAMPLE_SECONDS = 1.0  # a clerk saves a file and looks at the page: it must be there at once
PREVIEW_LARGE_SECONDS = 2.0  # the same at 1,000 indicators
REBUILDS_PER_SAVE = 1  # a save that rebuilds twice doubles the wait
SERVE_START_SECONDS = 900  # the first build under serve, before any save can be timed
QUARTERLY_RATIO = 1.5  # four quarterly reports per task may cost at most half again the yearly edition


@dataclass
class Figure:
    """One line of the table: a median, its target and whether it met it."""

    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None  # None: shown for information, no target
    # the 1-minute load average when the figure was taken: on a shared machine it says how far to trust it
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    def cells(self) -> tuple[str, str, str, str, str]:
        shown = f"{self.value:,.3g}" if abs(self.value) < 100 else f"{self.value:,.0f}"
        result = "" if self.ok is None else ("PASS" if self.ok else "FAIL")
        return self.name, f"{shown} {self.unit}".strip(), self.target, result, f"{self.load:.1f}"


# -- workers: each runs in its own process and prints one JSON object ----------------------

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def worker_check(data_dir: str) -> dict[str, Any]:
    """Check a data directory as `checkup validate` does."""
    from checkup.check import schema
    from checkup.check.validate import check_data

    result, wall, cpu = _timed(lambda: check_data(Path(data_dir)))
    rss = _peak_rss_mb()
    editions = result.editions.values()
    indicators = sum(len(e.indicators) for e in editions)
    values = sum(len(i.values) + sum(len(s) for s in i.by_area.values())
                 for e in editions for i in e.indicators.values())
    schema.fast_validator.cache_clear()  # compile once more, on its own, to show its share
    _, compile_wall, _ = _timed(lambda: [schema.fast_validator(n) for n in schema.SCHEMA_NAMES])
    return {"wall": wall, "cpu": cpu, "rss_mb": rss, "errors": len(result.errors),
            "first_error": result.errors[0].message if result.errors else "",
            "indicators": indicators, "values": values, "compile": compile_wall}


def worker_parse(data_dir: str) -> dict[str, Any]:
    """Only parse every YAML file with PyYAML's C loader: the yardstick for validation."""
    import yaml

    files = sorted(Path(data_dir).rglob("*.yaml"))

    def parse() -> None:
        for path in files:
            with open(path, encoding="utf-8") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader

    _, wall, cpu = _timed(parse)
    return {"wall": wall, "cpu": cpu, "files": len(files), "rss_mb": _peak_rss_mb()}


def worker_build(data_dir: str, site_dir: str) -> dict[str, Any]:
    """Build the site and find its largest page."""
    from checkup.site.build import build_site, engine_processes

    # synthetic editions are drafts, so the site is built as a preview: the same pages, marked as drafts
    built, wall, _ = _timed(lambda: build_site(Path(data_dir), Path(site_dir), preview=True))
    pages = [(p.stat().st_size, p) for p in Path(site_dir).rglob("*.html")]
    size, largest = max(pages) if pages else (0, Path(site_dir))
    indicator = sorted(Path(site_dir).glob("indicators/*/index.html"))
    return {"wall": wall, "pages": len(pages), "max_page": size,
            "first_open": first_open_gzip(Path(site_dir), indicator[0]) if indicator else 0,
            "render": getattr(built, "render_seconds", None), "engine": getattr(built, "engine_seconds", None),
            "largest": largest.relative_to(site_dir).as_posix() if pages else "", "processes": engine_processes()}


def worker_diff(data_dir: str) -> dict[str, Any]:
    """Load two editions, then diff them."""
    from checkup.check.validate import check_data
    from checkup.editions.diff import diff_editions

    result, load_wall, _ = _timed(lambda: check_data(Path(data_dir)))
    old, new = (result.editions[y] for y in sorted(result.editions)[-2:])
    diff, diff_wall, _ = _timed(lambda: diff_editions(old, new))
    return {"load": load_wall, "diff": diff_wall, "changes": len(diff.changes),
            "errors": len(result.errors)}


def worker_report(data_dir: str, year: str, out_dir: str) -> dict[str, Any]:
    """Check the data, then make and write one edition's report as `checkup report` does."""
    from checkup.report.build import write_report

    written, wall, _ = _timed(lambda: write_report(Path(data_dir), int(year), Path(out_dir)))
    return {"wall": wall, "pages": written.pages, "size": written.pdf.stat().st_size,
            "rss": _peak_rss_mb()}


def first_open_gzip(site: Path, page: Path) -> int:
    """Sum the gzipped bytes a first visit to this page loads before the reader does anything.

    Counted from the files, as a compressing server would send them: the page, the
    scripts and stylesheets it links, the theme's search worker, the search index
    unless the page holds it back until search is used, and plotly.js if a chart on
    the page is drawn when it opens (one drawn at build time as SVG is not).
    """
    text = page.read_text(encoding="utf-8")
    files = [site / urllib.parse.urljoin(page.relative_to(site).as_posix(), ref)
             for ref in re.findall(r'<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"#?]+)', text)]
    files += sorted(site.glob("assets/javascripts/workers/search.*.min.js"))
    if "search-on-demand.js" not in text:
        files.append(site / "search" / "search_index.json")
    if 'class="ck-chart"' in text:  # a chart container without a static drawing
        files.append(site / "assets" / "plotly-basic.min.js")
    sizes = [len(gzip.compress(f.read_bytes(), 6)) for f in files if f.is_file()]
    return len(gzip.compress(text.encode("utf-8"), 6)) + sum(sizes)


def worker_events(data_dir: str) -> dict[str, Any]:
    """Only let libyaml produce the events of every file, building nothing: validation's floor in C."""
    import yaml

    files = sorted(Path(data_dir).rglob("*.yaml"))

    def events() -> None:
        for path in files:
            with open(path, encoding="utf-8") as f:
                for _ in yaml.parse(f, Loader=yaml.CSafeLoader):  # noqa: S506 - events only
                    pass

    _, wall, cpu = _timed(events)
    return {"wall": wall, "cpu": cpu}


WORKERS: dict[str, Callable[..., dict[str, Any]]] = {
    "check": worker_check, "parse": worker_parse, "events": worker_events, "build": worker_build,
    "diff": worker_diff, "report": worker_report,
}


def run_worker(name: str, *args: str) -> dict[str, Any]:
    """Run one worker in a fresh interpreter and return what it measured."""
    done = subprocess.run([sys.executable, __file__, "--worker", name, *args], capture_output=True,
                          text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"worker {name} failed:\n{done.stderr.strip()[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_timed(command: list[str], cwd: Path) -> float:
    """Run a command and return its wall time."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: validate found errors, reported by the caller
        raise SystemExit(f"{' '.join(command)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return wall


# -- the parts ---------------------------------------------------------------------------------

def median(items: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(i[key]) for i in items)


def bench_validate(args: argparse.Namespace, work: Path) -> list[Figure]:
    from checkup.synth import write_synthetic_data

    figures: list[Figure] = []
    example = ROOT / "data"
    if any(example.glob("[0-9][0-9][0-9][0-9]")):
        checks = [run_worker("check", str(example)) for _ in range(args.runs)]
        command = [sys.executable, "-c", "from checkup.cli import main; main()", "validate", str(example)]
        commands = [run_timed(command, ROOT) for _ in range(args.runs)]
        figures += [
            Figure("validate example data: check_data", median(checks, "wall"), "s",
                   f"< {EXAMPLE_SECONDS:g} s", median(checks, "wall") < EXAMPLE_SECONDS),
            Figure("validate example data: whole command", statistics.median(commands), "s",
                   f"< {EXAMPLE_SECONDS:g} s", statistics.median(commands) < EXAMPLE_SECONDS),
        ]
        if checks[0]["errors"]:
            print(f"note: the example data have {checks[0]['errors']} errors", file=sys.stderr)
    else:
        print("skipped the example data: data/ has no edition yet", file=sys.stderr)

    national = work / "national"
    _, made, _ = _timed(lambda: write_synthetic_data(national, **_sizes(args), seed=args.seed))
    label = f"synthetic {args.areas}×{args.indicators}×{args.years}"
    pairs = []
    for _ in range(args.runs):
        parsed = run_worker("parse", str(national))
        events = run_worker("events", str(national))
        checked = run_worker("check", str(national))
        if checked["errors"]:
            raise SystemExit(f"the synthetic data do not validate: {checked['first_error']}")
        pairs.append({**{f"check_{k}": v for k, v in checked.items()}, "parse_wall": parsed["wall"],
                      "ratio": checked["wall"] / parsed["wall"], "events_wall": events["wall"],
                      "floor_ratio": checked["wall"] / events["wall"]})
    ratio = median(pairs, "ratio")
    per_indicator = statistics.median(p["check_cpu"] * 1000 / p["check_indicators"] for p in pairs)
    rss = median(pairs, "check_rss_mb")
    values = pairs[0]["check_values"]
    figures += [
        Figure(f"{label}: {values:,} values written in", made, "s"),
        Figure(f"{label}: validate (check_data)", median(pairs, "check_wall"), "s"),
        Figure(f"{label}: parse only (CSafeLoader)", median(pairs, "parse_wall"), "s"),
        Figure(f"{label}: validate / parse", ratio, "", f"<= {PARSE_RATIO:g}",
               ratio <= PARSE_RATIO),
        Figure(f"{label}: libyaml events only (the floor)", median(pairs, "events_wall"), "s"),
        Figure(f"{label}: validate / libyaml events", median(pairs, "floor_ratio"), ""),
        Figure(f"{label}: CPU per indicator", per_indicator, "ms", f"< {MS_PER_INDICATOR:g} ms",
               per_indicator < MS_PER_INDICATOR),
        Figure(f"{label}: CPU per value",
               statistics.median(p["check_cpu"] * 1e6 / max(1, p["check_values"]) for p in pairs), "µs"),
        Figure(f"{label}: schema compile share", median(pairs, "check_compile") * 1000, "ms"),
        Figure(f"{label}: peak RSS", rss, "MB", f"< {PEAK_RSS_MB:,} MB", rss < PEAK_RSS_MB),
    ]
    return figures


def bench_build(args: argparse.Namespace, work: Path) -> list[Figure]:
    try:
        from checkup.site.build import build_site  # noqa: F401 - only asks whether it exists yet
    except ImportError:
        print("skipped the build: checkup.site.build.build_site is not there yet", file=sys.stderr)
        return []
    from checkup.synth import write_synthetic_data

    data = write_synthetic_data(work / "build-data", areas=args.build_areas, indicators=args.build_indicators,
                                years=args.years, tasks=args.build_tasks, problems=args.build_problems,
                                seed=args.seed)
    plain = work / "plain-site"
    _write_plain_pages(plain, args.build_indicators)
    engine = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", str(plain / "mkdocs.yml")]
    pairs = []
    for run in range(args.runs):
        built = run_worker("build", str(data), str(work / f"site-{run}"))
        baseline = run_timed(engine, plain)
        pairs.append({**built, "baseline": baseline, "ratio": built["wall"] / baseline})
    ratio = median(pairs, "ratio")
    page_kb = pairs[0]["max_page"] / 1024
    first_kb = pairs[0]["first_open"] / 1024
    split = []
    if all(p["render"] is not None and p["engine"] is not None for p in pairs):
        split = [Figure("site: of which rendering the pages", median(pairs, "render"), "s"),
                 Figure("site: of which mkdocs on the rendered pages", median(pairs, "engine"), "s")]
    return [
        Figure(f"site, {args.build_indicators:,} indicators: checkup build ({pairs[0]['processes']} engine processes)",
               median(pairs, "wall"), "s"),
        *split,
        Figure(f"site, {args.build_indicators:,} plain pages: mkdocs-material alone",
               median(pairs, "baseline"), "s"),
        Figure("site: build / mkdocs alone", ratio, "", f"<= {BUILD_RATIO:g}", ratio <= BUILD_RATIO),
        Figure(f"site: largest page ({pairs[0]['largest']})", page_kb, "KB", f"< {PAGE_KB} KB",
               page_kb < PAGE_KB),
        Figure("site: an indicator page opened first, all it loads (gzip)", first_kb, "KB",
               f"<= {FIRST_OPEN_GZ_KB} KB", first_kb <= FIRST_OPEN_GZ_KB),
    ]


def bench_diff(args: argparse.Namespace, work: Path) -> list[Figure]:
    try:
        from checkup.editions.diff import diff_editions  # noqa: F401 - only asks whether it exists yet
    except ImportError:
        print("skipped the diff: checkup.editions.diff.diff_editions is not there yet", file=sys.stderr)
        return []
    from checkup.synth import write_synthetic_data

    data = write_synthetic_data(work / "two-editions", **_sizes(args), editions=2, seed=args.seed)
    runs = [run_worker("diff", str(data)) for _ in range(args.runs)]
    if runs[0]["errors"]:
        raise SystemExit("the synthetic editions do not validate")
    for run in runs:
        run["ratio"] = run["diff"] / run["load"]
    ratio = median(runs, "ratio")
    return [
        Figure("two national editions: load both (check_data)", median(runs, "load"), "s"),
        Figure(f"two national editions: diff ({runs[0]['changes']:,} changes)", median(runs, "diff"), "s"),
        Figure("two national editions: diff / load", ratio, "", f"<= {DIFF_RATIO:g}", ratio <= DIFF_RATIO),
    ]


def bench_report(args: argparse.Namespace, work: Path) -> list[Figure]:
    from checkup.synth import write_synthetic_data

    data = write_synthetic_data(work / "report-edition", **{**_sizes(args), "tasks": REPORT_TASKS}, seed=args.seed)
    year = max(int(p.name) for p in data.iterdir())
    _write_report_chapters(data / str(year), sorted(p.stem for p in (data / str(year) / "indicators").iterdir()))
    figures = []
    for label, folder, edition in (("example edition", ROOT / "data", "2023"),
                                   (f"synthetic edition ({args.indicators} indicators, {REPORT_TASKS} tasks)",
                                    data, str(year))):
        runs = [run_worker("report", str(folder), edition, str(work / f"report-{i}")) for i in range(args.runs)]
        wall = median(runs, "wall")
        figures += [
            Figure(f"{label}: checkup report", wall, "s", f"<= {REPORT_SECONDS:g}", wall <= REPORT_SECONDS),
            Figure(f"{label}: PDF pages", runs[0]["pages"], ""),
            Figure(f"{label}: PDF size", runs[0]["size"] / MB, "MB"),
        ]
    return figures


def bench_preview(args: argparse.Namespace, work: Path) -> list[Figure]:
    """Time save -> new page under `mkdocs serve --dirty`, as `make serve` runs it."""
    from checkup.synth import write_synthetic_data

    example = work / "preview-example"
    shutil.copytree(ROOT / "data", example)
    _make_latest_editable(example)
    large = write_synthetic_data(work / "preview-large", areas=args.build_areas, indicators=args.preview_indicators,
                                 years=args.years, tasks=args.build_tasks, problems=args.build_problems,
                                 seed=args.seed)
    figures = []
    for label, data, target in (("example site", example, PREVIEW_EXAMPLE_SECONDS),
                                (f"{args.preview_indicators:,} indicators", large, PREVIEW_LARGE_SECONDS)):
        waits, rebuilds = preview_waits(data, work / f"docs-{data.name}", args.runs)
        wait = statistics.median(waits)
        figures += [
            Figure(f"preview, {label}: save -> new page on disk (serve --dirty)", wait, "s", f"<= {target:g} s",
                   wait <= target),
            Figure(f"preview, {label}: rebuilds per save", rebuilds, "", f"= {REBUILDS_PER_SAVE}",
                   rebuilds == REBUILDS_PER_SAVE),
        ]
    return figures


def _write_report_chapters(folder: Path, indicators: list[str]) -> None:
    """Write a general report that cites every indicator, and a special report with a chart."""
    general, special = folder / "report" / "general", folder / "report" / "special"
    general.mkdir(parents=True)
    special.mkdir(parents=True)
    front = "---\nchapter: {n}\ntitle: {title}\ndomain: 总体\ndepartment: {dept}\n---\n"
    from checkup.synth import DEPARTMENTS

    dept = DEPARTMENTS[0][0]
    cites = "\n".join(f"- {{{{指标:{i}:名称}}}}为{{{{指标:{i}:数值}}}}，{{{{指标:{i}:状态}}}}。" for i in indicators)
    (general / "01.md").write_text(front.format(n=1, title="总体情况", dept=dept) + "## 指标\n\n" + cites + "\n",
                                   "utf-8")
    (special / "01.md").write_text(front.format(n=1, title="专项", dept=dept) + f"{{{{指标:{indicators[0]}:图}}}}\n",
                                   "utf-8")


def _make_latest_editable(data: Path) -> None:
    """Turn the example's latest (published, frozen) edition back into a draft a clerk may edit."""
    latest = max(p for p in data.iterdir() if p.name.isdigit())
    edition = latest / "edition.yaml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("status: published", "status: draft"),
                       encoding="utf-8")
    (latest / "manifest.json").unlink(missing_ok=True)


def preview_waits(data: Path, docs: Path, runs: int) -> tuple[list[float], float]:
    """Serve data, edit one indicator's definition `runs` times; return the waits and rebuilds per save."""
    latest = max(p for p in data.iterdir() if p.name.isdigit())
    record = sorted((latest / "indicators").glob("*.yaml"))[0]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    page = f"{base}indicators/{record.stem}/"
    # the indicator's page shows the edited definition, or (when a preview's indicator pages show
    # the last complete edition) the edition's changes page does
    pages = (page, f"{base}changes/")
    env = dict(os.environ, CHECKUP_DATA_DIR=str(data), CHECKUP_DOCS_DIR=str(docs), NO_MKDOCS_2_WARNING="1",
               CHECKUP_PREVIEW="1")  # the edited edition is a draft, as a clerk's is
    docs.mkdir(parents=True, exist_ok=True)
    log = docs.with_suffix(".log")
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}",
                                   "-f", str(ROOT / "mkdocs.yml")], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
        try:
            _wait_for((page,), None, SERVE_START_SECONDS, server)
            builds_before = _builds(log)
            waits = []
            for run in range(runs):
                marker = f"（预览计时第{run + 1}次）"
                text = record.read_text(encoding="utf-8")
                text = re.sub(r"^(definition: .*?)(（预览计时第\d+次）)?$", lambda m, k=marker: m.group(1) + k,
                              text, count=1, flags=re.M)
                started = time.perf_counter()
                record.write_text(text, encoding="utf-8")
                _wait_for(pages, marker, SERVE_START_SECONDS, server)
                waits.append(time.perf_counter() - started)
                time.sleep(1.0 + waits[-1])  # long enough for a second rebuild to show, if there is one
            rebuilds = (_builds(log) - builds_before) / runs
        finally:
            server.terminate()
            server.wait(timeout=30)
    return waits, rebuilds


def _builds(log: Path) -> int:
    return log.read_text(encoding="utf-8").count("Building documentation...")


def _wait_for(urls: tuple[str, ...], marker: str | None, timeout: float, server: subprocess.Popen[bytes]) -> None:
    """Wait until one of the pages is served (and, given a marker, shows it)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit {server.returncode}); see its log next to {urls[0]}")
        for url in urls:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own local server
                    if marker is None or marker in response.read().decode("utf-8"):
                        return
            except OSError:
                pass
        time.sleep(0.02)
    raise SystemExit(f"{' or '.join(urls)} did not show the change within {timeout:g} s")


def bench_periods(args: argparse.Namespace, work: Path) -> list[Figure]:
    """Validate the same edition with yearly progress only, and with four quarters' reports as well."""
    from checkup.synth import write_synthetic_data

    yearly = write_synthetic_data(work / "yearly", **_sizes(args), seed=args.seed)
    quarterly = write_synthetic_data(work / "quarterly", **_sizes(args), seed=args.seed, quarterly=True)
    pairs = []
    for _ in range(args.runs):
        plain = run_worker("check", str(yearly))
        inyear = run_worker("check", str(quarterly))
        if plain["errors"] or inyear["errors"]:
            raise SystemExit(f"the synthetic data do not validate: {plain['first_error'] or inyear['first_error']}")
        pairs.append({"yearly": plain["wall"], "quarterly": inyear["wall"], "ratio": inyear["wall"] / plain["wall"]})
    ratio = median(pairs, "ratio")
    label = f"synthetic {args.tasks:,} tasks"
    return [
        Figure(f"{label}: validate, yearly progress", median(pairs, "yearly"), "s"),
        Figure(f"{label}: validate, with quarterly progress", median(pairs, "quarterly"), "s"),
        Figure(f"{label}: quarterly / yearly", ratio, "", f"<= {QUARTERLY_RATIO:g}", ratio <= QUARTERLY_RATIO),
    ]


def _sizes(args: argparse.Namespace) -> dict[str, int]:
    return {"areas": args.areas, "indicators": args.indicators, "years": args.years, "tasks": args.tasks,
            "problems": args.problems}


def _write_plain_pages(folder: Path, count: int) -> None:
    """Write the engine's yardstick: as many small pages, a short navigation, the same theme."""
    docs = folder / "docs" / "indicators"
    docs.mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text("# 首页\n\n[指标一览](indicators/index.md)\n", encoding="utf-8")
    links = "\n".join(f"- [指标 {i}](p{i:05d}.md)" for i in range(count))
    (docs / "index.md").write_text(f"# 指标一览\n\n{links}\n", encoding="utf-8")
    rows = "".join(f"| {2014 + y} | {10 + y * 0.5:.1f} |\n" for y in range(10))
    for i in range(count):
        text = f"# 指标 {i}\n\n第 {i} 项指标的含义和计算方法。\n\n| 年份 | 数值 |\n|---|---|\n{rows}"
        (docs / f"p{i:05d}.md").write_text(text, encoding="utf-8")
    # a short navigation, as the real site has: the pages are reached from the index
    (folder / "mkdocs.yml").write_text(
        "site_name: 基准\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "nav:\n  - index.md\n  - indicators/index.md\nmarkdown_extensions:\n  - tables\n", encoding="utf-8")


# -- the command ----------------------------------------------------------------------------------

def print_table(figures: list[Figure]) -> None:
    rows = [("figure", "median", "target", "result", "load"), *(f.cells() for f in figures)]
    widths = [max(_width(r[i]) for r in rows) for i in range(5)]
    for n, row in enumerate(rows):
        print("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)  # CJK characters take two columns


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=122)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--problems", type=int, default=1000)
    parser.add_argument("--build-indicators", type=int, default=5000)
    parser.add_argument("--build-areas", type=int, default=5)
    parser.add_argument("--build-tasks", type=int, default=300)
    parser.add_argument("--build-problems", type=int, default=100)
    parser.add_argument("--preview-indicators", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=",".join(PARTS),
                        help="comma-separated: validate,build,preview,diff,report,periods")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its target")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(PARTS)
    if unknown:
        parser.error(f"--only takes {', '.join(PARTS)}; not {', '.join(sorted(unknown))}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        name, *rest = args.worker
        print(json.dumps(WORKERS[name](*rest)))
        return 0
    chosen = args.only.split(",")
    started = time.perf_counter()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="checkup-bench-") as tmp:
        for part, bench in (("validate", bench_validate), ("build", bench_build), ("preview", bench_preview),
                            ("diff", bench_diff), ("report", bench_report),
                            ("periods", bench_periods)):
            if part in chosen:
                figures += bench(args, Path(tmp))
    meta = {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()[0],
            "runs": args.runs, **_sizes(args), "seconds": time.perf_counter() - started}
    if args.json:
        print(json.dumps({"meta": meta, "figures": [asdict(f) for f in figures]}, ensure_ascii=False,
                         indent=2))
    else:
        print(f"median of {args.runs} run(s); Python {meta['python']}, {meta['cpus']} CPUs, "
              f"load {meta['load']:.1f} at the end (the load column: when each figure was taken); "
              f"{meta['seconds']:.0f} s in all")
        print_table(figures)
    missed = [f for f in figures if f.ok is False]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
