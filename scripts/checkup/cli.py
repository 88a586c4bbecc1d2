"""The `checkup` command: a thin layer over the library.

Exit codes: 0 all good, 1 the data have errors (or, for diff, there are
changes), 2 the command was used wrongly.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import IO, Any

import click

from . import paths
from .findings import format_json, format_text
from .forked import CopyDied

_PATH_KINDS = {"file": "文件", "directory": "文件夹", "path": "路径"}
_PATH_FAULTS = {"does not exist": "不存在", "is a file": "是一个文件，这里要的是文件夹",
                "is a directory": "是一个文件夹，这里要的是文件", "is not readable": "读不了（没有读取权限）",
                "is not writable": "写不了（没有写入权限）", "is not executable": "不能执行"}
_PATH_MESSAGE = re.compile(rf"^(file|directory|path) '(.*)' ({'|'.join(_PATH_FAULTS)})\.$", re.DOTALL | re.IGNORECASE)
_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.DOTALL)


def _maybe(possibilities: list[str] | None) -> str:
    return f"你是不是要写 {'、'.join(possibilities)}？" if possibilities else ""


def _name(param: click.Parameter | None) -> str:
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name if param is not None else "参数"


def in_chinese(error: click.UsageError) -> str:
    """Say what click found wrong with a command line in Chinese; our own messages already are."""
    if isinstance(error, click.exceptions.NoSuchCommand):
        return f"没有“{error.command_name}”这个命令。{_maybe(error.possibilities)}"
    if isinstance(error, click.NoSuchOption):
        return f"没有 {error.option_name} 这个选项。{_maybe(error.possibilities)}"
    if isinstance(error, click.BadOptionUsage):
        if "does not take a value" in error.message:
            return f"选项 {error.option_name} 后面不用写值，去掉“=”和后面的内容。"
        return f"选项 {error.option_name} 后面要写上它的值。"
    if isinstance(error, click.MissingParameter):
        kind = "参数" if isinstance(error.param, click.Argument) else "选项"
        return f"缺少{kind} {_name(error.param)}：写法见上面的用法。"
    if isinstance(error, click.BadParameter):
        name = _name(error.param)
        if error.param is not None and isinstance(error.param.type, click.Choice):
            return f"{name} 只能写 {'、'.join(map(str, error.param.type.choices))} 中的一个。"
        if error.param is not None and isinstance(error.param.type, click.types.IntParamType):
            return f"{name} 要写一个整数，例如 2024。"
        found = _PATH_MESSAGE.match(error.message)
        if found:
            kind, where, fault = found.groups()
            return f"{name}：{_PATH_KINDS[kind.lower()]}“{where}”{_PATH_FAULTS[fault]}。"
        return f"{name} 的值不对：{error.message}"
    extra = _EXTRA_ARGUMENTS.match(error.message)
    if extra:
        return f"多写了参数：{extra.group(1)}。这个命令用不到它们，写法见上面的用法。"
    if error.message == "Missing command.":
        return "缺少命令：在 checkup 后面写上要做的事，例如 checkup validate。"
    return error.message


class ChineseUsageError(click.UsageError):
    """A wrong command line, shown as the usage, where to find help and what is wrong, all in Chinese."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(in_chinese(error), error.ctx)

    def show(self, file: IO[Any] | None = None) -> None:
        lines = []
        if self.ctx is not None:
            lines += [self.ctx.get_usage(), f"查看帮助：{self.ctx.command_path} --help"]
        lines.append(f"错误：{self.message}")
        click.echo("\n".join(lines), file=file or sys.stderr)


class ChineseHelp(click.HelpFormatter):
    HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))


class ChineseContext(click.Context):
    formatter_class = ChineseHelp


