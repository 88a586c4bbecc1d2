"""The `checkup` command: a thin layer over the library.

Exit codes: 0 all good, 1 the data have errors (or, for diff, there are
changes), 2 the command was used wrongly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import paths
from .findings import format_json, format_text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="checkup")
def main() -> None:
    """城市体检评估结果发布工具：检查数据、评估并生成公开网站。"""


@main.command()
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=paths.DATA_DIR)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text 给人读；json 给程序读。")
@click.option("--strict", is_flag=True, help="把警告也当作错误。")
def validate(data_dir: Path, fmt: str, strict: bool) -> None:
    """检查 DATA_DIR（默认 data/）下每个年度版本的数据。"""
    from .validate import check_data

    result = check_data(data_dir)
    click.echo(format_json(result.findings) if fmt == "json" else format_text(result.findings))
    sys.exit(1 if result.failed(strict) else 0)
