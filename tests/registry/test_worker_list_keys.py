"""``worker_search_keys`` lists the same workers in the same order as ``worker_list``, for every way a search
matches, with the list's other filters and for a user of a smaller scope; and the worker page pages a
search by those keys (the paginator's deferred join) with the same rows as without them."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sswis.registry.merging import worker_merge
from sswis.registry.models import Worker
from sswis.registry.selectors import WorkerFilters, worker_list, worker_search_keys
from sswis.web.paging import CappedPaginator
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory


def placed(country: Country, worker_id: str, given: str, family: str, *, district: Any = None) -> Worker:
    worker = WorkerFactory(worker_id=worker_id, given_name=given, family_name=family)
    AssignmentFactory(
        worker=worker,
        organisation=country.ministry,
        location=district or country.district_11,
        cadre=country.social_worker,
    )
    return worker


@pytest.fixture
def people(country: Country, personas: Personas) -> dict[str, Worker]:
    """Workers matching ``kat`` in each way, one twice, one merged, and some that do not match."""
    people = {
        "given": placed(country, "A001", "Kato", "Mugisha"),
        "family": placed(country, "A002", "Amina", "Katende"),
        "both": placed(country, "A003", "Katie", "Katumba", district=country.district_21),
        "lower": placed(country, "A004", "katrina", "obong"),
        "worker_id": placed(country, "KAT", "Zed", "Zulu"),
        "two_words": placed(country, "A006", "Kat", "Ochieng"),
        "other": placed(country, "A007", "Peter", "Okello"),
        "inner": placed(country, "A008", "Okat", "Mukat"),  # "kat" inside, not at the start: no match
        "survivor": placed(country, "A009", "Grace", "Nankya"),
        "merged": placed(country, "OLDKAT", "Gracie", "Nankya", district=country.district_12),
    }
    worker_merge(
        actor=personas.national, surviving=people["survivor"], merged=people["merged"], reason="same person"
    )
    return people


def keys_of_search(user: Any, filters: WorkerFilters) -> Any:
    """The keys of ``filters``' search among the list without it, as the worker page reads them."""
    listed = worker_list(user=user, filters=dataclasses.replace(filters, search=""))
    return worker_search_keys(listed=listed, term=filters.search)


def keys_of(user: Any, filters: WorkerFilters) -> list[int]:
    return [key[0] for key in keys_of_search(user, filters)]


def pks_of(user: Any, filters: WorkerFilters) -> list[int]:
    return list(worker_list(user=user, filters=filters).values_list("pk", flat=True))


@pytest.mark.parametrize("term", ["kat", "KAT", " kat ", "kat och", "oldkat", "nankya", "a00", "zz", "k"])
def test_the_keys_are_the_list_in_its_order(term: str, people: dict[str, Worker], personas: Personas) -> None:
    filters = WorkerFilters(search=term)
    assert keys_of(personas.national, filters) == pks_of(personas.national, filters)


def test_a_search_finds_each_way_once_in_name_order(people: dict[str, Worker], personas: Personas) -> None:
    found = keys_of(personas.national, WorkerFilters(search="kat"))
    # By family name, given name, worker ID: Katende, Katumba, Mugisha, obong, Ochieng, Zulu (the worker ID).
    expected = ["family", "both", "given", "two_words", "lower", "worker_id"]
    names = {worker.pk: name for name, worker in people.items()}
    assert [names[pk] for pk in found] == sorted(
        expected, key=lambda name: (people[name].family_name, people[name].given_name, people[name].worker_id)
    )
    assert len(found) == len(set(found)) == 6


def test_a_merged_records_worker_id_finds_the_survivor(people: dict[str, Worker], personas: Personas) -> None:
    assert keys_of(personas.national, WorkerFilters(search="oldkat")) == [people["survivor"].pk]


def test_the_other_filters_and_the_scope_hold(
    people: dict[str, Worker], personas: Personas, country: Country
) -> None:
    in_district = WorkerFilters(search="kat", location=country.district_21)
    assert keys_of(personas.national, in_district) == [people["both"].pk]
    assert keys_of(personas.national, in_district) == pks_of(personas.national, in_district)
    # The officer of region R1 does not see the worker placed in D21.
    scoped = keys_of(personas.subnational, WorkerFilters(search="kat"))
    assert scoped == pks_of(personas.subnational, WorkerFilters(search="kat"))
    assert people["both"].pk not in scoped and people["given"].pk in scoped
    assert keys_of(personas.outsider, WorkerFilters(search="kat")) == []


@pytest.mark.parametrize("counted_up_to", [2, 3, 100])
def test_a_page_by_keys_holds_the_rows_of_the_page_without(
    counted_up_to: int, people: dict[str, Worker], personas: Personas
) -> None:
    filters = WorkerFilters(search="kat")
    matches = worker_list(user=personas.national, filters=filters)
    keys = keys_of_search(personas.national, filters)
    plain = CappedPaginator(matches, 2, counted_up_to=counted_up_to)
    # As the worker page does: the rows read by key from the list without the search, which the keys hold.
    everyone = worker_list(user=personas.national, filters=WorkerFilters())
    deferred = CappedPaginator(everyone, 2, counted_up_to=counted_up_to, keys=keys)

    assert deferred.count == plain.count == min(6, counted_up_to + 1)
    for number in (1, 2, 3, 4):
        assert [row.pk for row in deferred.get_page(number)] == [row.pk for row in plain.get_page(number)]
        assert deferred.get_page(number).has_next() == plain.get_page(number).has_next()
    assert [row.pk for row in deferred.get_page(3)] == pks_of(personas.national, filters)[4:6]