def _value_word(kind: click.ParamType) -> str:
    if isinstance(kind, click.Path):
        return "文件夹" if not kind.file_okay else "文件" if not kind.dir_okay else "路径"
    if isinstance(kind, click.types.IntParamType):
        return "整数"
    if isinstance(kind, click.types.FloatParamType):
        return "数字"
    if isinstance(kind, click.Choice):
        return "|".join(map(str, kind.choices))
    return "文字"


class CheckupCommand(click.Command):
    """A command whose help, usage and help option's own line speak Chinese; the group is one too."""

    context_class: type[click.Context] = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        if isinstance(self, click.Group):
            kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)
        for param in self.params:  # what an option's value is, in Chinese: --site 文件夹, not DIRECTORY
            if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
                param.metavar = _value_word(param.type)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option


class CheckupGroup(CheckupCommand, click.Group):
    """The command group: a failed machine or a bug ends in a Chinese message; a traceback only with --debug."""

    command_class = CheckupCommand

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise  # the help itself, already in Chinese
        except click.UsageError as error:
            raise ChineseUsageError(error) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (ChineseUsageError, click.exceptions.NoArgsIsHelpError):
            raise
        except click.UsageError as error:
            raise ChineseUsageError(error) from None
        except (click.Abort, KeyboardInterrupt):  # every write goes through a temporary file and a rename
            click.echo("已中止。没有留下写了一半的文件。", err=True)
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit):
            raise
        except CopyDied as error:  # the machine, not the program: its message says what to do
            if ctx.params.get("debug"):
                raise
            click.echo(f"错误：{error}", err=True)
            ctx.exit(1)
        except OSError as error:  # a full disk, a read-only folder, a refused link
            if ctx.params.get("debug"):
                raise
            from .atomic import explain, is_misuse

            click.echo(f"错误：{explain(error).rstrip('。')}。", err=True)
            ctx.exit(2 if is_misuse(error) else 1)
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"内部错误（{type(error).__name__}）：{error}\n这是程序的缺陷，不是数据的问题；"
                       "请在命令前加 --debug 重新运行（checkup --debug ...），把输出报告给维护者。", err=True)
            ctx.exit(1)
        return None


@click.group(cls=CheckupGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="checkup", message="%(prog)s 版本 %(version)s",
                      help="显示版本号并退出。")
@click.option("--debug", is_flag=True, help="出错时显示 Python 的完整调用栈（供维护者排查）。")
def main(debug: bool) -> None:
    """城市体检评估结果发布工具：检查数据、评估并生成公开网站。"""


@main.command()
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=paths.WORKING_DATA_DIR)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text 给人读；json 给程序读。")
@click.option("--strict", is_flag=True, help="把警告也当作错误。")
def validate(data_dir: Path, fmt: str, strict: bool) -> None:
    """检查 DATA_DIR（默认 data/）下每个年度版本的数据。"""
    from .check.validate import check_data

    result = check_data(data_dir)
    if not result.raw:
        click.echo(f"错误：{data_dir} 中没有年度版本文件夹，没有检查任何数据。"
                   "版本文件夹以四位数字的年份命名，例如 2024/；用 checkup new-edition 新建。", err=True)
        sys.exit(1)
    click.echo(format_json(result.findings) if fmt == "json" else format_text(result.findings))
    sys.exit(1 if result.failed(strict) else 0)


@main.command()
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=paths.WORKING_DATA_DIR)
@click.option("--edition", "year", type=int, help="年度版本，默认最新的版本。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text 给人读；json 给程序读。")
def assess(data_dir: Path, year: int | None, fmt: str) -> None:
    """列出一个年度版本每项指标、任务、问题和满意度维度的评估结果、所用数值和判定规则。"""
    from .assess import assess_edition
    from .assess.report import render_assessment_json, render_assessment_text
    from .check.validate import check_data

    result = check_data(data_dir)
    if not result.editions:
        click.echo(format_text(result.errors) if result.errors else "错误：没有可以评估的年度版本。", err=True)
        sys.exit(1)
    chosen = year if year is not None else max(result.editions)
    if chosen not in result.editions:
        have = "、".join(str(y) for y in sorted(result.editions))
        click.echo(f"错误：没有可以评估的 {chosen} 年版本（有：{have}）。", err=True)
        if any(f.file.startswith(f"{data_dir.as_posix().rstrip('/')}/{chosen}/") for f in result.errors):
            click.echo(format_text(result.errors), err=True)
        sys.exit(2)
    edition = result.editions[chosen]
    assessed = assess_edition(edition)
    click.echo(render_assessment_json(edition, assessed) if fmt == "json"
               else render_assessment_text(edition, assessed), nl=fmt == "json")


