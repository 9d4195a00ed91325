"""The registrar's pages: the whole life of a registration taken step by step on its page, refusals shown
on the step's form with nothing written, each body's registrar kept to their own body, the officers'
read-only view, the worker's own page, and the lists' query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.models import CpdEvidence, Registration
from sswis.regulation.services import register_set, registration_apply, regulatory_body_set
from tests.factories import AssignmentFactory, UserFactory, WorkerFactory
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)

D = datetime.date


def _login(role: Role, **scope: Any) -> Client:
    user = UserFactory(username=f"u-{role}-{len(scope)}-{UserFactory._meta.model.objects.count()}")
    user_scope_grant(actor=None, user=user, role=role, **scope)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def registrar(council: dict[str, Any]) -> Client:  # noqa: F811
    return _login(Role.REGISTRAR, regulatory_body=council["register"].body)


def _step(client: Client, registration: Registration, step: str, **data: str) -> Any:
    url = reverse("web:registration_step", kwargs={"pk": registration.pk, "step": step})
    return client.post(url, {f"{step}-{name}": value for name, value in data.items()})


def test_a_registrar_takes_an_application_to_a_licence_on_the_pages(
    council: dict[str, Any],  # noqa: F811
    registrar: Client,
) -> None:
    worker = council["worker"]
    response = registrar.post(
        reverse("web:registration_apply"),
        {"register": council["register"].pk, "worker_id": worker.worker_id, "applied_on": "2024-01-10"},
    )
    registration = Registration.objects.get(worker=worker)
    assert response.status_code == 302 and response["Location"] == f"/registrations/{registration.pk}/"
    page = registrar.get(response["Location"]).content.decode()
    assert "Eligibility today" in page and worker.national_id in page
    refused = _step(registrar, registration, "approve", number="SW-1", registered_on="2024-01-15")
    assert refused.status_code == 400 and "Check the application" in refused.content.decode()
    registration.refresh_from_db()
    assert registration.status == "applied"  # nothing written
    assert _step(registrar, registration, "review", documents_checked="on").status_code == 302
    assert (
        _step(registrar, registration, "approve", number="SW-1", registered_on="2024-01-15").status_code
        == 302
    )
    assert _step(registrar, registration, "licence", valid_from="2024-01-15", number="L-1").status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.number) == ("registered", "SW-1")
    page = registrar.get(f"/registrations/{registration.pk}/").content.decode()
    assert "2024-12-31" in page and "L-1" in page  # fixed renewal date 1 January
    # A step that does not apply now: shown, nothing written.
    wrong = _step(registrar, registration, "restore", on="2024-02-01")
    assert wrong.status_code == 400 and "not possible now" in wrong.content.decode()
    assert registrar.post(f"/registrations/{registration.pk}/nonsense/").status_code == 404


def test_a_registrar_of_another_body_sees_and_changes_nothing_of_this_one(
    council: dict[str, Any],  # noqa: F811
) -> None:
    registration = registration_apply(
        actor=council["registrar"],
        register=council["register"],
        worker=council["worker"],
        applied_on=D(2024, 1, 1),
    )
    other = regulatory_body_set(actor=council["registrar"], code="NC", name="Nursing Council")
    register_set(actor=council["registrar"], body=other, code="NURSES", name="Nurses")
    foreign = _login(Role.REGISTRAR, regulatory_body=other)
    assert foreign.get(f"/registrations/{registration.pk}/").status_code == 404
    assert _step(foreign, registration, "review", documents_checked="on").status_code == 404
    listing = foreign.get("/registrations/").content.decode()
    assert council["worker"].family_name not in listing
    registers = foreign.get("/registers/").content.decode()
    assert "Nurses" in registers and "Social workers" not in registers


def test_officers_read_the_registrations_of_their_workers_without_steps(
    council: dict[str, Any],  # noqa: F811
) -> None:
    registration = registration_apply(
        actor=council["registrar"],
        register=council["register"],
        worker=council["worker"],
        applied_on=D(2024, 1, 1),
    )
    location = council["worker"].assignments.get().location
    officer = _login(Role.SUBNATIONAL_OFFICER, location=location)
    page = officer.get(f"/registrations/{registration.pk}/")
    assert page.status_code == 200 and "Next steps" not in page.content.decode()
    assert _step(officer, registration, "review", documents_checked="on").status_code == 403
    assert _login(Role.ANALYST).get("/registrations/").status_code == 403


def test_the_registration_list_costs_the_same_queries_for_one_or_many(
    council: dict[str, Any],  # noqa: F811
    registrar: Client,
    django_assert_max_num_queries: Any,
) -> None:
    sw = council["sw"]
    for index in range(30):
        worker = WorkerFactory(family_name=f"Banda{index}")
        AssignmentFactory(worker=worker, cadre=sw, start_date=D(2020, 1, 1))
        registration_apply(
            actor=council["registrar"], register=council["register"], worker=worker, applied_on=D(2024, 1, 1)
        )
    with django_assert_max_num_queries(12):
        response = registrar.get("/registrations/?q=Banda1")
    assert response.status_code == 200
    assert response.content.decode().count("Banda1") >= 11  # Banda1, Banda10..Banda19


def test_the_worker_sees_their_own_record_and_submits_evidence(
    council: dict[str, Any],  # noqa: F811
) -> None:
    worker = council["worker"]
    registration_apply(
        actor=council["registrar"], register=council["register"], worker=worker, applied_on=D(2024, 1, 1)
    )
    own = _login(Role.WORKER, worker=worker)
    page = own.get("/me/")
    assert page.status_code == 200 and "Social workers" in page.content.decode()
    assert own.get("/").status_code == 403  # no aggregates
    assert own.get("/registrations/").status_code == 403
    bad = own.post("/me/cpd-evidence/", {"title": "x", "provider_name": "y", "completed_on": "2999-01-01"})
    assert bad.status_code == 400 and not CpdEvidence.objects.exists()
    good = own.post(
        "/me/cpd-evidence/", {"title": "Ethics MOOC", "provider_name": "Open U", "completed_on": "2024-01-05"}
    )
    assert good.status_code == 302 and CpdEvidence.objects.get().worker == worker
    assert _login(Role.ANALYST).get("/me/").status_code == 403


def test_a_worker_signing_in_lands_on_their_own_page(council: dict[str, Any]) -> None:  # noqa: F811
    from sswis.access.services import user_create_with_role

    user_create_with_role(
        actor=None, username="own", password="own-pw-2025!", role=Role.WORKER, worker=council["worker"]
    )
    client = Client()
    response = client.post("/login/", {"username": "own", "password": "own-pw-2025!"})
    assert (response.status_code, response["Location"]) == (302, "/me/")
    asked = Client().post("/login/?next=/registrations/", {"username": "own", "password": "own-pw-2025!"})
    assert asked["Location"] == "/registrations/"  # the page asked for (then refused: not theirs)
