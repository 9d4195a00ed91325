"""The caseloads' pages: the list with its over-norm flags, one caseload and a month's grid entered, a
caseload removed, the norms set, the distribution with its chart; scope, refusals and query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client

from sswis.support.models import Caseload, CaseloadNorm
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import Workforce, queries_for, text_of

D = datetime.date
JUNE = D(2025, 6, 1)
AsUser = Callable[[Any], Client]


def test_the_list_flags_caseloads_over_the_norm_within_scope(
    as_user: AsUser, personas: Personas, workforce: Workforce, country: Country
) -> None:
    Caseload.objects.create(worker=workforce.alice, month=JUNE, open_cases=14)
    Caseload.objects.create(worker=workforce.peter, month=JUNE, open_cases=9)
    Caseload.objects.create(worker=workforce.grace, month=JUNE, open_cases=30)
    CaseloadNorm.objects.create(cadre=country.social_worker, maximum_open_cases=12)
    page = text_of(as_user(personas.subnational).get("/support/caseloads/"))
    assert "Alice Banda W-ALICE all 14 12 Over the norm" in page
    assert "Peter Ngoma W-PETER all 9 12 Within" in page
    assert "Grace" not in page  # D21: outside the officer's region
    focal = text_of(as_user(personas.focal_point).get("/support/caseloads/?month=2025-06"))
    assert "Grace Daka W-GRACE all 30 — No norm" in focal and "Alice" not in focal
    assert as_user(personas.analyst).get("/support/caseloads/").status_code == 403


def test_one_caseload_is_entered_and_bad_input_refused(
    as_user: AsUser, personas: Personas, workforce: Workforce
) -> None:
    client = as_user(personas.subnational)
    response = client.post(
        "/support/caseloads/new/", {"worker_id": "W-ALICE", "month": "2025-06", "kind": "", "open_cases": "7"}
    )
    assert response.status_code == 302
    caseload = Caseload.objects.get()
    assert (caseload.worker, caseload.month, caseload.kind, caseload.open_cases, caseload.source) == (
        workforce.alice,
        JUNE,
        "all",
        7,
        "entered",
    )
    for given, problem in (
        ({"worker_id": "W-GRACE"}, "None of the workers you see has this worker ID."),
        ({"month": "June"}, "June is not a month: write YYYY-MM, e.g. 2025-12."),
        ({"month": "2099-01"}, "This month has not begun."),
        ({"open_cases": "-2"}, "Ensure this value is greater than or equal to 0."),
    ):
        data = {"worker_id": "W-ALICE", "month": "2025-07", "open_cases": "3"} | given
        refused = client.post("/support/caseloads/new/", data)
        assert refused.status_code == 400 and problem in text_of(refused), given
    assert Caseload.objects.count() == 1


def test_a_month_is_entered_in_a_grid(as_user: AsUser, personas: Personas, workforce: Workforce) -> None:
    Caseload.objects.create(worker=workforce.alice, month=JUNE, open_cases=5)
    client = as_user(personas.subnational)
    url = "/support/caseloads/grid/?month=2025-06&kind=&location=D11"
    page = client.get(url)
    assert page.status_code == 200
    shown = text_of(page)
    assert "Alice Banda W-ALICE" in shown and "Peter Ngoma W-PETER" in shown and "Brian" not in shown
    assert 'value="5"' in page.content.decode()  # the figure recorded
    alice, peter = f"open_cases_{workforce.alice.pk}", f"open_cases_{workforce.peter.pk}"
    saved = client.post(url, {alice: "5", peter: "11"}, follow=True)
    assert "Caseloads saved: 1 new, 0 changed, 1 unchanged." in text_of(saved)
    assert dict(Caseload.objects.values_list("worker__worker_id", "open_cases")) == {
        "W-ALICE": 5,
        "W-PETER": 11,
    }
    refused = client.post(url, {alice: "-1", peter: "12"})
    assert refused.status_code == 400
    assert Caseload.objects.get(worker=workforce.peter).open_cases == 11  # nothing written


def test_a_caseload_is_removed_within_scope(
    as_user: AsUser, personas: Personas, workforce: Workforce
) -> None:
    grace = Caseload.objects.create(worker=workforce.grace, month=JUNE, open_cases=5)
    alice = Caseload.objects.create(worker=workforce.alice, month=JUNE, open_cases=5)
    client = as_user(personas.subnational)
    assert client.post(f"/support/caseloads/{grace.uuid}/remove/").status_code == 404
    assert client.post(f"/support/caseloads/{alice.uuid}/remove/").status_code == 302
    assert list(Caseload.objects.all()) == [grace]


def test_norms_are_shown_to_every_role_and_set_by_a_national_data_manager(
    as_user: AsUser, personas: Personas, country: Country
) -> None:
    given = {"cadre": "SW", "kind": "investigations", "maximum_open_cases": "12", "source": "CWLA"}
    assert as_user(personas.analyst).post("/support/caseloads/norms/", given).status_code == 403
    assert as_user(personas.national).post("/support/caseloads/norms/", given).status_code == 302
    norm = CaseloadNorm.objects.get()
    assert (norm.cadre, norm.kind, norm.maximum_open_cases, norm.source) == (
        country.social_worker,
        "investigations",
        12,
        "CWLA",
    )
    page = as_user(personas.analyst).get("/support/caseloads/norms/")
    assert "Social worker SW investigations 12 CWLA" in text_of(page)
    assert "Set a norm" not in text_of(page)
    assert as_user(personas.outsider).get("/support/caseloads/norms/").status_code == 403
    assert (
        as_user(personas.subnational).post(f"/support/caseloads/norms/{norm.pk}/remove/").status_code == 403
    )
    assert (
        as_user(personas.administrator).post(f"/support/caseloads/norms/{norm.pk}/remove/").status_code == 302
    )
    assert not CaseloadNorm.objects.exists()


def test_the_distribution_page_draws_its_chart_and_withholds_small_cells(
    as_user: AsUser, personas: Personas, country: Country, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 3
    for number, (location, value) in enumerate(
        [
            (country.district_11, 4),
            (country.district_11, 8),
            (country.district_11, 12),
            (country.district_12, 20),
        ]
    ):
        worker = WorkerFactory(worker_id=f"W-CASE-{number}")
        AssignmentFactory(worker=worker, location=location, cadre=country.social_worker)
        Caseload.objects.create(worker=worker, month=JUNE, open_cases=value)
    CaseloadNorm.objects.create(cadre=country.social_worker, maximum_open_cases=10)
    url = "/support/caseloads/distribution/?month=2025-06&location=R1"
    national = as_user(personas.national).get(url)
    shown = text_of(national)
    assert "<svg" in national.content.decode()
    assert "Alpha D11 Social worker 3 8.0 8.0 4 12 12 10 1 33.3%" in shown
    assert "Beta D12 Social worker 1 20.0 20.0 20 20 20 10 1 100.0%" in shown
    analyst = text_of(as_user(personas.analyst).get(url))
    # D12 (1 worker) withheld, and D11 with it (R1's figures minus D11's would give D12's back).
    assert "Beta D12 Social worker 1 … … … … … 10 … …" in analyst
    assert "Alpha D11 Social worker 3 … … … … … 10 … …" in analyst
    assert as_user(personas.outsider).get(url).status_code == 403


def test_the_list_takes_the_same_queries_for_one_and_three(
    as_user: AsUser, personas: Personas, workforce: Workforce, country: Country
) -> None:
    CaseloadNorm.objects.create(cadre=country.social_worker, maximum_open_cases=12)
    client = as_user(personas.national)
    Caseload.objects.create(worker=workforce.alice, month=JUNE, open_cases=4)
    one = queries_for(client, "/support/caseloads/")
    Caseload.objects.create(worker=workforce.peter, month=JUNE, open_cases=4)
    Caseload.objects.create(worker=workforce.grace, month=JUNE, open_cases=4)
    assert queries_for(client, "/support/caseloads/") == one