# -- comparing and publishing editions ------------------------------------------------------

FAIL_ON = ("removals", "revisions-without-note", "definition-changes")  # diff.GATES, listed without importing


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              help="text 给人读；markdown 用作合并请求的评论；json 给程序读。")
@click.option("--fail-on", "gates", multiple=True, type=click.Choice(FAIL_ON),
              help="只在出现这类变化时以 1 退出（可多次使用），供持续集成把关。")
@click.option("--no-status", is_flag=True, help="不比较评估状态（更快）。")
@click.option("--limit", type=click.IntRange(min=1000), default=None,
              help="Markdown 的最大字符数，默认 60000（一条评论的上限以内）。")
def diff(old: str, new: str | None, fmt: str, gates: tuple[str, ...], no_status: bool,
         limit: int | None) -> None:
    """比较两个年度版本，按审阅的先后列出变化。

    OLD 和 NEW 是版本文件夹（data/2023），或“git 版本:路径”（main:data/2023、HEAD~1:data/2023）。
    只给 OLD 时，与工作区中的同一文件夹比较。退出码：0 没有变化，1 有变化，2 出错。
    """
    from .editions.diff import diff_editions
    from .editions.diff_report import MARKDOWN_LIMIT, render_json, render_markdown, render_text
    from .editions.gitsource import SourceError, load_source, worktree_of

    try:
        new = new or worktree_of(old)
        before, after = load_source(old), load_source(new)
    except SourceError as exc:
        click.echo(f"错误：{exc}", err=True)
        if exc.findings:
            click.echo(format_text(exc.findings), err=True)
        sys.exit(2)
    result = diff_editions(before, after, old_label=old, new_label=new, statuses=not no_status)
    if fmt == "markdown":
        click.echo(render_markdown(result, limit or MARKDOWN_LIMIT), nl=False)
    else:
        click.echo(render_json(result) if fmt == "json" else render_text(result))
    sys.exit(int(result.fails(gates)) if gates else int(not result.empty))


@main.command()
@click.argument("year", type=int)
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.WORKING_DATA_DIR, help="数据文件夹，默认 data/。")
@click.option("--correction", is_flag=True,
              help="已发布版本登记更正后，核对每个改动的文件都已登记，再重新生成发布清单。")
def publish(year: int, data_dir: Path, correction: bool) -> None:
    """发布 YEAR 年版本：标为已发布，并写出列有每个数据文件 SHA-256 的发布清单 manifest.json。"""
    from .editions.publish import EditionError, publish_edition

    try:
        done = publish_edition(data_dir, year, correction=correction)
    except EditionError as exc:
        click.echo(f"错误：{exc}", err=True)
        if exc.findings:
            click.echo(format_text(exc.findings), err=True)
        sys.exit(1)
    if done.warnings:
        click.echo(format_text(list(done.warnings)))
    if done.first:
        click.echo(f"已发布 {year} 年版本（发布日期 {done.published_on}）。")
    if done.recorded_rules:
        click.echo("已写入本版本的评估规则 rules.yaml，随发布清单封存。")
    if done.sealed:
        click.echo(f"已确认 {len(done.sealed)} 条更正：{'；'.join(done.sealed)}。")
    click.echo(f"发布清单 {_relative(done.manifest)} 列出 {done.files} 个数据文件。")


