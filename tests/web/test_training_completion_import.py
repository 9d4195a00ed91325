"""The completions import page (``/training/completions/import/``): the report of the file sent, a dry run,
all or nothing; the kept rows listed, matched or set aside; who may use it, and a bounded number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.training.models import Completion, UnmatchedCompletion
from tests.factories import UserFactory
from tests.training.factories_imports import UnmatchedCompletionFactory
from tests.training.test_completion_lists import lists  # noqa: F401 (the fixture)

URL = "/training/completions/import/"
GOOD = b"person_identifier,course,completion_date,certificate_id,name\nW1,CP-ON,2024-03-02,M-1,\nnobody@example.org,CP-ON,2024-03-02,,No Body\n"
BAD = GOOD + b"W1,NO-SUCH,2024-03-02,,\n"


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_imports_and_reports_by_the_file_sent(lists: dict[str, Any]) -> None:  # noqa: F811
    client = client_of(lists["isw_focal"])
    assert client.get(URL).status_code == 200

    refused = client.post(URL, {"file": SimpleUploadedFile("mooc-march.csv", BAD)})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert (
        "mooc-march.csv" in page
        and "NO-SUCH" in page
        and "Nothing was imported: 1 error (1 warning)." in page
    )
    assert not Completion.objects.exists() and not UnmatchedCompletion.objects.exists()

    checked = client.post(URL, {"file": SimpleUploadedFile("mooc.csv", GOOD), "dry_run": "on"})
    assert checked.status_code == 200 and "Dry run, nothing was written" in checked.content.decode()
    assert not Completion.objects.exists() and not UnmatchedCompletion.objects.exists()

    done = client.post(URL, {"file": SimpleUploadedFile("mooc.csv", GOOD)})
    page = done.content.decode()
    assert done.status_code == 200 and "Imported: 2 created, 0 updated, 0 unchanged (1 warning)." in page
    assert Completion.objects.get().worker.worker_id == "W1"
    assert "nobody@example.org" in page and "No Body" in page  # the kept row, listed to match or set aside


def test_a_list_of_one_programme_offers_only_the_users_programmes(lists: dict[str, Any]) -> None:  # noqa: F811
    client = client_of(lists["isw_focal"])
    page = client.get(URL).content.decode()
    assert "CP-ON" in page and "OTH-1" not in page

    other = client.post(
        URL,
        {
            "file": SimpleUploadedFile("a.csv", b"person_identifier,completion_date\nW1,2024-03-02\n"),
            "programme": lists["other"].pk,
        },
    )
    assert other.status_code == 400 and not Completion.objects.exists()
    done = client.post(
        URL,
        {
            "file": SimpleUploadedFile("a.csv", b"person_identifier,completion_date\nW1,2024-03-02\n"),
            "programme": lists["online"].pk,
        },
    )
    assert done.status_code == 200 and Completion.objects.get().programme == lists["online"]


def test_a_kept_row_is_matched_by_worker_id_or_set_aside(lists: dict[str, Any]) -> None:  # noqa: F811
    first = UnmatchedCompletionFactory(programme=lists["online"], person_identifier="neema@example.org")
    second = UnmatchedCompletionFactory(programme=lists["online"], person_identifier="juma@example.org")
    client = client_of(lists["isw_focal"])

    unknown = client.post(
        f"/training/completions/unmatched/{first.pk}/match/", {f"match-{first.pk}-worker_id": "W99"}
    )
    assert unknown.status_code == 400 and "No worker has the worker ID W99." in unknown.content.decode()
    matched = client.post(
        f"/training/completions/unmatched/{first.pk}/match/", {f"match-{first.pk}-worker_id": "W2"}
    )
    assert matched.status_code == 302 and matched["Location"] == URL
    first.refresh_from_db()
    assert first.matched is not None and first.matched.worker.worker_id == "W2"

    empty = client.post(
        f"/training/completions/unmatched/{second.pk}/set-aside/", {f"aside-{second.pk}-reason": ""}
    )
    assert empty.status_code == 400
    aside = client.post(
        f"/training/completions/unmatched/{second.pk}/set-aside/",
        {f"aside-{second.pk}-reason": "A test account"},
    )
    assert aside.status_code == 302
    second.refresh_from_db()
    assert second.set_aside_reason == "A test account"
    page = client.get(URL).content.decode()
    assert 'name="match-' not in page and "None: every completion imported so far matched" in page

    again = client.post(
        f"/training/completions/unmatched/{first.pk}/set-aside/", {f"aside-{first.pk}-reason": "Oops"}
    )
    assert again.status_code == 400 and "already matched" in again.content.decode()


def test_another_institutions_focal_point_does_not_see_the_rows(lists: dict[str, Any]) -> None:  # noqa: F811
    kept = UnmatchedCompletionFactory(programme=lists["online"], person_identifier="neema@example.org")
    client = client_of(lists["other_focal"])

    assert "neema@example.org" not in client.get(URL).content.decode()
    response = client.post(
        f"/training/completions/unmatched/{kept.pk}/match/", {f"match-{kept.pk}-worker_id": "W1"}
    )
    assert response.status_code == 404
    response = client.post(
        f"/training/completions/unmatched/{kept.pk}/set-aside/", {f"aside-{kept.pk}-reason": "x"}
    )
    assert response.status_code == 404
    kept.refresh_from_db()
    assert (kept.matched, kept.set_aside_reason) == (None, "")


@pytest.mark.parametrize("role", [None, Role.ANALYST])
def test_an_outsider_and_an_analyst_are_refused(lists: dict[str, Any], role: Role | None) -> None:  # noqa: F811
    user = UserFactory(username="someone")
    if role is not None:
        user_scope_grant(actor=None, user=user, role=role)
    client = client_of(user)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": SimpleUploadedFile("a.csv", GOOD)}).status_code == 403
    assert not Completion.objects.exists()
    assert Client().get(URL)["Location"] == f"/login/?next={URL}"


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_reads_a_fixed_number_of_queries(
    lists: dict[str, Any],  # noqa: F811
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(count):
        UnmatchedCompletionFactory(programme=lists["online"], person_identifier=f"p{number}@example.org")
    client = client_of(lists["national"])

    with django_assert_max_num_queries(12):
        page = client.get(URL).content.decode()

    assert page.count('name="match-') == count


def test_an_institution_focal_point_is_told_which_template_files_they_may_import(
    lists: dict[str, Any],  # noqa: F811
) -> None:
    page = client_of(lists["isw_focal"]).get("/imports/new/").content.decode()

    assert "You may import the programmes and completions of your institution" in page
    assert f'<a href="{URL}">its own page</a>' in page
