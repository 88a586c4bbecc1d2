"""Published practice: the words a check-up table would print, for rows entered in the project's format.

The rows and their source are in tests/practice/published-wording.yaml; its
heading says plainly that the values are illustrative and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checkup.assess import EVALUATION_LABELS, assess_indicator, evaluate_indicator
from checkup.assess.numbers import pct
from checkup.check.schema import check_document
from checkup.model import Indicator, Target, build_indicator

TABLE = yaml.safe_load((Path(__file__).parent / "practice/published-wording.yaml").read_text("utf-8"))
# yaml.safe_load reads the yearly keys as ints; the project's format writes them as YAML ints too,
# and its schema takes the JSON view, where keys are strings.
for _case in TABLE["cases"]:
    _case["indicator"]["values"] = {str(k): v for k, v in _case["indicator"]["values"].items()}


def test_the_table_names_its_source_and_says_its_values_are_not_official() -> None:
    assert TABLE["source"].startswith("DOMAIN.md")
    assert all(case["indicator"]["data_source"] == "示意数值，非官方数据" for case in TABLE["cases"])


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["indicator"]["id"] for c in TABLE["cases"]])
def test_a_published_row_gets_the_published_word(case: dict[str, Any]) -> None:
    doc = case["indicator"]
    assert check_document("indicator", doc, f"indicators/{doc['id']}.yaml", yaml.safe_dump(doc)) == []
    assessed = assess_indicator(build_indicator(doc, f"indicators/{doc['id']}.yaml"), case["year"])
    assert assessed.label() == case["word"], case["rule"]


def test_a_mid_term_review_of_27_indicators_reads_as_published() -> None:
    # A published mid-term review (DOMAIN.md): 14 reached early (51.9%), 9 on track (33.3%), 4 to adjust.
    def indicator(n: int, latest: float) -> Indicator:
        return Indicator(id=f"ZB-{n:02d}", name="指标", category="共享", subcategory="社会治理", unit="%",
                         definition="定义", direction="higher_is_better", kind="expected", base_year=2020,
                         base_value=50, values={2022: 60, 2023: latest}, targets=(Target(year=2025, at_least=90),),
                         data_source="示意", collection_method="部门报送", department="GHZY", file="x.yaml")

    latest = [95.0] * 14 + [80.0] * 9 + [62.0] * 2 + [58.0] * 2  # reached; ahead of 74; behind; fell back
    words = [EVALUATION_LABELS[evaluate_indicator(assess_indicator(indicator(n, v), 2023)) or ""]
             for n, v in enumerate(latest)]
    summary = {w: (words.count(w), pct(words.count(w) / len(words))) for w in EVALUATION_LABELS.values()}
    assert summary == {"提前完成": (14, "51.9%"), "按计划推进": (9, "33.3%"), "需要调整": (4, "14.8%")}
