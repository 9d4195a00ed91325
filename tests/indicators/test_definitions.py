"""The definitions are the single source: the contract's ids and groups, and the documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from sswis.indicators.definitions import DIMENSIONS, INDICATORS, reference_period
from sswis.indicators.docs import END, START, definitions_markdown, document_refreshed

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_indicators_and_dimensions_are_the_contracts_in_its_order() -> None:
    assert list(INDICATORS) == [
        "workforce.count",
        "workforce.per_100k_children",
        "workforce.female_share",
        "posts.vacancy_rate",
        "workforce.licensed_share",
        "workforce.certified_share",
        "support.supervised_share",
        "support.supervisors_over_norm",
        "support.sessions_per_supervisee",
        "support.caseload_mean",
        "support.caseload_over_norm_share",
        "support.turnover_rate",
    ]
    assert list(DIMENSIONS) == [
        "cadre",
        "category",
        "employer",
        "paid",
        "sex",
        "education",
        "sector",
        "setting",
        "licensed",
        "certified",
    ]
    assert {d: DIMENSIONS[d].group_codes for d in DIMENSIONS} == {
        "cadre": (),
        "category": ("professional", "para_professional", "volunteer", "allied"),
        "employer": ("government", "non_government"),
        "paid": ("paid", "unpaid"),
        "sex": ("female", "male", "other", "unknown"),
        "education": ("post_secondary", "no_post_secondary", "unknown"),
        "sector": (
            "social_welfare",
            "justice",
            "health",
            "education",
            "social_protection",
            "disaster_risk_reduction",
            "other",
            "unknown",
        ),
        "setting": ("urban", "rural", "mixed", "unknown"),
        "licensed": ("licensed", "not_licensed"),
        "certified": ("certified", "not_certified"),
    }
    assert {d for d in DIMENSIONS if DIMENSIONS[d].personal} == {"sex", "education", "licensed", "certified"}
    assert {i: INDICATORS[i].dimensions for i in INDICATORS} == {
        "workforce.count": tuple(DIMENSIONS),
        "workforce.per_100k_children": tuple(DIMENSIONS),
        "workforce.female_share": (),
        "posts.vacancy_rate": ("cadre",),
        "workforce.licensed_share": tuple(DIMENSIONS),
        "workforce.certified_share": tuple(DIMENSIONS),
        "support.supervised_share": tuple(DIMENSIONS),
        "support.supervisors_over_norm": (),
        "support.sessions_per_supervisee": (),
        "support.caseload_mean": (),
        "support.caseload_over_norm_share": (),
        "support.turnover_rate": tuple(DIMENSIONS),
    }
    assert {i: INDICATORS[i].attribute for i in INDICATORS if INDICATORS[i].attribute} == {
        "workforce.licensed_share": "licensed",
        "workforce.certified_share": "certified",
        "support.supervised_share": "supervised",  # not a dimension: the contract offers no split by it
    }
    assert "supervised" not in DIMENSIONS
    for indicator in INDICATORS.values():
        assert indicator.title and indicator.description and indicator.numerator and indicator.denominator
        assert indicator.unit and indicator.reference_period


def test_reference_period_is_the_calendar_year() -> None:
    period = reference_period(year=2024)

    assert (str(period.start), str(period.end), str(period.reference_date)) == (
        "2024-01-01",
        "2024-12-31",
        "2024-12-31",
    )
    with pytest.raises(ValueError, match="whole number"):
        reference_period(year="2024")  # type: ignore[arg-type]


def test_documentation_has_the_current_reference_and_every_indicator() -> None:
    text = DOCUMENT.read_text(encoding="utf-8")

    assert text == document_refreshed(text), "Refresh it: python -m sswis.indicators.docs docs/indicators.md"
    assert f"{START}\n{definitions_markdown()}{END}" in text
    for indicator in INDICATORS:
        assert f"`{indicator}`" in text.split(START)[0], f"{indicator} is not explained in plain words"
    for dimension in DIMENSIONS:
        assert f"`{dimension}`" in text.split(START)[0], f"{dimension} is not explained in plain words"
