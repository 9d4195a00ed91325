"""The gaps of the counted workforce (``training.gaps``), against the hand-worked world of
``tests/training/competency_world.py``."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from sswis.training.gaps import competency_gaps, gaps_for_reader
from tests.training.competency_world import CompetencyWorld, competency_world_build


@pytest.fixture
def world(country: Any) -> CompetencyWorld:
    return competency_world_build(country)


def figures(rows: Any) -> dict[tuple[str, str], tuple[int, int | None]]:
    return {(row.location, row.competency): (row.counted, row.having) for row in rows}


def test_every_location_s_gaps_as_worked_by_hand(world: CompetencyWorld) -> None:
    assert figures(competency_gaps(year=2025)) == {
        ("KD", "CM"): (5, 3),
        ("KD", "LAW"): (5, 2),
        ("R1", "CM"): (4, 2),
        ("R1", "LAW"): (4, 2),
        ("D11", "CM"): (3, 2),
        ("D11", "LAW"): (3, 2),
        ("D12", "CM"): (1, 0),
        ("D12", "LAW"): (1, 0),
        ("R2", "CM"): (1, 1),
        ("R2", "LAW"): (1, 0),
        ("D21", "CM"): (1, 1),
        ("D21", "LAW"): (1, 0),
    }


def test_a_region_s_gaps_sum_its_districts_and_the_level_picks_districts(
    world: CompetencyWorld, country: Any
) -> None:
    rows = competency_gaps(year=2025, location=country.region_1, level="district")
    assert figures(rows) == {
        ("D11", "CM"): (3, 2),
        ("D11", "LAW"): (3, 2),
        ("D12", "CM"): (1, 0),
        ("D12", "LAW"): (1, 0),
    }
    region = figures(competency_gaps(year=2025, location=country.region_1))
    for competency in ("CM", "LAW"):
        districts = [value for (location, code), value in figures(rows).items() if code == competency]
        assert region[("R1", competency)] == (
            sum(counted for counted, _ in districts),
            sum(having or 0 for _, having in districts),
        )


def test_a_row_s_lacking_and_share(world: CompetencyWorld) -> None:
    row = next(row for row in competency_gaps(year=2025) if (row.location, row.competency) == ("KD", "CM"))
    assert (row.cadre, row.area, row.level, row.counted, row.having, row.lacking, row.share) == (
        "SW",
        "CASE",
        2,
        5,
        3,
        2,
        0.6,
    )


def test_the_reference_date_decides(world: CompetencyWorld) -> None:
    """In 2026, w4's completion of 2026-01-05 counts (D12 CM 1 of 1)."""
    assert figures(competency_gaps(year=2026))[("D12", "CM")] == (1, 1)


def test_one_cadre_only_and_no_framework(world: CompetencyWorld, country: Any) -> None:
    assert competency_gaps(year=2025, cadre=country.para_social_worker) == []
    assert {row.cadre for row in competency_gaps(year=2025, cadre=country.social_worker)} == {"SW"}


def test_the_analyst_gets_small_cells_withheld(world: CompetencyWorld, personas: Any, settings: Any) -> None:
    """k = 2: a line is withheld where 1 worker has it or 1 lacks it; R2 alone among KD's regions would be,
    so R1 (the smallest other) is too: only the country's figures are shown."""
    settings.SSWIS_SMALL_CELL_MIN = 2
    rows = gaps_for_reader(user=personas.analyst, year=2025)
    assert {(row.location, row.competency): row.having for row in rows if not row.withheld} == {
        ("KD", "CM"): 3,
        ("KD", "LAW"): 2,
    }
    withheld = next(row for row in rows if (row.location, row.competency) == ("D11", "CM"))
    assert (withheld.counted, withheld.having, withheld.lacking, withheld.share) == (3, None, None, None)
    assert figures(gaps_for_reader(user=personas.national, year=2025)) == figures(competency_gaps(year=2025))


def test_a_subnational_officer_sees_their_area_in_full(
    world: CompetencyWorld, personas: Any, settings: Any
) -> None:
    settings.SSWIS_SMALL_CELL_MIN = 2
    rows = gaps_for_reader(user=personas.subnational, year=2025)
    shown = {(row.location, row.competency) for row in rows if not row.withheld}
    assert shown == {
        ("KD", "CM"),
        ("KD", "LAW"),
        ("R1", "CM"),
        ("R1", "LAW"),
        ("D11", "CM"),
        ("D11", "LAW"),
        ("D12", "CM"),
        ("D12", "LAW"),
    }


def test_outsiders_are_refused(world: CompetencyWorld, personas: Any) -> None:
    with pytest.raises(PermissionDenied):
        gaps_for_reader(user=personas.outsider, year=2025)


def test_the_gaps_take_a_fixed_number_of_queries(
    world: CompetencyWorld, django_assert_max_num_queries: Any, country: Any
) -> None:
    # The tree, the requirements, the aggregate (on PostgreSQL in a transaction: 3 more statements).
    with django_assert_max_num_queries(7):
        competency_gaps(year=2025)
    with django_assert_max_num_queries(8):
        competency_gaps(year=2025, location=country.region_1, level="district")


def test_the_command(world: CompetencyWorld) -> None:
    out = StringIO()
    call_command("training_gaps", "--year", "2025", "--location", "R1", "--level", "district", stdout=out)
    assert out.getvalue().splitlines() == [
        "D11 SW CM (level 2): 2 of 3 have it, 1 lack it (66.7%)",
        "D11 SW LAW (level 1): 2 of 3 have it, 1 lack it (66.7%)",
        "D12 SW CM (level 2): 0 of 1 have it, 1 lack it (0.0%)",
        "D12 SW LAW (level 1): 0 of 1 have it, 1 lack it (0.0%)",
    ]
    out = StringIO()
    call_command("training_gaps", "--year", "2025", "--cadre", "SW", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())["gaps"]
    assert rows[0] == {
        "year": 2025,
        "location": "KD",
        "cadre": "SW",
        "area": "CASE",
        "competency": "CM",
        "name": "Case management",
        "level_required": 2,
        "counted": 5,
        "having": 3,
        "lacking": 2,
        "share": 0.6,
        "withheld": False,
    }
    out = StringIO()
    call_command("training_gaps", "--year", "2025", "--location", "D21", "--format", "csv", stdout=out)
    assert out.getvalue().lstrip("\ufeff").splitlines()[1:] == [
        "2025,D21,SW,CASE,CM,Case management,2,1,1,0,1.0,no",
        "2025,D21,SW,LAW,LAW,Child protection law,1,1,0,1,0.0,no",
    ]
    with pytest.raises(CommandError):
        call_command("training_gaps", "--year", "20x5", stdout=out)
    with pytest.raises(CommandError):
        call_command("training_gaps", "--year", "2025", "--location", "NOPE", stdout=out)
