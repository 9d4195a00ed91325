"""Computed years are kept (``sswis.indicators.cache``) and never given once their data has changed:
after every kind of write, what a reader gets equals a fresh computation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.geo.services import location_update, population_estimate_set
from sswis.indicators.cache import data_stamp
from sswis.indicators.selectors import indicators_compute_years, indicators_for_reader
from sswis.registry.models import Assignment, ExitReason
from sswis.registry.services import (
    assignment_end,
    cadre_update,
    organisation_update,
    post_create,
    worker_update,
)
from sswis.regulation.models import Registration
from sswis.regulation.services import registration_lapse
from sswis.training.models import Completion
from tests.conftest import Country, Personas
from tests.factories import PopulationEstimateFactory, PostFactory, registration_with_history
from tests.indicators.conftest import assign, counts, row
from tests.training.factories_indicators import CertifyingProgrammeFactory, completed

YEARS = (2023, 2024)


@pytest.fixture
def staffed(country: Country) -> list[Assignment]:
    for location in (country.district_11, country.district_12, country.district_21):
        PopulationEstimateFactory(location=location, year=2024, children=10_000)
    PostFactory(
        code="P1", organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    return [
        assign(country, start="2022-03-01"),
        assign(country, location=country.district_12, cadre=country.para_social_worker, start="2024-02-01"),
        assign(country, location=country.district_21, organisation=country.ngo, start="2023-05-01"),
    ]


def read(user: Any, by: tuple[str, ...] = ("cadre",)) -> list[Any]:
    return indicators_for_reader(user=user, years=YEARS, by=by)


def test_a_second_read_of_the_same_data_only_asks_whether_it_changed(
    staffed: list[Assignment], personas: Personas
) -> None:
    first = read(personas.national)
    with CaptureQueriesContext(connection) as second_read:
        second = read(personas.national)

    assert second == first == indicators_compute_years(years=YEARS, by=("cadre",))
    # the role's scope and the data stamp: nothing is computed
    stamp_query = second_read.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "indicators_data_change" in stamp_query
    else:
        assert stamp_query.count("UNION ALL") == 16
    assert not any("DISTINCT ON" in query["sql"] or "NOT EXISTS" in query["sql"] for query in second_read)


def test_each_split_area_and_year_is_kept_apart(
    staffed: list[Assignment], personas: Personas, country: Country
) -> None:
    by_cadre = read(personas.national)
    by_sex = read(personas.national, by=("sex",))
    one_year = indicators_for_reader(user=personas.national, year=2024, by=("cadre",))
    below = indicators_for_reader(user=personas.national, year=2024, location=country.region_1, depth=1)

    assert by_sex == indicators_compute_years(years=YEARS, by=("sex",)) != by_cadre
    assert one_year == indicators_compute_years(years=(2024,), by=("cadre",))
    assert below == indicators_compute_years(years=(2024,), location=country.region_1, depth=1)


def test_small_cells_are_withheld_on_every_read_not_kept(
    staffed: list[Assignment], personas: Personas
) -> None:
    full = read(personas.national, by=("sex",))
    withheld = read(personas.analyst, by=("sex",))
    full_again = read(personas.national, by=("sex",))

    assert any(r.withheld for r in withheld)
    assert not any(r.withheld for r in full + full_again)
    assert full_again == full


def _end(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    assignment_end(
        actor=personas.national,
        assignment=staffed[0],
        end_date=datetime.date(2022, 12, 31),
        exit_reason=ExitReason.RESIGNED,
    )


def _sex(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    worker_update(actor=personas.national, worker=staffed[1].worker, sex="male")


def _population(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    population_estimate_set(actor=personas.national, location=country.district_11, year=2024, children=5_000)


def _move(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    location_update(actor=personas.national, location=country.district_12, parent=country.region_2)


def _category(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    cadre_update(actor=personas.national, cadre=country.para_social_worker, code="PSW2")


def _organisation(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    organisation_update(actor=personas.national, organisation=country.ngo, type="government")


def _post(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    post_create(
        actor=personas.national,
        code="P2",
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.social_worker,
        funded=True,
    )


def _delete_and_add(country: Country, staffed: list[Assignment], personas: Personas) -> None:
    # the same number of rows with the same versions: only the ids tell the data apart
    worker = staffed[2].worker
    staffed[2].delete()
    assign(country, worker=worker, location=country.district_11, start="2023-05-01")


@pytest.mark.parametrize(
    "change", [_end, _sex, _population, _move, _category, _organisation, _post, _delete_and_add]
)
def test_after_any_change_the_reader_gets_a_fresh_computation(
    staffed: list[Assignment],
    personas: Personas,
    country: Country,
    change: Callable[[Country, list[Assignment], Personas], None],
) -> None:
    for by in (("cadre",), ("sex",), ("employer",)):
        read(personas.national, by=by)
    stamp = data_stamp()

    change(country, staffed, personas)

    assert data_stamp() != stamp
    for by in (("cadre",), ("sex",), ("employer",)):
        assert read(personas.national, by=by) == indicators_compute_years(years=YEARS, by=by)


def test_an_ended_assignment_changes_the_kept_count(
    staffed: list[Assignment], personas: Personas, country: Country
) -> None:
    before = counts(indicators_for_reader(user=personas.national, year=2024))
    _end(country, staffed, personas)
    after = indicators_for_reader(user=personas.national, year=2024)

    assert (before["KD"], counts(after)["KD"]) == (3, 2)
    assert row(after, "workforce.count", "D11").numerator == 0


@pytest.fixture
def registration(staffed: list[Assignment]) -> Registration:
    """The first worker is licensed on 31 December 2024."""
    return registration_with_history(
        worker=staffed[0].worker,
        changes=[("registered", "2020-01-01")],
        licences=[("2024-01-01", "2024-12-31")],
    )


def _lapse(registration: Registration, staffed: list[Assignment], personas: Personas) -> None:
    registration_lapse(actor=personas.national, registration=registration, since=datetime.date(2024, 6, 1))


def _licence_edited(registration: Registration, staffed: list[Assignment], personas: Personas) -> None:
    # No service changes a licence today; a correction would save it like this (its ``updated_at`` moves).
    licence = registration.licences.get()
    licence.valid_until = datetime.date(2024, 12, 30)
    licence.save(update_fields=["valid_until", "updated_at"])


def _licence_added(registration: Registration, staffed: list[Assignment], personas: Personas) -> None:
    registration_with_history(
        worker=staffed[1].worker,
        changes=[("registered", "2020-01-01")],
        licences=[("2024-06-01", "2025-05-31")],
    )


@pytest.mark.parametrize("change", [_lapse, _licence_edited, _licence_added])
def test_after_a_change_of_who_is_licensed_the_reader_gets_a_fresh_computation(
    registration: Registration,
    staffed: list[Assignment],
    personas: Personas,
    change: Callable[[Registration, list[Assignment], Personas], None],
) -> None:
    before = read(personas.national, by=("licensed",))
    stamp = data_stamp()

    change(registration, staffed, personas)

    assert data_stamp() != stamp
    after = read(personas.national, by=("licensed",))
    assert after == indicators_compute_years(years=YEARS, by=("licensed",)) != before


@pytest.fixture
def completion(staffed: list[Assignment]) -> Completion:
    """The first worker is certified on 31 December 2024 (and 2023)."""
    return completed(staffed[0].worker, CertifyingProgrammeFactory.create(code="CERT"), "2023-06-01")


def _completion_moved(completion: Completion, staffed: list[Assignment]) -> None:
    # A correction of the day, saved as a service would (its ``updated_at`` moves).
    completion.completed_on = datetime.date(2025, 2, 1)
    completion.save(update_fields=["completed_on", "updated_at"])


def _recognition_moved(completion: Completion, staffed: list[Assignment]) -> None:
    programme = completion.programme
    programme.government_recognised_from = datetime.date(2023, 7, 1)  # after the completion
    programme.save(update_fields=["government_recognised_from", "updated_at"])


def _completion_added(completion: Completion, staffed: list[Assignment]) -> None:
    completed(staffed[1].worker, completion.programme, "2024-12-31")


def _completion_deleted(completion: Completion, staffed: list[Assignment]) -> None:
    completion.delete()


@pytest.mark.parametrize(
    "change", [_completion_moved, _recognition_moved, _completion_added, _completion_deleted]
)
def test_after_a_change_of_who_is_certified_the_reader_gets_a_fresh_computation(
    completion: Completion,
    staffed: list[Assignment],
    personas: Personas,
    change: Callable[[Completion, list[Assignment]], None],
) -> None:
    before = read(personas.national, by=("certified",))
    stamp = data_stamp()

    change(completion, staffed)

    assert data_stamp() != stamp
    after = read(personas.national, by=("certified",))
    assert after == indicators_compute_years(years=YEARS, by=("certified",)) != before
