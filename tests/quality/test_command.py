"""``sswis quality-score``: the proposals as the contract's JSON document and in words, the scores of record
with the composite and band, recording (and refusing) from the command line."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sswis.quality.models import CriterionScore
from sswis.quality.services import score_record
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, PopulationEstimateFactory, RegisterFactory

pytestmark = pytest.mark.django_db
YEAR = 2024


def _run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("quality-score", *arguments, stdout=out)
    return out.getvalue()


def test_propose_prints_the_contract_s_document(country: Country) -> None:
    """Two government social workers in D11 and D12 (populations known), a register without CPD: coverage
    2/3, one employer; professionals 2, none licensed; no supervision."""
    for district in (country.district_11, country.district_12):
        PopulationEstimateFactory(location=district, year=YEAR, children=4000)
        AssignmentFactory(organisation=country.ministry, location=district, cadre=country.social_worker)
    RegisterFactory()
    document = json.loads(_run("propose", "--year", str(YEAR)))
    assert document == {
        "year": YEAR,
        "criteria": {
            "supervision": {
                "proposed": 1,
                "reasons": {
                    "relationships_recorded": False,
                    "counted_workers": 2,
                    "supervised_workers": 0,
                    "supervised": 0.0,
                    "supervisors": 0,
                    "supervisors_over_norm": 0,
                    "over": 0.0,
                    "supervised_with_session_october_december": 0,
                    "sessions": 0.0,
                },
            },
            "licensing": {
                "proposed": 2,
                "reasons": {
                    "registers": ["SW-REG"],
                    "professionals": 2,
                    "licensed_professionals": 0,
                    "share": 0.0,
                    "registers_with_cpd_for_renewal": [],
                    "cpd_renewal": False,
                },
            },
            "hris": {
                "proposed": 3,
                "reasons": {
                    "reporting_depth": 2,
                    "districts": 3,
                    "covered_districts": 2,
                    "coverage": 2 / 3,
                    "districts_not_covered": ["D21"],
                    "government_workers": 2,
                    "non_government_workers": 0,
                    "both_employers": False,
                },
            },
        },
    }
    text = _run("propose", "--year", str(YEAR), "--format", "text")
    assert "Criterion 4, Human resource information system: 3" in text
    assert "Coverage: 0.6667" in text
    assert "Districts not covered: D21" in text


def test_show_prints_the_scores_composite_and_band(personas: Personas) -> None:
    score_record(actor=personas.national, year=YEAR, criterion="framework", score=4, evidence="Acts")
    assert json.loads(_run("show", "--year", str(YEAR)))["missing"] == ["supervision", "licensing", "hris"]
    assert "No composite: not scored yet: supervision, licensing, hris" in _run(
        "show", "--year", str(YEAR), "--format", "text"
    )
    for criterion in ("supervision", "licensing", "hris"):
        score_record(actor=personas.national, year=YEAR, criterion=criterion, score=1, evidence="Figures")
    shown = json.loads(_run("show", "--year", str(YEAR)))
    assert (shown["composite"], shown["band"]) == (7, "early_development")
    assert {name: row["score"] for name, row in shown["scores"].items()} == {
        "framework": 4,
        "supervision": 1,
        "licensing": 1,
        "hris": 1,
    }
    assert "Composite: 7 of 16, Early development" in _run("show", "--year", str(YEAR), "--format", "text")


def test_record_as_a_national_data_manager(personas: Personas) -> None:
    out = _run(
        "record", "--year", str(YEAR), "--criterion", "hris", "--score", "2", "--evidence", "Mapping",
        "--reason", "Paper returns from two districts", "--user", "national",
    )  # fmt: skip
    assert out.strip() == f"Recorded Human resource information system for {YEAR}: 2."
    row = CriterionScore.objects.get()
    assert (row.score, row.proposed, row.accepted, row.recorded_by) == (2, 1, False, personas.national)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--score", "5", "--evidence", "x"], "--score: A score is 1, 2, 3 or 4, not 5."),
        (["--score", "1"], "--evidence: A score needs its evidence: describe it, or give a link or a file."),
        (
            ["--score", "2", "--evidence", "x"],
            "--reason: sswis proposes 1 from the data; say why the score of record is 2.",
        ),
        (
            ["--score", "1", "--link", "not-a-link"],
            "--link: not-a-link is not a web address (http:// or https://).",
        ),
    ],
)
def test_record_refuses_writing_nothing(personas: Personas, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        _run("record", "--year", str(YEAR), "--criterion", "hris", "--user", "national", *arguments)
    assert str(refused.value) == message
    assert not CriterionScore.objects.exists()


def test_record_refuses_a_reader_and_an_unknown_user(personas: Personas, monkeypatch: Any) -> None:
    with pytest.raises(CommandError, match="Only a national data manager"):
        _run(
            "record",
            "--year",
            str(YEAR),
            "--criterion",
            "framework",
            "--score",
            "2",
            "--evidence",
            "x",
            "--user",
            "analyst",
        )
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        _run(
            "record",
            "--year",
            str(YEAR),
            "--criterion",
            "framework",
            "--score",
            "2",
            "--evidence",
            "x",
            "--user",
            "nobody",
        )
    monkeypatch.delenv("SSWIS_USER", raising=False)
    with pytest.raises(CommandError, match="Say who is recording"):
        _run("record", "--year", str(YEAR), "--criterion", "framework", "--score", "2", "--evidence", "x")
    assert not CriterionScore.objects.exists()


def test_a_bad_year_is_refused(country: Country) -> None:
    with pytest.raises(CommandError) as refused:
        _run("propose", "--year", "1899")
    assert str(refused.value) == "--year: The year must be between 1900 and 2100, not 1899."
