"""Urban/rural disparity (sswis.planning.settings_gaps): staff, children and gaps by setting, by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.planning.norms import norm_gaps
from sswis.planning.services import norm_set
from sswis.planning.settings_gaps import (
    SettingDisparity,
    SettingGap,
    setting_disparity,
    setting_gaps,
    setting_gaps_as_json,
)
from tests.factories import (
    AssignmentFactory,
    CadreFactory,
    LocationFactory,
    OrganisationFactory,
    PopulationEstimateFactory,
    UserFactory,
)

Row = tuple[str, str, int | None, int, float | None, float | None, float | None, float | None]


@pytest.fixture
def country(db: Any) -> dict[str, Any]:
    """Country K > region R (neither has a setting of its own) > districts U (urban, 40,000 children in
    2025) and V (rural, 60,000). Workers: 3 at U, 2 at V, 1 at R's office (its setting: unknown).
    Whole-workforce norms: 30 per 100,000 at K, 50 at R (from 2024), 100 at V."""
    k = LocationFactory(code="K", level="country")
    r = LocationFactory(code="R", parent=k, level="region")
    u = LocationFactory(code="U", parent=r, setting="urban")
    v = LocationFactory(code="V", parent=r, setting="rural")
    PopulationEstimateFactory(location=u, year=2025, children=40_000)
    PopulationEstimateFactory(location=v, year=2025, children=60_000)
    sw = CadreFactory(code="SW")
    for place, workers in ((u, 3), (v, 2), (r, 1)):
        organisation = OrganisationFactory(location=place)
        for _ in range(workers):
            AssignmentFactory(organisation=organisation, cadre=sw)
    manager = UserFactory(username="manager")
    user_scope_grant(actor=None, user=manager, role=Role.NATIONAL_DATA_MANAGER)
    for place, target, valid_from in ((k, 30, 2020), (r, 50, 2024), (v, 100, 2020)):
        norm_set(
            actor=manager,
            location=place,
            target_per_100k=Decimal(target),
            valid_from=valid_from,
            source=f"Norm of {place.code}",
        )
    return {"k": k, "r": r, "u": u, "v": v, "sw": sw, "manager": manager}


def table(rows: list[SettingGap]) -> list[Row]:
    return [
        (
            row.location,
            row.setting,
            row.children,
            row.counted,
            row.per_100k,
            row.target_per_100k,
            row.required,
            row.gap,
        )
        for row in rows
    ]


RURAL_PER_100K = 2 * 100_000 / 60_000  # 3.333...: 2 rural workers for 60,000 rural children


def test_counted_children_ratio_required_and_gap_per_setting_the_nearest_norm_winning(
    country: dict[str, Any],
) -> None:
    # K's norm 30: urban 30 * 40,000 / 100,000 = 12 required, 3 counted: gap -9; rural 18 required, 2
    # counted: -16. R's own norm 50 is nearer for R and U (20 and 30 required); V's own 100 is nearer for
    # V (60 required for 60,000 children, 2 counted: -58). The R office worker is "unknown": no leaf has
    # that setting, so 0 children, no ratio, nothing required (0) and a gap of +1.
    assert table(setting_gaps(year=2025)) == [
        ("K", "urban", 40_000, 3, 7.5, 30.0, 12.0, -9.0),
        ("K", "rural", 60_000, 2, RURAL_PER_100K, 30.0, 18.0, -16.0),
        ("K", "unknown", 0, 1, None, 30.0, 0.0, 1.0),
        ("R", "urban", 40_000, 3, 7.5, 50.0, 20.0, -17.0),
        ("R", "rural", 60_000, 2, RURAL_PER_100K, 50.0, 30.0, -28.0),
        ("R", "unknown", 0, 1, None, 50.0, 0.0, 1.0),
        ("U", "urban", 40_000, 3, 7.5, 50.0, 20.0, -17.0),
        ("V", "rural", 60_000, 2, RURAL_PER_100K, 100.0, 60.0, -58.0),
    ]


def test_the_disparity_is_urban_against_rural_where_a_location_has_both(country: dict[str, Any]) -> None:
    # K and R: 7.5 urban against 3.333... rural per 100,000: 2.25 times, 4.1666... more. U and V have one
    # setting only: no disparity.
    rows = setting_gaps(year=2025)
    expected = [
        SettingDisparity(2025, code, 7.5, RURAL_PER_100K, 7.5 / RURAL_PER_100K, 7.5 - RURAL_PER_100K)
        for code in ("K", "R")
    ]
    assert setting_disparity(rows=rows) == expected
    assert expected[0].ratio == pytest.approx(2.25)
    assert expected[0].difference == pytest.approx(25 / 6)


def test_a_rural_leaf_without_a_population_figure_makes_rural_children_unknown_above_it(
    country: dict[str, Any],
) -> None:
    # W (rural, 1 worker, no figure for 2025): rural children unknown at W, R and K, so no ratio, no
    # requirement and no gap there, and no disparity figures; urban is unchanged.
    w = LocationFactory(code="W", parent=country["r"], setting="rural")
    AssignmentFactory(organisation=OrganisationFactory(location=w), cadre=country["sw"])
    rows = {(row[0], row[1]): row[2:] for row in table(setting_gaps(year=2025))}
    assert rows[("K", "rural")] == (None, 3, None, 30.0, None, None)
    assert rows[("R", "rural")] == (None, 3, None, 50.0, None, None)
    assert rows[("W", "rural")] == (None, 1, None, 50.0, None, None)
    assert rows[("R", "urban")] == (40_000, 3, 7.5, 50.0, 20.0, -17.0)
    assert rows[("V", "rural")] == (60_000, 2, RURAL_PER_100K, 100.0, 60.0, -58.0)
    assert setting_disparity(rows=setting_gaps(year=2025)) == [
        SettingDisparity(2025, code, 7.5, None, None, None) for code in ("K", "R")
    ]


def test_a_leaf_takes_its_nearest_setting_and_the_leaves_split_the_children_not_own_estimates(
    country: dict[str, Any],
) -> None:
    # Region S (mixed) > district X (no setting of its own: mixed, 10,000 children, no worker). K's own
    # estimate (500,000) is what the indicators use for K, but the settings split what the leaves record.
    s = LocationFactory(code="S", parent=country["k"], level="region", setting="mixed")
    x = LocationFactory(code="X", parent=s)
    PopulationEstimateFactory(location=x, year=2025, children=10_000)
    PopulationEstimateFactory(location=country["k"], year=2025, children=500_000)
    rows = table(setting_gaps(year=2025, location=country["k"], depth=0))
    # mixed at K: 0 counted against K's 30 per 100,000 of 10,000 children: 3 required, gap -3.
    assert rows == [
        ("K", "urban", 40_000, 3, 7.5, 30.0, 12.0, -9.0),
        ("K", "rural", 60_000, 2, RURAL_PER_100K, 30.0, 18.0, -16.0),
        ("K", "mixed", 10_000, 0, 0.0, 30.0, 3.0, -3.0),
        ("K", "unknown", 0, 1, None, 30.0, 0.0, 1.0),
    ]
    assert next(gap for gap in norm_gaps(year=2025) if gap.location == "K").children == 500_000
    assert table(setting_gaps(year=2025, location=s)) == [
        ("S", "mixed", 10_000, 0, 0.0, 30.0, 3.0, -3.0),
        ("X", "mixed", 10_000, 0, 0.0, 30.0, 3.0, -3.0),
    ]


def test_without_a_norm_or_a_population_figure_the_rest_is_still_given(country: dict[str, Any]) -> None:
    # 2023: R's norm begins in 2024, so R and U take K's 30 (V keeps its own 100), and with no figure
    # for 2023 the children of every setting that has a leaf are unknown (the unknown setting has none).
    assert table(setting_gaps(year=2023, location=country["r"], depth=1)) == [
        ("R", "urban", None, 3, None, 30.0, None, None),
        ("R", "rural", None, 2, None, 30.0, None, None),
        ("R", "unknown", 0, 1, None, 30.0, 0.0, 1.0),
        ("U", "urban", None, 3, None, 30.0, None, None),
        ("V", "rural", None, 2, None, 100.0, None, None),
    ]
    # Another country Z without any norm > urban district Y (20,000 children, 1 worker: 5 per 100,000).
    z = LocationFactory(code="Z", level="country")
    y = LocationFactory(code="Y", parent=z, setting="urban")
    PopulationEstimateFactory(location=y, year=2025, children=20_000)
    AssignmentFactory(organisation=OrganisationFactory(location=y), cadre=country["sw"])
    assert table(setting_gaps(year=2025, location=z)) == [
        ("Z", "urban", 20_000, 1, 5.0, None, None, None),
        ("Y", "urban", 20_000, 1, 5.0, None, None, None),
    ]


def test_the_json_document_has_every_figure_unrounded(country: dict[str, Any]) -> None:
    rows = setting_gaps(year=2025, location=country["r"], depth=0)
    document = setting_gaps_as_json(year=2025, rows=rows, disparities=setting_disparity(rows=rows))
    assert document == {
        "year": 2025,
        "rows": [
            {
                "location": "R",
                "setting": "urban",
                "children": 40_000,
                "counted": 3,
                "per_100k": 7.5,
                "target_per_100k": 50.0,
                "required": 20.0,
                "gap": -17.0,
            },
            {
                "location": "R",
                "setting": "rural",
                "children": 60_000,
                "counted": 2,
                "per_100k": RURAL_PER_100K,
                "target_per_100k": 50.0,
                "required": 30.0,
                "gap": -28.0,
            },
            {
                "location": "R",
                "setting": "unknown",
                "children": 0,
                "counted": 1,
                "per_100k": None,
                "target_per_100k": 50.0,
                "required": 0.0,
                "gap": 1.0,
            },
        ],
        "disparity": [
            {
                "location": "R",
                "urban_per_100k": 7.5,
                "rural_per_100k": RURAL_PER_100K,
                "ratio": 7.5 / RURAL_PER_100K,
                "difference": 7.5 - RURAL_PER_100K,
            }
        ],
    }


def test_a_rural_ratio_of_zero_gives_no_ratio_but_a_difference() -> None:
    rows = [
        SettingGap(2025, "K", "urban", 40_000, 3, 7.5, None, None, None),
        SettingGap(2025, "K", "rural", 60_000, 0, 0.0, None, None, None),
        SettingGap(2025, "K", "mixed", 0, 1, None, None, None, None),
    ]
    assert setting_disparity(rows=rows) == [SettingDisparity(2025, "K", 7.5, 0.0, None, 7.5)]


def test_a_bad_year_or_depth_is_refused(country: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        setting_gaps(year=0)
    with pytest.raises(ValueError):
        setting_gaps(year=2025, location=country["k"], depth=-1)
