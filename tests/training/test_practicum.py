"""The field practicum's services: students, offers and placements, the supervisor's eligibility (not
registered, too little experience, exactly enough, the student themself), hours, evaluation, an early
end; refusals name the rule and write nothing; who may do what."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.training.models_practicum import Evaluation, Placement, PracticumOffer, Student
from sswis.training.practicum import (
    placement_create,
    placement_end,
    placement_evaluate,
    placement_hours_record,
    practicum_offer_set,
    student_change,
    student_create,
)
from sswis.training.practicum_selectors import full_years_between, student_practicum, supervisor_rules
from tests.conftest import Country, Personas
from tests.factories import OrganisationFactory, registration_with_history
from tests.training.factories_practicum import PlacementFactory
from tests.training.practicum_world import Practicum, practicum_build

D = datetime.date


@pytest.fixture
def practicum(country: Country) -> Practicum:
    return practicum_build(country)


def _place(practicum: Practicum, country: Country, *, actor: Any = None, **given: Any) -> Placement:
    arguments: dict[str, Any] = {
        "actor": actor or practicum.institution_user,
        "student": practicum.student,
        "organisation": country.ministry,
        "supervisor": practicum.supervisor,
        "starts_on": D(2024, 3, 1),
        "ends_on": D(2024, 6, 30),
        "hours_planned": 400,
    }
    return placement_create(**(arguments | given))


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return dict(error.value.message_dict)


# --- the supervisor -------------------------------------------------------------------------------------


def test_a_supervisor_with_exactly_the_experience_asked_is_eligible(
    practicum: Practicum, country: Country
) -> None:
    # First assignment 1 March 2021, placement from 1 March 2024: exactly 3 full years, as the programme asks.
    placement = _place(practicum, country)

    assert (placement.supervisor, placement.starts_on, placement.hours_planned) == (
        practicum.supervisor,
        D(2024, 3, 1),
        400,
    )
    assert placement.history.latest().history_user == practicum.institution_user
    assert [
        rule.met
        for rule in supervisor_rules(
            student=practicum.student, supervisor=practicum.supervisor, day=D(2024, 3, 1)
        )
    ] == [True, True, True]


def test_a_day_short_of_the_experience_is_refused_naming_the_rule(
    practicum: Practicum, country: Country
) -> None:
    with pytest.raises(ValidationError) as refused:
        _place(practicum, country, starts_on=D(2024, 2, 29))

    assert _messages(refused) == {
        "supervisor": [
            "The supervisor must be someone who has at least 3 years of experience by 2024-02-29, from the "
            "start of their first assignment; found: 2 full years."
        ]
    }
    assert Placement.objects.count() == 0


def test_a_newcomer_has_too_little_experience(practicum: Practicum, country: Country) -> None:
    with pytest.raises(ValidationError) as refused:
        _place(practicum, country, supervisor=practicum.newcomer, organisation=country.ngo)

    assert _messages(refused)["supervisor"] == [
        "The supervisor must be someone who has at least 3 years of experience by 2024-03-01, from the "
        "start of their first assignment; found: 0 full years."
    ]
    assert Placement.objects.count() == 0


def test_a_supervisor_not_registered_that_day_is_refused(practicum: Practicum, country: Country) -> None:
    with pytest.raises(ValidationError) as refused:
        _place(practicum, country, supervisor=practicum.unregistered)

    assert _messages(refused)["supervisor"] == [
        "The supervisor must be someone who holds a registration that is registered on 2024-03-01; found: "
        "no registration of theirs is registered that day."
    ]
    assert Placement.objects.count() == 0


def test_registered_means_registered_on_the_first_day_not_today(
    practicum: Practicum, country: Country
) -> None:
    # Suspended from 1 February to 31 March 2024: not registered on 1 March, registered again on 1 April.
    worker = practicum.unregistered
    registration_with_history(
        worker=worker,
        changes=[("registered", "2020-01-01"), ("suspended", "2024-02-01"), ("registered", "2024-04-01")],
    )

    with pytest.raises(ValidationError):
        _place(practicum, country, supervisor=worker, starts_on=D(2024, 3, 1))
    placement = _place(practicum, country, supervisor=worker, starts_on=D(2024, 4, 1))

    assert placement.starts_on == D(2024, 4, 1)


def test_a_student_cannot_supervise_themself(practicum: Practicum, country: Country) -> None:
    student_change(actor=practicum.institution_user, student=practicum.student, worker=practicum.supervisor)

    with pytest.raises(ValidationError) as refused:
        _place(practicum, country)

    assert _messages(refused)["supervisor"] == [
        "The supervisor must be someone who is not the student themself; found: the student's own worker "
        "record."
    ]
    assert Placement.objects.count() == 0


def test_every_rule_broken_is_named(practicum: Practicum, country: Country) -> None:
    student_change(actor=practicum.institution_user, student=practicum.student, worker=practicum.newcomer)

    with pytest.raises(ValidationError) as refused:
        _place(
            practicum, country, supervisor=practicum.newcomer, starts_on=D(2023, 6, 1), ends_on=D(2023, 9, 1)
        )

    assert [message.split(";")[0] for message in _messages(refused)["supervisor"]] == [
        "The supervisor must be someone who is not the student themself",
        "The supervisor must be someone who holds a registration that is registered on 2023-06-01",
        "The supervisor must be someone who has at least 3 years of experience by 2023-06-01, from the start "
        "of their first assignment",
    ]


def test_no_experience_rule_when_the_programme_asks_none(practicum: Practicum, country: Country) -> None:
    practicum.programme.supervisor_experience_years = 0
    practicum.programme.save(update_fields=["supervisor_experience_years"])
    student = Student.objects.get(pk=practicum.student.pk)

    placement = _place(practicum, country, student=student, supervisor=practicum.newcomer)

    assert placement.supervisor == practicum.newcomer


def test_full_years_count_anniversaries() -> None:
    assert (
        full_years_between(D(2021, 3, 1), D(2024, 2, 29)),
        full_years_between(D(2021, 3, 1), D(2024, 3, 1)),
        full_years_between(D(2020, 2, 29), D(2023, 2, 28)),
        full_years_between(D(2020, 2, 29), D(2023, 3, 1)),
    ) == (2, 3, 2, 3)


def test_dates_and_hours_of_a_new_placement_are_checked(practicum: Practicum, country: Country) -> None:
    with pytest.raises(ValidationError) as backwards:
        _place(practicum, country, ends_on=D(2024, 2, 28))
    with pytest.raises(ValidationError) as no_hours:
        _place(practicum, country, hours_planned=0)

    assert _messages(backwards) == {"ends_on": ["The placement cannot end before it starts (2024-03-01)."]}
    assert _messages(no_hours) == {"hours_planned": ["Plan at least 1 hour."]}
    assert Placement.objects.count() == 0


# --- hours, evaluation, an early end ---------------------------------------------------------------------


def test_hours_are_recorded_above_the_plan_but_never_negative_nor_before_the_start(
    practicum: Practicum, country: Country
) -> None:
    placement = _place(practicum, country, hours_planned=100)
    user = practicum.institution_user

    placement_hours_record(actor=user, placement=placement, hours_done=120, on=D(2024, 7, 1))
    with pytest.raises(ValidationError) as negative:
        placement_hours_record(actor=user, placement=placement, hours_done=-1, on=D(2024, 7, 2))
    with pytest.raises(ValidationError) as early:
        placement_hours_record(actor=user, placement=placement, hours_done=10, on=D(2024, 2, 29))

    placement.refresh_from_db()
    assert placement.hours_done == 120
    assert _messages(negative) == {"hours_done": ["The hours done cannot be fewer than 0."]}
    assert _messages(early) == {
        "hours_done": ["Hours cannot be recorded before the placement starts (2024-03-01)."]
    }


def test_an_evaluation_is_recorded_with_its_notes(practicum: Practicum, country: Country) -> None:
    placement = _place(practicum, country)
    user = practicum.institution_user

    placement_evaluate(
        actor=user, placement=placement, evaluation="good", notes=" Reliable. ", on=D(2024, 7, 1)
    )
    with pytest.raises(ValidationError) as unset:
        placement_evaluate(actor=user, placement=placement, evaluation="not_evaluated", on=D(2024, 7, 1))
    with pytest.raises(ValidationError) as early:
        placement_evaluate(actor=user, placement=placement, evaluation="good", on=D(2024, 1, 1))

    placement.refresh_from_db()
    assert (placement.evaluation, placement.evaluation_notes) == (Evaluation.GOOD, "Reliable.")
    assert _messages(unset) == {
        "evaluation": ["Choose one of: unsatisfactory, satisfactory, good, excellent."]
    }
    assert _messages(early) == {
        "evaluation": ["A placement cannot be evaluated before it starts (2024-03-01)."]
    }


def test_a_placement_ends_early_between_its_first_day_and_its_planned_end(
    practicum: Practicum, country: Country
) -> None:
    placement = _place(practicum, country)
    user = practicum.institution_user

    with pytest.raises(ValidationError) as too_late:
        placement_end(actor=user, placement=placement, on=D(2024, 6, 30), reason="Moved")
    with pytest.raises(ValidationError) as too_soon:
        placement_end(actor=user, placement=placement, on=D(2024, 2, 1), reason="Moved")
    with pytest.raises(ValidationError) as no_reason:
        placement_end(actor=user, placement=placement, on=D(2024, 5, 1), reason=" ")
    placement_end(actor=user, placement=placement, on=D(2024, 5, 1), reason="The student fell ill.")
    with pytest.raises(ValidationError) as twice:
        placement_end(actor=user, placement=placement, on=D(2024, 5, 2), reason="Again")

    placement.refresh_from_db()
    assert (placement.ended_early_on, placement.end_reason, placement.ends_on) == (
        D(2024, 5, 1),
        "The student fell ill.",
        D(2024, 6, 30),
    )
    assert _messages(too_late) == {
        "ended_early_on": ["The placement ends on 2024-06-30 as planned: an early end comes before it."]
    }
    assert _messages(too_soon) == {
        "ended_early_on": ["A placement cannot end before it starts (2024-03-01)."]
    }
    assert _messages(no_reason) == {"end_reason": ["Say why the placement ended early."]}
    assert _messages(twice) == {"ended_early_on": ["The placement already ended early, on 2024-05-01."]}


def test_a_student_s_practicum_year_and_hours_covered(practicum: Practicum, country: Country) -> None:
    # Intake 2023, 24 months: practicum year 2024. Placements starting in 2024: 150 planned (200 done)
    # and 300 planned but ended early with 100 done: 200 + 100 = 300 of the 400 asked.
    PlacementFactory(student=practicum.student, hours_planned=150, hours_done=200)
    PlacementFactory(
        student=practicum.student, hours_planned=300, hours_done=100, ended_early_on=D(2024, 4, 1)
    )
    PlacementFactory(
        student=practicum.student, starts_on=D(2023, 3, 1), ends_on=D(2023, 5, 1), hours_planned=400
    )

    standing = student_practicum(student=practicum.student)

    assert (standing.year, standing.hours_required, standing.hours_covered, standing.needs_placement) == (
        2024,
        400,
        300,
        True,
    )


# --- students and offers ---------------------------------------------------------------------------------


def test_a_student_is_recorded_and_changed_audited(practicum: Practicum, personas: Personas) -> None:
    student = student_create(
        actor=practicum.institution_user,
        programme=practicum.programme,
        student_number=" ST-2 ",
        given_name="Ben",
        family_name="Phiri",
        intake_year=2024,
        sex="male",
    )
    changed = student_change(actor=personas.national, student=student, family_name="Phiri-Banda")

    assert (student.student_number, student.family_name, changed) == ("ST-2", "Phiri-Banda", ["family_name"])
    assert [record.history_user for record in student.history.order_by("history_id")] == [
        practicum.institution_user,
        personas.national,
    ]


def test_a_student_number_is_unique_in_its_programme(practicum: Practicum) -> None:
    with pytest.raises(ValidationError) as refused:
        student_create(
            actor=practicum.institution_user,
            programme=practicum.programme,
            student_number="ST-1",
            given_name="Eve",
            family_name="Banda",
            intake_year=2024,
        )

    assert _messages(refused) == {"student_number": ["Another student of DIP-SW has the number ST-1."]}
    assert Student.objects.count() == 1


def test_only_the_institution_or_a_national_data_manager_changes_its_students(
    practicum: Practicum, personas: Personas, country: Country
) -> None:
    for user in (
        practicum.other_institution_user,
        personas.subnational,
        personas.focal_point,
        personas.analyst,
    ):
        with pytest.raises(PermissionDenied):
            student_change(actor=user, student=practicum.student, given_name="X")
        with pytest.raises(PermissionDenied):
            _place(practicum, country, actor=user)
    with pytest.raises(PermissionDenied):  # moving a student into an institution one may not change
        student_change(
            actor=practicum.institution_user, student=practicum.student, programme=practicum.other_programme
        )

    assert Student.objects.get().given_name == "Ada"
    assert Placement.objects.count() == 0


def test_offers_are_set_by_the_organisation_its_area_or_nationally(
    practicum: Practicum, personas: Personas, country: Country
) -> None:
    offer = practicum_offer_set(actor=personas.focal_point, organisation=country.ngo, year=2024, places=3)
    practicum_offer_set(actor=personas.national, organisation=country.ngo, year=2024, places=5)
    in_area = OrganisationFactory(code="DSWO-D11", location=country.district_11)
    area_offer = practicum_offer_set(actor=personas.subnational, organisation=in_area, year=2024, places=2)
    with pytest.raises(PermissionDenied):
        practicum_offer_set(actor=personas.subnational, organisation=country.ngo, year=2024, places=9)
    with pytest.raises(PermissionDenied):
        practicum_offer_set(actor=practicum.institution_user, organisation=country.ngo, year=2024, places=9)
    with pytest.raises(ValidationError) as negative:
        practicum_offer_set(actor=personas.national, organisation=country.ngo, year=2024, places=-1)

    offer.refresh_from_db()
    assert (PracticumOffer.objects.count(), offer.places, area_offer.places) == (2, 5, 2)
    assert [record.places for record in offer.history.order_by("history_id")] == [3, 5]
    assert _messages(negative) == {"places": ["The places offered cannot be fewer than 0."]}
