"""Professional associations and memberships: who may write them (associations: a national data manager;
memberships: whoever may change the worker), what each write refuses (naming the field, writing nothing),
the audit trail, and who sees which memberships."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.access.support_policy import memberships_visible
from sswis.support.association_selectors import (
    association_members_count,
    memberships_of_association,
    memberships_of_worker,
)
from sswis.support.associations import (
    association_change,
    association_create,
    membership_change,
    membership_create,
    membership_end,
)
from sswis.support.models_associations import Association, Membership
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date


@pytest.fixture
def workers(country: Country) -> dict[str, Any]:
    """``north`` works in D11 (region R1, the officer's), ``south`` at the NGO in D21 (the focal point's)."""
    made = {}
    for name, location, organisation in (
        ("north", country.district_11, country.ministry),
        ("south", country.district_21, country.ngo),
    ):
        worker = WorkerFactory(worker_id=name.upper(), family_name=name.title())
        AssignmentFactory(
            worker=worker, location=location, organisation=organisation, cadre=country.social_worker
        )
        made[name] = worker
    return made


@pytest.fixture
def national(personas: Personas) -> Association:
    return association_create(
        actor=personas.national, code="NASW", name="National Association of Social Workers", founded=1990
    )


def test_an_association_is_added_and_changed_by_a_national_data_manager_audited(
    personas: Personas, country: Country
) -> None:
    association = association_create(
        actor=personas.national,
        code=" RSW-N ",
        name="Northern Social Workers",
        scope="regional",
        region=country.region_1,
        founded=2005,
        website="https://north.example.org",
    )
    assert (association.code, association.scope, association.region, association.founded) == (
        "RSW-N",
        "regional",
        country.region_1,
        2005,
    )
    assert association.history.latest().history_user == personas.national
    changed = association_change(
        actor=personas.national, association=association, changes={"scope": "national"}
    )
    association.refresh_from_db()
    assert (changed, association.scope, association.region) == (["scope", "region"], "national", None)
    assert association.history.count() == 2


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "administrator", "outsider"])
def test_only_a_national_data_manager_keeps_the_list_of_associations(
    personas: Personas, persona: str, national: Association
) -> None:
    user = getattr(personas, persona)
    with pytest.raises(PermissionDenied):
        association_create(actor=user, code="X", name="X")
    with pytest.raises(PermissionDenied):
        association_change(actor=user, association=national, changes={"name": "Renamed"})
    assert (Association.objects.count(), Association.objects.get().name) == (
        1,
        "National Association of Social Workers",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"scope": "regional"}, "region"),  # a regional association without its region
        ({"scope": "galactic"}, "scope"),
        ({"code": "NASW"}, "code"),  # another association's code
        ({"code": "figures"}, "code"),  # a word of the associations' addresses
        ({"code": "A/B"}, "code"),
        ({"website": "not a site"}, "website"),
        ({"name": "Bad\x00name"}, "name"),
        ({"founded": 1500}, "founded"),
    ],
)
def test_a_bad_association_is_refused_naming_the_field(
    personas: Personas, national: Association, fields: dict[str, Any], field: str
) -> None:
    values = {"code": "OTHER", "name": "Other association"} | fields
    with pytest.raises(ValidationError) as refused:
        association_create(actor=personas.national, **values)
    assert list(refused.value.message_dict) == [field]
    assert Association.objects.count() == 1


def test_a_national_association_has_no_region(personas: Personas, country: Country) -> None:
    with pytest.raises(ValidationError) as refused:
        association_create(actor=personas.national, code="N", name="N", region=country.region_1)
    assert list(refused.value.message_dict) == ["region"]


def test_a_membership_is_recorded_changed_and_ended_by_whoever_sees_the_worker(
    personas: Personas, workers: dict[str, Any], national: Association
) -> None:
    membership = membership_create(
        actor=personas.subnational,
        worker=workers["north"],
        association=national,
        member_from=D(2020, 3, 1),
        number=" N-001 ",
        kind="associate",
    )
    assert (membership.number, membership.kind, membership.member_until) == ("N-001", "associate", None)
    assert membership.history.latest().history_user == personas.subnational
    membership_change(actor=personas.subnational, membership=membership, changes={"kind": "full"})
    membership_end(actor=personas.national, membership=membership, member_until=D(2023, 12, 31))
    membership.refresh_from_db()
    assert (membership.kind, membership.member_until) == ("full", D(2023, 12, 31))
    assert [record.history_user for record in membership.history.order_by("history_date")] == [
        personas.subnational,
        personas.subnational,
        personas.national,
    ]


@pytest.mark.parametrize(
    ("persona", "side"),
    [
        ("subnational", "south"),  # outside the officer's region
        ("focal_point", "north"),  # not of the focal point's organisation
        ("analyst", "north"),
        ("administrator", "north"),
        ("outsider", "north"),
    ],
)
def test_a_membership_of_a_worker_out_of_sight_is_refused(
    personas: Personas, workers: dict[str, Any], national: Association, persona: str, side: str
) -> None:
    with pytest.raises(PermissionDenied):
        membership_create(
            actor=getattr(personas, persona),
            worker=workers[side],
            association=national,
            member_from=D(2021, 1, 1),
        )
    assert not Membership.objects.exists()


def test_a_membership_of_a_worker_out_of_sight_cannot_be_changed(
    personas: Personas, workers: dict[str, Any], national: Association
) -> None:
    membership = membership_create(
        actor=personas.national, worker=workers["south"], association=national, member_from=D(2021, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        membership_end(actor=personas.subnational, membership=membership, member_until=D(2022, 1, 1))
    membership.refresh_from_db()
    assert (membership.member_until, membership.history.count()) == (None, 1)


@pytest.mark.parametrize(
    ("member_from", "member_until", "field"),
    [
        (D(2019, 6, 1), None, "member_from"),  # the open membership of 2020 covers it from 2020 on
        (D(2019, 6, 1), D(2020, 1, 1), "member_from"),  # shares 1 January 2020
        (D(2025, 1, 1), None, "member_from"),  # the first one has no end
    ],
)
def test_an_overlapping_membership_in_the_same_association_is_refused(
    personas: Personas,
    workers: dict[str, Any],
    national: Association,
    member_from: datetime.date,
    member_until: datetime.date | None,
    field: str,
) -> None:
    membership_create(
        actor=personas.national, worker=workers["north"], association=national, member_from=D(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        membership_create(
            actor=personas.national,
            worker=workers["north"],
            association=national,
            member_from=member_from,
            member_until=member_until,
        )
    assert refused.value.message_dict == {
        field: ["It overlaps the membership from 2020-01-01, which has no end."]
    }
    assert Membership.objects.count() == 1


def test_memberships_one_after_the_other_and_in_other_associations_are_kept(
    personas: Personas, workers: dict[str, Any], national: Association, country: Country
) -> None:
    regional = association_create(
        actor=personas.national, code="R1SW", name="North", scope="regional", region=country.region_1
    )
    first = membership_create(
        actor=personas.national,
        worker=workers["north"],
        association=national,
        member_from=D(2020, 1, 1),
        member_until=D(2020, 12, 31),
    )
    membership_create(
        actor=personas.national, worker=workers["north"], association=national, member_from=D(2021, 1, 1)
    )
    membership_create(
        actor=personas.national, worker=workers["north"], association=regional, member_from=D(2020, 6, 1)
    )
    membership_create(
        actor=personas.national, worker=workers["south"], association=national, member_from=D(2020, 6, 1)
    )
    assert Membership.objects.count() == 4
    # Ending the first one later would make it overlap the second one.
    with pytest.raises(ValidationError) as refused:
        membership_end(actor=personas.national, membership=first, member_until=D(2021, 3, 31))
    assert refused.value.message_dict == {
        "member_until": ["It overlaps the membership from 2021-01-01, which has no end."]
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"member_from": D(2099, 1, 1)}, "member_from"),  # in the future
        ({"member_from": D(1985, 1, 1)}, "member_from"),  # before the association was founded (1990)
        ({"member_from": D(2020, 1, 1), "member_until": D(2019, 1, 1)}, "member_until"),
        ({"member_from": D(2020, 1, 1), "kind": "lifetime"}, "kind"),
        ({"member_from": D(2020, 1, 1), "number": "N\x07"}, "number"),
        ({"member_from": D(2020, 1, 1), "number": "TAKEN"}, "number"),  # the south worker's number
    ],
)
def test_a_bad_membership_is_refused_naming_the_field(
    personas: Personas, workers: dict[str, Any], national: Association, fields: dict[str, Any], field: str
) -> None:
    membership_create(
        actor=personas.national,
        worker=workers["south"],
        association=national,
        member_from=D(2020, 1, 1),
        number="TAKEN",
    )
    with pytest.raises(ValidationError) as refused:
        membership_create(actor=personas.national, worker=workers["north"], association=national, **fields)
    assert list(refused.value.message_dict) == [field]
    assert Membership.objects.count() == 1


def test_a_founding_year_after_a_membership_begins_is_refused(
    personas: Personas, workers: dict[str, Any], national: Association
) -> None:
    membership_create(
        actor=personas.national, worker=workers["north"], association=national, member_from=D(1995, 5, 1)
    )
    with pytest.raises(ValidationError) as refused:
        association_change(actor=personas.national, association=national, changes={"founded": 2000})
    assert refused.value.message_dict == {
        "founded": ["A membership of this association starts on 1995-05-01, before 2000."]
    }


def test_who_sees_which_memberships(
    personas: Personas, workers: dict[str, Any], national: Association
) -> None:
    for side in ("north", "south"):
        membership_create(
            actor=personas.national, worker=workers[side], association=national, member_from=D(2020, 1, 1)
        )

    def seen(user: Any) -> list[str]:
        rows = memberships_visible(user=user, queryset=Membership.objects.order_by("worker__worker_id"))
        return [row.worker.worker_id for row in rows]

    assert seen(personas.national) == ["NORTH", "SOUTH"]
    assert seen(personas.subnational) == ["NORTH"]
    assert seen(personas.focal_point) == ["SOUTH"]
    assert seen(personas.analyst) == []
    assert seen(personas.administrator) == []
    assert seen(personas.outsider) == []
    assert [
        m.worker.worker_id
        for m in memberships_of_association(user=personas.subnational, association=national)
    ] == ["NORTH"]
    assert list(memberships_of_worker(user=personas.subnational, worker=workers["south"])) == []


def test_the_members_of_an_association_on_a_day(
    personas: Personas, workers: dict[str, Any], national: Association, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    membership_create(
        actor=personas.national,
        worker=workers["north"],
        association=national,
        member_from=D(2020, 1, 1),
        member_until=D(2021, 6, 30),
    )
    membership_create(
        actor=personas.national, worker=workers["south"], association=national, member_from=D(2021, 1, 1)
    )
    count = association_members_count
    assert count(user=personas.national, association=national, day=D(2019, 12, 31)) == 0
    assert count(user=personas.national, association=national, day=D(2020, 1, 1)) == 1
    assert count(user=personas.national, association=national, day=D(2021, 6, 30)) == 2
    assert count(user=personas.national, association=national, day=D(2021, 7, 1)) == 1
    # One member is fewer than the smallest cell shown (2) to those who may not see every figure.
    assert count(user=personas.analyst, association=national, day=D(2021, 7, 1)) is None
    assert count(user=personas.analyst, association=national, day=D(2021, 6, 30)) == 2
    assert [
        m.worker.worker_id
        for m in memberships_of_association(user=personas.national, association=national, day=D(2021, 7, 1))
    ] == ["SOUTH"]
    with pytest.raises(PermissionDenied):
        count(user=personas.outsider, association=national, day=D(2021, 7, 1))
