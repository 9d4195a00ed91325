"""Perception answers: aggregates for anyone with a role (never a person), a person's answers only in scope."""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import asdict
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from sswis.surveys.models import MULTIPLE_ANSWER_LENGTH, PerceptionResponse, SurveyRound
from sswis.surveys.perceptions import PERCEPTION_QUESTIONS, perception_answer_parse, perception_question
from sswis.surveys.selectors import perception_responses_of_worker, perception_summary, survey_round_list
from tests.factories import AssignmentFactory, WorkerFactory

ANSWERS = [  # (district, satisfaction, supervision kinds, intention to leave)
    ("D11", "satisfied", "individual case_review", "no"),
    ("D11", "satisfied", "individual", "no"),
    ("D11", "dissatisfied", "", "yes"),
    ("D11", "very_satisfied", "group individual", "undecided"),
    ("D11", "neither", "", ""),
    ("D21", "dissatisfied", "remote", "yes"),
]


@pytest.fixture
def responses(country: Any) -> list[PerceptionResponse]:
    survey_round = SurveyRound.objects.create(
        code="2025", name="Mapping 2025", starts_on=datetime.date(2025, 3, 1)
    )
    districts = {"D11": country.district_11, "D12": country.district_12, "D21": country.district_21}
    made = []
    for number, (district, satisfaction, kinds, leave) in enumerate(ANSWERS, start=1):
        worker = WorkerFactory(
            worker_id=f"W{number:03d}", given_name=f"Given{number}", family_name=f"Family{number}"
        )
        AssignmentFactory(worker=worker, location=districts[district], organisation=country.ministry)
        made.append(
            PerceptionResponse.objects.create(
                survey_round=survey_round,
                worker=worker,
                location=districts[district],
                submission_uuid=f"uuid-{number}",
                job_satisfaction=satisfaction,
                supervision_kinds=kinds,
                intention_to_leave=leave,
            )
        )
    return made


def _counts(summary: Any, name: str) -> dict[str, int]:
    question = next(question for question in summary.questions if question.name == name)
    return {answer.answer: answer.count for answer in question.answers if answer.count}


@pytest.mark.django_db
def test_analyst_sees_counts_and_shares_for_a_subtree(personas: Any, responses: Any) -> None:
    summary = perception_summary(user=personas.analyst, round_code="2025", location_code="R1")
    assert (summary.respondents, summary.withheld) == (5, False)
    assert _counts(summary, "job_satisfaction") == {
        "satisfied": 2,
        "dissatisfied": 1,
        "very_satisfied": 1,
        "neither": 1,
    }
    assert _counts(summary, "supervision_kinds") == {"individual": 3, "case_review": 1, "group": 1}
    satisfaction = next(question for question in summary.questions if question.name == "job_satisfaction")
    assert [(answer.answer, answer.share) for answer in satisfaction.answers][:2] == [
        ("very_satisfied", 0.2),
        ("satisfied", 0.4),
    ]
    kinds = next(question for question in summary.questions if question.name == "supervision_kinds")
    assert kinds.answered == 3
    assert _counts(summary, "intention_to_leave") == {"no": 2, "yes": 1, "undecided": 1}
    # No person in the answer: no worker ID, name or submission.
    text = json.dumps(asdict(summary))
    for response in responses:
        assert response.worker.worker_id not in text
        assert response.worker.family_name not in text
        assert response.submission_uuid not in text


@pytest.mark.django_db
def test_small_groups_are_withheld(personas: Any, responses: Any) -> None:
    summary = perception_summary(user=personas.national, round_code="2025", location_code="R2")
    assert (summary.respondents, summary.withheld, summary.questions) == (1, True, ())
    assert perception_summary(user=personas.analyst, round_code="2025").respondents == 6