@main.command()
@click.argument("year", type=int)
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.WORKING_DATA_DIR, help="数据文件夹，默认 data/。")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="写入报告 PDF、附件表格和 SHA256SUMS 的文件夹，默认 build/report/YEAR/。")
def report(year: int, data_dir: Path, out_dir: Path | None) -> None:
    """生成 YEAR 年度体检评估报告（“1+1+6”：总报告、专项报告和六个附件）的可打印 PDF。"""
    _require_report_extra()
    from .report.build import ReportError, write_report

    target = out_dir or paths.REPORT_OUT_DIR / str(year)
    try:
        done = write_report(data_dir, year, target)
    except ReportError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    draft = "（草稿，带“草稿”水印）" if done.draft else ""
    click.echo(f"已生成 {year} 年度体检评估报告{draft}：{_relative(done.pdf)}（{done.pages} 页），"
               f"另有 {len(done.files)} 个附件表格和 SHA256SUMS。")


@main.command("new-edition")
@click.argument("year", type=int)
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.WORKING_DATA_DIR, help="数据文件夹，默认 data/。")
def new_edition_command(year: int, data_dir: Path) -> None:
    """从最近一个年度版本复制出 YEAR 年的草稿版本，保留指标数值、任务进展和问题清单。"""
    from .editions.newedition import new_edition
    from .editions.publish import EditionError

    try:
        made = new_edition(data_dir, year)
    except EditionError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    click.echo(f"已从 {made.source} 年版本新建 {year} 年草稿版本 {_relative(made.folder)}，"
               f"复制 {made.copied} 个文件。")
    chapters = [rel for rel in made.dropped if rel.startswith(paths.REPORT_FOLDER + "/")]
    others = [rel for rel in made.dropped if rel not in chapters]
    if others:
        click.echo(f"没有复制：{'、'.join(others)}（发布清单和社会满意度调查每年重新生成和填写）。")
    if chapters:
        click.echo(f"没有复制 {len(chapters)} 个年度报告章节（{paths.REPORT_FOLDER}/ 下的报告文字每年重新撰写）。")


# -- department staff: spreadsheets, formatting, review owners ------------------------------
PRINTED_FINDINGS = 50  # a workbook with thousands of faults is refused by the first ones; the rest are counted
_DATA_DIR_OPTION = click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                                default=paths.WORKING_DATA_DIR, help="数据目录，默认 data/。")


@main.command("export-template")
@click.option("--department", help="部门编号，例如 ZJW；不写时导出全部部门。")
@click.option("--edition", "year", type=int, help="年度版本，默认最新的版本。")
@_DATA_DIR_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="工作簿文件名。")
@click.option("--period", "period_text", help="年内报告期，例如 2024-Q2、2024-H1、2024-06：只开放这一期的单元格。")
def export_template(department: str | None, year: int | None, data_dir: Path, output: Path | None,
                    period_text: str | None) -> None:
    """导出部门填报表（.xlsx）：指标数值、任务进展和问题整改，只有本年度（或 --period 这一期）的单元格可以填写。"""
    from .periods import PeriodError, parse_period
    from .staff.sheets import TemplateError
    from .staff.sheets import export_template as export

    if output is not None and not output.absolute().parent.is_dir():
        raise click.UsageError(f"文件夹 {output.parent} 不存在；先建好它，或换一个已有的文件夹。")
    try:
        period = parse_period(period_text) if period_text else None
    except PeriodError as exc:
        raise click.UsageError(f"报告期“{period_text}”的写法不对：写成 2024-Q2、2024-H1 或 2024-06。") from exc
    try:
        made = export(data_dir, department, year, output, period)
    except TemplateError as exc:
        raise click.UsageError(str(exc)) from exc
    if made.path is None:
        click.echo(format_text(made.findings))
        click.echo("数据有错误，没有导出填报表；请先修正。", err=True)
        sys.exit(1)
    rows = "、".join(f"{s.name} {len(s.rows)} 行" for s in made.sheets) or "没有需要填写的内容"
    click.echo(f"已导出 {made.path}：{rows}。")


