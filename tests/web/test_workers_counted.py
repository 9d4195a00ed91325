"""The worker page's "counted in the workforce of year" filter, its export and its explanation."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sswis.indicators.selectors import indicators_compute
from tests.conftest import Country, Personas
from tests.factories import WorkerFactory
from tests.indicators.conftest import assign, counts
from tests.web.conftest import queries_for, text_of

LIST = reverse("web:worker_list")
EXPORT = reverse("web:worker_export")


@pytest.fixture
def placed(country: Country) -> None:
    moved = WorkerFactory(worker_id="W-MOVED", family_name="A")
    assign(country, worker=moved, location=country.district_11, start="2020-01-01")
    assign(country, worker=moved, location=country.district_21, start="2024-03-01")
    assign(country, worker=WorkerFactory(worker_id="W-NOTCP", family_name="B"), child_protection=False)
    assign(country, worker=WorkerFactory(worker_id="W-HERE", family_name="C"), start="2022-01-01")


def ids_on(response: Any) -> list[str]:
    assert response.status_code == 200
    return [worker.worker_id for worker in response.context["page_obj"]]


def test_page_counted_year_equals_the_indicator(
    as_user: Callable[[Any], Client], personas: Personas, placed: None
) -> None:
    client = as_user(personas.national)
    expected = counts(indicators_compute(year=2024))
    assert expected == {"KD": 2, "R1": 1, "D11": 1, "D12": 0, "R2": 1, "D21": 1}
    for code, count in expected.items():
        page = client.get(LIST, {"counted_year": "2024", "location": code})
        assert page.context["page_obj"].paginator.count == count, code
    assert ids_on(client.get(LIST, {"counted_year": "2024", "location": "D11"})) == ["W-HERE"]
    assert ids_on(client.get(LIST, {"active_year": "2024", "location": "D11"})) == [
        "W-MOVED",
        "W-NOTCP",
        "W-HERE",
    ]


def test_page_explains_active_and_counted(
    as_user: Callable[[Any], Client], personas: Personas, placed: None
) -> None:
    text = text_of(as_user(personas.national).get(LIST))
    assert (
        "Active in a year lists everyone with any assignment during that year, at every place they worked; "
        "counted in the workforce of a year lists the workers the dashboard counts"
    ) in text


def test_export_link_and_file_keep_the_counted_filter(
    as_user: Callable[[Any], Client], personas: Personas, placed: None
) -> None:
    client = as_user(personas.national)
    html = client.get(LIST, {"counted_year": "2024", "location": "R2"}).content.decode()
    assert f'href="{EXPORT}?counted_year=2024&amp;location=R2&amp;format=csv"' in html
    response = client.get(EXPORT, {"counted_year": "2024", "location": "R2", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["Worker ID"] for row in rows] == ["W-MOVED"]


def test_counted_year_out_of_range_is_shown_and_ignored_on_the_page_and_refused_by_the_export(
    as_user: Callable[[Any], Client], personas: Personas, placed: None
) -> None:
    client = as_user(personas.national)
    assert "Ensure this value is greater than or equal to 1900." in text_of(
        client.get(LIST, {"counted_year": "-8070"})
    )
    response = client.get(EXPORT, {"counted_year": "-8070", "format": "csv"})
    assert response.status_code == 400


def test_counted_list_takes_the_same_queries_for_1_and_3_workers(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.subnational)
    url = f"{LIST}?counted_year=2024&location=R1"
    assign(country)
    one = queries_for(client, url)
    assign(country)
    assign(country)
    three = queries_for(client, url)
    assert client.get(url).context["page_obj"].paginator.count == 3
    assert one == three
