"""ITI-90 on Practitioner: each parameter and modifier, from hand-built cases (``directory``: Amina Banda,
Joseph Phiri, Grace Banda, created in that order)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sswis.registry.models import Worker
from sswis.regulation.models import Registration
from sswis.training.models import Completion
from tests.fhir.conftest import Directory
from tests.fhir.helpers import entries, outcome, ref

Client = Callable[[str | None], APIClient]
UTC = datetime.UTC


def found(client: APIClient, query: str) -> list[str]:
    return entries(client.get(f"/fhir/Practitioner?{query}"))


@pytest.fixture
def national(directory: Directory, fhir_client: Client) -> APIClient:
    return fhir_client("national")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("name=ban", ["amina", "grace"]),  # family starts with, any case
        ("name=ami", ["amina"]),  # given starts with
        ("name=anda", []),  # not a start
        ("name:contains=anda", ["amina", "grace"]),
        ("name:contains=a%20b", ["amina"]),  # across given and family: "Amina Banda"
        ("name:exact=Banda", ["amina", "grace"]),
        ("name:exact=banda", []),  # exact is case-sensitive
        ("name:exact=Amina%20Banda", ["amina"]),  # the full name
        ("given=jo", ["joseph"]),
        ("given:exact=Jo", []),
        ("given:contains=RAC", ["grace"]),
        ("family=phi", ["joseph"]),
        ("family:contains=HIR", ["joseph"]),
        ("family:exact=Phiri", ["joseph"]),
        ("name=amina,joseph", ["amina", "joseph"]),  # commas: any
        ("name=ban&given=gra", ["grace"]),  # repeated parameters: all
        ("active=true", ["amina", "joseph"]),
        ("active=false", ["grace"]),
        ("identifier=W000002", ["joseph"]),
        ("identifier=urn:sswis:identifier:worker-id|W000003", ["grace"]),
        ("identifier=urn:sswis:identifier:national-id|NID-1", ["amina"]),
        ("identifier=urn:sswis:identifier:national-id|", ["amina"]),  # anyone with a national ID
        ("identifier=N00001", ["amina"]),  # a registration number, any system
        ("identifier=urn:sswis:identifier:register:SW-REG|N00001", ["amina"]),
        ("identifier=urn:sswis:identifier:register:SW-REG|", ["amina"]),
        ("identifier=urn:sswis:identifier:register:OTHER|N00001", []),
        ("identifier=|W000001", []),  # no system: sswis gives none
        ("identifier=urn:other|W000001", []),
        ("identifier=urn:sswis:identifier:worker-id|W000001", ["amina"]),
    ],
)
def test_practitioner_parameters(
    query: str, names: list[str], directory: Directory, national: APIClient
) -> None:
    assert found(national, query) == [ref("Practitioner", getattr(directory, name)) for name in names]


def test_id_list_and_unknown_ids(directory: Directory, national: APIClient) -> None:
    amina, grace = directory.amina, directory.grace
    assert found(national, f"_id={grace.uuid},{amina.uuid}") == [
        ref("Practitioner", amina),
        ref("Practitioner", grace),
    ]
    assert found(national, "_id=not-an-id") == []


def _stamp(directory: Directory) -> None:
    """Amina last changed 2026-01-10 10:00 UTC (her registration and completion before), Joseph
    2026-01-20 00:00, Grace 2026-02-01 12:30:00.5."""
    Worker.objects.filter(pk=directory.amina.pk).update(
        updated_at=datetime.datetime(2026, 1, 10, 10, tzinfo=UTC)
    )
    Worker.objects.filter(pk=directory.joseph.pk).update(
        updated_at=datetime.datetime(2026, 1, 20, tzinfo=UTC)
    )
    Worker.objects.filter(pk=directory.grace.pk).update(
        updated_at=datetime.datetime(2026, 2, 1, 12, 30, 0, 500000, tzinfo=UTC)
    )
    earlier = datetime.datetime(2025, 12, 1, tzinfo=UTC)
    Registration.objects.update(updated_at=earlier)
    Completion.objects.update(updated_at=earlier)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("2026-01", ["amina", "joseph"]),
        ("eq2026-01-10", ["amina"]),
        ("gt2026-01-10", ["joseph", "grace"]),
        ("sa2026-01-10", ["joseph", "grace"]),
        ("lt2026-01-20", ["amina"]),
        ("eb2026-01-20", ["amina"]),
        ("ge2026-01-20", ["joseph", "grace"]),
        ("le2026-01-20", ["amina", "joseph"]),
        ("ne2026-01", ["grace"]),
        ("2026", ["amina", "joseph", "grace"]),
        ("lt2026", []),
        ("gt2026-02-01T12:30:00Z", []),  # the second 12:30:00 lasts until 12:30:01
        ("ge2026-02-01T12:30:00Z", ["grace"]),
        ("eq2026-02-01T12:30:00.5Z", ["grace"]),
        ("eq2026-02-01T12:30:00.4Z", []),
        ("eq2026-01-10T10:00Z", ["amina"]),  # the minute
        ("le2026-01-10T11:59%2B02:00", []),  # 09:59 UTC
        ("le2026-01-10T12:00%2B02:00", ["amina"]),  # 10:00 UTC
        ("ge2026-01-10&_lastUpdated=lt2026-02", ["amina", "joseph"]),  # both bounds
    ],
)
def test_last_updated_prefixes(
    value: str, names: list[str], directory: Directory, national: APIClient
) -> None:
    _stamp(directory)
    assert found(national, f"_lastUpdated={value}") == [
        ref("Practitioner", getattr(directory, n)) for n in names
    ]


def test_last_updated_counts_dependents(directory: Directory, national: APIClient) -> None:
    """A worker whose training completion changed on 2026-03-01 was last updated then."""
    _stamp(directory)
    Completion.objects.filter(worker=directory.amina).update(
        updated_at=datetime.datetime(2026, 3, 1, tzinfo=UTC)
    )
    assert found(national, "_lastUpdated=ge2026-03-01") == [ref("Practitioner", directory.amina)]
    response = national.get(f"/fhir/Practitioner/{directory.amina.uuid}")
    assert response.json()["meta"]["lastUpdated"] == "2026-03-01T00:00:00.000000Z"


@pytest.mark.parametrize(
    "query",
    [
        "_lastUpdated=2026-13-01",
        "_lastUpdated=xx2026",
        "_lastUpdated=ap2026",  # approximately: not served
        "active=maybe",
        "name:missing=true",  # a modifier not served
        "identifier:exact=W1",
        "name=",
        "name=a%07b",  # a control character
    ],
)
def test_bad_values_are_refused(query: str, directory: Directory, national: APIClient) -> None:
    outcome(national.get(f"/fhir/Practitioner?{query}"), 400, "invalid")
