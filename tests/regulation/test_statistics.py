"""The registers' yearly figures worked out by hand: statuses on 31 December by location, renewals due,
renewed within the grace period, lapses and the lapse rate, CPD compliance (points, a required category,
an exemption by age); the command, the page and the API, and who may see them."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.lapses import registrations_lapse_due
from sswis.regulation.models import CpdActivity, CpdProvider, LicenceValidity, Register, Registration
from sswis.regulation.services import (
    cpd_record_add,
    licence_issue,
    register_set,
    registration_apply,
    registration_approve,
    registration_review,
    regulatory_body_set,
)
from sswis.regulation.statistics import regulation_statistics
from tests.factories import (
    AssignmentFactory,
    CadreFactory,
    LocationFactory,
    OrganisationFactory,
    UserFactory,
    WorkerFactory,
)

D = datetime.date


@pytest.fixture
def figures_world(db: Any) -> dict[str, Any]:
    """Register SW (fixed renewal on 1 January, 30 days of grace, 10 CPD points with an ethics activity,
    no CPD from 65). Workers: A at D1 renewed on time with 10 points and ethics; B at D2 not renewed,
    lapsed on 1 February 2024, 5 points; C at D1, 70 years old, renewed on 20 January 2024 (within the
    grace), no CPD."""
    manager = UserFactory(username="manager")
    user_scope_grant(actor=None, user=manager, role=Role.NATIONAL_DATA_MANAGER)
    country = LocationFactory(code="C", level="country")
    region = LocationFactory(code="R1", parent=country, level="region")
    d1, d2 = LocationFactory(code="D1", parent=region), LocationFactory(code="D2", parent=region)
    sw = CadreFactory(code="SW")
    body = regulatory_body_set(actor=manager, code="SSC", name="Council")
    register = register_set(
        actor=manager, body=body, code="SW", name="Social workers", cadres=[sw],
        licence_validity=LicenceValidity.FIXED_DATE, grace_days=30, cpd_points_per_cycle=Decimal(10),
        cpd_required_categories=["ethics"], cpd_exempt_from_age=65,
    )  # fmt: skip
    provider = CpdProvider.objects.create(body=body, code="P", name="P", accredited_from=D(2020, 1, 1))
    ethics = CpdActivity.objects.create(
        provider=provider, code="E", title="E", category="ethics", points=Decimal(5), held_on=D(2023, 5, 1)
    )
    practice = CpdActivity.objects.create(
        provider=provider, code="P1", title="P", category="practice", points=Decimal(5), held_on=D(2023, 6, 1)
    )

    def registered(
        name: str, location: Any, registered_on: datetime.date, birth: datetime.date
    ) -> Registration:
        worker = WorkerFactory(family_name=name, birth_date=birth)
        AssignmentFactory(
            worker=worker,
            cadre=sw,
            organisation=OrganisationFactory(location=location),
            start_date=D(2020, 1, 1),
        )
        registration = registration_apply(
            actor=manager, register=register, worker=worker, applied_on=registered_on
        )
        registration_review(actor=manager, registration=registration, documents_checked=True)
        registration_approve(
            actor=manager, registration=registration, number=name, registered_on=registered_on
        )
        licence_issue(actor=manager, registration=registration, valid_from=registered_on)
        return registration

    a = registered("A", d1, D(2023, 3, 1), D(1980, 1, 1))
    b = registered("B", d2, D(2023, 5, 1), D(1980, 1, 1))
    c = registered("C", d1, D(2023, 6, 1), D(1953, 1, 1))
    cpd_record_add(actor=manager, worker=a.worker, activity=ethics, completed_on=D(2023, 5, 1))
    cpd_record_add(actor=manager, worker=a.worker, activity=practice, completed_on=D(2023, 6, 1))
    cpd_record_add(actor=manager, worker=b.worker, activity=practice, completed_on=D(2023, 6, 1))
    licence_issue(actor=manager, registration=a, valid_from=D(2024, 1, 1))
    licence_issue(actor=manager, registration=c, valid_from=D(2024, 1, 20))
    assert registrations_lapse_due(actor=None, day=D(2024, 2, 1)) == 1  # B
    return {"manager": manager, "body": body}


def test_the_figures_of_two_years_worked_out_by_hand(figures_world: dict[str, Any]) -> None:
    (of_2023,) = regulation_statistics(registers=Register.objects.all(), year=2023)
    assert of_2023.by_status == {"registered": 3}
    assert of_2023.by_location == {"C": {"registered": 3}, "R1": {"registered": 3}}  # depth 1
    assert (of_2023.renewals_due, of_2023.renewed_in_time, of_2023.lapsed, of_2023.lapse_rate) == (
        3,
        2,
        0,
        0.0,
    )
    assert (of_2023.cpd_compliant, of_2023.cpd_compliance) == (2, 2 / 3)  # A by points, C by age; not B
    (of_2024,) = regulation_statistics(registers=Register.objects.all(), year=2024, depth=2)
    assert of_2024.by_status == {"registered": 2, "lapsed": 1}
    assert of_2024.by_location["D1"] == {"registered": 2} and of_2024.by_location["D2"] == {"lapsed": 1}
    # Due in 2024: A's and C's licences ending 31 December 2024; B lapsed in 2024.
    assert (of_2024.renewals_due, of_2024.renewed_in_time, of_2024.lapsed, of_2024.lapse_rate) == (
        2,
        0,
        1,
        0.5,
    )
    (of_2022,) = regulation_statistics(registers=Register.objects.all(), year=2022)
    assert (of_2022.by_status, of_2022.renewals_due, of_2022.lapse_rate, of_2022.cpd_compliance) == (
        {},
        0,
        None,
        None,
    )


def test_the_command_the_page_and_the_api(figures_world: dict[str, Any]) -> None:
    out = StringIO()
    call_command("regulation_statistics", "--year", "2023", "--format", "json", stdout=out)
    (register,) = json.loads(out.getvalue())["registers"]
    assert (register["renewals_due"], register["cpd_compliant"]) == (3, 2)
    client = Client()
    client.force_login(figures_world["manager"])
    assert "Social workers" in client.get("/registers/figures/?year=2023").content.decode()
    data = client.get("/api/v1/regulation/statistics/?year=2024").json()
    assert data["registers"][0]["lapse_rate"] == 0.5
    assert client.get("/api/v1/regulation/statistics/?year=abc").status_code == 400
    foreign = UserFactory(username="foreign")
    other = regulatory_body_set(actor=figures_world["manager"], code="NC", name="Nurses")
    user_scope_grant(actor=None, user=foreign, role=Role.REGISTRAR, regulatory_body=other)
    client.force_login(foreign)
    assert client.get("/api/v1/regulation/statistics/?year=2024").json()["registers"] == []
    officer = UserFactory(username="analyst")
    user_scope_grant(actor=None, user=officer, role=Role.ANALYST)
    client.force_login(officer)
    assert client.get("/registers/figures/").status_code == 403


def test_a_registrar_gets_small_location_counts_withheld_and_no_applications_by_place(
    figures_world: dict[str, Any],
) -> None:
    """Locations say where people work: a registrar (not a national data manager) gets counts of 1 to k-1
    withheld there, with the complementary rule; an application is never counted at a place."""
    from sswis.regulation.services import registration_apply

    registrar = UserFactory(username="registrar")
    user_scope_grant(actor=None, user=registrar, role=Role.REGISTRAR, regulatory_body=figures_world["body"])
    applicant = WorkerFactory(family_name="Applicant")
    AssignmentFactory(worker=applicant, cadre=Register.objects.get().cadres.get(), start_date=D(2020, 1, 1))
    registration_apply(
        actor=registrar, register=Register.objects.get(), worker=applicant, applied_on=D(2024, 6, 1)
    )
    (full,) = regulation_statistics(registers=Register.objects.all(), year=2024, depth=2)
    assert full.by_status["applied"] == 1 and all(
        "applied" not in counts for counts in full.by_location.values()
    )
    (withheld,) = regulation_statistics(
        registers=Register.objects.all(), year=2024, depth=2, withheld_below=5
    )
    # D1 has 2 registered, D2 1 lapsed: every district cell is below 5, so withheld; the country and the
    # region (one location each at their level) too.
    assert withheld.by_location["D1"] == {"registered": None}
    assert withheld.by_location["D2"] == {"lapsed": None}
    assert withheld.by_location["C"] == {"registered": None, "lapsed": None}
    assert withheld.by_status == full.by_status  # the register's totals are not places
    client = Client()
    client.force_login(registrar)
    data = client.get("/api/v1/regulation/statistics/?year=2024&depth=2").json()
    assert data["registers"][0]["by_location"]["D1"] == {"registered": None}
    client.force_login(figures_world["manager"])
    data = client.get("/api/v1/regulation/statistics/?year=2024&depth=2").json()
    assert data["registers"][0]["by_location"]["D1"] == {"registered": 2}


def test_complementary_withholding_within_a_level() -> None:
    from sswis.regulation.statistics import _withheld

    counts: dict[str, dict[str, int | None]] = {
        "A": {"registered": 2},
        "B": {"registered": 9},
        "C": {"registered": 12},
    }
    _withheld(counts, levels={"A": 1, "B": 1, "C": 1}, below=5)
    assert counts == {"A": {"registered": None}, "B": {"registered": None}, "C": {"registered": 12}}