def _leave_answers(country: Any, groups: dict[str, list[str]]) -> None:
    """Responses of round 2025: for each location code, one worker per intention-to-leave answer."""
    survey_round = SurveyRound.objects.create(
        code="2025", name="Mapping", starts_on=datetime.date(2025, 3, 1)
    )
    locations = {
        "KD": country.root,
        "R1": country.region_1,
        "D11": country.district_11,
        "D12": country.district_12,
        "D21": country.district_21,
    }
    number = 0
    for code, answers in groups.items():
        for answer in answers:
            number += 1
            PerceptionResponse.objects.create(
                survey_round=survey_round,
                worker=WorkerFactory(worker_id=f"W{number:03d}"),
                location=locations[code],
                submission_uuid=f"uuid-{number}",
                intention_to_leave=answer,
            )


def _leave(user: Any, location: str) -> tuple[int, bool, str, dict[str, int] | None]:
    summary = perception_summary(user=user, round_code="2025", location_code=location)
    counts = None if summary.withheld else _counts(summary, "intention_to_leave")
    return summary.respondents, summary.withheld, summary.withheld_reason, counts


@pytest.mark.django_db
def test_a_lone_answer_cannot_be_recovered_by_subtracting_figures(personas: Any, country: Any) -> None:
    # The reviewer's case: five workers in D11 say no, the only one in D12 says yes.
    _leave_answers(country, {"D11": ["no"] * 5, "D12": ["yes"]})
    analyst = personas.analyst
    assert _leave(analyst, "D11") == (5, False, "", {"no": 5})
    assert _leave(analyst, "D12") == (1, True, "few_respondents", None)
    # R1 would show yes=1, no=5: minus D11's no=5, the D12 worker's answer. So R1 is withheld,
    assert _leave(analyst, "R1") == (6, True, "small_group_within", None)
    # and so is the country (country minus R2 would give R1 again).
    assert _leave(analyst, "KD") == (6, True, "small_group_within", None)
    stdout = io.StringIO()
    call_command("perceptions", "--round", "2025", "--location", "R1", "--user", "analyst", stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "Survey round 2025, R1 and below: 6 respondents.",
        "Fewer than 5 workers answered in a place within this area: the answers here are not shown, "
        "because subtracting the figures of the other places would reveal theirs.",
    ]


@pytest.mark.django_db
def test_respondents_placed_at_a_region_itself_count_as_a_group(personas: Any, country: Any) -> None:
    # Two workers surveyed at the region itself (no district): R1 minus D11 minus D12 would give them.
    _leave_answers(country, {"D11": ["no"] * 5, "D12": ["undecided"] * 5, "R1": ["yes", "yes"]})
    assert _leave(personas.analyst, "R1") == (12, True, "small_group_within", None)
    assert _leave(personas.analyst, "D12") == (5, False, "", {"undecided": 5})


@pytest.mark.django_db
def test_nothing_is_withheld_when_every_group_has_five(personas: Any, country: Any) -> None:
    # By hand: D11 3 no + 2 yes, D12 5 undecided, D21 4 no + 1 yes; R1 = D11 + D12; country = all 15.
    _leave_answers(
        country,
        {"D11": ["no", "no", "no", "yes", "yes"], "D12": ["undecided"] * 5, "D21": ["no"] * 4 + ["yes"]},
    )
    analyst = personas.analyst
    assert _leave(analyst, "D11") == (5, False, "", {"no": 3, "yes": 2})
    assert _leave(analyst, "R1") == (10, False, "", {"no": 3, "yes": 2, "undecided": 5})
    assert _leave(analyst, "R2") == (5, False, "", {"no": 4, "yes": 1})
    assert _leave(analyst, "KD") == (15, False, "", {"no": 7, "yes": 3, "undecided": 5})
    leave = next(
        question
        for question in perception_summary(user=analyst, round_code="2025").questions
        if question.name == "intention_to_leave"
    )
    assert [(answer.answer, answer.share) for answer in leave.answers if answer.count] == [
        ("yes", 0.2),
        ("undecided", 0.3333),
        ("no", 0.4667),
    ]


@pytest.mark.django_db
def test_outsider_is_refused(personas: Any, responses: Any) -> None:
    with pytest.raises(PermissionDenied):
        perception_summary(user=personas.outsider, round_code="2025")


