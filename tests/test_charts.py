"""Every plotly chart spec the site emits is a figure plotly itself accepts.

The specs are written as plain dicts for speed (see checkup.site.charts); here
each one found in the rendered example site goes through plotly's own figure
validation, which rejects an unknown property or a value of the wrong kind.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from checkup import paths
from checkup.site.render import render_docs

SPEC = re.compile(r'<script type="application/json" class="ck-chart-spec" data-target="([^"]+)">(.*?)</script>',
                  re.DOTALL)


def chart_specs(docs: Path) -> dict[str, dict[str, object]]:
    """Return every chart spec of the rendered pages, by page and chart id."""
    specs = {}
    for page in sorted(docs.rglob("*.md")):
        for target, body in SPEC.findall(page.read_text("utf-8")):
            specs[f"{page.relative_to(docs).as_posix()}#{html.unescape(target)}"] = json.loads(body)
    return specs


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    docs = tmp_path_factory.mktemp("docs")
    render_docs(paths.DATA_DIR, docs)
    return chart_specs(docs)


def test_the_example_site_has_indicator_and_survey_charts(specs: dict[str, dict[str, object]]) -> None:
    pages = {key.partition("#")[0] for key in specs}
    assert any(page.startswith("indicators/") for page in pages)
    assert any(page.startswith("survey") for page in pages)


def test_every_chart_spec_of_the_example_site_passes_plotly_figure_validation(
        specs: dict[str, dict[str, object]]) -> None:
    rejected = {}
    for key, spec in specs.items():
        assert set(spec) <= {"data", "layout", "config"}, key
        try:
            go.Figure(data=spec["data"], layout=spec.get("layout"))
        except ValueError as error:  # plotly names the property and the values it accepts
            rejected[key] = str(error).splitlines()[:6]
    assert rejected == {}


@pytest.mark.parametrize("bad", [
    {"data": [{"type": "scatter", "x": [2021], "y": [1], "mode": "line"}]},  # "lines", not "line"
    {"data": [{"type": "bar", "orientation": "sideways", "x": [1]}]},
    {"data": [{"type": "scatter"}], "layout": {"legend": {"orientation": "horizontal"}}},
    {"data": [{"type": "scatter", "colour": "#1d4ed8"}]},
])
def test_plotly_rejects_a_spec_with_a_wrong_property_or_value(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        go.Figure(data=bad["data"], layout=bad.get("layout"))
