"""The field practicum's pages: students, placements and their steps, offers and the availability table,
as the institution's focal point, a national data manager, an organisation focal point and those who must
be refused; query-count guards of every list; a scenario's graduates from training."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.planning.models import Scenario
from sswis.planning.services import scenario_save
from sswis.training.models_practicum import Placement, PracticumOffer, Student
from tests.conftest import Country, Personas
from tests.training.factories_practicum import (
    IntakeFactory,
    OfferFactory,
    PlacementFactory,
    StudentFactory,
)
from tests.training.practicum_world import Practicum, practicum_build
from tests.web.conftest import queries_for, text_of

D = datetime.date


@pytest.fixture
def practicum(country: Country) -> Practicum:
    return practicum_build(country)


@pytest.fixture
def placement(practicum: Practicum, country: Country) -> Placement:
    """Ada's placement at NGO1 (region R2: the NGO1 focal point's), supervised by Sam Tembo."""
    return PlacementFactory(
        student=practicum.student,
        organisation=country.ngo,
        supervisor=practicum.supervisor,
        starts_on=D(2024, 3, 1),
        ends_on=D(2024, 6, 30),
        hours_planned=400,
    )


PLACEMENT_FORM = {
    "organisation": "MSW",
    "supervisor": "W-SUP",
    "starts_on": "2024-03-01",
    "ends_on": "2024-06-30",
    "hours_planned": "400",
}


def test_the_institution_records_a_student_and_places_them(
    practicum: Practicum, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(practicum.institution_user)

    page = client.get(reverse("web:practicum_student_new"))
    created = client.post(
        reverse("web:practicum_student_new"),
        {
            "programme": "DIP-SW",
            "student_number": "ST-2",
            "given_name": "Ben",
            "family_name": "Phiri",
            "sex": "male",
            "intake_year": "2023",
        },
    )
    student = Student.objects.get(student_number="ST-2")
    placed = client.post(
        reverse("web:practicum_placement_new"), {**PLACEMENT_FORM, "student": str(student.pk)}
    )

    assert [option for option in ("DIP-SW", "CERT-X") if f'value="{option}"' in page.content.decode()] == [
        "DIP-SW"
    ]
    assert created.status_code == 302
    assert created["Location"] == reverse("web:practicum_student_detail", kwargs={"pk": student.pk})
    placement = Placement.objects.get()
    assert placed["Location"] == reverse("web:practicum_placement_detail", kwargs={"pk": placement.pk})
    assert (placement.student, placement.supervisor.worker_id) == (student, "W-SUP")
    detail = text_of(client.get(reverse("web:practicum_student_detail", kwargs={"pk": student.pk})))
    assert "Practicum year 2024: 400 hours asked, 400 covered by the placements starting that year." in detail


def test_an_ineligible_supervisor_is_refused_on_the_form_naming_the_rule(
    practicum: Practicum, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(practicum.institution_user)

    refused = client.post(
        reverse("web:practicum_placement_new"),
        {**PLACEMENT_FORM, "student": str(practicum.student.pk), "supervisor": "W-UNREG"},
    )
    unknown = client.post(
        reverse("web:practicum_placement_new"),
        {**PLACEMENT_FORM, "student": str(practicum.student.pk), "supervisor": "W-NOBODY"},
    )

    assert (refused.status_code, unknown.status_code) == (400, 400)
    assert (
        "The supervisor must be someone who holds a registration that is registered on 2024-03-01; found: no "
        "registration of theirs is registered that day." in text_of(refused)
    )
    assert "No worker has this worker ID." in text_of(unknown)
    assert Placement.objects.count() == 0


def test_steps_of_a_placement(
    practicum: Practicum, placement: Placement, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(practicum.institution_user)
    step = "web:practicum_placement_step"

    negative = client.post(
        reverse(step, kwargs={"pk": placement.pk, "step": "hours"}),
        {"hours-hours_done": "-5", "hours-recorded_on": "2024-05-01"},
    )
    early = client.post(
        reverse(step, kwargs={"pk": placement.pk, "step": "hours"}),
        {"hours-hours_done": "5", "hours-recorded_on": "2024-02-01"},
    )
    done = client.post(
        reverse(step, kwargs={"pk": placement.pk, "step": "hours"}),
        {"hours-hours_done": "450", "hours-recorded_on": "2024-07-01"},
    )
    evaluated = client.post(
        reverse(step, kwargs={"pk": placement.pk, "step": "evaluation"}),
        {
            "evaluation-evaluation": "excellent",
            "evaluation-notes": "Thorough.",
            "evaluation-evaluated_on": "2024-07-01",
        },
    )
    unknown = client.post(reverse(step, kwargs={"pk": placement.pk, "step": "bonus"}), {})

    placement.refresh_from_db()
    assert (negative.status_code, early.status_code, done.status_code, evaluated.status_code) == (
        400,
        400,
        302,
        302,
    )
    assert "Hours cannot be recorded before the placement starts (2024-03-01)." in text_of(early)
    assert (placement.hours_done, placement.evaluation, placement.evaluation_notes) == (
        450,
        "excellent",
        "Thorough.",
    )
    assert unknown.status_code == 404


def test_ending_a_placement_early(
    practicum: Practicum, placement: Placement, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(practicum.institution_user)
    url = reverse("web:practicum_placement_step", kwargs={"pk": placement.pk, "step": "end"})

    late = client.post(url, {"end-ended_early_on": "2024-07-01", "end-end_reason": "Moved"})
    ended = client.post(url, {"end-ended_early_on": "2024-05-15", "end-end_reason": "The student moved."})
    response = client.get(reverse("web:practicum_placement_detail", kwargs={"pk": placement.pk}))

    assert (late.status_code, ended.status_code) == (400, 302)
    assert "on 2024-05-15: The student moved." in text_of(response)
    assert f'action="{url}"' not in response.content.decode()  # no second early end is offered


def test_who_sees_the_people_of_the_practicum(
    practicum: Practicum,
    placement: Placement,
    personas: Personas,
    as_user: Callable[[Any], Client],
) -> None:
    student_url = reverse("web:practicum_student_detail", kwargs={"pk": practicum.student.pk})
    placement_url = reverse("web:practicum_placement_detail", kwargs={"pk": placement.pk})
    seen = {}
    for name, user in (
        ("national", personas.national),
        ("institution", practicum.institution_user),
        ("other institution", practicum.other_institution_user),
        ("focal point", personas.focal_point),  # the placement is at NGO1
        ("officer", personas.subnational),  # NGO1 is in region R2, not R1
        ("analyst", personas.analyst),
        ("outsider", personas.outsider),
    ):
        client = as_user(user)
        seen[name] = (
            client.get(reverse("web:practicum_student_list")).status_code,
            client.get(student_url).status_code,
            client.get(placement_url).status_code,
            client.get(reverse("web:practicum_student_new")).status_code,
        )

    assert seen == {
        "national": (200, 200, 200, 200),
        "institution": (200, 200, 200, 200),
        "other institution": (200, 404, 404, 200),
        "focal point": (200, 200, 200, 403),
        "officer": (200, 404, 404, 403),
        "analyst": (403, 403, 403, 403),
        "outsider": (403, 403, 403, 403),
    }


def test_the_other_institution_may_not_change_a_student_or_place_them(
    practicum: Practicum, placement: Placement, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(practicum.other_institution_user)

    edit = client.post(
        reverse("web:practicum_student_edit", kwargs={"pk": practicum.student.pk}), {"given_name": "X"}
    )
    hours = client.post(
        reverse("web:practicum_placement_step", kwargs={"pk": placement.pk, "step": "hours"}),
        {"hours-hours_done": "1", "hours-recorded_on": "2024-05-01"},
    )
    placed = client.post(
        reverse("web:practicum_placement_new"), {**PLACEMENT_FORM, "student": str(practicum.student.pk)}
    )

    assert (edit.status_code, hours.status_code, placed.status_code) == (404, 404, 400)
    assert "Select a valid choice." in text_of(placed)
    assert (Student.objects.get().given_name, Placement.objects.get().hours_done) == ("Ada", 0)


def test_offers_are_set_and_counted_in_the_availability(
    practicum: Practicum, country: Country, personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    # NGO1 (region R2, no district) offers 3 places in 2024; Ada (institution at D11, practicum year 2024)
    # has no placement yet: D11 needs 1.
    client = as_user(personas.focal_point)
    form_page = client.get(reverse("web:practicum_offer_set"))
    saved = client.post(
        reverse("web:practicum_offer_set"), {"organisation": "NGO1", "year": "2024", "places": "3"}
    )
    outside = client.post(
        reverse("web:practicum_offer_set"), {"organisation": "MSW", "year": "2024", "places": "3"}
    )
    table = text_of(as_user(personas.analyst).get(reverse("web:practicum_availability") + "?year=2024"))

    assert 'value="MSW"' not in form_page.content.decode()
    assert saved.status_code == 302
    assert outside.status_code == 400
    assert PracticumOffer.objects.get().places == 3
    assert "Alpha D11 0 0 0 1 -1" in table
    assert "Not in a district 3 0 3 0 3" in table
    assert "All districts 3 0 3 1 2" in table


@pytest.mark.parametrize(
    "name",
    ["practicum_student_list", "practicum_placement_list", "practicum_offer_list", "practicum_availability"],
)
def test_lists_take_the_same_queries_for_one_and_three(
    practicum: Practicum, country: Country, personas: Personas, as_user: Callable[[Any], Client], name: str
) -> None:
    def add() -> None:
        student = StudentFactory(programme=practicum.programme)
        PlacementFactory(student=student, organisation=country.ngo, supervisor=practicum.supervisor)
        OfferFactory(year=2024)

    add()
    for user in (personas.national, practicum.institution_user):
        client = as_user(user)
        url = reverse(f"web:{name}")
        one = queries_for(client, url)
        add()
        add()
        assert queries_for(client, url) == one


# --- the scenario's graduates from training -----------------------------------------------------------


@pytest.fixture
def scenario(practicum: Practicum) -> Scenario:
    """A national scenario from 2024 over 2 years, for social workers; DIP-SW (24 months, for SW) took 20
    students in 2023 and 30 in 2024: 20 and 30 graduates in 2025 and 2026 (no completion: rate 1)."""
    IntakeFactory(programme=practicum.programme, year=2023, enrolled=20)
    IntakeFactory(programme=practicum.programme, year=2024, enrolled=30)
    return scenario_save(
        actor=None,
        data={
            "code": "trend",
            "name": "Trend",
            "base_year": 2024,
            "horizon": 2,
            "cadres": {"SW": {"graduates": 4}},
        },
    )


def test_the_scenario_page_shows_the_graduates_from_training_and_uses_them(
    scenario: Scenario, personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.national)
    url = reverse("web:scenario_detail", kwargs={"code": "trend"})

    page = text_of(client.get(url))
    used = client.post(reverse("web:scenario_training_graduates", kwargs={"code": "trend"}))

    assert "Graduates from training Expected from the intakes" in page
    assert "Cadre 2025 2026 Social worker SW 20.0 30.0" in page
    assert used["Location"] == url
    scenario.refresh_from_db()
    assert scenario.document["cadres"] == {"SW": {"graduates": [20.0, 30.0]}}
    assert "Use these graduates in the scenario" not in text_of(as_user(personas.analyst).get(url))


def test_an_analyst_may_not_use_the_graduates(
    scenario: Scenario, personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    refused = as_user(personas.analyst).post(
        reverse("web:scenario_training_graduates", kwargs={"code": "trend"})
    )

    scenario.refresh_from_db()
    assert refused.status_code == 403
    assert scenario.document["cadres"] == {"SW": {"graduates": 4}}
