"""The completions of a list that matched no worker: matched to a worker later (becoming their completion) or
set aside with a reason, each audited; who sees and changes them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.training.completion_lists import (
    unmatched_completion_list,
    unmatched_completion_match,
    unmatched_completion_set_aside,
    unmatched_status,
)
from sswis.training.models import Completion
from tests.factories import UserFactory, WorkerFactory
from tests.training.factories_imports import (
    CompletionFactory,
    ProgrammeFactory,
    TrainingInstitutionFactory,
    UnmatchedCompletionFactory,
    institution_focal_point,
)

D = datetime.date


@pytest.fixture
def kept(db: Any) -> dict[str, Any]:
    """One kept row of each institution's programme (ISW's with certificate MOOC-9); worker W1; a national data
    manager and each institution's focal point."""
    isw = TrainingInstitutionFactory(code="ISW", name="Institute of Social Work")
    other = TrainingInstitutionFactory(code="OTHER", name="Other College")
    national = UserFactory(username="national")
    user_scope_grant(actor=None, user=national, role=Role.NATIONAL_DATA_MANAGER)
    return {
        "national": national,
        "isw_focal": institution_focal_point(institution=isw, username="isw"),
        "other_focal": institution_focal_point(institution=other, username="other"),
        "isw_row": UnmatchedCompletionFactory(
            programme=ProgrammeFactory(code="CP-ON", institution=isw),
            person_identifier="neema@example.org",
            completed_on=D(2024, 3, 2),
            certificate_number="MOOC-9",
        ),
        "other_row": UnmatchedCompletionFactory(
            programme=ProgrammeFactory(code="OTH-1", institution=other), person_identifier="juma@example.org"
        ),
        "worker": WorkerFactory(worker_id="W1"),
    }


def test_matching_a_kept_row_makes_it_the_workers_completion(kept: dict[str, Any]) -> None:
    row = kept["isw_row"]

    completion = unmatched_completion_match(actor=kept["isw_focal"], unmatched=row, worker=kept["worker"])

    row.refresh_from_db()
    assert (completion.worker, completion.programme.code, completion.completed_on) == (
        kept["worker"],
        "CP-ON",
        D(2024, 3, 2),
    )
    assert (completion.certificate_number, completion.source, row.matched, unmatched_status(row)) == (
        "MOOC-9",
        "platform",
        completion,
        "matched",
    )
    assert completion.history.get().history_user == kept["isw_focal"]  # type: ignore[attr-defined]
    assert row.history.latest().history_user == kept["isw_focal"]  # type: ignore[attr-defined]


def test_matching_to_a_worker_who_has_the_completion_links_that_one(kept: dict[str, Any]) -> None:
    row = kept["isw_row"]
    existing = CompletionFactory(
        worker=kept["worker"], programme=row.programme, completed_on=row.completed_on
    )

    completion = unmatched_completion_match(actor=kept["national"], unmatched=row, worker=kept["worker"])

    assert completion == existing and Completion.objects.count() == 1
    assert Completion.objects.get().certificate_number == "MOOC-9"  # the certificate it lacked


def test_a_row_matched_or_set_aside_is_closed(kept: dict[str, Any]) -> None:
    row = kept["isw_row"]
    unmatched_completion_set_aside(
        actor=kept["national"], unmatched=row, reason="  Not a social service worker "
    )

    row.refresh_from_db()
    assert (row.set_aside_reason, unmatched_status(row)) == ("Not a social service worker", "set_aside")
    assert row.history.latest().history_user == kept["national"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="This completion was set aside: Not a social service worker"):
        unmatched_completion_match(actor=kept["national"], unmatched=row, worker=kept["worker"])
    other = kept["other_row"]
    unmatched_completion_match(actor=kept["national"], unmatched=other, worker=kept["worker"])
    with pytest.raises(ValidationError, match="already matched"):
        unmatched_completion_set_aside(actor=kept["national"], unmatched=other, reason="Duplicate")


@pytest.mark.parametrize(
    ("reason", "problem"), [("  ", "Say why"), ("Dup\x07", "character"), ("x" * 501, "500")]
)
def test_a_reason_is_required_and_checked(kept: dict[str, Any], reason: str, problem: str) -> None:
    with pytest.raises(ValidationError) as refused:
        unmatched_completion_set_aside(actor=kept["national"], unmatched=kept["isw_row"], reason=reason)

    assert list(refused.value.message_dict) == ["set_aside_reason"]
    assert problem in " ".join(refused.value.message_dict["set_aside_reason"])
    kept["isw_row"].refresh_from_db()
    assert kept["isw_row"].set_aside_reason == ""


def test_another_institutions_focal_point_may_neither_match_nor_set_aside(kept: dict[str, Any]) -> None:
    row = kept["isw_row"]
    with pytest.raises(PermissionDenied):
        unmatched_completion_match(actor=kept["other_focal"], unmatched=row, worker=kept["worker"])
    with pytest.raises(PermissionDenied):
        unmatched_completion_set_aside(actor=kept["other_focal"], unmatched=row, reason="Not ours")
    row.refresh_from_db()
    assert (row.matched, row.set_aside_reason, Completion.objects.count()) == (None, "", 0)


def test_each_sees_the_kept_rows_of_their_institution(kept: dict[str, Any]) -> None:
    analyst = UserFactory(username="analyst")
    user_scope_grant(actor=None, user=analyst, role=Role.ANALYST)

    assert list(unmatched_completion_list(user=kept["isw_focal"])) == [kept["isw_row"]]
    assert list(unmatched_completion_list(user=kept["other_focal"])) == [kept["other_row"]]
    assert set(unmatched_completion_list(user=kept["national"])) == {kept["isw_row"], kept["other_row"]}
    assert list(unmatched_completion_list(user=analyst)) == []
    assert list(unmatched_completion_list(user=UserFactory(username="outsider"))) == []
    unmatched_completion_set_aside(actor=kept["national"], unmatched=kept["other_row"], reason="Duplicate")
    assert list(unmatched_completion_list(user=kept["national"], status="pending")) == [kept["isw_row"]]
    assert list(unmatched_completion_list(user=kept["national"], status="set_aside")) == [kept["other_row"]]
    assert list(unmatched_completion_list(user=kept["national"], status="matched")) == []