@pytest.mark.django_db
def test_a_persons_answers_only_for_users_who_see_the_worker(personas: Any, responses: Any) -> None:
    in_r1, in_r2 = responses[0].worker, responses[5].worker
    assert list(perception_responses_of_worker(user=personas.national, worker=in_r2)) == [responses[5]]
    assert list(perception_responses_of_worker(user=personas.subnational, worker=in_r1)) == [responses[0]]
    for user, worker in (
        (personas.subnational, in_r2),
        (personas.analyst, in_r1),
        (personas.outsider, in_r1),
    ):
        with pytest.raises(PermissionDenied):
            perception_responses_of_worker(user=user, worker=worker)


@pytest.mark.django_db
def test_command_prints_aggregates_only(personas: Any, responses: Any) -> None:
    stdout = io.StringIO()
    call_command("perceptions", "--round", "2025", "--location", "R1", "--user", "analyst", stdout=stdout)
    lines = stdout.getvalue().splitlines()
    assert lines[0] == "Survey round 2025, R1 and below: 5 respondents."
    assert lines[2] == "Overall, how satisfied are you with your job? (5 answered)"
    assert lines[4] == f"  {'Satisfied':<45} {2:>6}  {'40.0%':>6}"
    assert "W001" not in stdout.getvalue()
    stdout = io.StringIO()
    call_command("perceptions", "--round", "2025", "--location", "D21", "--user", "analyst", stdout=stdout)
    assert stdout.getvalue().splitlines()[1] == (
        "Fewer than 5 workers answered here: their answers are not shown, so that no one's answers can be "
        "recognised."
    )
    with pytest.raises(CommandError, match="no role"):
        call_command("perceptions", "--round", "2025", "--user", "outsider")


def test_answers_are_checked_and_every_multiple_answer_fits() -> None:
    kinds = perception_question(name="supervision_kinds")
    assert perception_answer_parse(question=kinds, text="Remote  individual") == "individual remote"
    with pytest.raises(ValueError, match="'none' cannot be chosen together"):
        perception_answer_parse(
            question=perception_question(name="training_needed"), text="none case_management"
        )
    with pytest.raises(ValueError, match="takes one answer"):
        perception_answer_parse(
            question=perception_question(name="job_satisfaction"), text="satisfied neither"
        )
    for question in PERCEPTION_QUESTIONS:
        if question.multiple:
            assert len(" ".join(question.choice_names)) <= MULTIPLE_ANSWER_LENGTH


@pytest.mark.django_db
def test_survey_round_command(personas: Any) -> None:
    stdout = io.StringIO()
    call_command(
        "survey_round",
        "2026",
        "--name",
        "Mapping 2026",
        "--starts",
        "2026-02-01",
        "--user",
        "national",
        stdout=stdout,
    )
    assert stdout.getvalue() == "Created survey round 2026: Mapping 2026.\n"
    created = SurveyRound.objects.get(code="2026")
    assert created.history.get().history_user == personas.national
    with pytest.raises(CommandError, match="code: Survey round with this Code already exists"):
        call_command(
            "survey_round", "2026", "--name", "Again", "--starts", "2026-02-01", "--user", "national"
        )
    with pytest.raises(CommandError, match="may not create survey rounds"):
        call_command("survey_round", "2027", "--name", "No", "--starts", "2027-02-01", "--user", "analyst")


@pytest.mark.django_db
def test_survey_rounds_are_listed_newest_first_for_every_role_but_outsiders(personas: Any) -> None:
    SurveyRound.objects.create(code="2024", name="Mapping 2024", starts_on=datetime.date(2024, 3, 1))
    SurveyRound.objects.create(code="2025b", name="Follow-up 2025", starts_on=datetime.date(2025, 9, 1))
    SurveyRound.objects.create(code="2025", name="Mapping 2025", starts_on=datetime.date(2025, 3, 1))

    codes = list(survey_round_list(user=personas.analyst).values_list("code", flat=True))

    assert codes == ["2025b", "2025", "2024"]
    with pytest.raises(PermissionDenied):
        survey_round_list(user=personas.outsider)
