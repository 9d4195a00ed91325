"""ITI-91's promise: a client that copies the directory with a full search, then polls
``_history?_since=<the instant before its copy>`` and applies each entry (PUT replaces, DELETE removes),
holds exactly what a fresh full search returns, after a day of every kind of change: creates, edits, an
assignment ended, a transfer, a registration added, a dependent and rows deleted, and a worker who leaves
the subnational officer's area. For the national reader and for the officer, through fhirpy against a
live server."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone
from fhirpy import SyncFHIRClient

from sswis.fhir.kinds import KINDS
from sswis.fhir.versions import instant_text
from sswis.registry.models import Assignment
from sswis.training.models import Completion
from tests.conftest import Personas
from tests.factories import AssignmentFactory, OrganisationFactory, WorkerFactory, registration_with_history
from tests.fhir.conftest import Directory
from tests.fhir.test_client import ClientFor, client_for, history_entries

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["client_for"]  # the fixture, used here

Copy = dict[tuple[str, str], str]


def full_search(client: SyncFHIRClient) -> Copy:
    """Every resource the reader may get, by (type, id), as canonical JSON text."""
    copy: Copy = {}
    for type_name in KINDS:
        for resource in client.resources(type_name).limit(2).fetch_all():
            body = resource.serialize()
            copy[(type_name, body["id"])] = json.dumps(body, sort_keys=True, ensure_ascii=False)
    return copy


def apply(copy: Copy, entries: list[dict[str, Any]]) -> dict[str, int]:
    """Apply history entries to ``copy``; count the methods applied."""
    applied = {"PUT": 0, "DELETE": 0}
    for entry in entries:
        type_name, resource_id = entry["request"]["url"].split("/")
        method = entry["request"]["method"]
        applied[method] += 1
        if method == "PUT":
            copy[(type_name, resource_id)] = json.dumps(entry["resource"], sort_keys=True, ensure_ascii=False)
        else:
            copy.pop((type_name, resource_id), None)
    return applied


def day_of_changes(directory: Directory) -> None:
    """Every kind of change the registry makes in a day, through the ORM (each audited)."""
    country = directory.country
    # Creates: a worker with an assignment in the officer's area at an organisation new to it (NGO1), and
    # an organisation that manages district D12 (the Location changes through its dependent).
    newcomer = WorkerFactory(worker_id="W000020", given_name="Esther", family_name="Mwale")
    AssignmentFactory(
        worker=newcomer, organisation=country.ngo, location=country.district_11, cadre=country.volunteer
    )
    OrganisationFactory(
        code="BETA-SWO",
        name="Beta office",
        location=country.district_12,
        manages_location=country.district_12,
    )
    # Edits.
    directory.amina.phone = "+265991000042"
    directory.amina.save(update_fields=["phone", "updated_at"])
    country.district_21.name = "Gamma East"
    country.district_21.save(update_fields=["name", "updated_at"])
    # An assignment ended.
    directory.joseph_role.end_date = datetime.date(2025, 12, 31)
    directory.joseph_role.exit_reason = "resigned"
    directory.joseph_role.save(update_fields=["end_date", "exit_reason", "updated_at"])
    # A transfer: Amina leaves D11 for the NGO at D21 (the old assignment ends, a new one starts).
    role = Assignment.objects.get(pk=directory.amina_role.pk)
    role.end_date = datetime.date(2025, 9, 30)
    role.exit_reason = "transferred"
    role.save(update_fields=["end_date", "exit_reason", "updated_at"])
    AssignmentFactory(
        worker=directory.amina,
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.social_worker,
        start_date=datetime.date(2025, 10, 1),
    )
    # A registration added, a training completion deleted (a dependent: Amina's Practitioner changes).
    registration_with_history(worker=directory.joseph, changes=[("registered", "2025-11-02")])
    Completion.objects.filter(worker=directory.amina).delete()
    # A worker who leaves the officer's area: their only assignment was recorded at the wrong place.
    mover = Assignment.objects.get(worker__worker_id="W000030")
    mover.location = country.district_21
    mover.organisation = country.ngo
    mover.save(update_fields=["location", "organisation", "updated_at"])
    # Deletions: Grace's assignment, then Grace.
    Assignment.objects.get(pk=directory.grace_role.pk).delete()
    directory.grace.delete()


@pytest.mark.parametrize("persona", ["national", "subnational"])
def test_polling_the_history_keeps_an_exact_copy_after_a_day_of_changes(
    directory: Directory, personas: Personas, client_for: ClientFor, persona: str
) -> None:
    country = directory.country
    AssignmentFactory(
        worker=WorkerFactory(worker_id="W000030", given_name="Moses", family_name="Zulu"),
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.para_social_worker,
    )
    client = client_for(getattr(personas, persona))
    t0 = timezone.now()
    copy = full_search(client)
    before = dict(copy)

    day_of_changes(directory)

    entries = list(history_entries(client, "_history", _since=instant_text(t0), _count=3))
    applied = apply(copy, entries)
    fresh = full_search(client)
    assert sorted(copy) == sorted(fresh)
    assert [key for key in fresh if copy[key] != fresh[key]] == []
    assert copy != before
    removed = sorted(type_name for type_name, _ in set(before) - set(fresh))
    if persona == "national":
        assert removed == ["Practitioner", "PractitionerRole"]  # Grace and her assignment
        # PUT: 4 Practitioners (Esther, Amina, Joseph, Moses), 5 roles (Esther's, Joseph's, Amina's two,
        # Moses'), 1 Organization (the new office: NGO1's and the ministry's assignments changed, which
        # changes nothing a national reader sees of them), 2 Locations (D12, now managed; D21 renamed).
        assert applied == {"PUT": 12, "DELETE": 2}
    else:
        # Grace and her role, Moses and his role (moved out of R1) leave the officer's copy. They still see
        # Amina (her ended assignment at D11): PUT for 8 (Esther, Amina, their roles at D11, NGO1 now
        # working in R1, the ministry, the new office, D12); DELETE for those 4 and for 4 changed resources
        # they never had: Amina's new role at D21, Joseph and his role (R2), D21.
        assert removed == ["Practitioner", "Practitioner", "PractitionerRole", "PractitionerRole"]
        assert applied == {"PUT": 8, "DELETE": 8}
