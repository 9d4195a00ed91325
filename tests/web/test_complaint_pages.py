"""The complaints' pages: a complaint received and taken through every step to an appeal on its page,
refusals shown on the step's form (400) with nothing written; the complainant and the case file shown to
the body's registrar's office only (not to a national data manager, who decides too); another body's
registrar kept out (404); officers, analysts and workers refused (403); the registration page's sanctions
in force and complaints; the list's filter and query count."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sswis.access.models import Role
from sswis.regulation.discipline import complaint_decide
from sswis.regulation.models import Charge, RegistrationStatusChange
from sswis.regulation.models_discipline import Appeal, CaseFileEntry, Complaint, Sanction
from sswis.regulation.services import register_set, regulatory_body_set
from tests.regulation.test_discipline import case, heard, receive  # noqa: F401 (the fixture)
from tests.regulation.test_registration import council  # noqa: F401 (the fixture)
from tests.web.test_registration_pages import _login

D = datetime.date
COMPLAINANT = "A. Parent"


@pytest.fixture
def registrar(case: dict[str, Any]) -> Client:  # noqa: F811
    return _login(Role.REGISTRAR, regulatory_body=case["body"])


def _step(client: Client, complaint: Complaint, step: str, **data: Any) -> Any:
    url = reverse("web:complaint_step", kwargs={"pk": complaint.pk, "step": step})
    return client.post(url, {f"{step}-{name}": value for name, value in data.items()})


def _stage(complaint: Complaint) -> str:
    complaint.refresh_from_db()
    return complaint.stage


def test_a_complaint_received_and_taken_to_an_appeal_on_the_pages(
    case: dict[str, Any],  # noqa: F811
    registrar: Client,
) -> None:
    new = reverse("web:complaint_receive")
    fields = {
        "body": "SSC",
        "complainant_kind": "public",
        "complainant_name": COMPLAINANT,
        "complainant_contact": "+27 555 0100",
        "received_on": "2025-01-10",
        "summary": "Missed the home visits of a child at risk.",
    }
    nobody = registrar.post(new, fields)
    assert (
        nobody.status_code == 400
        and "Give the registration number or the worker ID" in nobody.content.decode()
    )
    unknown = registrar.post(new, fields | {"registration_number": "SW-404"})
    assert (
        unknown.status_code == 400 and "SSC has no registration numbered SW-404." in unknown.content.decode()
    )
    nameless = registrar.post(new, fields | {"registration_number": "SW-1", "complainant_name": ""})
    assert nameless.status_code == 400 and "Give the complainant&#x27;s name." in nameless.content.decode()
    assert not Complaint.objects.exists()  # nothing written
    received = registrar.post(new, fields | {"registration_number": "SW-1"})
    complaint = Complaint.objects.get()
    assert received.status_code == 302 and received["Location"] == f"/complaints/{complaint.pk}/"
    assert (complaint.registration, complaint.complainant_name) == (case["registration"], COMPLAINANT)

    early = _step(registrar, complaint, "investigate", on="2025-01-09")
    assert (
        early.status_code == 400
        and "cannot begin before the complaint was received" in early.content.decode()
    )
    assert _stage(complaint) == "received"
    out_of_order = _step(registrar, complaint, "hearing", hearing_on="2025-02-15")
    assert (
        out_of_order.status_code == 400 and "this step is not possible now" in out_of_order.content.decode()
    )
    no_appeal = _step(registrar, complaint, "appeal_decide", decision="upheld", decided_on="2025-02-01")
    assert no_appeal.status_code == 400 and "No appeal was lodged" in no_appeal.content.decode()
    assert _step(registrar, complaint, "investigate", on="2025-01-15").status_code == 302
    assert _step(registrar, complaint, "hearing", hearing_on="2025-02-15").status_code == 302
    note = {"kind": "note", "recorded_on": "2025-01-20", "title": "Visit log", "text": "Two visits missed."}
    assert _step(registrar, complaint, "case_file", **note).status_code == 302
    no_terms = _step(registrar, complaint, "decide", outcome="suspension", decided_on="2025-02-20")
    assert no_terms.status_code == 400 and "Suspension: give this term." in no_terms.content.decode()
    assert (_stage(complaint), Sanction.objects.count()) == ("hearing", 0)
    decided = _step(
        registrar,
        complaint,
        "decide",
        outcome="suspension",
        decided_on="2025-02-20",
        starts_on="2025-03-01",
        ends_on="2025-05-31",
    )
    assert decided.status_code == 302 and _stage(complaint) == "decided"
    late = _step(registrar, complaint, "appeal", lodged_on="2025-03-23", grounds="Too harsh")
    assert (
        late.status_code == 400
        and "Too late: an appeal had to be lodged by 2025-03-22" in late.content.decode()
    )
    assert (
        _step(registrar, complaint, "appeal", lodged_on="2025-03-01", grounds="Too harsh").status_code == 302
    )
    varied_without = _step(registrar, complaint, "appeal_decide", decision="varied", decided_on="2025-04-01")
    assert (
        varied_without.status_code == 400
        and "Give the sanction the appeal varied it to." in varied_without.content.decode()
    )
    varied = {"decision": "varied", "decided_on": "2025-04-01", "kind": "caution"}
    assert _step(registrar, complaint, "appeal_decide", **varied).status_code == 302
    assert _stage(complaint) == "appeal_decided"
    assert [(s.kind, s.ended_on, s.end_reason) for s in Sanction.objects.order_by("pk")] == [
        ("suspension", D(2025, 4, 1), "varied"),
        ("caution", None, ""),
    ]

    page = registrar.get(f"/complaints/{complaint.pk}/").content.decode()
    for shown in (
        COMPLAINANT,
        "+27 555 0100",
        "Visit log",
        "Two visits missed.",
        "2025-05-31",
        "Too harsh",
        "Varied",
    ):
        assert shown in page, shown
    assert "Next steps" in page and "Add to the case file" in page  # at any stage, for the office
    assert registrar.post(f"/complaints/{complaint.pk}/nonsense/").status_code == 404


def test_the_national_data_manager_decides_without_the_complainant_or_the_case_file(
    case: dict[str, Any],  # noqa: F811
    registrar: Client,
) -> None:
    complaint = heard(case)
    _step(registrar, complaint, "case_file", kind="note", recorded_on="2025-01-20", text="Confidential note.")
    national = _login(Role.NATIONAL_DATA_MANAGER)
    page = national.get(f"/complaints/{complaint.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Missed the home visits" in body
    assert COMPLAINANT not in body and "+27 555 0100" not in body and "Confidential note." not in body
    assert "Add to the case file" not in body and "Decide the outcome" in body
    assert (
        _step(national, complaint, "case_file", kind="note", recorded_on="2025-01-21", text="x").status_code
        == 403
    )
    assert CaseFileEntry.objects.count() == 1
    assert COMPLAINANT not in national.get("/complaints/").content.decode()
    fined = _step(national, complaint, "decide", outcome="fine", decided_on="2025-02-20", amount="150")
    assert fined.status_code == 302
    assert Charge.objects.get(registration=case["registration"]).amount == 150
    appealed = _step(national, complaint, "appeal", lodged_on="2025-02-21", grounds="Unfair")
    assert appealed.status_code == 302


def test_another_body_s_registrar_and_other_roles_are_kept_out(case: dict[str, Any]) -> None:  # noqa: F811
    complaint = receive(case)
    other = regulatory_body_set(actor=case["registrar"], code="NC", name="Nursing Council")
    register_set(actor=case["registrar"], body=other, code="NURSES", name="Nurses")
    foreign = _login(Role.REGISTRAR, regulatory_body=other)
    assert foreign.get(f"/complaints/{complaint.pk}/").status_code == 404
    assert _step(foreign, complaint, "investigate", on="2025-01-15").status_code == 404
    assert "Missed the home visits" not in foreign.get("/complaints/").content.decode()
    refused = foreign.post(
        "/complaints/new/",
        {
            "body": "SSC",
            "registration_number": "SW-1",
            "complainant_kind": "anonymous",
            "received_on": "2025-01-10",
            "summary": "x",
        },
    )
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    location = case["worker"].assignments.get().location
    for client in (
        _login(Role.SUBNATIONAL_OFFICER, location=location),
        _login(Role.ANALYST),
        _login(Role.WORKER, worker=case["worker"]),
    ):
        assert client.get("/complaints/").status_code == 403
        assert client.get(f"/complaints/{complaint.pk}/").status_code == 403
        assert _step(client, complaint, "investigate", on="2025-01-15").status_code == 403
    assert (Complaint.objects.count(), _stage(complaint)) == (1, "received")


def test_the_registration_page_shows_its_sanctions_in_force_and_its_complaints(
    case: dict[str, Any],  # noqa: F811
    registrar: Client,
) -> None:
    registration = case["registration"]
    complaint = heard(case)
    complaint_decide(
        actor=case["registrar"],
        complaint=complaint,
        outcome="conditions",
        decided_on=D(2025, 2, 20),
        ends_on=D(2099, 12, 31),
        conditions="Supervised practice only.",
    )
    other = receive(case, registration=None, worker=case["worker"], received_on=D(2025, 3, 1))
    page = registrar.get(f"/registrations/{registration.pk}/").content.decode()
    assert "Sanctions in force today" in page and "Supervised practice only." in page
    assert f'href="/complaints/{complaint.pk}/"' in page and f'href="/complaints/{other.pk}/"' in page
    officer = _login(Role.SUBNATIONAL_OFFICER, location=case["worker"].assignments.get().location)
    seen = officer.get(f"/registrations/{registration.pk}/").content.decode()
    assert "Supervised practice only." in seen  # as on the public register
    assert "/complaints/" not in seen  # officers do not see complaints
    assert (
        RegistrationStatusChange.objects.filter(registration=registration).count() == 2
    )  # applied, registered


def test_the_list_filters_by_stage_and_costs_the_same_queries_for_few_or_many(
    case: dict[str, Any],  # noqa: F811
    registrar: Client,
    django_assert_max_num_queries: Any,
) -> None:
    receive(case)
    with CaptureQueriesContext(connection) as captured:
        assert registrar.get("/complaints/").status_code == 200
    few = len(captured)
    for index in range(30):
        complaint = heard(case, received_on=D(2025, 1, 1) + datetime.timedelta(days=index % 10))
        complaint_decide(
            actor=case["registrar"], complaint=complaint, outcome="caution", decided_on=D(2025, 2, 20)
        )
    with django_assert_max_num_queries(few):
        page = registrar.get("/complaints/").content.decode()
    assert few <= 12
    assert page.count("Caution") == 30 and COMPLAINANT not in page
    received = registrar.get("/complaints/?stage=received").content.decode()
    assert received.count("Caution") == 0 and received.count("Received</td>") == 1


def test_a_dismissal_is_not_offered_an_appeal_and_one_posted_is_refused(
    case: dict[str, Any],  # noqa: F811
    registrar: Client,
) -> None:
    complaint = receive(case)
    _step(registrar, complaint, "investigate", on="2025-01-15")
    assert (
        _step(registrar, complaint, "decide", outcome="dismissed", decided_on="2025-01-20").status_code == 302
    )
    page = registrar.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Dismissed" in page and "Lodge an appeal" not in page and "Add to the case file" in page
    refused = _step(registrar, complaint, "appeal", lodged_on="2025-01-21", grounds="Unfair")
    assert refused.status_code == 400 and "there is no sanction to appeal" in refused.content.decode()
    assert _stage(complaint) == "decided" and not Appeal.objects.exists()  # nothing written
