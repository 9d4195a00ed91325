"""The gaps of the counted workforce (``training.gaps``), against the hand-worked world of
``tests/training/competency_world.py``."""

from __future__ import annotations

from typing import Any

import pytest

from sswis.training.gaps import competency_gaps
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
