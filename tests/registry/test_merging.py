"""Merging two worker records of the same person and undoing it, worked out by hand.

``alice`` (W-ALICE, female, D11) is the survivor; ``ally`` (W-ALLY, the same person recorded again in
D12) is merged into her. Each test builds the rows it needs and checks exactly where each one ends up.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.indicators.selectors import indicators_compute
from sswis.registry.merging import worker_live, worker_merge, worker_unmerge
from sswis.registry.models import Assignment, Worker
from sswis.registry.models_merging import WorkerMerge
from sswis.registry.selectors import WorkerFilters, worker_list
from sswis.regulation.models import Registration
from sswis.support.models import Caseload, SupervisionRelationship, SupervisionSession
from sswis.surveys.models import PerceptionResponse
from sswis.training.models import Completion
from tests.conftest import Country, Personas
from tests.factories import (
    PerceptionResponseFactory,
    RegisterFactory,
    UserFactory,
    WorkerFactory,
    registration_with_history,
)
from tests.indicators.conftest import assign, row
from tests.training.factories import CompletionFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
JUNE = datetime.date(2024, 6, 1)


@pytest.fixture
def pair(country: Country) -> tuple[Worker, Worker]:
    alice = WorkerFactory(worker_id="W-ALICE", given_name="Alice", family_name="Banda", sex="female")
    ally = WorkerFactory(
        worker_id="W-ALLY", given_name="Ally", family_name="Banda", sex="unknown", national_id="NID-7"
    )
    assign(country, worker=alice, location=country.district_11, start="2022-01-01")
    assign(country, worker=ally, location=country.district_12, start="2023-03-01")
    return alice, ally


def _reason() -> str:
    return "Same person: same birth date and national ID"


def test_merge_moves_every_row_and_keeps_the_merged_record(
    pair: tuple[Worker, Worker], personas: Personas, country: Country
) -> None:
    alice, ally = pair
    other = WorkerFactory(worker_id="W-OTHER")
    registration = registration_with_history(worker=ally, changes=[("registered", "2020-01-01")])
    completion = CompletionFactory(worker=ally)
    supervises = SupervisionRelationship.objects.create(
        supervisor=ally, supervisee=other, start_date=datetime.date(2024, 1, 1)
    )
    supervised = SupervisionRelationship.objects.create(
        supervisor=other, supervisee=ally, start_date=datetime.date(2023, 1, 1)
    )
    session = SupervisionSession.objects.create(supervisor=other, supervisee=ally, date=JUNE)
    caseload = Caseload.objects.create(worker=ally, month=JUNE, open_cases=12)
    response = PerceptionResponseFactory(worker=ally, location=country.district_12)
    login = UserFactory(username="ally")
    user_scope_grant(actor=None, user=login, role=Role.WORKER, worker=ally)
    kept = Caseload.objects.create(worker=alice, month=datetime.date(2024, 7, 1), open_cases=3)
    moved_assignment = ally.assignments.get()

    merge = worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())

    assert list(
        Assignment.objects.filter(worker=alice).order_by("start_date").values_list("pk", flat=True)
    ) == [
        alice.assignments.order_by("start_date").first().pk,  # type: ignore[union-attr]
        moved_assignment.pk,
    ]
    assert Assignment.objects.filter(worker=ally).count() == 0
    # The assignments' copy of the sex is the survivor's now.
    assert Assignment.objects.get(pk=moved_assignment.pk).worker_sex == "female"
    assert Registration.objects.get(pk=registration.pk).worker_id == alice.pk
    assert Completion.objects.get(pk=completion.pk).worker_id == alice.pk
    assert SupervisionRelationship.objects.get(pk=supervises.pk).supervisor_id == alice.pk
    assert SupervisionRelationship.objects.get(pk=supervised.pk).supervisee_id == alice.pk
    assert SupervisionSession.objects.get(pk=session.pk).supervisee_id == alice.pk
    assert Caseload.objects.get(pk=caseload.pk).worker_id == alice.pk
    assert PerceptionResponse.objects.get(pk=response.pk).worker_id == alice.pk
    assert login.scope.__class__.objects.get(user=login).worker_id == alice.pk
    assert Caseload.objects.get(pk=kept.pk).worker_id == alice.pk
    assert merge.moved == {
        "registry.assignment.worker": [moved_assignment.pk],
        "access.userscope.worker": [login.scope.pk],
        "surveys.perceptionresponse.worker": [response.pk],
        "regulation.registration.worker": [registration.pk],
        "training.completion.worker": [completion.pk],
        "support.supervisionrelationship.supervisor": [supervises.pk],
        "support.supervisionrelationship.supervisee": [supervised.pk],
        "support.supervisionsession.supervisee": [session.pk],
        "support.caseload.worker": [caseload.pk],
    }
    ally.refresh_from_db()
    assert (ally.merged_into_id, ally.worker_id, ally.national_id) == (alice.pk, "W-ALLY", "NID-7")
    assert ally.merged_at == merge.merged_at
    assert (merge.merged_by, merge.reason, merge.unmerged_at) == (personas.national, _reason(), None)


def test_merge_is_audited_with_its_author_and_reason(pair: tuple[Worker, Worker], personas: Personas) -> None:
    alice, ally = pair
    moved = ally.assignments.get()
    worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    latest = Assignment.history.filter(id=moved.pk).order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason, latest.worker_id) == (
        personas.national,
        _reason(),
        alice.pk,
    )
    marked = Worker.history.filter(id=ally.pk).order_by("-history_id").first()
    assert (marked.history_user, marked.merged_into_id) == (personas.national, alice.pk)
    recorded = WorkerMerge.history.order_by("-history_id").first()
    assert recorded.history_user == personas.national


def test_a_long_reason_is_kept_whole_on_the_merge_and_cut_in_the_audit_rows(
    pair: tuple[Worker, Worker], personas: Personas
) -> None:
    """The audit's change reason holds 100 characters (PostgreSQL refuses more): a longer reason is cut
    there with an ellipsis and kept whole on the merge and its unmerge."""
    alice, ally = pair
    moved = ally.assignments.get()
    reason = "Same names, birth date and national ID; " * 8
    merge = worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=reason)
    assert merge.reason == reason.strip()
    latest = Assignment.history.filter(id=moved.pk).order_by("-history_id").first()
    assert len(latest.history_change_reason) == 100 and latest.history_change_reason.endswith("\u2026")
    assert reason.startswith(latest.history_change_reason[:99])
    worker_unmerge(actor=personas.national, merge=merge, reason=reason)
    merge.refresh_from_db()
    assert merge.unmerge_reason == reason.strip()


def test_unmerge_moves_exactly_the_moved_rows_back(
    pair: tuple[Worker, Worker], personas: Personas, country: Country
) -> None:
    alice, ally = pair
    own = alice.assignments.get()
    moved = ally.assignments.get()
    caseload = Caseload.objects.create(worker=ally, month=JUNE, open_cases=12)
    merge = worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    after = Caseload.objects.create(worker=alice, month=datetime.date(2024, 8, 1), open_cases=4)
    later_assignment = assign(country, worker=alice, location=country.district_21, start="2024-09-01")

    worker_unmerge(actor=personas.national, merge=merge, reason="Two people after all: twins")

    assert set(Assignment.objects.filter(worker=alice).values_list("pk", flat=True)) == {
        own.pk,
        later_assignment.pk,
    }
    assert list(Assignment.objects.filter(worker=ally).values_list("pk", flat=True)) == [moved.pk]
    assert Assignment.objects.get(pk=moved.pk).worker_sex == "unknown"
    assert Caseload.objects.get(pk=caseload.pk).worker_id == ally.pk
    assert Caseload.objects.get(pk=after.pk).worker_id == alice.pk
    ally.refresh_from_db()
    merge.refresh_from_db()
    assert (ally.merged_into_id, ally.merged_at) == (None, None)
    assert merge.unmerged_by == personas.national
    assert merge.unmerge_reason == "Two people after all: twins"
    back = Assignment.history.filter(id=moved.pk).order_by("-history_id").first()
    assert (back.history_user, back.history_change_reason) == (
        personas.national,
        "Two people after all: twins",
    )


def _refused(call: Any, **arguments: Any) -> str:
    with pytest.raises(ValidationError) as refusal:
        call(**arguments)
    return " ".join(refusal.value.messages)


def test_refusals_write_nothing(pair: tuple[Worker, Worker], personas: Personas, country: Country) -> None:
    alice, ally = pair
    actor = personas.national
    assert "cannot be merged with themself" in _refused(
        worker_merge, actor=actor, surviving=alice, merged=alice, reason=_reason()
    )
    assert "Give the reason" in _refused(worker_merge, actor=actor, surviving=alice, merged=ally, reason="  ")
    Caseload.objects.create(worker=alice, month=JUNE, open_cases=3)
    Caseload.objects.create(worker=ally, month=JUNE, open_cases=12)
    message = _refused(worker_merge, actor=actor, surviving=alice, merged=ally, reason=_reason())
    assert "caseloads" in message and "twice" in message
    assert Assignment.objects.filter(worker=ally).count() == 1
    assert WorkerMerge.objects.count() == 0
    ally.refresh_from_db()
    assert ally.merged_into_id is None


def test_a_person_never_supervises_themself(pair: tuple[Worker, Worker], personas: Personas) -> None:
    alice, ally = pair
    SupervisionRelationship.objects.create(
        supervisor=alice, supervisee=ally, start_date=datetime.date(2024, 1, 1)
    )
    message = _refused(worker_merge, actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    assert "would link Alice Banda (W-ALICE) with themself" in message


def test_two_live_registrations_on_one_register_are_refused(
    pair: tuple[Worker, Worker], personas: Personas
) -> None:
    alice, ally = pair
    register = RegisterFactory()
    registration_with_history(worker=alice, changes=[("registered", "2020-01-01")], register=register)
    registration_with_history(worker=ally, changes=[("registered", "2021-01-01")], register=register)
    message = _refused(worker_merge, actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    assert "both records hold a registration on" in message


def test_an_ended_registration_moves_beside_a_live_one(
    pair: tuple[Worker, Worker], personas: Personas
) -> None:
    alice, ally = pair
    register = RegisterFactory()
    registration_with_history(worker=alice, changes=[("registered", "2020-01-01")], register=register)
    removed = registration_with_history(
        worker=ally, changes=[("registered", "2019-01-01"), ("removed", "2019-06-01")], register=register
    )
    worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    assert Registration.objects.get(pk=removed.pk).worker_id == alice.pk


def test_the_same_survey_round_or_completion_twice_is_refused(
    pair: tuple[Worker, Worker], personas: Personas, country: Country
) -> None:
    alice, ally = pair
    response = PerceptionResponseFactory(worker=alice, location=country.district_11)
    PerceptionResponseFactory(worker=ally, location=country.district_12, survey_round=response.survey_round)
    programme = ProgrammeFactory()
    CompletionFactory(worker=alice, programme=programme)
    CompletionFactory(worker=ally, programme=programme)
    message = _refused(worker_merge, actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    assert "perception" in message.lower() and "completions" in message.lower()


def test_merged_records_can_neither_merge_nor_survive_again(
    pair: tuple[Worker, Worker], personas: Personas, country: Country
) -> None:
    alice, ally = pair
    third = WorkerFactory(worker_id="W-THIRD")
    worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    assert "already merged" in _refused(
        worker_merge, actor=personas.national, surviving=third, merged=ally, reason=_reason()
    )
    assert "cannot survive a merge; merge into Alice Banda (W-ALICE)" in _refused(
        worker_merge, actor=personas.national, surviving=ally, merged=third, reason=_reason()
    )


def test_unmerge_refusals(pair: tuple[Worker, Worker], personas: Personas, country: Country) -> None:
    alice, ally = pair
    root = WorkerFactory(worker_id="W-ROOT")
    assign(country, worker=root, location=country.district_11, start="2021-01-01", organisation=country.ngo)
    first = worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    second = worker_merge(actor=personas.national, surviving=root, merged=alice, reason=_reason())
    assert "A later merge depends on this one" in _refused(
        worker_unmerge, actor=personas.national, merge=first, reason="wrong"
    )
    worker_unmerge(actor=personas.national, merge=second, reason="wrong")
    assert "already undone" in _refused(worker_unmerge, actor=personas.national, merge=second, reason="again")
    worker_unmerge(actor=personas.national, merge=first, reason="wrong")
    assert Assignment.objects.filter(worker=ally).count() == 1
    assert Assignment.objects.filter(worker=alice).count() == 1
    assert Assignment.objects.filter(worker=root).count() == 1


def test_indicators_count_the_person_once_after_a_merge_and_twice_after_an_unmerge(
    pair: tuple[Worker, Worker], personas: Personas, country: Country
) -> None:
    alice, ally = pair
    registration_with_history(
        worker=ally, changes=[("registered", "2020-01-01")], licences=[("2024-01-01", "2024-12-31")]
    )

    def figures() -> tuple[int, int, int, int | None]:
        rows = indicators_compute(year=2024, location=country.root, depth=0)
        count = row(rows, "workforce.count", "KD")
        licensed = row(rows, "workforce.licensed_share", "KD")
        return count.numerator, licensed.numerator, licensed.denominator or 0, None

    assert figures() == (2, 1, 2, None)
    merge = worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    assert figures() == (1, 1, 1, None)
    worker_unmerge(actor=personas.national, merge=merge, reason="Twins")
    assert figures() == (2, 1, 2, None)


def test_access_through_the_merging_policy(
    pair: tuple[Worker, Worker], personas: Personas, country: Country
) -> None:
    alice, ally = pair  # D11 and D12: both in the officer's region R1
    south = WorkerFactory(worker_id="W-SOUTH")
    assign(country, worker=south, location=country.district_21, organisation=country.ngo, start="2022-01-01")
    for persona in ("focal_point", "analyst", "administrator", "outsider"):
        with pytest.raises(PermissionDenied):
            worker_merge(actor=getattr(personas, persona), surviving=alice, merged=ally, reason=_reason())
    with pytest.raises(PermissionDenied):
        worker_merge(actor=personas.subnational, surviving=alice, merged=south, reason=_reason())
    # The national data manager merges a south record into a north one; the officer may read it (the
    # survivor is theirs) but not undo it: the assignment going back is outside their area.
    merge = worker_merge(actor=personas.national, surviving=alice, merged=south, reason=_reason())
    with pytest.raises(PermissionDenied):
        worker_unmerge(actor=personas.subnational, merge=merge, reason="No")
    own = worker_merge(actor=personas.subnational, surviving=alice, merged=ally, reason=_reason())
    worker_unmerge(actor=personas.subnational, merge=own, reason="Twins")
    assert WorkerMerge.objects.get(pk=merge.pk).unmerged_at is None


def test_a_merged_worker_id_finds_the_survivor_through_two_merges(
    pair: tuple[Worker, Worker], personas: Personas, country: Country
) -> None:
    alice, ally = pair
    root = WorkerFactory(worker_id="W-ROOT", given_name="Root", family_name="Phiri")
    assign(country, worker=root, location=country.district_11, start="2021-01-01", organisation=country.ngo)
    worker_merge(actor=personas.national, surviving=alice, merged=ally, reason=_reason())
    worker_merge(actor=personas.national, surviving=root, merged=alice, reason=_reason())
    for term in ("W-ALLY", "w-alice", "W-ROOT"):
        found = worker_list(user=personas.national, filters=WorkerFilters(search=term))
        assert list(found.values_list("worker_id", flat=True)) == ["W-ROOT"], term
    assert worker_live(Worker.objects.get(worker_id="W-ALLY")).worker_id == "W-ROOT"
    assert list(
        worker_list(user=personas.national, filters=WorkerFilters()).values_list("worker_id", flat=True)
    ) == ["W-ROOT"]
