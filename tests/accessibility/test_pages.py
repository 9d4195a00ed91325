"""The accessibility run's plan (``tests/accessibility/pages.py``): every page of the site is visited, and
every route left out is left out for a stated reason. The run itself (``bin/accessibility``) needs a
browser and is not a pytest test."""

from __future__ import annotations

import pytest

from tests.access.routes import all_routes
from tests.accessibility.pages import OBJECT_KINDS, VISIT_ORDER, object_values, plan

ANY_OBJECT = {
    "code": "C1",
    "pk": "7",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "worker_id": "W1",
    "assignment_uuid": "00000000-0000-0000-0000-000000000002",
    "record_uuid": "00000000-0000-0000-0000-000000000003",
    "membership_uuid": "00000000-0000-0000-0000-000000000004",
    "relationship_uuid": "00000000-0000-0000-0000-000000000005",
    "session_uuid": "00000000-0000-0000-0000-000000000006",
    "instrument_uuid": "00000000-0000-0000-0000-000000000007",
    "score_uuid": "00000000-0000-0000-0000-000000000008",
    "merge_uuid": "00000000-0000-0000-0000-000000000009",
    "extension": "csv",
    "pair_id": "9",
    "run_id": "10",
}


def test_every_page_is_visited_and_every_other_route_says_why_not() -> None:
    visits, skips = plan({kind: ANY_OBJECT for kind in OBJECT_KINDS})
    visited = {visit.route for visit in visits}
    skipped = {skip.route: skip.reason for skip in skips}
    routes = [route.id for route in all_routes()]
    assert visited.isdisjoint(skipped)
    assert visited | set(skipped) == set(routes)
    # Pages of the site are skipped only when no persona may GET them (a form's POST target), and the DHIS2
    # push's page, which exists only after a push to a real DHIS2 server (the demo makes none; its page is
    # tested in tests/dhis2).
    web_skips = {route: reason for route, reason in skipped.items() if route.startswith("web:")}
    assert web_skips
    assert skipped.pop("web:dhis2_push") == "the demo country has no dhis2-push"
    web_skips.pop("web:dhis2_push")
    assert all(reason.startswith("a form's POST target") for reason in web_skips.values()), web_skips
    assert {
        "web:dashboard",
        "web:worker_detail",
        "web:login",
        "web:own_record",
        "web:public_register",
    } <= visited


def test_each_persona_with_pages_visits_its_front_page() -> None:
    visits, _skips = plan({kind: ANY_OBJECT for kind in OBJECT_KINDS})
    fronts = {(visit.persona, visit.route) for visit in visits if visit.url in {"/", "/me/", "/login/"}}
    assert {persona for persona, _route in fronts} == set(VISIT_ORDER)
    assert ("worker", "web:own_record") in fronts
    assert ("anonymous", "web:login") in fronts


def test_a_page_is_visited_by_the_first_persona_the_access_matrix_lets_read_it() -> None:
    visits, _skips = plan({kind: ANY_OBJECT for kind in OBJECT_KINDS})
    readers = {visit.route: visit.persona for visit in visits if visit.url not in {"/"}}
    assert readers["web:worker_detail"] == "national"
    assert readers["web:own_record"] == "worker"
    assert readers["web:login"] == "anonymous"
    assert readers["web:registration_detail"] == "national"


@pytest.mark.django_db
def test_without_demo_objects_the_pages_about_objects_are_skipped_and_say_so() -> None:
    assert object_values() == {}
    visits, skips = plan(object_values())
    reasons = {skip.route: skip.reason for skip in skips}
    assert reasons["web:worker_detail"] == "the demo country has no worker"
    assert reasons["web:exam_detail"] == "the demo country has no exam"
    assert "web:worker_list" in {visit.route for visit in visits}


def test_every_persona_opens_the_pages_without_an_object_that_the_matrix_lets_them_read() -> None:
    visits, _skips = plan({kind: ANY_OBJECT for kind in OBJECT_KINDS}, every_persona=True)
    readers: dict[str, set[str]] = {}
    for visit in visits:
        readers.setdefault(visit.route, set()).add(visit.persona)
    assert readers["web:organisation_list"] == {
        "national",
        "subnational",
        "focal_point",
        "analyst",
        "registrar",
        "institution",
        "administrator",
    }
    assert readers["web:worker_list"] == {"national", "subnational", "focal_point"}
    assert readers["web:public_register"] == set(VISIT_ORDER)  # everyone, signed in or not
    assert readers["web:worker_detail"] == {"national"}  # about an object: its first reader only
