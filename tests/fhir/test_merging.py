"""A merge of two worker records in the FHIR directory: the merged Practitioner is deleted from the
history and search, its PractitionerRole moves to the survivor; an unmerge brings it back."""

from __future__ import annotations

from django.utils import timezone

from sswis.registry.merging import worker_merge, worker_unmerge
from tests.conftest import Personas
from tests.fhir.conftest import Directory
from tests.fhir.test_history import Client, history, since, summary


def test_a_merged_practitioner_is_deleted_and_its_role_moves(
    directory: Directory, fhir_client: Client, personas: Personas
) -> None:
    client = fhir_client("national")
    t0 = timezone.now()
    merge = worker_merge(
        actor=personas.national, surviving=directory.amina, merged=directory.joseph, reason="Same person"
    )
    bundle = history(client, "/fhir/_history", _since=since(t0))
    assert sorted(summary(bundle)) == sorted(
        [
            ("PUT", f"PractitionerRole/{directory.joseph_role.uuid}"),
            ("DELETE", f"Practitioner/{directory.joseph.uuid}"),
            ("PUT", f"Practitioner/{directory.amina.uuid}"),
        ]
    )
    role = next(e for e in bundle["entry"] if e["request"]["url"].startswith("PractitionerRole/"))
    assert role["resource"]["practitioner"]["reference"] == f"Practitioner/{directory.amina.uuid}"
    search = client.get("/fhir/Practitioner", {"_count": 50}).json()
    assert sorted(entry["resource"]["id"] for entry in search["entry"]) == sorted(
        [str(directory.amina.uuid), str(directory.grace.uuid)]
    )
    assert client.get(f"/fhir/Practitioner/{directory.joseph.uuid}").status_code in (404, 410)
    # A first copy (no _since) leaves the merged record out altogether.
    first_copy = summary(history(client, "/fhir/Practitioner/_history"))
    assert ("PUT", f"Practitioner/{directory.joseph.uuid}") not in first_copy
    assert ("DELETE", f"Practitioner/{directory.joseph.uuid}") not in first_copy

    t1 = timezone.now()
    worker_unmerge(actor=personas.national, merge=merge, reason="Two people")
    again = history(client, "/fhir/_history", _since=since(t1))
    assert ("PUT", f"Practitioner/{directory.joseph.uuid}") in summary(again)
    role = next(e for e in again["entry"] if e["request"]["url"].startswith("PractitionerRole/"))
    assert role["resource"]["practitioner"]["reference"] == f"Practitioner/{directory.joseph.uuid}"
