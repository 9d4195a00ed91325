"""Caseloads through the API (``/api/v1/support/``): set and replace, list with filters and over-norm flags,
remove; norms listed, set and removed; the distribution; refusals; query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sswis.support.models import Caseload, CaseloadNorm
from tests.api.conftest import Staffing, results
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date
BASE = "/api/v1/support"
Clients = Callable[[str | None], APIClient]


def test_a_caseload_is_set_then_replaced(client_for: Clients, staffing: Staffing, personas: Personas) -> None:
    client = client_for("subnational")
    given = {"worker_id": "W000001", "month": "2025-06", "open_cases": 14}
    created = client.post(f"{BASE}/caseloads/", given, format="json")
    assert created.status_code == 201, created.content
    assert {key: created.json()[key] for key in ("worker_id", "month", "kind", "open_cases", "source")} == {
        "worker_id": "W000001",
        "month": "2025-06",
        "kind": "all",
        "open_cases": 14,
        "source": "api",
    }
    replaced = client.post(f"{BASE}/caseloads/", given | {"open_cases": 9}, format="json")
    assert (replaced.status_code, replaced.json()["open_cases"]) == (200, 9)
    caseload = Caseload.objects.get()
    assert (caseload.open_cases, caseload.history.count()) == (9, 2)
    assert caseload.history.latest().history_user == personas.subnational


def test_bad_caseloads_are_refused_naming_the_field(client_for: Clients, staffing: Staffing) -> None:
    client = client_for("subnational")
    cases = [
        ({"worker_id": "W000002", "month": "2025-06", "open_cases": 1}, "worker_id"),  # out of the area
        ({"worker_id": "W000001", "month": "2025-13", "open_cases": 1}, "month"),
        ({"worker_id": "W000001", "month": "2099-01", "open_cases": 1}, "month"),  # not begun
        ({"worker_id": "W000001", "month": "2025-06", "open_cases": -1}, "open_cases"),
        ({"worker_id": "W000001", "month": "2025-06", "open_cases": 1, "kind": "a\x07b"}, "kind"),
    ]
    for given, field in cases:
        response = client.post(f"{BASE}/caseloads/", given, format="json")
        assert response.status_code == 400, (given, response.content)
        assert list(response.json()) == [field]
    assert not Caseload.objects.exists()


def test_the_list_filters_and_flags_over_the_norm(
    client_for: Clients, staffing: Staffing, country: Country
) -> None:
    Caseload.objects.create(worker=staffing.north_worker, month=D(2025, 6, 1), open_cases=14)
    Caseload.objects.create(worker=staffing.north_worker, month=D(2025, 5, 1), open_cases=8)
    Caseload.objects.create(worker=staffing.north_worker, month=D(2025, 6, 1), kind="foster", open_cases=3)
    Caseload.objects.create(worker=staffing.south_worker, month=D(2025, 6, 1), open_cases=30)
    CaseloadNorm.objects.create(cadre=country.social_worker, maximum_open_cases=12)
    national = client_for("national")
    rows = results(national.get(f"{BASE}/caseloads/"))
    assert [(row["worker_id"], row["month"], row["kind"], row["norm"], row["over_norm"]) for row in rows] == [
        ("W000001", "2025-06", "all", 12, True),
        ("W000001", "2025-06", "foster", None, None),
        ("W000002", "2025-06", "all", None, None),  # PSW: no norm
        ("W000001", "2025-05", "all", 12, False),
    ]
    filtered = results(
        national.get(f"{BASE}/caseloads/", {"month": "2025-06", "kind": "all", "location": "R2"})
    )
    assert [row["worker_id"] for row in filtered] == ["W000002"]
    assert [row["month"] for row in results(national.get(f"{BASE}/caseloads/", {"worker": "W000001"}))] == [
        "2025-06",
        "2025-06",
        "2025-05",
    ]
    officer = results(client_for("subnational").get(f"{BASE}/caseloads/"))
    assert {row["worker_id"] for row in officer} == {"W000001"}
    bad = national.get(f"{BASE}/caseloads/", {"month": "June"})
    assert (bad.status_code, list(bad.json())) == (400, ["month"])


def test_a_caseload_is_read_and_removed_within_scope(client_for: Clients, staffing: Staffing) -> None:
    north = Caseload.objects.create(worker=staffing.north_worker, month=D(2025, 6, 1), open_cases=4)
    south = Caseload.objects.create(worker=staffing.south_worker, month=D(2025, 6, 1), open_cases=4)
    officer = client_for("subnational")
    assert officer.get(f"{BASE}/caseloads/{south.uuid}/").status_code == 404
    assert officer.delete(f"{BASE}/caseloads/{south.uuid}/").status_code == 404
    assert officer.get(f"{BASE}/caseloads/{north.uuid}/").json()["open_cases"] == 4
    assert officer.delete(f"{BASE}/caseloads/{north.uuid}/").status_code == 204
    assert list(Caseload.objects.values_list("pk", flat=True)) == [south.pk]


def test_roles_without_people_are_refused_the_caseloads(client_for: Clients, staffing: Staffing) -> None:
    for persona, status in (("analyst", 403), ("administrator", 403), ("outsider", 403), (None, 401)):
        client = client_for(persona)
        assert client.get(f"{BASE}/caseloads/").status_code == status
        given = {"worker_id": "W000001", "month": "2025-06", "open_cases": 1}
        assert client.post(f"{BASE}/caseloads/", given, format="json").status_code == status
    assert not Caseload.objects.exists()


def test_norms_are_read_by_every_role_and_set_by_national_roles(
    client_for: Clients, country: Country
) -> None:
    given = {"cadre": "SW", "kind": "investigations", "maximum_open_cases": 12, "source": "CWLA"}
    for persona in ("subnational", "focal_point", "analyst"):
        assert client_for(persona).post(f"{BASE}/caseload-norms/", given, format="json").status_code == 403
    created = client_for("administrator").post(f"{BASE}/caseload-norms/", given, format="json")
    assert created.status_code == 201, created.content
    replaced = client_for("national").post(
        f"{BASE}/caseload-norms/", given | {"maximum_open_cases": 15}, format="json"
    )
    assert replaced.json()["maximum_open_cases"] == 15
    rows = results(client_for("analyst").get(f"{BASE}/caseload-norms/"))
    assert [(row["cadre"], row["kind"], row["maximum_open_cases"], row["source"]) for row in rows] == [
        ("SW", "investigations", 15, "CWLA")
    ]
    bad = client_for("national").post(
        f"{BASE}/caseload-norms/", given | {"maximum_open_cases": 0}, format="json"
    )
    assert (bad.status_code, list(bad.json())) == (400, ["maximum_open_cases"])
    assert client_for("outsider").get(f"{BASE}/caseload-norms/").status_code == 403
    pk = rows[0]["id"]
    assert client_for("subnational").delete(f"{BASE}/caseload-norms/{pk}/").status_code == 403
    assert client_for("national").delete(f"{BASE}/caseload-norms/{pk}/").status_code == 204
    assert not CaseloadNorm.objects.exists()


def test_the_distribution_withholds_small_cells_from_an_analyst(
    client_for: Clients, staffing: Staffing, country: Country, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 3
    for value in (5, 7, 9):
        worker = WorkerFactory(worker_id=f"W-D12-{value}")
        AssignmentFactory(worker=worker, location=country.district_12, cadre=country.social_worker)
        Caseload.objects.create(worker=worker, month=D(2025, 6, 1), open_cases=value)
    Caseload.objects.create(worker=staffing.north_worker, month=D(2025, 6, 1), open_cases=20)
    CaseloadNorm.objects.create(cadre=country.social_worker, maximum_open_cases=8)
    query = {"month": "2025-06", "location": "R1", "depth": 1}
    national = client_for("national").get(f"{BASE}/caseloads/distribution/", query).json()
    assert national["unplaced"] is None
    assert [
        (row["location"], row["workers"], row["median"], row["over_norm"], row["withheld"])
        for row in national["rows"]
    ] == [("R1", 4, 8.0, 2, False), ("D11", 1, 20.0, 1, False), ("D12", 3, 7.0, 1, False)]
    analyst = client_for("analyst").get(f"{BASE}/caseloads/distribution/", query).json()
    # D11 (1 worker) withheld; D12 alone would give it back from R1's figures: withheld too.
    assert [
        (row["location"], row["workers"], row["median"], row["withheld"], row["over_norm_withheld"])
        for row in analyst["rows"]
    ] == [("R1", 4, 8.0, False, True), ("D11", 1, None, True, True), ("D12", 3, None, True, True)]
    assert client_for("outsider").get(f"{BASE}/caseloads/distribution/", query).status_code == 403
    missing = client_for("national").get(f"{BASE}/caseloads/distribution/")
    assert (missing.status_code, list(missing.json())) == (400, ["month"])


def _queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_caseload_list_takes_the_same_queries_for_one_and_three(
    client_for: Clients, staffing: Staffing, country: Country
) -> None:
    CaseloadNorm.objects.create(cadre=country.social_worker, maximum_open_cases=12)
    client = client_for("subnational")
    Caseload.objects.create(worker=staffing.north_worker, month=D(2025, 6, 1), open_cases=4)
    _queries(client, f"{BASE}/caseloads/")  # warm-up: the first request reads the content types once
    one = _queries(client, f"{BASE}/caseloads/")
    for number in range(2):
        worker = WorkerFactory(worker_id=f"W-QUERY-{number}")
        AssignmentFactory(worker=worker, location=country.district_11, cadre=country.social_worker)
        Caseload.objects.create(worker=worker, month=D(2025, 6, 1), open_cases=4)
    assert _queries(client, f"{BASE}/caseloads/") == one
    assert one == 4  # the role, the count, the page, the workers' assignments (the norms: none on the page)
    norms = client_for("analyst")
    _queries(norms, f"{BASE}/caseload-norms/")
    one_norm = _queries(norms, f"{BASE}/caseload-norms/")
    for cadre in (country.para_social_worker, country.volunteer):
        CaseloadNorm.objects.create(cadre=cadre, maximum_open_cases=9)
    assert _queries(norms, f"{BASE}/caseload-norms/") == one_norm
