"""The Primero pages: the sync history, running a sync against a fake Primero (a background job, run at
once by the tests' task backend), and the case hand-over directory; with the personas they refuse."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sswis.primero.fake import FakePrimero
from sswis.primero.models import PrimeroSync
from sswis.support.models import Caseload
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory
from tests.web.conftest import queries_for

SYNCS, RUN, HANDOVER = "/support/primero/syncs/", "/support/primero/syncs/new/", "/support/primero/handover/"
Login = Callable[[Any], Client]


@pytest.fixture
def named(country: Country) -> dict[str, Any]:
    """Nandi (D11, ministry) is ``nandi`` in Primero, Omari (D21, NGO1) ``omari``."""
    made = {}
    for worker_id, given_name, user_name, location, organisation in (
        ("W-NANDI", "Nandi", "nandi", country.district_11, country.ministry),
        ("W-OMARI", "Omari", "omari", country.district_21, country.ngo),
    ):
        made[worker_id] = WorkerFactory(
            worker_id=worker_id, given_name=given_name, primero_user_name=user_name
        )
        AssignmentFactory(worker=made[worker_id], location=location, organisation=organisation)
    return made


@pytest.fixture
def primero(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePrimero]:
    with FakePrimero(owners=["nandi", "nandi", "omari", "ghost"]) as fake:
        settings.SSWIS_PRIMERO_URL = fake.url
        monkeypatch.setenv("SSWIS_PRIMERO_USERNAME", fake.user_name)
        monkeypatch.setenv("SSWIS_PRIMERO_PASSWORD", fake.password)
        yield fake


def test_a_national_data_manager_runs_a_sync_from_the_page(
    as_user: Login, personas: Personas, named: dict[str, Any], primero: FakePrimero
) -> None:
    client = as_user(personas.national)
    page = client.get(RUN).content.decode()
    assert primero.url in page
    response = client.post(RUN, {"month": "", "dry_run": "on"})
    assert (response.status_code, response["Location"]) == (302, SYNCS)
    assert not Caseload.objects.exists()  # a dry run
    response = client.post(RUN, {"month": f"{timezone.localdate():%Y-%m}"})
    assert response.status_code == 302
    assert sorted(Caseload.objects.values_list("worker__worker_id", "open_cases")) == [
        ("W-NANDI", 2),
        ("W-OMARI", 1),
    ]
    nandi = Caseload.objects.get(worker=named["W-NANDI"])
    assert nandi.history.get().history_user == personas.national  # the page's user is the actor
    syncs = list(
        PrimeroSync.objects.order_by("created_at").values_list(
            "user__username", "origin", "dry_run", "status"
        )
    )
    assert syncs == [("national", "page", True, "finished"), ("national", "page", False, "finished")]
    history = client.get(SYNCS).content.decode()
    assert "ghost" in history and "The sync has run" in history


def test_the_run_page_says_what_is_missing_and_writes_nothing(
    as_user: Login, personas: Personas, named: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = as_user(personas.national)
    settings.SSWIS_PRIMERO_URL = ""
    assert "No Primero server is set" in client.get(RUN).content.decode()
    assert "No Primero server is set" in client.post(RUN, {"month": ""}).content.decode()
    settings.SSWIS_PRIMERO_URL = "https://primero.example"
    monkeypatch.delenv("SSWIS_PRIMERO_USERNAME", raising=False)
    monkeypatch.delenv("SSWIS_PRIMERO_PASSWORD", raising=False)
    page = client.post(RUN, {"month": ""}).content.decode()
    assert "SSWIS_PRIMERO_USERNAME and SSWIS_PRIMERO_PASSWORD" in page
    page = client.post(RUN, {"month": "2025-13"}).content.decode()
    assert "2025-13 is not a month" in page
    assert not PrimeroSync.objects.exists() and not Caseload.objects.exists()


def test_a_failed_sync_is_said_and_kept(
    as_user: Login, personas: Personas, named: dict[str, Any], primero: FakePrimero
) -> None:
    primero.failures[1] = "malformed"
    client = as_user(personas.national)
    response = client.post(RUN, {"month": ""}, follow=True)
    page = response.content.decode()
    assert "did not answer page 1 of the open cases with JSON" in page
    assert PrimeroSync.objects.get().status == "failed" and not Caseload.objects.exists()


@pytest.mark.parametrize(
    ("persona", "syncs", "run"),
    [
        ("administrator", 200, 403),
        ("subnational", 403, 403),
        ("focal_point", 403, 403),
        ("analyst", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_who_may_see_the_syncs_and_run_one(
    as_user: Login, personas: Personas, persona: str, syncs: int, run: int
) -> None:
    PrimeroSync.objects.create(
        origin="command",
        url="https://primero.example",
        month=timezone.localdate().replace(day=1),
        unmatched=[{"user_name": "ghost", "open_cases": 1}],
    )
    client = as_user(getattr(personas, persona))
    response = client.get(SYNCS)
    assert response.status_code == syncs
    assert ("ghost" in response.content.decode()) == (syncs == 200)
    assert client.get(RUN).status_code == run
    assert client.post(RUN, {"month": ""}).status_code == run
    assert PrimeroSync.objects.count() == 1


def test_the_hand_over_directory_shows_the_workers_in_scope(
    as_user: Login, personas: Personas, named: dict[str, Any]
) -> None:
    national = as_user(personas.national).get(HANDOVER, {"location": "R2"}).content.decode()
    assert "Omari" in national and "<code>omari</code>" in national and "Nandi" not in national
    officer = as_user(personas.subnational).get(HANDOVER).content.decode()  # their region, R1
    assert "Nandi" in officer and "Omari" not in officer
    focal = as_user(personas.focal_point).get(HANDOVER, {"location": "KD"}).content.decode()
    assert "Omari" in focal and "Nandi" not in focal
    for persona in ("analyst", "administrator", "outsider"):
        assert as_user(getattr(personas, persona)).get(HANDOVER).status_code == 403
    assert as_user(personas.national).get(HANDOVER, {"location": "NOWHERE"}).status_code == 404


@pytest.mark.parametrize("kind", ["syncs", "handover"])
def test_the_lists_take_the_same_queries_for_one_and_three_rows(
    as_user: Login, personas: Personas, country: Country, kind: str
) -> None:
    client = as_user(personas.national)

    def add(number: int) -> None:
        if kind == "syncs":
            PrimeroSync.objects.create(
                user=personas.national,
                origin="page",
                url="https://primero.example",
                month=timezone.localdate().replace(day=1),
                unmatched=[{"user_name": f"u{number}", "open_cases": 1}],
            )
        else:
            worker = WorkerFactory(worker_id=f"Q{number}", primero_user_name=f"q{number}")
            AssignmentFactory(worker=worker, location=country.district_11, organisation=country.ministry)

    url = SYNCS if kind == "syncs" else f"{HANDOVER}?location=D11"
    add(0)
    one = queries_for(client, url)
    add(1)
    add(2)
    assert queries_for(client, url) == one