@main.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DATA_DIR_OPTION
@click.option("--dry-run", is_flag=True, help="只检查，不写入数据文件。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text 给人读；json 给程序读。")
def import_workbook(workbook: Path, data_dir: Path, dry_run: bool, fmt: str) -> None:
    """把填好的填报表导入数据文件；有任何错误时一个文件也不改。"""
    from .staff.sheetimport import import_workbook as run_import

    result = run_import(workbook, data_dir, write=not dry_run)
    if fmt == "json":
        click.echo(format_json(result.findings))
    elif result.findings:
        click.echo(format_text(result.findings, limit=PRINTED_FINDINGS))
    if fmt == "text" and result.ok:
        if not result.changed:
            click.echo("填报表与现有数据一致，没有需要导入的改动。")
        else:
            verb = "将改动" if dry_run else "已改动"
            click.echo(f"{verb} {len(result.changed)} 个文件：\n" + "\n".join(f"  {p}" for p in result.changed))
    elif fmt == "text":
        click.echo("没有导入：请按上面的提示修改填报表后重新导入。", err=True)
    sys.exit(0 if result.ok else 1)


@main.command("fmt")
@click.argument("targets", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="只列出格式不规范的文件，不修改；有这样的文件时退出码为 1。")
def format_files(targets: tuple[Path, ...], check: bool) -> None:
    """把 YAML 数据文件整理成统一格式（默认 data/）；保留注释，不改变任何值。"""
    from .staff.fmt import format_paths

    results = format_paths(targets or (paths.WORKING_DATA_DIR,), write=not check, shown=_relative)
    changed = [r.file for r in results if r.changed]
    for name in changed:
        click.echo(("格式不规范：" if check else "已整理：") + name)
    broken = [f for r in results for f in r.findings]
    if broken:
        click.echo(format_text(broken))
    frozen = sum(r.frozen for r in results)
    count = len(results) - frozen
    if check:
        tail = "运行 checkup fmt 整理。" if changed else ""
        click.echo(f"共 {count} 个文件，{len(changed)} 个格式不规范。{tail}")
    else:
        click.echo(f"共 {count} 个文件，整理了 {len(changed)} 个。")
    if frozen:
        click.echo(f"另有 {frozen} 个文件属于已发布的版本，数据冻结，没有{'检查' if check else '整理'}。")
    sys.exit(1 if broken or (check and changed) else 0)


@main.command()
@_DATA_DIR_OPTION
@click.option("--map", "team_map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path(".github") / "department-teams.example.yaml",
              help="部门编号与 GitHub 团队的对应表（YAML）。")
def codeowners(data_dir: Path, team_map: Path) -> None:
    """打印 CODEOWNERS：最新版本的每个数据文件由其责任部门的团队审核。"""
    from .staff.codeowners import TeamMapError, build_codeowners, read_team_map

    try:
        owners = build_codeowners(data_dir, read_team_map(team_map), _in_repo(data_dir))
    except TeamMapError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(owners.text, nl=False)
    if owners.unmapped:
        click.echo(f"警告：这些部门没有对应的团队，由默认团队审核：{'、'.join(sorted(owners.unmapped))}",
                   err=True)


def _in_repo(path: Path) -> str:
    """Name a folder as CODEOWNERS does: from the repository root, where the command runs."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def _relative(path: Path) -> str:
    """Show a path from the current folder when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# The `site` extra's modules. The core (validate, diff, publish, fmt, spreadsheets) runs
# without them, so a pre-commit hook or a department's laptop does not install a site engine.
SITE_MODULES = ("mkdocs", "material", "jieba")
SITE_EXTRA_HINT = "pip install 'checkup[site]'"


