"""The profile's pages and API: the profile without JavaScript, asking for its file, following its progress,
the history (queries with 1 and 3 profiles), the download; every persona, the outsider refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sswis.reports.models import ProfileReport, ReportStatus
from sswis.reports.services import profile_reports_interrupted_mark
from tests.conftest import Country, Personas
from tests.reports.conftest import YEAR, Workforce


@pytest.fixture
def as_user(client: Client) -> Callable[[Any], Client]:
    def login(user: Any) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


def kept(country: Country, user: Any, *, count: int = 1, publication: bool = False) -> list[ProfileReport]:
    return [
        ProfileReport.objects.create(
            user=user,
            origin="page",
            location=country.root,
            year=YEAR - index,
            language="en",
            format="pdf",
            publication=publication,
            status=ReportStatus.FINISHED,
            fingerprint=f"{index:064d}",
        )
        for index in range(count)
    ]


def test_profile_page_without_javascript(
    as_user: Callable[[Any], Client], country: Country, workforce: Workforce, personas: Personas
) -> None:
    response = as_user(personas.national).get(reverse("reports:profile"), {"location": "KD", "year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "State of the social service workforce: Kandara, 2024" in html
    assert "<script" not in html.split('<article class="profile"')[1]  # the profile itself needs no script
    assert response.context["profile"].dashboard.headline.workers.value == 9


def test_profile_page_in_arabic(
    as_user: Callable[[Any], Client], country: Country, workforce: Workforce, personas: Personas
) -> None:
    response = as_user(personas.analyst).get(
        reverse("reports:profile"), {"location": "R1", "year": YEAR, "language": "ar"}
    )
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in response.content.decode()


def test_profile_page_refuses_the_outsider_and_bad_input(
    as_user: Callable[[Any], Client], country: Country, personas: Personas
) -> None:
    assert as_user(personas.outsider).get(reverse("reports:profile")).status_code == 403
    client = as_user(personas.national)
    response = client.get(reverse("reports:profile"), {"location": "NOPE", "year": YEAR})
    assert response.status_code == 400
    assert "No location has the code NOPE." in response.content.decode()
    assert client.get(reverse("reports:profile"), {"location": "KD", "year": "1200"}).status_code == 400


def test_asking_for_the_file_runs_the_job_and_offers_the_download(
    as_user: Callable[[Any], Client], country: Country, workforce: Workforce, personas: Personas
) -> None:
    client = as_user(personas.subnational)
    response = client.post(
        reverse("reports:profile_request"),
        {"location": "R1", "year": YEAR, "language": "en", "format": "html", "publication": "on"},
    )
    report = ProfileReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report_detail", args=[report.uuid])
    assert (report.user, report.status, report.publication) == (personas.subnational, "finished", True)
    detail = client.get(response["Location"]).content.decode()
    assert "profile-R1-2024-en-publication.html" in detail
    assert 'http-equiv="refresh"' not in detail  # finished: no more reloading
    download = client.get(reverse("reports:report_download", args=[report.uuid]))
    assert download.status_code == 200
    assert b"State of the social service workforce: North, 2024" in b"".join(download.streaming_content)
    # Another officer's profile is not theirs to read; a national data manager reads every one.
    assert (
        as_user(personas.analyst).get(reverse("reports:report_detail", args=[report.uuid])).status_code == 200
    )
    ProfileReport.objects.filter(pk=report.pk).update(publication=False)
    assert (
        as_user(personas.analyst).get(reverse("reports:report_detail", args=[report.uuid])).status_code == 404
    )
    assert (
        as_user(personas.national).get(reverse("reports:report_detail", args=[report.uuid])).status_code
        == 200
    )


def test_a_running_report_reloads_itself(
    as_user: Callable[[Any], Client], country: Country, personas: Personas
) -> None:
    (report,) = kept(country, personas.national)
    ProfileReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40, stage="Map")
    html = (
        as_user(personas.national).get(reverse("reports:report_detail", args=[report.uuid])).content.decode()
    )
    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress class="progress-bar" max="100" value="40"' in html
    assert (
        as_user(personas.national).get(reverse("reports:report_download", args=[report.uuid])).status_code
        == 404
    )


@pytest.mark.parametrize("count", [1, 3])
def test_history_queries(
    as_user: Callable[[Any], Client], country: Country, personas: Personas, count: int
) -> None:
    kept(country, personas.analyst, count=count)
    client = as_user(personas.analyst)
    url = reverse("reports:report_list")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count
    assert (
        len(captured) == 6
    )  # session, user, stalled profiles, scope, count, page (with users and locations)


def test_history_shows_each_their_own_and_the_publications(country: Country, personas: Personas) -> None:
    from sswis.reports.selectors import profile_reports_listed

    (own,) = kept(country, personas.analyst)
    (other,) = kept(country, personas.subnational)
    (published,) = kept(country, personas.subnational, publication=True)
    assert set(profile_reports_listed(user=personas.analyst)) == {own, published}
    assert set(profile_reports_listed(user=personas.national)) == {own, other, published}
    assert list(profile_reports_listed(user=personas.outsider)) == []


# --- API ----------------------------------------------------------------------------------------------


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_requests_a_profile_and_downloads_it(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    client = api(personas.analyst)
    response = client.post(
        "/api/v1/reports/profiles/", {"location": "KD", "year": YEAR, "format": "html"}, format="json"
    )
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["progress"], body["location"], body["user"]) == (
        "finished",
        100,
        "KD",
        "analyst",
    )
    assert response["Location"] == body["url"]
    detail = client.get(body["url"]).json()
    assert detail["fingerprint"] == body["fingerprint"]
    download = client.get(body["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "text/html"
    listed = client.get("/api/v1/reports/profiles/").json()
    assert [item["id"] for item in listed["results"]] == [body["id"]]


def test_api_refuses_bad_requests_and_the_outsider(country: Country, personas: Personas) -> None:
    client = api(personas.national)
    response = client.post("/api/v1/reports/profiles/", {"location": "NOPE", "year": YEAR}, format="json")
    assert response.status_code == 400
    assert response.json() == {"location": ["No location has the code NOPE."]}
    assert (
        client.post("/api/v1/reports/profiles/", {"location": "KD", "year": 3000}, format="json").status_code
        == 400
    )
    assert ProfileReport.objects.count() == 0
    assert api(personas.outsider).get("/api/v1/reports/profiles/").status_code == 403
    assert (
        api(personas.outsider)
        .post("/api/v1/reports/profiles/", {"location": "KD", "year": YEAR}, format="json")
        .status_code
        == 403
    )


def test_api_download_of_an_unfinished_report_is_a_conflict(country: Country, personas: Personas) -> None:
    (report,) = kept(country, personas.national)
    ProfileReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED)
    response = api(personas.national).get(f"/api/v1/reports/profiles/{report.uuid}/download/")
    assert response.status_code == 409


@pytest.mark.parametrize("count", [1, 3])
def test_api_history_queries(
    country: Country, personas: Personas, count: int, django_assert_num_queries: Any
) -> None:
    kept(country, personas.national, count=count)
    client = api(personas.national)
    with django_assert_num_queries(4):  # stalled profiles, scope, count, page (with users and locations)
        response = client.get("/api/v1/reports/profiles/")
    assert len(response.json()["results"]) == count


def test_a_profile_left_running_by_a_stopped_process_is_marked_interrupted(
    country: Country, personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    """A profile whose progress has not moved for 30 minutes is failed with the reason when the history is
    read (page or API) or the background job runs; one still moving stays running."""
    stalled, moving = kept(country, personas.national, count=2)
    ProfileReport.objects.filter(pk__in=[stalled.pk, moving.pk]).update(status=ReportStatus.RUNNING)
    ProfileReport.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(minutes=31))
    ProfileReport.objects.filter(pk=moving.pk).update(updated_at=timezone.now() - timedelta(minutes=29))
    as_user(personas.national).get(reverse("reports:report_list"))
    stalled.refresh_from_db()
    moving.refresh_from_db()
    assert (stalled.status, moving.status) == (ReportStatus.FAILED, ReportStatus.RUNNING)
    assert stalled.error.startswith("The profile was interrupted") and stalled.finished_at is not None
    assert stalled.history.count() >= 1  # the marking is audited
    ProfileReport.objects.filter(pk=moving.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    client = APIClient()
    client.force_authenticate(personas.national)
    listed = client.get("/api/v1/reports/profiles/").json()
    assert {row["status"] for row in listed["results"]} == {"failed"}
    assert profile_reports_interrupted_mark() == 0  # nothing left to mark
