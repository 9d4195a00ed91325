"""A real FHIR client (fhirpy's ``SyncFHIRClient``) against the directory served by a live server, with
an API token: search, paging (``fetch_all`` follows the ``next`` links), ``_include`` and the history."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import AuthorizationError, ForbiddenError, OperationOutcome

from sswis.access.services import api_token_create
from tests.conftest import Personas
from tests.fhir.conftest import Directory

pytestmark = pytest.mark.django_db(transaction=True)

ClientFor = Callable[[Any], SyncFHIRClient]


@pytest.fixture
def client_for(live_server: Any) -> ClientFor:
    """``client_for(user)``: a fhirpy client of the live directory with a new API token of ``user``."""

    def make(user: Any) -> SyncFHIRClient:
        _, secret = api_token_create(actor=None, user=user)
        return SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Token {secret}")

    return make


def history_entries(client: SyncFHIRClient, path: str, **parameters: Any) -> Iterator[dict[str, Any]]:
    """Every entry of a history, page after page, following the ``next`` links as given."""
    bundle = client.execute(path, method="get", params=parameters)
    while True:
        assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "history")
        yield from bundle.get("entry", [])
        following = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        if not following:
            return
        bundle = client.execute(following[0], method="get")


def test_search_pages_with_fetch_all(directory: Directory, personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.national)
    names = sorted(
        practitioner["name"][0]["text"]
        for practitioner in client.resources("Practitioner").limit(2).fetch_all()
    )
    assert names == ["Amina Banda", "Grace Banda", "Joseph Phiri"]
    found = client.resources("Practitioner").search(family="banda", given="grace").fetch_all()
    assert [practitioner["id"] for practitioner in found] == [str(directory.grace.uuid)]
    locations = client.resources("Location").limit(4).fetch_all()
    assert len(locations) == 6


def test_include_brings_the_practitioners_of_the_roles(
    directory: Directory, personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.subnational)
    bundle = (
        client.resources("PractitionerRole")
        .search(active="true")
        .include("PractitionerRole", "practitioner")
        .fetch_raw()
    )
    kinds = sorted((entry["resource"]["resourceType"], entry["search"]["mode"]) for entry in bundle["entry"])
    # The officer (region R1) sees Amina's active role at D11 (Grace's ended in 2019, Joseph is in R2).
    assert kinds == [("Practitioner", "include"), ("PractitionerRole", "match")]


def test_history_pages_through_a_real_client(
    directory: Directory, personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.national)
    entries = list(history_entries(client, "_history", _count=4))
    assert len(entries) == 15  # 6 locations, 3 organisations, 3 practitioners, 3 roles
    assert {entry["request"]["method"] for entry in entries} == {"PUT"}
    by_type = sorted({entry["request"]["url"].split("/")[0] for entry in entries})
    assert by_type == ["Location", "Organization", "Practitioner", "PractitionerRole"]
    roles = list(history_entries(client, "PractitionerRole/_history"))
    assert sorted(entry["resource"]["id"] for entry in roles) == sorted(
        str(role.uuid) for role in (directory.amina_role, directory.joseph_role, directory.grace_role)
    )


def test_the_client_gets_the_refusals_as_operation_outcomes(
    directory: Directory, personas: Personas, client_for: ClientFor, live_server: Any
) -> None:
    with pytest.raises(ForbiddenError) as refused:
        client_for(personas.analyst).execute("_history", method="get")
    assert json.loads(str(refused.value))["issue"][0]["code"] == "forbidden"
    with pytest.raises(AuthorizationError) as unknown:
        SyncFHIRClient(f"{live_server.url}/fhir", authorization="Token not-a-token").execute(
            "_history", method="get"
        )
    assert json.loads(str(unknown.value))["issue"][0]["code"] == "login"
    with pytest.raises(OperationOutcome) as invalid:
        client_for(personas.national).execute("_history", method="get", params={"_since": "yesterday"})
    assert invalid.value.resource["issue"][0]["code"] == "invalid"
