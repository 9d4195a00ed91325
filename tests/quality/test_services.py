"""Recording scores of record and keeping the framework inventory: what is kept, what is refused (writing
nothing), the composite and its band, the history with its authors."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sswis.quality.models import CriterionScore, Instrument
from sswis.quality.selectors import score_history, year_scores
from sswis.quality.services import instrument_add, instrument_end, instrument_update, score_record
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
YEAR = 2024


def _record(personas: Personas, criterion: str, score: int, **given: Any) -> CriterionScore:
    given.setdefault("evidence", "Reviewed with the ministry.")
    return score_record(actor=personas.national, year=YEAR, criterion=criterion, score=score, **given)


def test_a_framework_score_needs_no_proposal(personas: Personas) -> None:
    row = _record(personas, "framework", 3, links=["https://laws.example/children-act"])
    assert (row.score, row.proposed, row.accepted, row.override_reason) == (3, None, None, "")
    assert row.links == ["https://laws.example/children-act"]
    assert row.recorded_by == personas.national
    assert row.history.get().history_user == personas.national


def test_accepting_the_proposal_stores_it_with_its_reasons(personas: Personas) -> None:
    # The country has no worker: every proposal is 1.
    row = _record(personas, "hris", 1)
    assert (row.proposed, row.accepted) == (1, True)
    assert row.proposal_reasons["coverage"] == 0.0
    assert row.proposal_reasons["districts"] == 3


def test_overriding_the_proposal_needs_a_reason(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(personas, "licensing", 2)
    assert refused.value.message_dict == {
        "reason": ["sswis proposes 1 from the data; say why the score of record is 2."]
    }
    assert not CriterionScore.objects.exists()
    row = _record(personas, "licensing", 2, reason="The council's register is kept on paper.")
    assert (row.proposed, row.accepted, row.override_reason) == (
        1,
        False,
        "The council's register is kept on paper.",
    )


@pytest.mark.parametrize("score", [0, 5, -1, True])
def test_a_score_outside_1_to_4_is_refused(personas: Personas, score: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(personas, "framework", score)
    assert refused.value.message_dict == {"score": [f"A score is 1, 2, 3 or 4, not {score}."]}
    assert not CriterionScore.objects.exists()


def test_a_score_without_evidence_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(personas, "framework", 2, evidence="  ", links=["", " "])
    assert refused.value.message_dict == {
        "evidence": ["A score needs its evidence: describe it, or give a link or a file."]
    }
    assert not CriterionScore.objects.exists()


def test_a_file_alone_is_evidence_and_is_kept_when_recording_again(personas: Personas) -> None:
    report = SimpleUploadedFile("review 2024.pdf", b"%PDF-1.4 review", content_type="application/pdf")
    row = _record(personas, "framework", 2, evidence="", file=report)
    assert row.file_name == "review 2024.pdf"
    assert row.file.read() == b"%PDF-1.4 review"
    again = _record(personas, "framework", 3, evidence="")  # the kept file is still the evidence
    assert (again.pk, again.score, again.file_name) == (row.pk, 3, "review 2024.pdf")
    assert [record.score for record in score_history(year=YEAR)] == [3, 2]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"links": ["ftp://files.example/x"]}, "links"),
        ({"links": ["not a link"]}, "links"),
        ({"evidence": "bad \x00 text"}, "evidence"),
        ({"criterion": "budget"}, "criterion"),
        ({"year": 1899}, "year"),
    ],
)
def test_bad_input_is_refused_naming_the_field(personas: Personas, given: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"criterion": "framework", "year": YEAR, "evidence": "Reviewed."} | given
    with pytest.raises(ValidationError) as refused:
        score_record(actor=personas.national, score=2, **arguments)
    assert list(refused.value.message_dict) == [field]
    assert not CriterionScore.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "subnational", "administrator", "outsider", "focal_point"])
def test_only_a_national_data_manager_records(personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        score_record(
            actor=getattr(personas, persona), year=YEAR, criterion="framework", score=2, evidence="x"
        )
    assert not CriterionScore.objects.exists()


@pytest.mark.parametrize(
    ("scores", "composite", "band"),
    [
        ((1, 1, 1, 1), 4, "no_development"),
        ((2, 1, 1, 1), 5, "early_development"),
        ((2, 2, 2, 2), 8, "early_development"),
        ((3, 2, 2, 2), 9, "mid_level"),
        ((3, 3, 3, 3), 12, "mid_level"),
        ((4, 3, 3, 3), 13, "well_developed"),
        ((4, 4, 4, 4), 16, "well_developed"),
    ],
)
def test_the_composite_and_its_band(
    personas: Personas, scores: tuple[int, ...], composite: int, band: str
) -> None:
    for criterion, score in zip(("framework", "supervision", "licensing", "hris"), scores, strict=True):
        _record(personas, criterion, score, reason="" if score == 1 else "Known from the field review.")
    result = year_scores(year=YEAR)
    assert (result.composite, result.band, result.missing) == (composite, band, [])


def test_a_year_with_criteria_missing_has_no_composite(personas: Personas) -> None:
    _record(personas, "framework", 4)
    _record(personas, "hris", 1)
    result = year_scores(year=YEAR)
    assert (result.composite, result.band) == (None, None)
    assert result.missing == ["supervision", "licensing"]
    assert sorted(result.scores) == ["framework", "hris"]
    assert year_scores(year=YEAR - 1).missing == ["framework", "supervision", "licensing", "hris"]


# --- the framework inventory -----------------------------------------------------------------------------


def _act(personas: Personas, **given: Any) -> Instrument:
    arguments: dict[str, Any] = {
        "kind": "law",
        "title": "Children's Act",
        "status": "in_force",
        "reference": "Act No. 8 of 2012",
        "issuing_body": "Parliament",
        "adopted_on": datetime.date(2012, 6, 1),
        "in_force_from": datetime.date(2013, 1, 1),
    } | given
    return instrument_add(actor=personas.national, **arguments)


def test_an_instrument_is_added_changed_and_ended_with_its_author(personas: Personas, country: Any) -> None:
    act = _act(personas, file=SimpleUploadedFile("act.pdf", b"%PDF act"))
    assert (act.kind, act.status, act.whole_workforce, act.file_name) == ("law", "in_force", True, "act.pdf")
    changed = instrument_update(
        actor=personas.national,
        instrument=act,
        changes={"whole_workforce": False, "notes": "Part 4 covers social workers."},
        cadres=[country.social_worker],
    )
    assert sorted(changed) == ["cadres", "notes", "whole_workforce"]
    act.refresh_from_db()
    assert [cadre.code for cadre in act.cadres.all()] == ["SW"]
    assert (
        instrument_update(
            actor=personas.national, instrument=act, changes={"notes": "Part 4 covers social workers."}
        )
        == []
    )
    ended = instrument_end(actor=personas.national, instrument=act, until=datetime.date(2024, 6, 30))
    assert (ended.status, ended.in_force_until) == ("repealed", datetime.date(2024, 6, 30))
    assert {record.history_user for record in act.history.all()} == {personas.national}
    assert [record.status for record in act.history.order_by("history_date", "history_id")][-1] == "repealed"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"kind": "decree"}, "kind"),
        ({"status": "forgotten"}, "status"),
        ({"title": ""}, "title"),
        ({"title": "Act\x07"}, "title"),
        ({"in_force_until": datetime.date(2012, 12, 31)}, "in_force_until"),
        ({"whole_workforce": False}, "cadres"),
        ({"link": "javascript:alert(1)"}, "link"),
    ],
)
def test_a_bad_instrument_is_refused(personas: Personas, given: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _act(personas, **given)
    assert list(refused.value.message_dict) == [field]
    assert not Instrument.objects.exists()


def test_ending_before_the_start_is_refused(personas: Personas) -> None:
    act = _act(personas)
    with pytest.raises(ValidationError) as refused:
        instrument_end(actor=personas.national, instrument=act, until=datetime.date(2012, 1, 1))
    assert list(refused.value.message_dict) == ["in_force_until"]
    with pytest.raises(ValidationError):
        instrument_end(
            actor=personas.national, instrument=act, until=datetime.date(2020, 1, 1), status="in_force"
        )
    act.refresh_from_db()
    assert (act.status, act.in_force_until) == ("in_force", None)


def test_an_analyst_may_not_add_an_instrument(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        instrument_add(actor=personas.analyst, kind="law", title="Act", status="draft")
    assert not Instrument.objects.exists()
