"""The demo ships boundaries that tile the country: every region and district has one, all valid."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

from sswis.demo.generator import BOUNDARIES_FILE, country_generate
from sswis.geo.boundaries import geometry_problem


def area(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring)) / 2


def test_boundaries_tile_the_country_regions_and_districts(tmp_path: Path) -> None:
    generated = country_generate(folder=tmp_path / "a", workers=100)
    collection = json.loads((generated.folder / BOUNDARIES_FILE).read_text(encoding="utf-8"))
    with (generated.folder / "locations.csv").open(encoding="utf-8") as file:
        locations = list(csv.DictReader(file))
    shapes = {f["properties"]["code"]: f["geometry"] for f in collection["features"]}
    with_boundary = sorted(
        row["code"] for row in locations if row["type"] in ("country", "region", "district")
    )
    assert sorted(shapes) == with_boundary
    assert len(shapes) == 1 + 4 + 44
    assert all(geometry_problem(geometry) == "" for geometry in shapes.values())
    areas = {code: area(geometry["coordinates"][0]) for code, geometry in shapes.items()}
    assert all(value > 0 for value in areas.values())  # counter-clockwise, as RFC 7946 asks
    assert abs(areas["KD"] - 7.0 * 8.0) < 1e-6
    regions = [row["code"] for row in locations if row["type"] == "region"]
    assert abs(sum(areas[code] for code in regions) - areas["KD"]) < 1e-3
    for region in regions:
        districts = [row["code"] for row in locations if row["parent_code"] == region]
        assert abs(sum(areas[code] for code in districts) - areas[region]) < 1e-3
    again = country_generate(folder=tmp_path / "b", workers=100)
    assert (again.folder / BOUNDARIES_FILE).read_bytes() == (generated.folder / BOUNDARIES_FILE).read_bytes()
