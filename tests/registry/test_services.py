"""Writes through the registry services: validation, scope, history with the acting user."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.registry.models import Assignment, Worker
from sswis.registry.services import (
    AssignmentTerms,
    assignment_end,
    assignment_start,
    assignment_transfer,
    assignment_update,
    cadre_create,
    organisation_update,
    post_create,
    post_update,
    worker_register,
    worker_update,
)
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, PostFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def terms(country: Country, **overrides: object) -> AssignmentTerms:
    values: dict[str, object] = {
        "organisation": country.ministry,
        "location": country.district_11,
        "cadre": country.social_worker,
        "start_date": datetime.date(2024, 3, 1),
        "paid": True,
    }
    values.update(overrides)
    return AssignmentTerms(**values)  # type: ignore[arg-type]


def test_register_worker_with_first_assignment_is_audited(personas: Personas, country: Country) -> None:
    worker = worker_register(
        actor=personas.subnational,
        first_assignment=terms(country),
        worker_id="KD-1",
        given_name="Amina",
        family_name="Okello",
        sex="female",
    )
    assert worker.assignments.count() == 1
    assert worker.history.get().history_user == personas.subnational
    assert worker.assignments.get().history.get().history_user == personas.subnational


def test_register_worker_outside_scope_writes_nothing(personas: Personas, country: Country) -> None:
    with pytest.raises(PermissionDenied):
        worker_register(
            actor=personas.subnational,
            first_assignment=terms(country, location=country.district_21),
            worker_id="KD-2",
            given_name="Ben",
            family_name="Moyo",
        )
    assert Worker.objects.count() == 0


def test_register_worker_needs_assignment_unless_national(personas: Personas, country: Country) -> None:
    with pytest.raises(ValidationError):
        worker_register(actor=personas.subnational, worker_id="KD-3", given_name="C", family_name="D")
    worker_register(actor=personas.national, worker_id="KD-3", given_name="C", family_name="D")
    assert Worker.objects.filter(worker_id="KD-3").count() == 1


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_register_refused_without_person_role(personas: Personas, country: Country, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        worker_register(
            actor=getattr(personas, persona),
            first_assignment=terms(country),
            worker_id="KD-4",
            given_name="E",
            family_name="F",
        )
    assert Worker.objects.count() == 0


def test_invalid_worker_is_refused_and_nothing_written(personas: Personas, country: Country) -> None:
    with pytest.raises(ValidationError) as error:
        worker_register(
            actor=personas.national,
            first_assignment=terms(country, fte=Decimal("1.5")),
            worker_id="KD-5",
            given_name="G",
            family_name="H",
            sex="female",
        )
    assert "fte" in error.value.message_dict
    assert Worker.objects.count() == 0


def test_worker_update_records_only_changes(personas: Personas, country: Country) -> None:
    worker = WorkerFactory(worker_id="W1")
    AssignmentFactory(
        worker=worker,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
    )
    worker_update(actor=personas.subnational, worker=worker, phone="+000 111")
    worker_update(actor=personas.subnational, worker=worker, phone="+000 111")
    records = list(worker.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[-1].history_user == personas.subnational
    assert records[-1].phone == "+000 111"


def test_end_and_transfer(personas: Personas, country: Country) -> None:
    worker = WorkerFactory()
    assignment = AssignmentFactory(
        worker=worker,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        start_date=datetime.date(2020, 1, 1),
    )
    new = assignment_transfer(
        actor=personas.subnational,
        assignment=assignment,
        last_day=datetime.date(2023, 6, 30),
        terms=terms(country, location=country.district_12, start_date=datetime.date(2023, 7, 1)),
    )
    assignment.refresh_from_db()
    assert (assignment.end_date, assignment.exit_reason) == (datetime.date(2023, 6, 30), "transferred")
    assert (new.location, new.start_date, new.end_date) == (
        country.district_12,
        datetime.date(2023, 7, 1),
        None,
    )
    with pytest.raises(ValidationError):
        assignment_end(
            actor=personas.subnational,
            assignment=assignment,
            end_date=datetime.date(2024, 1, 1),
            exit_reason="resigned",
        )
    with pytest.raises(ValidationError):
        assignment_end(
            actor=personas.subnational,
            assignment=new,
            end_date=datetime.date(2023, 6, 1),
            exit_reason="resigned",
        )
    assignment_end(
        actor=personas.subnational,
        assignment=new,
        end_date=datetime.date(2024, 12, 31),
        exit_reason="retired",
    )
    assert Assignment.objects.get(pk=new.pk).exit_reason == "retired"


def test_transfer_out_of_scope_changes_nothing(personas: Personas, country: Country) -> None:
    assignment = AssignmentFactory(
        organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    with pytest.raises(PermissionDenied):
        assignment_transfer(
            actor=personas.subnational,
            assignment=assignment,
            last_day=datetime.date(2023, 6, 30),
            terms=terms(country, location=country.district_21, start_date=datetime.date(2023, 7, 1)),
        )
    assignment.refresh_from_db()
    assert assignment.end_date is None
    assert Assignment.objects.count() == 1


def test_post_rules(personas: Personas, country: Country) -> None:
    post = PostFactory(
        code="P1",
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        established_on=datetime.date(2022, 1, 1),
    )
    worker = WorkerFactory()
    with pytest.raises(ValidationError, match="must be the same"):
        assignment_start(
            actor=personas.national,
            worker=worker,
            terms=terms(country, post=post, cadre=country.para_social_worker),
        )
    with pytest.raises(ValidationError, match="does not exist"):
        assignment_start(
            actor=personas.national,
            worker=worker,
            terms=terms(country, post=post, start_date=datetime.date(2021, 12, 31)),
        )
    assignment_start(actor=personas.national, worker=worker, terms=terms(country, post=post))
    with pytest.raises(ValidationError, match="already filled"):
        assignment_start(
            actor=personas.national,
            worker=WorkerFactory(),
            terms=terms(country, post=post, start_date=datetime.date(2024, 6, 1)),
        )


def test_assignment_update_requires_end_date_for_exit_reason(personas: Personas, country: Country) -> None:
    assignment = AssignmentFactory(
        organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    with pytest.raises(ValidationError):
        assignment_update(actor=personas.national, assignment=assignment, exit_reason="resigned")
    assignment_update(actor=personas.national, assignment=assignment, fte=Decimal("0.5"), paid=False)
    assignment.refresh_from_db()
    assert (assignment.fte, assignment.paid) == (Decimal("0.5"), False)


def test_reference_lists_only_for_managers(personas: Personas, country: Country) -> None:
    cadre = cadre_create(
        actor=personas.administrator, code="PO", name="Probation officer", category="professional"
    )
    assert cadre.history.get().history_user == personas.administrator
    with pytest.raises(PermissionDenied):
        cadre_create(actor=personas.subnational, code="X", name="X", category="allied")
    with pytest.raises(ValidationError, match="part of itself"):
        organisation_update(actor=personas.national, organisation=country.ministry, parent=country.ministry)


def test_post_create_in_scope_only(personas: Personas, country: Country) -> None:
    post = post_create(
        actor=personas.subnational,
        code="P9",
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.social_worker,
    )
    assert post.history.get().history_user == personas.subnational
    with pytest.raises(PermissionDenied):
        post_create(
            actor=personas.subnational,
            code="P10",
            organisation=country.ministry,
            location=country.district_21,
            cadre=country.social_worker,
        )


# Taking over workers and posts of someone else ----------------------------------------------------------


def test_a_focal_point_may_not_give_a_worker_they_cannot_see_an_assignment(
    personas: Personas, country: Country
) -> None:
    ministry_worker = WorkerFactory(worker_id="M-1")
    AssignmentFactory(worker=ministry_worker, organisation=country.ministry, location=country.district_11)
    ngo_terms = terms(
        country, organisation=country.ngo, location=country.district_21, cadre=country.volunteer
    )

    with pytest.raises(PermissionDenied) as refused:
        assignment_start(actor=personas.focal_point, worker=ministry_worker, terms=ngo_terms)

    assert str(refused.value) == (
        "This worker is not one of the workers you may see, so you may not give them an assignment. To move a "
        "worker of another organisation or area into yours, ask a national data manager."
    )
    assert list(ministry_worker.assignments.values_list("organisation__code", flat=True)) == ["MSW"]
    # The national data manager moves them; then the focal point sees them and carries on.
    assignment_start(actor=personas.national, worker=ministry_worker, terms=ngo_terms)
    later = terms(
        country,
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.para_social_worker,
        start_date=datetime.date(2025, 1, 1),
    )
    assignment_start(actor=personas.focal_point, worker=ministry_worker, terms=later)
    assert ministry_worker.assignments.count() == 3


def test_an_officer_may_not_give_a_worker_of_another_area_an_assignment_in_theirs(
    personas: Personas, country: Country
) -> None:
    southern_worker = WorkerFactory(worker_id="S-1")
    AssignmentFactory(worker=southern_worker, organisation=country.ngo, location=country.district_21)
    unassigned = WorkerFactory(worker_id="U-1")  # registered nationally, no assignment: the national's only

    for worker in (southern_worker, unassigned):
        with pytest.raises(PermissionDenied):
            assignment_start(actor=personas.subnational, worker=worker, terms=terms(country))

    assert Assignment.objects.filter(location=country.district_11).count() == 0


def test_a_transfer_of_a_worker_in_scope_is_allowed(personas: Personas, country: Country) -> None:
    worker = WorkerFactory(worker_id="N-1")
    assignment = AssignmentFactory(
        worker=worker, organisation=country.ministry, location=country.district_11, end_date=None
    )

    assignment_transfer(
        actor=personas.subnational,
        assignment=assignment,
        last_day=datetime.date(2024, 2, 29),
        terms=terms(country, location=country.district_12),
    )

    assert sorted(worker.assignments.values_list("location__code", flat=True)) == ["D11", "D12"]


def test_a_post_of_someone_else_may_not_be_moved_into_ones_own_scope(
    personas: Personas, country: Country
) -> None:
    ministry_post = PostFactory(
        code="P-MSW", organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    southern_post = PostFactory(
        code="P-SOUTH", organisation=country.ngo, location=country.district_21, cadre=country.volunteer
    )

    with pytest.raises(PermissionDenied):
        post_update(actor=personas.focal_point, post=ministry_post, organisation=country.ngo)
    with pytest.raises(PermissionDenied):
        post_update(actor=personas.subnational, post=southern_post, location=country.district_11)

    ministry_post.refresh_from_db()
    southern_post.refresh_from_db()
    assert (ministry_post.organisation, southern_post.location) == (country.ministry, country.district_21)
    post_update(actor=personas.subnational, post=ministry_post, location=country.district_12)
    ministry_post.refresh_from_db()
    assert ministry_post.location == country.district_12
