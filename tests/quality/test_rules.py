"""The contract's rules as pure functions: every boundary of criteria 2, 3 and 4, the composite and bands."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sswis.quality.rules import band, composite, hris_score, licensing_score, share, supervision_score

F = Fraction
CRITERIA = ("framework", "supervision", "licensing", "hris")


def test_a_share_of_nothing_is_zero_and_shares_are_exact() -> None:
    assert share(0, 0) == 0
    assert share(4, 5) == F(4, 5)
    assert share(1, 10) == F(1, 10)


@pytest.mark.parametrize(
    ("relationships", "supervised", "over", "sessions", "expected"),
    [
        (False, F(1), F(0), F(1), 1),  # no relationship at all: 1, whatever the figures
        (True, F(0), F(0), F(0), 2),
        (True, F(49, 100), F(0), F(1), 2),
        (True, F(1, 2), F(0), F(1), 3),  # exactly 0.5: 3
        (True, F(79, 100), F(0), F(1), 3),
        (True, F(4, 5), F(0), F(1, 2), 4),  # exactly 0.8, over 0, sessions exactly 0.5: 4
        (True, F(4, 5), F(1, 10), F(1, 2), 4),  # over exactly 0.1 is within
        (True, F(4, 5), F(11, 100), F(1), 3),  # over above 0.1
        (True, F(1), F(0), F(49, 100), 3),  # sessions below 0.5
        (True, F(1), F(1, 10), F(1), 4),
    ],
)
def test_supervision(relationships: bool, supervised: F, over: F, sessions: F, expected: int) -> None:
    assert (
        supervision_score(relationships=relationships, supervised=supervised, over=over, sessions=sessions)
        == expected
    )


@pytest.mark.parametrize(
    ("register", "licensed", "cpd", "expected"),
    [
        (False, F(1), True, 1),  # no register: 1
        (True, F(0), True, 2),  # no professionals: share 0
        (True, F(24, 100), True, 2),
        (True, F(1, 4), False, 3),  # exactly 0.25
        (True, F(1, 4), True, 3),
        (True, F(74, 100), True, 3),
        (True, F(3, 4), False, 3),  # exactly 0.75 without CPD for renewal
        (True, F(3, 4), True, 4),  # exactly 0.75 with it
        (True, F(1), True, 4),
    ],
)
def test_licensing(register: bool, licensed: F, cpd: bool, expected: int) -> None:
    assert licensing_score(register=register, share=licensed, cpd_renewal=cpd) == expected


@pytest.mark.parametrize(
    ("coverage", "both", "expected"),
    [
        (F(0), True, 1),  # coverage 0
        (F(1, 100), False, 2),
        (F(49, 100), True, 2),
        (F(1, 2), False, 3),  # exactly 0.5
        (F(1, 2), True, 3),
        (F(99, 100), True, 3),  # not every district
        (F(1), False, 3),  # every district, one kind of employer
        (F(1), True, 4),
    ],
)
def test_hris(coverage: F, both: bool, expected: int) -> None:
    assert hris_score(coverage=coverage, both_employers=both) == expected


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (4, "no_development"),
        (5, "early_development"),
        (8, "early_development"),
        (9, "mid_level"),
        (12, "mid_level"),
        (13, "well_developed"),
        (16, "well_developed"),
    ],
)
def test_bands(total: int, expected: str) -> None:
    assert band(total) == expected


@pytest.mark.parametrize("total", [3, 17, 0])
def test_a_composite_outside_4_to_16_has_no_band(total: int) -> None:
    with pytest.raises(ValueError, match=str(total)):
        band(total)


def test_the_composite_is_the_sum_once_every_criterion_is_scored() -> None:
    assert composite({"framework": 1, "supervision": 1, "licensing": 1, "hris": 1}, criteria=CRITERIA) == 4
    assert composite({"framework": 4, "supervision": 3, "licensing": 2, "hris": 4}, criteria=CRITERIA) == 13
    assert composite({"framework": 4, "supervision": 3, "licensing": 2}, criteria=CRITERIA) is None
