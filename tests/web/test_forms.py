"""The forms: a valid POST writes through the service (with the audit user), an invalid or out-of-scope
POST shows why and writes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.registry.models import Assignment, Worker
from tests.conftest import Personas
from tests.web.conftest import Workforce, text_of

REGISTER = reverse("web:worker_register")


def registration(**changes: Any) -> dict[str, Any]:
    data = {
        "worker_id": "W-NEW",
        "given_name": "Ruth",
        "family_name": "Mwale",
        "sex": "female",
        "birth_date": "1990-05-17",
        "disability": "no",
        "education_level": "diploma",
        "education_field": "Social work",
        "national_id": "",
        "phone": "+260 970 000000",
        "email": "ruth@example.org",
        "primero_user_name": "",
        "organisation": "MSW",
        "location": "D11",
        "cadre": "PSW",
        "post": "",
        "start_date": "2025-02-01",
        "paid": "on",
        "fte": "0.5",
        "child_protection": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def rows() -> tuple[int, int]:
    return Worker.objects.count(), Assignment.objects.count()


# --- register ----------------------------------------------------------------------------------


def test_register_form_is_labelled_and_marks_required_fields(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    html = as_user(personas.national).get(REGISTER).content.decode()
    assert (
        '<label for="id_worker_id">Worker ID <span class="required" aria-hidden="true">*</span></label>'
        in html
    )
    assert '<label for="id_phone">Phone</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<legend>Personal details</legend>" in html
    assert "<legend>First assignment</legend>" in html
    assert 'type="date" name="start_date"' in html


def test_register_creates_the_worker_and_first_assignment_as_the_user(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.national)
    response = client.post(REGISTER, registration())
    assert response.status_code == 302
    assert response["Location"] == reverse("web:worker_detail", args=["W-NEW"])
    worker = Worker.objects.get(worker_id="W-NEW")
    assert (worker.given_name, worker.sex, worker.birth_date) == (
        "Ruth",
        "female",
        datetime.date(1990, 5, 17),
    )
    assignment = worker.assignments.get()
    assert (assignment.organisation.code, assignment.location.code, assignment.cadre.code) == (
        "MSW",
        "D11",
        "PSW",
    )
    assert (assignment.paid, str(assignment.fte), assignment.child_protection) == (True, "0.500", True)
    assert worker.history.get().history_user == personas.national
    assert assignment.history.get().history_user == personas.national
    followed = client.get(response["Location"])
    assert "Ruth Mwale (W-NEW) is registered." in text_of(followed)


def test_register_with_a_post(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.subnational).post(
        REGISTER, registration(location="D12", post="P-D12-PSW", paid=None, child_protection=None)
    )
    assert response.status_code == 302
    assignment = Worker.objects.get(worker_id="W-NEW").assignments.get()
    assert (assignment.post.code, assignment.paid, assignment.child_protection) == ("P-D12-PSW", False, False)
    assert assignment.history.get().history_user == personas.subnational


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"family_name": ""}, "family_name", "This field is required."),
        ({"fte": "1.5"}, "fte", "Ensure this value is less than or equal to 1."),
        ({"start_date": "2025-02-30"}, "start_date", "Enter a valid date."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"cadre": "XX"}, "cadre", "Select a valid choice."),
        ({"post": "NOPE"}, "post", "There is no post with this code that you may use."),
    ],
)
def test_register_with_invalid_input_shows_the_error_and_writes_nothing(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = rows()
    response = as_user(personas.national).post(REGISTER, registration(**changes))
    assert response.status_code == 200
    assert rows() == before
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert '<div class="error-summary" role="alert"' in html
    assert f'<a href="#id_{field}">' in html
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html


def test_register_shows_service_errors_on_the_fields_and_writes_nothing(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    before = rows()
    client = as_user(personas.national)
    duplicate = client.post(REGISTER, registration(worker_id="W-ALICE"))
    assert "Worker with this Worker ID already exists." in duplicate.context["form"].errors["worker_id"]
    # The post is Alice's: the worker row written before the assignment is rolled back with it.
    filled = client.post(REGISTER, registration(post="P-D11-SW", cadre="SW"))
    assert filled.context["form"].errors["post"] == [
        "Post P-D11-SW is already filled by W-ALICE on 2025-02-01; end that assignment first."
    ]
    mismatched = client.post(REGISTER, registration(post="P-D21-CPV"))
    assert "the assignment's organisation, location and cadre must be the same" in " ".join(
        mismatched.context["form"].errors["post"]
    )
    assert rows() == before
    assert not Worker.objects.filter(worker_id="W-NEW").exists()


def test_subnational_officer_may_only_choose_locations_in_the_subtree(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.subnational)
    html = client.get(REGISTER).content.decode()
    assert '<option value="D12">' in html
    assert '<option value="D21">' not in html
    before = rows()
    response = client.post(REGISTER, registration(location="D21"))
    assert response.status_code == 200
    assert "Select a valid choice" in " ".join(response.context["form"].errors["location"])
    assert rows() == before


def test_focal_point_may_only_choose_their_organisation(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.focal_point)
    html = client.get(REGISTER).content.decode()
    assert '<option value="NGO1">' in html
    assert '<option value="MSW">' not in html
    before = rows()
    response = client.post(REGISTER, registration(organisation="MSW"))
    assert "Select a valid choice" in " ".join(response.context["form"].errors["organisation"])
    assert rows() == before
    assert as_user(personas.focal_point).post(REGISTER, registration(organisation="NGO1")).status_code == 302
    assert Worker.objects.get(worker_id="W-NEW").assignments.get().organisation.code == "NGO1"


@pytest.mark.parametrize("role", ["analyst", "administrator", "outsider"])
def test_roles_without_people_cannot_register(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce, role: str
) -> None:
    before = rows()
    assert as_user(getattr(personas, role)).post(REGISTER, registration()).status_code == 403
    assert rows() == before


def test_forms_need_the_csrf_token(personas: Personas, workforce: Workforce) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.national)
    before = rows()
    assert client.post(REGISTER, registration()).status_code == 403
    assert rows() == before


# --- start, end, transfer, edit ----------------------------------------------------------------


def start_url(worker: Worker) -> str:
    return reverse("web:assignment_start", args=[worker.worker_id])


def end_url(assignment: Assignment) -> str:
    return reverse("web:assignment_end", args=[assignment.uuid])


def transfer_url(assignment: Assignment) -> str:
    return reverse("web:assignment_transfer", args=[assignment.uuid])


TERMS = {
    "organisation": "MSW",
    "location": "D12",
    "cadre": "SW",
    "start_date": "2025-01-01",
    "paid": "on",
    "fte": "1",
    "child_protection": "on",
}


def test_start_an_assignment(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.subnational).post(start_url(workforce.brian), TERMS)
    assert response.status_code == 302
    new = workforce.brian.assignments.get(start_date=datetime.date(2025, 1, 1))
    assert (new.location.code, new.cadre.code, new.end_date) == ("D12", "SW", None)
    assert new.history.get().history_user == personas.subnational


def test_start_a_duplicate_assignment_is_refused(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    before = rows()
    response = as_user(personas.national).post(
        start_url(workforce.alice), {**TERMS, "location": "D11", "start_date": "2020-01-01"}
    )
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].non_field_errors())
    assert rows() == before


def test_start_an_assignment_for_a_worker_out_of_scope_is_404(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    before = rows()
    assert as_user(personas.subnational).post(start_url(workforce.grace), TERMS).status_code == 404
    assert as_user(personas.focal_point).post(start_url(workforce.alice), TERMS).status_code == 404
    assert rows() == before


def test_end_an_assignment(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.focal_point).post(
        end_url(workforce.grace_assignment),
        {"end_date": "2025-06-30", "exit_reason": "resigned", "version": workforce.grace_assignment.version},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:worker_detail", args=["W-GRACE"])
    workforce.grace_assignment.refresh_from_db()
    assert (workforce.grace_assignment.end_date, workforce.grace_assignment.exit_reason) == (
        datetime.date(2025, 6, 30),
        "resigned",
    )
    assert workforce.grace_assignment.history.latest().history_user == personas.focal_point


@pytest.mark.parametrize(
    ("assignment", "data", "field", "message"),
    [
        (
            "alice_assignment",
            {"end_date": "2019-12-31", "exit_reason": "resigned"},
            "end_date",
            "The end date must not be before the start date (2020-01-01).",
        ),
        (
            "brian_assignment",
            {"end_date": "2024-12-31", "exit_reason": "resigned"},
            "end_date",
            "This assignment already ended on 2023-06-30.",
        ),
        (
            "alice_assignment",
            {"end_date": "2024-12-31", "exit_reason": ""},
            "exit_reason",
            "This field is required.",
        ),
    ],
)
def test_end_with_a_problem_shows_it_and_writes_nothing(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    assignment: str,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    target: Assignment = getattr(workforce, assignment)
    before = (target.end_date, target.exit_reason, target.history.count())
    response = as_user(personas.national).post(end_url(target), {**data, "version": target.version})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    target.refresh_from_db()
    assert (target.end_date, target.exit_reason, target.history.count()) == before


def test_end_an_assignment_out_of_scope_is_refused(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    data = {"end_date": "2025-06-30", "exit_reason": "resigned"}
    assert as_user(personas.subnational).post(end_url(workforce.grace_assignment), data).status_code == 404
    assert as_user(personas.focal_point).post(end_url(workforce.alice_assignment), data).status_code == 404
    assert as_user(personas.analyst).post(end_url(workforce.alice_assignment), data).status_code == 403
    for assignment in (workforce.grace_assignment, workforce.alice_assignment):
        assignment.refresh_from_db()
        assert assignment.end_date is None


def test_transfer_ends_the_old_and_starts_the_new_assignment(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.subnational).post(
        transfer_url(workforce.alice_assignment),
        {**TERMS, "last_day": "2024-12-31", "post": "P-D12-PSW", "cadre": "PSW", "version": 1},
    )
    assert response.status_code == 302
    old = Assignment.objects.get(pk=workforce.alice_assignment.pk)
    assert (old.end_date, old.exit_reason) == (datetime.date(2024, 12, 31), "transferred")
    new = workforce.alice.assignments.get(start_date=datetime.date(2025, 1, 1))
    assert (new.location.code, new.post.code) == ("D12", "P-D12-PSW")
    assert old.history.latest().history_user == personas.subnational
    assert new.history.get().history_user == personas.subnational


def test_transfer_form_starts_from_the_current_terms(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    response = as_user(personas.national).get(transfer_url(workforce.alice_assignment))
    html = response.content.decode()
    assert '<option value="D11" selected>' in html
    assert '<option value="SW" selected>' in html
    assert "<legend>End of the current assignment</legend>" in html
    assert 'value="1"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"last_day": "2025-01-01"},
            "start_date",
            "The new assignment must start after the last day of the old one.",
        ),
        (
            {"last_day": "2019-06-30", "start_date": "2019-07-01"},
            "last_day",
            "The end date must not be before the start date (2020-01-01).",
        ),
        (
            {
                "post": "P-D21-CPV",
                "organisation": "NGO1",
                "location": "D21",
                "cadre": "CPV",
                "last_day": "2024-12-31",
            },
            "post",
            None,
        ),
    ],
)
def test_transfer_with_a_problem_changes_nothing(
    as_user: Callable[[Any], Client],
    personas: Personas,
    workforce: Workforce,
    changes: dict[str, str],
    field: str,
    message: str | None,
) -> None:
    # Grace holds P-D21-CPV from 2020 in this case, so the new assignment cannot fill it.
    workforce.grace_assignment.post = workforce.post_ngo
    workforce.grace_assignment.save()
    before = rows()
    response = as_user(personas.national).post(
        transfer_url(workforce.alice_assignment), {**TERMS, **changes, "version": 1}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors == [message] if message else errors
    assert rows() == before
    workforce.alice_assignment.refresh_from_db()
    assert workforce.alice_assignment.end_date is None
    assert (
        "Current assignment: Social worker at Ministry of Social Welfare, Alpha, since 2020-01-01"
        in text_of(response)
    )


def test_subnational_officer_cannot_transfer_into_another_region(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    before = rows()
    response = as_user(personas.subnational).post(
        transfer_url(workforce.alice_assignment),
        {**TERMS, "location": "D21", "last_day": "2024-12-31", "version": 1},
    )
    assert "Select a valid choice" in " ".join(response.context["form"].errors["location"])
    assert rows() == before
    workforce.alice_assignment.refresh_from_db()
    assert workforce.alice_assignment.end_date is None


def test_edit_personal_details(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    url = reverse("web:worker_edit", args=["W-PETER"])
    client = as_user(personas.focal_point)
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    response = client.post(url, {**data, "phone": "+260 955 123456", "education_level": "master"})
    assert response.status_code == 302
    workforce.peter.refresh_from_db()
    assert (workforce.peter.phone, workforce.peter.education_level) == ("+260 955 123456", "master")
    record = workforce.peter.history.latest()
    assert record.history_user == personas.focal_point
    assert sorted(record.diff_against(record.prev_record).changed_fields) == ["education_level", "phone"]


def test_edit_personal_details_invalid_or_out_of_scope_writes_nothing(
    as_user: Callable[[Any], Client], personas: Personas, workforce: Workforce
) -> None:
    url = reverse("web:worker_edit", args=["W-PETER"])
    client = as_user(personas.national)
    data = {name: ("" if v is None else v) for name, v in client.get(url).context["form"].initial.items()}
    response = client.post(url, {**data, "worker_id": "W-ALICE"})
    assert "Worker with this Worker ID already exists." in response.context["form"].errors["worker_id"]
    assert (
        as_user(personas.focal_point)
        .post(reverse("web:worker_edit", args=["W-ALICE"]), {**data, "phone": "x"})
        .status_code
        == 404
    )
    workforce.alice.refresh_from_db()
    workforce.peter.refresh_from_db()
    assert (workforce.alice.phone, workforce.peter.worker_id, workforce.peter.history.count()) == (
        "",
        "W-PETER",
        1,
    )