def _require_site_extra() -> None:
    """Exit with a usage error, in Chinese, when the site engine is not installed."""
    missing = [name for name in SITE_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        click.echo(f"生成网站需要网站引擎，但没有安装：{'、'.join(missing)}。"
                   f"请先安装网站组件：{SITE_EXTRA_HINT}", err=True)
        sys.exit(2)


REPORT_EXTRA_HINT = "pip install 'checkup[report]'"


def _require_report_extra() -> None:
    """Exit with a usage error, in Chinese, when the report's typesetter is not installed."""
    if importlib.util.find_spec("typst") is None:
        click.echo(f"生成年度报告需要排版组件 typst，但没有安装。请先安装报告组件：{REPORT_EXTRA_HINT}", err=True)
        sys.exit(2)


_REPORT_OPTION = click.option("--report", "with_report", is_flag=True,
                              help="同时生成每个版本的年度报告 PDF 和附件表格，放入该版本的数据下载（较慢）。")


def _report_downloads():  # type: ignore[no-untyped-def]
    _require_report_extra()
    from .report.build import report_downloads

    return report_downloads


PREVIEW_NOTE = "这是预览：含草稿版本，仅供审阅，不得公开发布。"
_PREVIEW_OPTION = click.option(
    "--preview", is_flag=True,
    help="预览：连同草稿版本一起生成，每个页面都标明“预览”，仅供审阅，不得公开发布。默认只生成已发布的版本。")


@main.command()
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=paths.WORKING_DATA_DIR)
@click.option("--docs", "docs_dir", type=click.Path(file_okay=False, path_type=Path), default=paths.DOCS_DIR,
              help="写入 Markdown、图表和下载文件的文件夹，默认 generated/。")
@click.option("--golden", "golden_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="改为重新生成测试用的标准页面（例如 tests/golden）。")
@_REPORT_OPTION
@_PREVIEW_OPTION
def render(data_dir: Path, docs_dir: Path, golden_dir: Path | None, with_report: bool, preview: bool) -> None:
    """把 DATA_DIR（默认 data/）生成为网站的 Markdown 页面，供 mkdocs 读取。"""
    _require_site_extra()
    import tempfile

    from .site.render import BuildError, render_docs, write_golden

    try:
        if golden_dir is not None:
            with tempfile.TemporaryDirectory() as scratch:
                written = write_golden(data_dir, golden_dir, Path(scratch))
            click.echo(f"已重新生成 {len(written)} 个标准页面，位于 {_relative(golden_dir)}/。")
            return
        result = render_docs(data_dir, docs_dir, extra=_report_downloads() if with_report else None,
                             preview=preview)
    except BuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"已生成 {result.pages} 个页面（共 {result.files} 个文件，更新 {result.written} 个，"
               f"删除 {result.removed} 个），位于 {_relative(docs_dir)}/。" + (PREVIEW_NOTE if preview else ""))


@main.command()
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=paths.WORKING_DATA_DIR)
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=paths.SITE_DIR,
              help="网站输出文件夹；构建失败时保留原有网站，默认 site/。")
@_REPORT_OPTION
@_PREVIEW_OPTION
def build(data_dir: Path, site_dir: Path, with_report: bool, preview: bool) -> None:
    """检查 DATA_DIR（默认 data/）、生成页面并构建网站；失败时保留上一次成功的网站。"""
    _require_site_extra()
    from .site.build import build_site
    from .site.render import BuildError

    try:
        result = build_site(data_dir, site_dir, extra=_report_downloads() if with_report else None,
                            preview=preview)
    except BuildError as error:
        click.echo(str(error), err=True)
        click.echo(f"构建失败，{_relative(site_dir)}/ 中保留的是上一次成功构建的网站。", err=True)
        sys.exit(1)
    click.echo(f"网站已构建到 {_relative(site_dir)}/：{result.render.pages} 个页面，"
               f"生成用时 {result.render_seconds:.1f} 秒，mkdocs 用时 {result.engine_seconds:.1f} 秒。"
               + (PREVIEW_NOTE if preview else ""))
