"""The planning pages: norms and gaps, scenarios (form, projection, downloads, comparison) and WISN
studies (form, steps, many locations ranked), for planners, for an analyst who reads only, refused to
outsiders; figures as the domain computes them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.planning.models import Norm, Scenario, WisnStudyRecord
from sswis.planning.services import norm_set, scenario_save, wisn_study_save
from tests.factories import UserFactory
from tests.planning.projection_world import HAND_SCENARIO, projection_world
from tests.web.conftest import queries_for, text_of
from tests.web.test_csp import assert_csp_safe

STUDY = {
    "cadre": "SW",
    "location": "D1",
    "year": 2024,
    "working_time": {
        "working_days": 260, "public_holidays": 12, "annual_leave": 21, "sick_leave": 10, "other_leave": 5,
        "hours_per_day": 8,
    },
    "activities": [{"name": "Case assessment", "annual_workload": 1200, "unit_time_hours": 3}],
    "category_allowances": [{"name": "Supervision received", "hours_per_year": 104}],
    "individual_allowances": [{"name": "District coordination", "hours_per_year": 200, "staff": 1}],
    "existing_staff": 6,
}  # fmt: skip


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    world = projection_world()
    for name, role, scope in (
        ("manager", Role.NATIONAL_DATA_MANAGER, {}),
        ("officer", Role.SUBNATIONAL_OFFICER, {"location": world["d1"]}),
        ("analyst", Role.ANALYST, {}),
    ):
        user = UserFactory(username=name)
        user_scope_grant(actor=None, user=user, role=role, **scope)
        world[name] = user
    world["outsider"] = UserFactory(username="outsider")
    norm_set(
        actor=world["manager"],
        location=world["country"],
        target_per_100k=Decimal(8),
        valid_from=2020,
        source="Policy",
    )
    scenario_save(actor=None, data=HAND_SCENARIO)
    wisn_study_save(actor=None, code="sw-d1", name="Social workers in D1", data=STUDY)
    return world


@pytest.fixture
def login(client: Client) -> Callable[[Any], Client]:
    def as_user(user: Any) -> Client:
        client.logout()
        client.force_login(user)
        return client

    return as_user


def test_the_norms_page_shows_gaps_settings_and_norms(
    world: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    response = login(world["analyst"]).get(reverse("web:plan_norms"), {"year": 2024})
    assert response.status_code == 200
    text = text_of(response)
    # K: 100,000 children x 8 / 100,000 = 8 required; 7 counted: gap -1.0. D1: 50,000: 4 required, 6 counted.
    assert "Norms and gaps" in text
    assert "100,000 7 8.0 -1.0" in text
    assert "50,000 6 4.0 2.0" in text
    assert "Urban and rural" in text
    assert "Set a norm" not in text  # an analyst reads only
    assert_csp_safe(response.content.decode())


def test_a_planner_sets_and_removes_a_norm_on_the_page(
    world: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    client = login(world["officer"])
    data = {
        "location": "D1",
        "group": "cadre",
        "cadre": "SW",
        "target_per_100k": "12",
        "valid_from": "2024",
        "source": "District plan",
    }
    assert client.post(reverse("web:norm_set"), data).status_code == 302
    norm = Norm.objects.get(location__code="D1")
    assert (norm.cadre.code, norm.target_per_100k, norm.history.get().history_user.username) == (
        "SW",
        Decimal(12),
        "officer",
    )
    refused = client.post(reverse("web:norm_set"), {**data, "location": "K"})
    assert refused.status_code == 200 and "Select a valid choice" in text_of(refused)  # K is outside D1
    country_norm = Norm.objects.get(location__code="K")
    assert client.post(reverse("web:norm_delete", args=[country_norm.pk])).status_code == 403
    assert client.post(reverse("web:norm_delete", args=[norm.pk])).status_code == 302
    assert not Norm.objects.filter(pk=norm.pk).exists()
    assert login(world["analyst"]).post(reverse("web:norm_set"), data).status_code == 403


def test_the_scenario_page_shows_the_projection_charts_and_downloads(
    world: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    client = login(world["analyst"])
    response = client.get(reverse("web:scenario_detail", args=["hand"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "2025 10.5 1.5 1.0 7.0 7.3 3.2 10.0 14,560" in text  # social workers at K, rounded for reading
    assert response.content.decode().count("<svg") >= 3  # cost, and supply against requirement per cadre
    assert_csp_safe(response.content.decode())
    response = client.get(reverse("web:scenario_detail", args=["hand"]), {"location": "D1"})
    assert "2025 8.2 1.4 1.0 5.6" in text_of(response)  # D1: 4 - (0.4 + 1) + 4/5 of 7 = 8.2
    download = client.get(reverse("web:scenario_projection_download", args=["hand", "csv"]))
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "year,cadre,location,stock,exits,retirements,entrants,required,gap,per_100k,cost"
    assert lines[2].startswith("2024,SW,K,5.0,")
    assert client.get(reverse("web:scenario_new")).status_code == 403


def test_a_planner_creates_a_scenario_with_the_form_and_a_bad_value_lands_on_its_box(
    world: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    client = login(world["manager"])
    assert client.get(reverse("web:scenario_new")).status_code == 200
    form = {
        "code": "form", "name": "From the form", "location": "K", "base_year": "2024", "horizon": "3",
        "child_population_growth": "0.05", "currency": "USD",
        "cadre-SW-attrition_rate": "0.1", "cadre-SW-graduates": "10 0 20", "cadre-SW-absorption_rate": "0.5",
        "cadre-SW-recruitment": "2", "cadre-SW-target_per_100k": "10", "cadre-SW-salary": "1000",
        "cadre-SW-on_cost_rate": "0.2", "cadre-SW-salary_growth": "0.1", "cadre-SW-training_cost_per_entrant": "100",
        "cadre-SW-retirement_age": "60",
        "shift-0-from": "SW", "shift-0-to": "PSW", "shift-0-share": "0.3", "shift-0-replacement_factor": "2",
    }  # fmt: skip
    bad = client.post(reverse("web:scenario_new"), {**form, "cadre-SW-attrition_rate": "-0.1"})
    assert bad.status_code == 200
    assert "it may not be negative (-0.1)" in text_of(bad)
    assert 'aria-invalid="true"' in bad.content.decode()
    assert not Scenario.objects.filter(code="form").exists()
    response = client.post(reverse("web:scenario_new"), form)
    assert response.status_code == 302, text_of(response)
    stored = Scenario.objects.get(code="form").document
    expected = copy.deepcopy(HAND_SCENARIO)
    expected.update(code="form", name="From the form", location="K")
    assert stored == expected  # the page stores what the command line and the API store


def test_comparing_scenarios_on_the_page(world: dict[str, Any], login: Callable[[Any], Client]) -> None:
    still = copy.deepcopy(HAND_SCENARIO)
    still.update(code="still", name="No entrants")
    still["cadres"]["SW"].update(graduates=0, recruitment=0)
    scenario_save(actor=None, data=still)
    client = login(world["analyst"])
    response = client.get(reverse("web:scenario_comparison"), {"scenarios": ["hand", "still"]})
    assert response.status_code == 200
    text = text_of(response)
    assert (
        "Worked by hand Social worker 2025 20,560" in text.replace("Cadre 0", "Social worker")
        or "2025 20,560" in text
    )
    assert "not within the horizon" in text
    assert client.get(reverse("web:scenario_comparison"), {"scenarios": ["hand", "nope"]}).status_code == 404


def test_the_wisn_study_page_shows_every_step_and_ranks_locations(
    world: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    client = login(world["analyst"])
    page = reverse("web:wisn_study", args=["sw-d1"])
    text = text_of(client.get(page))
    assert "= 1,696.0 hours a year" in text
    assert "2.3792" in text and "-152.18" in text
    table = "location,existing_staff,Case assessment\nD1,1,1200\nD2,,2400\nK,10,600\n"
    response = client.post(page, {"table": SimpleUploadedFile("w.csv", table.encode(), "text/csv")})
    ranked = text_of(response)
    # D2: 2 x 2.1226 x 1.0653 + 0.1179 = 4.64 needed, 1 counted (the registry): pressure 78.5; D1: 2.38
    # needed, 1 given: 58.0; K: 1.25 needed, 10 given: -700.9.
    assert "D2 4.64 1.0 -3.64 0.22 78.5" in ranked
    assert ranked.index("D2 4.64") < ranked.index("D1 2.38") < ranked.index("K 1.25 10.0 8.75 8.01 -700.9")
    bad = client.post(page, {"table": SimpleUploadedFile("w.csv", b"location,Visits\nD1,3\n", "text/csv")})
    assert "there is no column for the activity 'Case assessment'" in text_of(bad)


def test_a_planner_creates_a_wisn_study_from_the_starter_set(
    world: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    client = login(world["officer"])
    new = client.get(reverse("web:wisn_study_new"))
    assert new.status_code == 200
    assert "Home visit" in new.content.decode() and "EXAMPLES" in text_of(new)
    form = {
        "code": "d1-new", "name": "New study", "cadre": "SW", "location": "D1", "year": "2024",
        "working_days": "260", "public_holidays": "12", "annual_leave": "21", "sick_leave": "10",
        "other_leave": "5", "hours_per_day": "8",
        "activity-0-name": "Case assessment", "activity-0-annual_workload": "1200", "activity-0-unit_time_hours": "3",
        "category-0-name": "Supervision received", "category-0-hours_per_year": "104",
        "individual-0-name": "District coordination", "individual-0-hours_per_year": "200", "individual-0-staff": "1",
    }  # fmt: skip
    bad = client.post(reverse("web:wisn_study_new"), {**form, "category-0-hours_per_year": "1696"})
    assert "less than 100%" in text_of(bad)
    assert not WisnStudyRecord.objects.filter(code="d1-new").exists()
    assert client.post(reverse("web:wisn_study_new"), form).status_code == 302
    record = WisnStudyRecord.objects.get(code="d1-new")
    assert record.history.get().history_user.username == "officer"
    assert (
        client.post(reverse("web:wisn_study_new"), {**form, "code": "k", "location": "K"}).status_code == 200
    )
    assert not WisnStudyRecord.objects.filter(code="k").exists()


@pytest.mark.parametrize("name", ["scenario_list", "wisn", "plan_norms"])
def test_lists_take_the_same_queries_for_one_and_three(
    world: dict[str, Any], login: Callable[[Any], Client], name: str
) -> None:
    client = login(world["manager"])
    url = reverse(f"web:{name}") + ("?year=2024" if name == "plan_norms" else "")
    one = queries_for(client, url)
    for index in range(2):
        scenario_save(actor=None, data={**HAND_SCENARIO, "code": f"more{index}"})
        wisn_study_save(actor=None, code=f"more{index}", name="More", data=STUDY)
        norm_set(
            actor=world["manager"],
            location=world["d1"],
            target_per_100k=Decimal(9 + index),
            valid_from=2020 + index,
            source="More",
        )
    assert queries_for(client, url) == one


def test_outsiders_are_refused_everywhere(world: dict[str, Any], login: Callable[[Any], Client]) -> None:
    client = login(world["outsider"])
    for url in (
        reverse("web:plan_norms"),
        reverse("web:scenario_list"),
        reverse("web:scenario_detail", args=["hand"]),
        reverse("web:wisn"),
        reverse("web:wisn_study", args=["sw-d1"]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_costs_page_and_its_scales(world: dict[str, Any], login: Callable[[Any], Client]) -> None:
    client = login(world["manager"])
    data = {"cadre": "SW", "grade": "", "annual_salary": "1200", "valid_from": "2024"}
    assert client.post(reverse("web:salary_scale_set"), data).status_code == 302
    costs = {
        "cadre": "SW", "valid_from": "2024", "on_cost_rate": "0.2", "supervision_per_worker": "100",
        "transport_per_worker": "50", "training_per_worker": "25",
    }  # fmt: skip
    assert client.post(reverse("web:cadre_cost_set"), costs).status_code == 302
    assert client.post(reverse("web:cadre_cost_set"), {**costs, "on_cost_rate": "-1"}).status_code == 400
    text = text_of(login(world["analyst"]).get(reverse("web:plan_costs"), {"year": 2024}))
    # 5 social workers at K: 6,000 of salaries, 1,200 on-costs, 875 other costs: 8,075 a year.
    assert "5 0 6,000 1,200 875 8,075" in text
    assert "Set a salary scale" not in text
    officer = login(world["officer"])
    assert officer.post(reverse("web:salary_scale_set"), data).status_code == 403
