"""The completions lists through the API: the import (the report as JSON; 400 with the problems and nothing
written), the kept rows (paginated, scoped, by status), matching and setting aside; refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.training.models import Completion, UnmatchedCompletion
from tests.factories import UserFactory
from tests.training.factories_imports import UnmatchedCompletionFactory
from tests.training.test_completion_lists import lists  # noqa: F401 (the fixture)

IMPORT = "/api/v1/training/completions/import/"
UNMATCHED = "/api/v1/training/completions/unmatched/"
GOOD = b"person_identifier,course,completion_date,certificate_id\nW1,CP-ON,2024-03-02,M-1\nnobody,CP-ON,2024-03-02,\n"
BAD = GOOD + b"W1,NO-SUCH,2024-03-02,\n"


def api_of(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_import_answers_with_the_report(lists: dict[str, Any]) -> None:  # noqa: F811
    api = api_of(lists["isw_focal"])

    bad = api.post(IMPORT, {"file": SimpleUploadedFile("x.csv", BAD)}, format="multipart")
    assert bad.status_code == 400
    document = bad.json()
    assert (document["imported"], document["errors"], document["warnings"]) == (False, 1, 1)
    assert [(p["file"], p["row"], p["column"], p["severity"]) for p in document["problems"]] == [
        ("x.csv", 2, "person_identifier", "warning"),
        ("x.csv", 3, "course", "error"),
    ]
    assert not Completion.objects.exists() and not UnmatchedCompletion.objects.exists()

    checked = api.post(
        IMPORT, {"file": SimpleUploadedFile("x.csv", GOOD), "dry_run": "true"}, format="multipart"
    )
    assert checked.status_code == 200 and checked.json()["dry_run"] is True
    assert not Completion.objects.exists()

    good = api.post(IMPORT, {"file": SimpleUploadedFile("x.csv", GOOD)}, format="multipart")
    assert good.status_code == 200
    assert good.json()["files"] == {
        "x.csv": {"read": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    }
    assert (Completion.objects.count(), UnmatchedCompletion.objects.count()) == (1, 1)


def test_a_list_of_one_programme_is_a_programme_the_user_may_change(lists: dict[str, Any]) -> None:  # noqa: F811
    api = api_of(lists["isw_focal"])
    content = b"person_identifier,completion_date\nW1,2024-03-02\n"

    refused = api.post(
        IMPORT, {"file": SimpleUploadedFile("x.csv", content), "programme": "OTH-1"}, format="multipart"
    )
    assert refused.status_code == 400 and "programme" in refused.json()
    done = api.post(
        IMPORT, {"file": SimpleUploadedFile("x.csv", content), "programme": "CP-ON"}, format="multipart"
    )
    assert done.status_code == 200 and Completion.objects.get().programme == lists["online"]


def test_the_kept_rows_are_listed_scoped_and_by_status(lists: dict[str, Any]) -> None:  # noqa: F811
    mine = UnmatchedCompletionFactory(
        programme=lists["online"], person_identifier="neema@example.org", file_name="m.csv", row_number=4
    )
    theirs = UnmatchedCompletionFactory(programme=lists["other"], person_identifier="juma@example.org")

    listed = api_of(lists["isw_focal"]).get(UNMATCHED)

    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    row = listed.json()["results"][0]
    assert {
        key: row[key] for key in ("id", "programme", "institution", "person_identifier", "file_name")
    } == {
        "id": mine.pk,
        "programme": "CP-ON",
        "institution": "ISW",
        "person_identifier": "neema@example.org",
        "file_name": "m.csv",
    }
    assert (row["row_number"], row["status"], row["worker_id"], row["completed_on"]) == (
        4,
        "pending",
        None,
        "2024-03-01",
    )
    national = api_of(lists["national"])
    assert {row["id"] for row in national.get(UNMATCHED).json()["results"]} == {mine.pk, theirs.pk}
    assert national.get(UNMATCHED, {"status": "matched"}).json()["count"] == 0
    assert national.get(UNMATCHED, {"status": "pending"}).json()["count"] == 2
    refused = national.get(UNMATCHED, {"status": "lost"})
    assert refused.status_code == 400 and list(refused.json()) == ["status"]


def test_a_kept_row_is_matched_or_set_aside(lists: dict[str, Any]) -> None:  # noqa: F811
    first = UnmatchedCompletionFactory(programme=lists["online"], person_identifier="neema@example.org")
    second = UnmatchedCompletionFactory(programme=lists["online"], person_identifier="juma@example.org")
    api = api_of(lists["isw_focal"])

    unknown = api.post(f"{UNMATCHED}{first.pk}/match/", {"worker_id": "W99"}, format="json")
    assert unknown.status_code == 400 and list(unknown.json()) == ["worker_id"]
    matched = api.post(f"{UNMATCHED}{first.pk}/match/", {"worker_id": "W2"}, format="json")
    assert matched.status_code == 200
    assert (matched.json()["status"], matched.json()["worker_id"]) == ("matched", "W2")
    assert Completion.objects.get().source == "platform"
    again = api.post(f"{UNMATCHED}{first.pk}/match/", {"worker_id": "W2"}, format="json")
    assert again.status_code == 400 and "already matched" in again.json()["non_field_errors"][0]

    empty = api.post(f"{UNMATCHED}{second.pk}/set-aside/", {"reason": " "}, format="json")
    assert empty.status_code == 400
    aside = api.post(f"{UNMATCHED}{second.pk}/set-aside/", {"reason": "Not a worker"}, format="json")
    assert aside.status_code == 200
    assert (aside.json()["status"], aside.json()["set_aside_reason"]) == ("set_aside", "Not a worker")


def test_another_institutions_focal_point_gets_a_404(lists: dict[str, Any]) -> None:  # noqa: F811
    kept = UnmatchedCompletionFactory(programme=lists["online"], person_identifier="neema@example.org")
    api = api_of(lists["other_focal"])

    assert api.get(UNMATCHED).json()["count"] == 0
    assert api.post(f"{UNMATCHED}{kept.pk}/match/", {"worker_id": "W1"}, format="json").status_code == 404
    assert api.post(f"{UNMATCHED}{kept.pk}/set-aside/", {"reason": "x"}, format="json").status_code == 404
    kept.refresh_from_db()
    assert (kept.matched, kept.set_aside_reason) == (None, "")


@pytest.mark.parametrize("role", [None, Role.ANALYST])
def test_an_outsider_and_an_analyst_are_refused(lists: dict[str, Any], role: Role | None) -> None:  # noqa: F811
    user = UserFactory(username="someone")
    if role is not None:
        user_scope_grant(actor=None, user=user, role=role)
    api = api_of(user)

    assert api.get(UNMATCHED).status_code == 403
    assert (
        api.post(IMPORT, {"file": SimpleUploadedFile("x.csv", GOOD)}, format="multipart").status_code == 403
    )
    assert not Completion.objects.exists()
    assert APIClient().get(UNMATCHED).status_code == 401


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_reads_a_fixed_number_of_queries(
    lists: dict[str, Any],  # noqa: F811
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(count):
        UnmatchedCompletionFactory(programme=lists["online"], person_identifier=f"p{number}@example.org")
    api = api_of(lists["national"])

    with django_assert_max_num_queries(5):
        response = api.get(UNMATCHED)

    assert response.json()["count"] == count
