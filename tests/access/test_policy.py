"""Who sees which person records: every persona, in scope and out of scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from sswis.access import policy
from sswis.access.models import Role
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, PostFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(country: Country) -> dict[str, object]:
    """W1: ministry job in D11 (R1). W2: NGO job in D21 (R2). W3: no assignment at all."""
    w1 = WorkerFactory(worker_id="W1")
    w2 = WorkerFactory(worker_id="W2")
    w3 = WorkerFactory(worker_id="W3")
    a1 = AssignmentFactory(
        worker=w1, organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    a2 = AssignmentFactory(
        worker=w2, organisation=country.ngo, location=country.district_21, cadre=country.para_social_worker
    )
    p1 = PostFactory(
        code="P1", organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    p2 = PostFactory(
        code="P2", organisation=country.ngo, location=country.district_21, cadre=country.social_worker
    )
    return {"w1": w1, "w2": w2, "w3": w3, "a1": a1, "a2": a2, "p1": p1, "p2": p2}


def ids(queryset: object) -> list[str]:
    return sorted(str(row) for row in queryset.values_list("worker_id", flat=True))  # type: ignore[attr-defined]


def test_national_data_manager_sees_every_worker(personas: Personas, registry: dict[str, object]) -> None:
    assert ids(policy.workers_visible(user=personas.national)) == ["W1", "W2", "W3"]
    assert policy.assignments_visible(user=personas.national).count() == 2
    assert sorted(policy.posts_visible(user=personas.national).values_list("code", flat=True)) == ["P1", "P2"]


def test_subnational_officer_sees_only_their_subtree(personas: Personas, registry: dict[str, object]) -> None:
    assert ids(policy.workers_visible(user=personas.subnational)) == ["W1"]
    assert list(policy.assignments_visible(user=personas.subnational)) == [registry["a1"]]
    assert list(policy.posts_visible(user=personas.subnational).values_list("code", flat=True)) == ["P1"]
    # The ministry is based at the root but has a post and a worker in R1; the NGO works in R2 only.
    assert [o.code for o in policy.organisations_visible(user=personas.subnational)] == ["MSW"]


def test_focal_point_sees_only_their_organisation(personas: Personas, registry: dict[str, object]) -> None:
    assert ids(policy.workers_visible(user=personas.focal_point)) == ["W2"]
    assert list(policy.assignments_visible(user=personas.focal_point)) == [registry["a2"]]
    assert list(policy.posts_visible(user=personas.focal_point).values_list("code", flat=True)) == ["P2"]
    assert [o.code for o in policy.organisations_visible(user=personas.focal_point)] == ["NGO1"]


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_aggregate_only_and_outsiders_see_no_person(
    personas: Personas, registry: dict[str, object], persona: str
) -> None:
    user = getattr(personas, persona)
    assert policy.workers_visible(user=user).count() == 0
    assert policy.assignments_visible(user=user).count() == 0
    assert policy.posts_visible(user=user).count() == 0
    with pytest.raises(PermissionDenied):
        policy.require_people(user=user)


def test_outsider_and_anonymous_get_no_aggregates_either(personas: Personas) -> None:
    from django.contrib.auth.models import AnonymousUser

    for user in (personas.outsider, AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            policy.require_aggregates(user=user)
        assert policy.organisations_visible(user=user).count() == 0
    assert policy.require_aggregates(user=personas.analyst).role == Role.ANALYST


def test_inactive_user_is_an_outsider(personas: Personas) -> None:
    personas.national.is_active = False
    personas.national.save(update_fields=["is_active"])
    personas.national.__dict__.pop("_sswis_scope", None)
    assert policy.scope_of(personas.national).is_outsider


def test_superuser_without_role_is_system_administrator(db: object) -> None:
    root = UserFactory(username="root", is_superuser=True)
    scope = policy.scope_of(root)
    assert scope.role == Role.SYSTEM_ADMINISTRATOR
    assert scope.manages_reference_lists
    assert not scope.sees_people


def test_assignment_change_is_scoped(personas: Personas, country: Country) -> None:
    policy.require_assignment_change(
        user=personas.subnational, organisation=country.ministry, location=country.district_12
    )
    with pytest.raises(PermissionDenied):
        policy.require_assignment_change(
            user=personas.subnational, organisation=country.ministry, location=country.district_21
        )
    policy.require_assignment_change(
        user=personas.focal_point, organisation=country.ngo, location=country.district_11
    )
    with pytest.raises(PermissionDenied):
        policy.require_assignment_change(
            user=personas.focal_point, organisation=country.ministry, location=country.district_21
        )
    with pytest.raises(PermissionDenied):
        policy.require_assignment_change(
            user=personas.analyst, organisation=country.ngo, location=country.district_21
        )


def test_roles_with_person_records_import_within_their_limits(personas: Personas, country: Country) -> None:
    assert policy.import_limits(user=personas.national) == policy.ImportLimits()
    assert policy.import_limits(user=personas.focal_point) == policy.ImportLimits(
        files=frozenset(
            {"posts", "workers", "assignments", "supervision", "supervision_sessions", "caseloads"}
        ),
        organisation_id=country.ngo.pk,
        where="organisation NGO1",
    )
    assert policy.import_limits(user=personas.subnational) == policy.ImportLimits(
        files=frozenset(
            {"posts", "workers", "assignments", "supervision", "supervision_sessions", "caseloads"}
        ),
        location_ids=frozenset({country.region_1.pk, country.district_11.pk, country.district_12.pk}),
        where="R1 (North) and below",
    )
    for persona in ("analyst", "administrator", "outsider"):
        with pytest.raises(PermissionDenied):
            policy.require_import(user=getattr(personas, persona))
        with pytest.raises(PermissionDenied):
            policy.import_limits(user=getattr(personas, persona))


def test_workers_outside_scope_are_those_existing_and_not_visible(
    personas: Personas, registry: dict[str, object]
) -> None:
    asked = {"W1", "W2", "W3", "NEW"}
    assert policy.worker_ids_outside_scope(user=personas.national, worker_ids=asked) == set()
    assert policy.worker_ids_outside_scope(user=personas.focal_point, worker_ids=asked) == {"W1", "W3"}
    assert policy.worker_ids_outside_scope(user=personas.subnational, worker_ids=asked) == {"W2", "W3"}
