"""Property test: ``indicators_compute`` against a naive, row-by-row reading of the contract.

Random small registries on the ``country`` tree (dates chosen around the year boundaries, ties in start
date and FTE on purpose; registrations whose status changes come in any order, several on one day;
training completions on either side of the year's end and of their programme's recognition) are checked
for every indicator, location and group. The naive version loads every row into Python and uses the
models' own ``is_active_on`` / ``exists_on``, the regulation's ``worker_licensed_on`` and the contract's
rule of who is certified read literally (``certified_on``); it shares no code with the selectors.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sswis.geo.models import Location, PopulationEstimate
from sswis.indicators.definitions import DIMENSIONS, INDICATORS
from sswis.indicators.selectors import indicators_compute
from sswis.registry.models import Assignment, Post, Worker
from sswis.regulation.selectors import worker_licensed_on
from tests.conftest import Country
from tests.factories import (
    AssignmentFactory,
    CadreFactory,
    PopulationEstimateFactory,
    PostFactory,
    RegisterFactory,
    WorkerFactory,
    registration_with_history,
)
from tests.training.factories_indicators import CertifyingProgrammeFactory, completed

# Few start dates, so that a worker's assignments often tie; end dates on both sides of each year boundary.
STARTS = [datetime.date.fromisoformat(d) for d in ("2022-06-01", "2024-01-01", "2024-12-31", "2025-01-01")]
ENDS = [
    datetime.date.fromisoformat(d)
    for d in ("2023-12-31", "2024-01-01", "2024-12-30", "2024-12-31", "2025-01-01", "2025-12-31")
]
DATES = sorted({*STARTS, *ENDS})
SEXES = ["female", "male", "other", "unknown"]
LEVELS = [
    "none",
    "primary",
    "secondary",
    "certificate",
    "diploma",
    "bachelor",
    "master",
    "doctorate",
    "unknown",
]

workers_strategy = st.lists(
    st.tuples(st.sampled_from(SEXES), st.sampled_from(LEVELS)), min_size=1, max_size=4
)
assignments_strategy = st.lists(
    st.tuples(
        st.integers(0, 5),  # worker
        st.integers(0, 5),  # location
        st.integers(0, 3),  # cadre
        st.integers(0, 1),  # organisation
        st.sampled_from(STARTS),
        st.none() | st.sampled_from(ENDS),  # open-ended also when before the start
        st.sampled_from(["0.5", "1"]),
        st.sampled_from([True, True, True, False]),  # child protection, mostly
        st.booleans(),  # paid
        st.none() | st.integers(0, 4),  # post filled
    ),
    max_size=14,
)
posts_strategy = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 3),
        st.booleans(),
        st.none() | st.sampled_from(DATES),
        st.none() | st.sampled_from(DATES),
    ),
    max_size=5,
)
# Registration histories: status changes and licence boundaries on either side of each year's end, the
# registered status and licences running over 31 December 2024 drawn more often than the others.
CHANGE_DAYS = ["2023-06-01", "2023-12-31", "2024-01-01", "2024-12-30", "2024-12-31", "2025-01-01"]
LICENCE_STARTS = ["2023-01-01", "2024-01-01", "2024-12-31", "2025-01-01"]
LICENCE_ENDS = ["2023-12-31", "2024-12-30", "2024-12-31", "2025-12-31", "2025-12-31"]
registrations_strategy = st.lists(
    st.tuples(
        st.integers(0, 5),  # worker
        st.lists(  # status changes, recorded in this order (ties and changes recorded out of date order)
            st.tuples(
                st.sampled_from(["registered"] * 4 + ["applied", "suspended", "lapsed", "removed"]),
                st.sampled_from(CHANGE_DAYS),
            ),
            min_size=1,
            max_size=3,
        ),
        st.lists(st.tuples(st.sampled_from(LICENCE_STARTS), st.sampled_from(LICENCE_ENDS)), max_size=2),
    ),
    max_size=5,
)
# Completions: (worker, programme, day) with the programmes of ``PROGRAMMES`` (certifying and recognised
# before, certifying and recognised on 2024-07-01, not certifying, certifying and never recognised) and
# days around the recognition and each year's end.
PROGRAMMES = [(True, "2020-01-01"), (True, "2024-07-01"), (False, "2020-01-01"), (True, None)]
COMPLETION_DAYS = ["2023-12-31", "2024-06-30", "2024-07-01", "2024-12-31", "2025-01-01"]
completions_strategy = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, len(PROGRAMMES) - 1), st.sampled_from(COMPLETION_DAYS)),
    max_size=5,
)
settings_strategy = st.lists(st.sampled_from(["", "urban", "rural", "mixed"]), min_size=6, max_size=6)
sectors_strategy = st.lists(st.sampled_from(["", "social_welfare", "justice"]), min_size=2, max_size=2)
population_strategy = st.lists(st.none() | st.sampled_from([0, 1000, 2500, 70001]), min_size=6, max_size=6)


def certified_on(worker: Worker, day: datetime.date) -> bool:
    """The contract: on or before ``day``, ``worker`` completed a programme that the government recognised,
    on the completion date, as certifying to work with child victims of violence."""
    return any(
        c.completed_on <= day
        and c.programme.certifies_child_victims
        and c.programme.government_recognised_from is not None
        and c.programme.government_recognised_from <= c.completed_on
        for c in worker.completions.select_related("programme")
    )


# The indicators that ``naive`` reads: the contract ``indicators.md``'s and the turnover (``support.md``); the
# other support figures have their own hand-worked tests (``test_support_indicators.py``).
WORKFORCE_INDICATORS = tuple(
    indicator
    for indicator in INDICATORS
    if not indicator.startswith("support.") or indicator == "support.turnover_rate"
)


def naive(*, year: int, by: tuple[str, ...]) -> dict[tuple[str, str, tuple[str, ...]], tuple[Any, Any, Any]]:
    """The contract read literally, one row at a time."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    locations = {location.pk: location for location in Location.objects.all()}

    def chain(pk: int) -> list[str]:
        codes = []
        node: Location | None = locations[pk]
        while node is not None:
            codes.append(node.code)
            node = locations[node.parent_id] if node.parent_id else None
        return codes

    def group_of(assignment: Assignment, worker: Worker) -> tuple[str, ...]:
        education = (
            "post_secondary"
            if worker.education_level in ("certificate", "diploma", "bachelor", "master", "doctorate")
            else "no_post_secondary"
            if worker.education_level in ("none", "primary", "secondary")
            else "unknown"
        )
        place: Location | None = locations[assignment.location_id]
        while place is not None and not place.setting:
            place = locations[place.parent_id] if place.parent_id else None
        values = {
            "sector": assignment.organisation.sector or "unknown",
            "setting": place.setting if place is not None else "unknown",
            "cadre": assignment.cadre.code,
            "category": assignment.cadre.category,
            "employer": "government" if assignment.organisation.type == "government" else "non_government",
            "paid": "paid" if assignment.paid else "unpaid",
            "sex": worker.sex,
            "education": education,
        }
        values["licensed"] = "licensed" if worker_licensed_on(worker=worker, day=last) else "not_licensed"
        values["certified"] = "certified" if certified_on(worker, last) else "not_certified"
        return tuple(values[d] for d in by)

    count: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    licensed: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    certified: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    sexes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # support.turnover_rate (contract support.md): counted, active on 1 January, active on 31 December.
    heads: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(lambda: [0, 0, 0])
    for worker in Worker.objects.all():
        overlapping = [
            a
            for a in worker.assignments.select_related("cadre", "organisation")
            if a.child_protection and a.start_date <= last and (a.end_date is None or a.end_date >= first)
        ]
        if not overlapping:
            continue
        best_start = max(a.start_date for a in overlapping)
        candidates = [a for a in overlapping if a.start_date == best_start]
        if any(a.is_active_on(last) for a in candidates):
            candidates = [a for a in candidates if a.is_active_on(last)]
        best_fte = max(a.fte for a in candidates)
        reference = min((a for a in candidates if a.fte == best_fte), key=lambda a: a.pk)
        is_licensed = worker_licensed_on(worker=worker, day=last)
        is_certified = certified_on(worker, last)
        cp = [a for a in worker.assignments.all() if a.child_protection]
        on_first, on_last = any(a.is_active_on(first) for a in cp), any(a.is_active_on(last) for a in cp)
        for code in chain(reference.location_id):
            for split in [(), group_of(reference, worker)] if by else [()]:
                heads[(code, split)][0] += 1
                heads[(code, split)][1] += on_first
                heads[(code, split)][2] += on_last
            count[(code, ())] += 1
            licensed[(code, ())] += is_licensed
            certified[(code, ())] += is_certified
            if by:
                count[(code, group_of(reference, worker))] += 1
                licensed[(code, group_of(reference, worker))] += is_licensed
                certified[(code, group_of(reference, worker))] += is_certified
            sexes[code][worker.sex] += 1

    estimates = {e.location_id: e.children for e in PopulationEstimate.objects.filter(year=year)}

    def children(pk: int) -> int | None:
        if pk in estimates:
            return estimates[pk]
        below = [child for child in locations.values() if child.parent_id == pk]
        figures = [children(child.pk) for child in below]
        return sum(f for f in figures if f is not None) if below and None not in figures else None

    funded: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    vacant: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for post in Post.objects.select_related("cadre"):
        if not post.funded or not post.exists_on(last):
            continue
        is_vacant = not any(a.is_active_on(last) for a in post.assignments.all())
        for code in chain(post.location_id):
            splits = [(), (post.cadre.code,)] if by == ("cadre",) else [()]
            for split in splits:
                funded[(code, split)] += 1
                vacant[(code, split)] += is_vacant

    expected: dict[tuple[str, str, tuple[str, ...]], tuple[Any, Any, Any]] = {}
    for location in locations.values():
        code = location.code
        population = children(location.pk)
        for (where, group), n in count.items():
            if where == code and n:
                expected[("workforce.count", code, group)] = (n, None, n)
                per_100k = n * 100000 / population if population else None
                expected[("workforce.per_100k_children", code, group)] = (n, population, per_100k)
        expected.setdefault(("workforce.count", code, ()), (0, None, 0))
        per_100k_zero = 0.0 if population else None
        expected.setdefault(("workforce.per_100k_children", code, ()), (0, population, per_100k_zero))
        female = sexes[code]["female"]
        known = female + sexes[code]["male"] + sexes[code]["other"]
        expected[("workforce.female_share", code, ())] = (female, known, female / known if known else None)
        expected[("posts.vacancy_rate", code, ())] = (
            vacant[(code, ())],
            funded[(code, ())],
            vacant[(code, ())] / funded[(code, ())] if funded[(code, ())] else None,
        )
        total = count[(code, ())]
        for (where, group), n in licensed.items():
            if where == code and (n or not group):  # the {} row always, a group with a licensed worker
                expected[("workforce.licensed_share", code, group)] = (n, total, n / total if total else None)
        expected.setdefault(("workforce.licensed_share", code, ()), (0, 0, None))
        for (where, group), n in certified.items():
            if where == code and (n or not group):  # the {} row always, a group with a certified worker
                expected[("workforce.certified_share", code, group)] = (
                    n,
                    total,
                    n / total if total else None,
                )
        expected.setdefault(("workforce.certified_share", code, ()), (0, 0, None))
        for (where, group), (n, on_first, on_last) in heads.items():
            if where == code:  # every group with a counted worker, also with nobody gone
                average = (on_first + on_last) / 2
                rate = (n - on_last) / average if on_first + on_last else None
                expected[("support.turnover_rate", code, group)] = (n - on_last, average, rate)
        expected.setdefault(("support.turnover_rate", code, ()), (0, 0.0, None))
        for (where, group), n in funded.items():
            if where == code and group:  # a cadre with a funded post: its own rate, also 0
                expected[("posts.vacancy_rate", code, group)] = (
                    vacant[(where, group)],
                    n,
                    vacant[(where, group)] / n,
                )
    return expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    workers=workers_strategy,
    assignments=assignments_strategy,
    posts=posts_strategy,
    population=population_strategy,
    year=st.sampled_from([2024, 2024, 2023, 2025]),  # 2024 is the year with boundary dates on both sides
    by=st.lists(st.sampled_from(list(DIMENSIONS)), max_size=2, unique=True),
    subtree=st.sampled_from([1, 2, 4, 5]),  # a region or a district of ``places``
    place_settings=settings_strategy,
    sectors=sectors_strategy,
    registrations=registrations_strategy,
    completions=completions_strategy,
)
def test_compute_equals_the_naive_reading_of_the_contract(
    country: Country,
    workers: list[tuple[str, str]],
    assignments: list[tuple[Any, ...]],
    posts: list[tuple[Any, ...]],
    population: list[int | None],
    year: int,
    by: list[str],
    subtree: int,
    place_settings: list[str],
    sectors: list[str],
    registrations: list[tuple[Any, ...]],
    completions: list[tuple[int, int, str]],
) -> None:
    with transaction.atomic():
        places = [
            country.root,
            country.region_1,
            country.district_11,
            country.district_12,
            country.region_2,
            country.district_21,
        ]
        cadres = [
            country.social_worker,
            country.para_social_worker,
            country.volunteer,
            CadreFactory(code="CHW", category="allied"),
        ]
        organisations = [country.ministry, country.ngo]
        for place, setting in zip(places, place_settings, strict=True):
            Location.objects.filter(pk=place.pk).update(setting=setting)
        for organisation, sector in zip(organisations, sectors, strict=True):
            type(organisation).objects.filter(pk=organisation.pk).update(sector=sector)
        people = [WorkerFactory(sex=sex, education_level=level) for sex, level in workers]
        for place, children in zip(places, population, strict=True):
            if children is not None:
                PopulationEstimateFactory(location=place, year=year, children=children)
        establishment = []
        for place, cadre, funded, established, abolished in posts:
            if established and abolished and abolished <= established:
                abolished = None
            establishment.append(
                PostFactory(
                    organisation=country.ministry,
                    location=places[place],
                    cadre=cadres[cadre],
                    funded=funded,
                    established_on=established,
                    abolished_on=abolished,
                )
            )
        identities = set()
        for who, place, cadre, organisation, start, end, fte, protection, paid, post in assignments:
            worker = people[who % len(people)]
            end = end if end is not None and end >= start else None
            identity = (worker.pk, organisation, place, cadre, start)
            if identity in identities:
                continue
            identities.add(identity)
            AssignmentFactory(
                worker=worker,
                organisation=organisations[organisation],
                location=places[place],
                cadre=cadres[cadre],
                start_date=start,
                end_date=end,
                fte=Decimal(fte),
                child_protection=protection,
                paid=paid,
                post=establishment[post % len(establishment)] if establishment and post is not None else None,
            )

        for register_code, (who, changes, licences) in enumerate(registrations):
            registration_with_history(
                worker=people[who % len(people)],
                changes=changes,
                licences=sorted(dict((start, end) for start, end in licences if end >= start).items()),
                register=RegisterFactory.create(code=f"REG{register_code}"),  # a worker may hold several
            )

        programmes = [
            CertifyingProgrammeFactory.create(
                certifies_child_victims=certifies,
                government_recognised_from=datetime.date.fromisoformat(since) if since else None,
            )
            for certifies, since in PROGRAMMES
        ]
        # One completion per worker, programme and day.
        for who, programme, on in {(who % len(people), programme, on) for who, programme, on in completions}:
            completed(people[who], programmes[programme], on)

        rows = indicators_compute(year=year, by=tuple(by), indicators=WORKFORCE_INDICATORS)

        computed = {
            (r.indicator, r.location, tuple(r.group.values())): (r.numerator, r.denominator, r.value)
            for r in rows
        }
        assert len(computed) == len(rows)
        assert computed == naive(year=year, by=tuple(by))
        # A subtree reads fewer rows but must give exactly the same figures.
        below = {location.code for location in Location.objects.filter(path__startswith=places[subtree].path)}
        assert indicators_compute(
            year=year, by=tuple(by), location=places[subtree], indicators=WORKFORCE_INDICATORS
        ) == [r for r in rows if r.location in below]
        transaction.set_rollback(True)
