"""read and vread: the current version, older versions from the audit history, 404 and 410."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient

from sswis.fhir.versions import version_id
from sswis.registry.models import Worker
from tests.fhir.conftest import Directory

Client = Callable[[str | None], APIClient]


def test_read_practitioner(directory: Directory, fhir_client: Client) -> None:
    response = fhir_client("national").get(f"/fhir/Practitioner/{directory.amina.uuid}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    body = response.json()
    assert body["resourceType"] == "Practitioner"
    assert body["id"] == str(directory.amina.uuid)
    assert response["ETag"] == f'W/"{body["meta"]["versionId"]}"'


def test_read_unknown_id_is_not_found(directory: Directory, fhir_client: Client) -> None:
    for path in ("/fhir/Practitioner/not-a-uuid", f"/fhir/Practitioner/{directory.amina_role.uuid}"):
        response = fhir_client("national").get(path)
        assert response.status_code == 404
        body = response.json()
        assert body["resourceType"] == "OperationOutcome"
        assert body["issue"][0]["severity"] == "error"
        assert body["issue"][0]["code"] == "not-found"


def test_unknown_type_is_an_operation_outcome(directory: Directory, fhir_client: Client) -> None:
    response = fhir_client("national").get("/fhir/Patient")
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"


def test_vread_current_and_older_versions(directory: Directory, fhir_client: Client) -> None:
    client = fhir_client("national")
    worker = directory.grace
    first = version_id(worker.updated_at)
    worker.family_name = "Mbewe"
    worker.save(update_fields=["family_name", "updated_at"])
    second = version_id(worker.updated_at)
    assert first != second
    current = client.get(f"/fhir/Practitioner/{worker.uuid}/_history/{second}")
    assert current.status_code == 200
    assert current.json()["name"][0]["family"] == "Mbewe"
    old = client.get(f"/fhir/Practitioner/{worker.uuid}/_history/{first}")
    assert old.status_code == 200
    assert old.json()["name"][0]["family"] == "Banda"
    assert old.json()["meta"]["versionId"] == first
    missing = client.get(f"/fhir/Practitioner/{worker.uuid}/_history/{int(second) - 1}")
    assert missing.status_code == 404
    assert missing.json()["issue"][0]["code"] == "not-found"
    garbage = client.get(f"/fhir/Practitioner/{worker.uuid}/_history/abc")
    assert garbage.status_code == 404


def test_vread_of_a_version_with_a_registration_changed(directory: Directory, fhir_client: Client) -> None:
    """A dependent's change makes a version of its own: the number before and after."""
    client = fhir_client("national")
    amina = directory.amina
    registration = amina.registrations.get()
    before = client.get(f"/fhir/Practitioner/{amina.uuid}").json()
    registration.number = "N99999"
    registration.save(update_fields=["number", "updated_at"])
    after = client.get(f"/fhir/Practitioner/{amina.uuid}").json()
    assert after["meta"]["versionId"] == version_id(registration.updated_at)
    old = client.get(f"/fhir/Practitioner/{amina.uuid}/_history/{before['meta']['versionId']}").json()
    assert old["identifier"][2]["value"] == "N00001"
    assert after["identifier"][2]["value"] == "N99999"
    assert old == before


def test_vread_of_a_deleted_resource_is_gone(directory: Directory, fhir_client: Client) -> None:
    worker = Worker.objects.create(worker_id="W000009", given_name="Temp", family_name="Worker")
    version = version_id(worker.updated_at)
    uuid = worker.uuid
    worker.delete()
    deletion = version_id(Worker.history.get(uuid=uuid, history_type="-").history_date)
    response = fhir_client("national").get(f"/fhir/Practitioner/{uuid}/_history/{deletion}")
    assert response.status_code == 410
    assert response.json()["issue"][0]["code"] == "deleted"
    assert fhir_client("national").get(f"/fhir/Practitioner/{uuid}").status_code == 404
    # The version it had before: as it was.
    before = fhir_client("national").get(f"/fhir/Practitioner/{uuid}/_history/{version}")
    assert before.status_code == 200
    assert before.json()["identifier"][0]["value"] == "W000009"
    # An officer cannot be shown to have had it in scope: 404.
    assert fhir_client("subnational").get(f"/fhir/Practitioner/{uuid}/_history/{version}").status_code == 404


def test_read_is_scoped(directory: Directory, fhir_client: Client) -> None:
    north, south = directory.amina.uuid, directory.joseph.uuid
    assert fhir_client("subnational").get(f"/fhir/Practitioner/{north}").status_code == 200
    assert fhir_client("subnational").get(f"/fhir/Practitioner/{south}").status_code == 404
    assert fhir_client("focal_point").get(f"/fhir/Practitioner/{south}").status_code == 200
    assert fhir_client("focal_point").get(f"/fhir/Practitioner/{north}").status_code == 404


def test_read_other_types(directory: Directory, fhir_client: Client) -> None:
    country = directory.country
    client = fhir_client("national")
    for path in (
        f"/fhir/PractitionerRole/{directory.amina_role.uuid}",
        f"/fhir/Organization/{country.ministry.uuid}",
        f"/fhir/Location/{country.region_1.uuid}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json()["id"] == path.rsplit("/", 1)[1]


def test_vread_location_before_its_managing_organisation(directory: Directory, fhir_client: Client) -> None:
    region = directory.country.region_1
    before = version_id(region.updated_at)
    response = fhir_client("national").get(f"/fhir/Location/{region.uuid}/_history/{before}")
    assert response.status_code == 200
    assert "managingOrganization" not in response.json()
    current = fhir_client("national").get(f"/fhir/Location/{region.uuid}").json()
    assert current["managingOrganization"]["reference"] == f"Organization/{directory.north_office.uuid}"
    assert current["meta"]["versionId"] == version_id(directory.north_office.updated_at)
