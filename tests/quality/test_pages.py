"""The quality-assurance score's pages: what each persona gets (a national data manager records and keeps
the inventory, an analyst reads only, an outsider is refused), what the pages show, and their query
counts for lists of 1 and 3 items."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sswis.quality.models import CriterionScore, Instrument
from sswis.quality.services import instrument_add, score_record
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def as_user(client: Client) -> Callable[[Any], Client]:
    def login(user: Any) -> Client:
        client.logout()
        client.force_login(user)
        return client

    return login


def _act(personas: Personas, title: str = "Children's Act", **given: Any) -> Instrument:
    return instrument_add(actor=personas.national, kind="law", title=title, status="in_force", **given)


def test_the_score_page_shows_proposals_scores_composite_and_history(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    score_record(
        actor=personas.national, year=YEAR, criterion="framework", score=3, evidence="Children's Act 2012"
    )
    score_record(
        actor=personas.national,
        year=YEAR,
        criterion="hris",
        score=2,
        evidence="Registry",
        reason="Paper returns",
    )
    page = as_user(personas.analyst).get(reverse("web:quality"), {"year": YEAR})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Children&#x27;s Act 2012" in text
    assert "No composite yet: not scored: Supervision and support, Licensing or accreditation." in text
    assert "1: no supervision relationship is recorded at all." in text
    assert "other than the proposal (1)" in text
    assert "Paper returns" in text
    assert "Record a score" not in text  # an analyst reads only
    assert page.context["recorded"].missing == ["supervision", "licensing"]
    assert [record.score for record in page.context["history"]] == [2, 3]


def test_the_page_defaults_to_the_latest_scored_year(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    score_record(actor=personas.national, year=2022, criterion="framework", score=3, evidence="Review")
    page = as_user(personas.national).get(reverse("web:quality"))
    assert page.context["year"] == 2022
    assert "Record again" in page.content.decode()
    assert as_user(personas.national).get(reverse("web:quality"), {"year": "20x"}).status_code == 404


def test_a_national_data_manager_records_overriding_the_proposal(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    client = as_user(personas.national)
    url = f"{reverse('web:quality_record')}?year={YEAR}&criterion=licensing"
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial == {"score": 1}
    refused = client.post(url, {"score": "3", "evidence": "Council report"})
    assert refused.status_code == 400
    assert "sswis proposes 1 from the data; say why the score of record is 3." in refused.content.decode()
    assert not CriterionScore.objects.exists()
    evidence = SimpleUploadedFile("council.pdf", b"%PDF council")
    done = client.post(
        url,
        {
            "score": "3",
            "evidence": "",
            "links": "https://council.example/report\n",
            "reason": "Paper register",
            "file": evidence,
        },
    )
    assert done.status_code == 302
    row = CriterionScore.objects.get()
    assert (row.year, row.criterion, row.score, row.accepted, row.links) == (
        YEAR,
        "licensing",
        3,
        False,
        ["https://council.example/report"],
    )
    download = as_user(personas.analyst).get(
        reverse("web:quality_score_file", kwargs={"score_uuid": row.uuid})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF council"
    assert 'filename="council.pdf"' in download["Content-Disposition"]


def test_a_score_without_evidence_is_refused_on_the_page(
    personas: Personas, as_user: Callable[[Any], Client]
) -> None:
    response = as_user(personas.national).post(
        f"{reverse('web:quality_record')}?year={YEAR}&criterion=framework", {"score": "2", "evidence": " "}
    )
    assert response.status_code == 400
    assert "A score needs its evidence" in response.content.decode()
    assert not CriterionScore.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "administrator", "subnational", "focal_point"])
def test_only_a_national_data_manager_may_record_or_change_the_inventory(
    personas: Personas, as_user: Callable[[Any], Client], persona: str
) -> None:
    client = as_user(getattr(personas, persona))
    act = _act(personas)
    assert client.get(reverse("web:quality")).status_code == 200
    assert client.get(reverse("web:quality_framework")).status_code == 200
    assert (
        client.post(
            f"{reverse('web:quality_record')}?year={YEAR}", {"score": "2", "evidence": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("web:quality_instrument_new"), {"kind": "law", "title": "X", "status": "draft"}
        ).status_code
        == 403
    )
    edit = reverse("web:quality_instrument_edit", kwargs={"instrument_uuid": act.uuid})
    assert client.post(edit, {"kind": "law", "title": "Y", "status": "draft"}).status_code == 403
    assert not CriterionScore.objects.exists()
    assert list(Instrument.objects.values_list("title", flat=True)) == ["Children's Act"]


@pytest.mark.parametrize(
    "route", ["web:quality", "web:quality_framework", "web:quality_record", "web:quality_instrument_new"]
)
def test_an_outsider_is_refused(personas: Personas, as_user: Callable[[Any], Client], route: str) -> None:
    assert as_user(personas.outsider).get(reverse(route)).status_code == 403


def test_the_inventory_is_kept_from_the_pages(
    personas: Personas, as_user: Callable[[Any], Client], country: Any
) -> None:
    client = as_user(personas.national)
    fields = {
        "kind": "code_of_ethics",
        "title": "Code of Ethics for Social Service Workers",
        "status": "adopted",
        "issuing_body": "Social Service Council",
        "adopted_on": "2019-03-01",
        "cadres": ["SW", "PSW"],
    }
    added = client.post(
        reverse("web:quality_instrument_new"),
        {**fields, "file": SimpleUploadedFile("code.pdf", b"%PDF code")},
    )
    assert added.status_code == 302
    instrument = Instrument.objects.get()
    assert (instrument.whole_workforce, sorted(c.code for c in instrument.cadres.all())) == (
        False,
        ["PSW", "SW"],
    )
    edit = reverse("web:quality_instrument_edit", kwargs={"instrument_uuid": instrument.uuid})
    refused = client.post(edit, {**fields, "whole_workforce": "on"})  # the whole workforce, and cadres
    assert refused.status_code == 400
    assert "names no cadre" in refused.content.decode()
    assert client.post(edit, {**fields, "cadres": [], "whole_workforce": "on"}).status_code == 302
    end = reverse("web:quality_instrument_end", kwargs={"instrument_uuid": instrument.uuid})
    assert (
        client.post(end, {"until": "2018-01-01", "status": "repealed"}).status_code == 400
    )  # before adoption
    assert client.post(end, {"until": "2025-06-30", "status": "under_review"}).status_code == 302
    instrument.refresh_from_db()
    assert (instrument.whole_workforce, instrument.status, instrument.in_force_until) == (
        True,
        "under_review",
        datetime.date(2025, 6, 30),
    )
    page = as_user(personas.analyst).get(
        reverse("web:quality_instrument", kwargs={"instrument_uuid": instrument.uuid})
    )
    assert page.status_code == 200
    assert [record.history_user for record in page.context["history"]][:1] == [personas.national]
    assert page.context["may_change"] is False
    download = client.get(reverse("web:quality_instrument_file", kwargs={"instrument_uuid": instrument.uuid}))
    assert b"".join(download.streaming_content) == b"%PDF code"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("route", ["web:quality_framework", "web:quality"])
def test_lists_take_the_same_queries_for_one_and_three(
    personas: Personas,
    as_user: Callable[[Any], Client],
    country: Any,
    route: str,
    django_assert_num_queries: Any,
) -> None:
    """One instrument and one recorded score, then three of each (the score page lists the year's scores,
    their history and counts the instruments)."""
    _act(personas, whole_workforce=False, cadres=[country.social_worker])
    score_record(actor=personas.national, year=YEAR, criterion="framework", score=3, evidence="Act")
    client = as_user(personas.analyst)
    url = f"{reverse(route)}?year={YEAR}"
    one = _queries(client, url)
    for title in ("Standards", "Strategy"):
        _act(personas, title=title, whole_workforce=False, cadres=[country.social_worker, country.volunteer])
    for criterion in ("supervision", "licensing"):
        score_record(actor=personas.national, year=YEAR, criterion=criterion, score=1, evidence="Figures")
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200
