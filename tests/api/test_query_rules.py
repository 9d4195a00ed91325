"""How every API endpoint reads its query string and answers what it refuses (found with schemathesis):
empty values are absent ones, booleans are ``true``/``false``, page sizes are whole numbers, addresses
that lead nowhere answer JSON, and the schema documents each of these answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import Staffing, codes, results

Client = Callable[[str | None], APIClient]


def test_an_empty_filter_is_no_filter(client_for: Client, staffing: Staffing) -> None:
    client = client_for("national")

    everyone = codes(client.get("/api/v1/workers/"), "worker_id")
    blank = client.get("/api/v1/workers/?cadre=&organisation=&location=&paid=&active_year=&search=")

    assert codes(blank, "worker_id") == everyone == ["W000001", "W000002"]
    assert codes(client.get("/api/v1/posts/?vacant_on=&funded=")) == ["P001", "P002"]


def test_an_empty_value_beside_a_given_one_is_dropped(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").get("/api/v1/workers/?cadre=&cadre=PSW")

    assert codes(response, "worker_id") == ["W000002"]


def test_a_required_parameter_sent_empty_is_missing(client_for: Client, staffing: Staffing) -> None:
    response = client_for("analyst").get("/api/v1/perceptions/?round=")

    assert response.status_code == 400
    assert list(response.json()) == ["round"]


@pytest.mark.parametrize(
    ("address", "parameter"),
    [
        ("/api/v1/workers/?paid=-58800", "paid"),
        ("/api/v1/workers/?paid=yes", "paid"),
        ("/api/v1/workers/?paid=1", "paid"),
        ("/api/v1/organisations/?government=True", "government"),
        ("/api/v1/posts/?funded=x", "funded"),
        ("/api/v1/posts/?is_filled=0", "is_filled"),
    ],
)
def test_a_boolean_is_true_or_false_and_nothing_else(
    client_for: Client, staffing: Staffing, address: str, parameter: str
) -> None:
    response = client_for("national").get(address)

    assert response.status_code == 400
    assert response.json() == {parameter: ["Give true or false."]}


def test_booleans_filter(client_for: Client, staffing: Staffing) -> None:
    client = client_for("national")

    assert codes(client.get("/api/v1/workers/?paid=false"), "worker_id") == ["W000002"]
    assert codes(client.get("/api/v1/organisations/?government=true")) == ["MSW"]
    assert codes(client.get("/api/v1/posts/?is_filled=false")) == ["P002"]


def test_an_empty_page_or_page_size_is_the_default(client_for: Client, staffing: Staffing) -> None:
    response = client_for("national").get("/api/v1/workers/?page=&page_size=")

    assert codes(response, "worker_id") == ["W000001", "W000002"]


@pytest.mark.parametrize("size", ["null", "0", "-1", "1.5", "٣"])
def test_a_page_size_is_a_whole_number_from_one(client_for: Client, staffing: Staffing, size: str) -> None:
    response = client_for("national").get(f"/api/v1/workers/?page_size={size}")

    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give a whole number from 1."]}


def test_page_sizes_above_the_largest_give_the_largest(client_for: Client, staffing: Staffing) -> None:
    client = client_for("national")

    assert len(results(client.get("/api/v1/workers/?page_size=1"))) == 1
    assert len(results(client.get("/api/v1/workers/?page_size=100000"))) == 2


@pytest.mark.parametrize(
    "address", ["/api/v1/assignments/0.5/end/", "/api/v1/imports/null,null/problems/", "/api/v1/nowhere/"]
)
def test_an_address_that_leads_nowhere_answers_json(client_for: Client, address: str) -> None:
    response = client_for("national").post(address)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_leads_nowhere_is_still_the_sites_page(client_for: Client) -> None:
    response = client_for("national").get("/nowhere/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("address", ["/api/v1/workers/export/?format=csv", "/api/v1/workers/export.csv"])
def test_a_method_a_file_download_does_not_take_is_405_in_json(client_for: Client, address: str) -> None:
    response = client_for("national").generic("TRACE", address)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "TRACE" not allowed.'}


def test_an_assignment_that_has_not_ended_has_an_empty_exit_reason_the_schema_allows(
    client_for: Client, staffing: Staffing
) -> None:
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    exit_reason = schema["components"]["schemas"]["Assignment"]["properties"]["exit_reason"]
    row = client_for("national").get(f"/api/v1/assignments/{staffing.north_assignment.uuid}/").json()

    assert row["exit_reason"] == ""
    assert {"$ref": "#/components/schemas/BlankEnum"} in exit_reason["oneOf"]


def test_the_schema_documents_every_refusal(db: Any) -> None:
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    workers = paths["/api/v1/workers/"]
    parameters = {parameter["name"]: parameter for parameter in workers["get"]["parameters"]}

    assert set(workers["get"]["responses"]) == {"200", "400", "401", "403", "404"}
    assert set(workers["post"]["responses"]) == {"201", "400", "401", "403", "415"}
    assert set(paths["/api/v1/workers/{worker_id}/"]["get"]["responses"]) == {
        "200",
        "304",
        "400",
        "401",
        "403",
        "404",
    }
    # the token endpoint takes anonymous callers: no 401/403 of its own, its documented 400 and 429 kept
    assert set(paths["/api/v1/auth/token/"]["post"]["responses"]) == {"200", "400", "415", "429"}
    assert parameters["cadre"]["allowEmptyValue"] is True
    assert parameters["page_size"]["schema"]["minimum"] == 1
    assert parameters["page"]["allowEmptyValue"] is True
    perceptions = paths["/api/v1/perceptions/"]["get"]["parameters"]
    round_parameter = next(parameter for parameter in perceptions if parameter["name"] == "round")
    assert (round_parameter["required"], round_parameter["schema"]["minLength"]) == (True, 1)
    error = workers["get"]["responses"]["403"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


@pytest.mark.parametrize("parameter", ["date", "vacant_on"])
def test_the_posts_reference_date_is_a_plausible_date(
    client_for: Client, staffing: Staffing, parameter: str
) -> None:
    client = client_for("national")

    refused = client.get(f"/api/v1/posts/?{parameter}=0509-10-11")

    assert refused.status_code == 400
    assert list(refused.json()) == [parameter]
    assert "0509-10-11" in refused.json()[parameter][0]
    assert client.get(f"/api/v1/posts/?{parameter}=2024-06-30").status_code == 200
