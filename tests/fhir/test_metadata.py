"""``GET /fhir/metadata``: a valid R4 CapabilityStatement stating exactly what is served."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from rest_framework.test import APIClient

from sswis.fhir.search_parameters import PARAMETERS


def _statement(db: Any) -> dict[str, Any]:
    response = APIClient().get("/fhir/metadata")  # public: names no one
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    body: dict[str, Any] = response.json()
    return body


def test_metadata_is_a_valid_capability_statement(db: Any) -> None:
    statement = _statement(db)
    CapabilityStatement.model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    assert statement["kind"] == "instance"
    assert statement["instantiates"] == [
        "https://profiles.ihe.net/ITI/mCSD/CapabilityStatement/IHE.mCSD.Directory",
        "https://profiles.ihe.net/ITI/mCSD/CapabilityStatement/IHE.mCSD.Directory.Update",
    ]
    assert statement["url"] == "http://testserver/fhir/metadata"


def test_metadata_states_resources_interactions_and_parameters(db: Any) -> None:
    [rest] = _statement(db)["rest"]
    assert rest["mode"] == "server"
    assert rest["interaction"] == [
        {
            "code": "history-system",
            "documentation": "ITI-91: GET /_history?_since=<instant>: every type, deletions included.",
        }
    ]
    resources = {resource["type"]: resource for resource in rest["resource"]}
    assert list(resources) == ["Location", "Organization", "Practitioner", "PractitionerRole"]
    for resource in resources.values():
        assert [i["code"] for i in resource["interaction"]] == [
            "read",
            "vread",
            "search-type",
            "history-type",
        ]
        for parameter in resource["searchParam"]:
            assert parameter["documentation"]
    names = {name: [(p["name"], p["type"]) for p in r["searchParam"]] for name, r in resources.items()}
    assert names == {
        "Location": [
            ("_id", "token"),
            ("_lastUpdated", "date"),
            ("identifier", "token"),
            ("name", "string"),
            ("organization", "reference"),
            ("partof", "reference"),
            ("status", "token"),
            ("type", "token"),
        ],
        "Organization": [
            ("_id", "token"),
            ("_lastUpdated", "date"),
            ("active", "token"),
            ("identifier", "token"),
            ("name", "string"),
            ("type", "token"),
            ("partof", "reference"),
        ],
        "Practitioner": [
            ("_id", "token"),
            ("_lastUpdated", "date"),
            ("active", "token"),
            ("identifier", "token"),
            ("name", "string"),
            ("given", "string"),
            ("family", "string"),
        ],
        "PractitionerRole": [
            ("_id", "token"),
            ("_lastUpdated", "date"),
            ("active", "token"),
            ("location", "reference"),
            ("organization", "reference"),
            ("practitioner", "reference"),
            ("role", "token"),
            ("service", "reference"),
            ("specialty", "token"),
        ],
    }
    # What is stated is what the search serves.
    assert {name: [p for p, _ in listed] for name, listed in names.items()} == {
        name: list(parameters) for name, parameters in PARAMETERS.items()
    }
    assert resources["PractitionerRole"]["searchInclude"] == [
        "PractitionerRole:practitioner",
        "PractitionerRole:organization",
        "PractitionerRole:location",
    ]
    assert resources["Location"]["searchInclude"] == ["Location:organization"]
    assert resources["Organization"]["searchRevInclude"] == ["Location:organization"]
    assert resources["Practitioner"]["searchRevInclude"] == ["PractitionerRole:practitioner"]
    assert "searchInclude" not in resources["Organization"]
