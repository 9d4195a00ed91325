"""Norms (contracts/planning.md section 1): required staff and gaps, nearest norm wins, worked by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.planning.models import Norm
from sswis.planning.norms import norm_gaps
from sswis.planning.services import norm_delete, norm_set
from sswis.registry.models import CadreCategory
from tests.factories import (
    UserFactory,
)
from tests.planning.world import D1_GAPS_2025, norms_world


@pytest.fixture
def plan(db: Any) -> dict[str, Any]:
    """Country K (200,000 children) > region R (100,000) > districts D1 (60,000) and D2 (unknown)."""
    return norms_world()


def table(
    year: int,
) -> list[tuple[str, dict[str, str], float, str, int | None, int, float | None, float | None]]:
    return [
        (
            row.location,
            row.group,
            row.target_per_100k,
            row.norm_location,
            row.children,
            row.counted,
            row.required,
            row.gap,
        )
        for row in norm_gaps(year=year)
    ]


def test_required_and_gap_for_every_location_and_group_the_nearest_norm_winning(plan: dict[str, Any]) -> None:
    # 2025: K's whole-workforce norm is 30 (its 35 begins in 2026); R's own 50 is nearer for R and below.
    # 6 workers counted in K and R (4 social workers, 2 para-social workers); 5 in D1 (3 + 2); 1 in D2.
    assert table(2025) == [
        ("K", {}, 30.0, "K", 200_000, 6, 60.0, -54.0),
        ("K", {"cadre": "SW"}, 10.0, "K", 200_000, 4, 20.0, -16.0),
        ("R", {}, 50.0, "R", 100_000, 6, 50.0, -44.0),
        ("R", {"cadre": "SW"}, 10.0, "K", 100_000, 4, 10.0, -6.0),
        ("D1", {}, 50.0, "R", 60_000, 5, 30.0, -25.0),
        ("D1", {"cadre": "SW"}, 10.0, "K", 60_000, 3, 6.0, -3.0),
        ("D2", {}, 50.0, "R", None, 1, None, None),  # population unknown: no requirement, no gap
        ("D2", {"cadre": "SW"}, 10.0, "K", None, 1, None, None),
    ]


def test_a_later_norm_applies_from_its_year_and_a_category_norm_counts_its_cadres(
    plan: dict[str, Any],
) -> None:
    rows = {(row[0], tuple(row[1].items())): row for row in table(2026)}
    assert rows[("K", ())][2:] == (35.0, "K", 200_000, 6, 70.0, -64.0)
    # D1's para-professional norm: its para-social workers (2) against 20 per 100,000 of 60,000 children.
    assert rows[("D1", (("category", "para_professional"),))][2:] == (20.0, "D1", 60_000, 2, 12.0, -10.0)
    assert ("R", (("category", "para_professional"),)) not in rows  # set below R only
    assert table(2019) == []  # no norm had begun


def test_a_norm_for_a_group_nobody_is_counted_in_has_a_gap_of_the_whole_requirement(
    plan: dict[str, Any],
) -> None:
    norm_set(
        actor=plan["manager"],
        location=plan["d1"],
        category=CadreCategory.VOLUNTEER,
        target_per_100k=Decimal("12.5"),
        valid_from=2025,
        source="Volunteers",
    )
    rows = {(row[0], tuple(row[1].items())): row for row in table(2025)}
    assert rows[("D1", (("category", "volunteer"),))][5:] == (0, 7.5, -7.5)


def test_setting_a_norm_again_changes_it_and_keeps_its_history(plan: dict[str, Any]) -> None:
    norm = norm_set(
        actor=plan["manager"],
        location=plan["region"],
        target_per_100k=Decimal(55),
        valid_from=2024,
        source="Revised",
    )
    assert Norm.objects.filter(location=plan["region"], group="workforce").count() == 1
    assert [float(record.target_per_100k) for record in norm.history.order_by("history_date")] == [50.0, 55.0]
    assert norm.history.latest("history_date").history_user == plan["manager"]
    norm_delete(actor=plan["manager"], norm=norm)
    assert not Norm.objects.filter(pk=norm.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_per_100k": Decimal(0)}, "target_per_100k"),
        ({"target_per_100k": Decimal(-5)}, "target_per_100k"),
        ({"valid_from": 1800}, "valid_from"),
        ({"source": ""}, "source"),
        ({"source": "bad\x00text"}, "source"),
        ({"category": "astronaut"}, "category"),
    ],
)
def test_bad_norms_are_refused_naming_the_field_and_nothing_is_written(
    plan: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    before = Norm.objects.count()
    arguments: dict[str, Any] = {
        "actor": plan["manager"],
        "location": plan["d2"],
        "target_per_100k": Decimal(10),
        "valid_from": 2025,
        "source": "Plan",
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        norm_set(**arguments)
    assert field in refused.value.message_dict
    assert Norm.objects.count() == before


def test_a_subnational_officer_plans_for_their_area_only_and_an_analyst_not_at_all(
    plan: dict[str, Any],
) -> None:
    officer, analyst = UserFactory(username="officer"), UserFactory(username="analyst")
    user_scope_grant(actor=None, user=officer, role=Role.SUBNATIONAL_OFFICER, location=plan["region"])
    user_scope_grant(actor=None, user=analyst, role=Role.ANALYST)
    norm_set(actor=officer, location=plan["d2"], target_per_100k=Decimal(40), valid_from=2025, source="Mine")
    with pytest.raises(PermissionDenied):
        norm_set(
            actor=officer, location=plan["country"], target_per_100k=Decimal(40), valid_from=2025, source="x"
        )
    with pytest.raises(PermissionDenied):
        norm_set(actor=analyst, location=plan["d2"], target_per_100k=Decimal(40), valid_from=2025, source="x")


def test_the_command_prints_the_gaps_as_json_and_csv(plan: dict[str, Any], capsys: Any) -> None:
    call_command("plan", "norms", "--year", "2025", "--location", "D1")
    document = json.loads(capsys.readouterr().out)
    assert document == D1_GAPS_2025
    call_command("plan", "norms", "--year", "2025", "--location", "D2", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0]
        == "year,location,category,cadre,target_per_100k,norm_location,source,children,counted,required,gap"
    )
    assert lines[1] == "2025,D2,,,50.0,R,Regional plan,,1,,"
