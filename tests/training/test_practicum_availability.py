"""Places available per district against the students needing a placement, for a year: hand-worked."""

from __future__ import annotations

import datetime

import pytest

from sswis.training.models import TrainingInstitution
from sswis.training.practicum_selectors import (
    DistrictAvailability,
    availability_total,
    practicum_availability,
    students_needing_placement,
)
from tests.conftest import Country
from tests.factories import LocationFactory, OrganisationFactory
from tests.training.factories_practicum import (
    InstitutionFactory,
    OfferFactory,
    PlacementFactory,
    ProgrammeFactory,
    StudentFactory,
)

D = datetime.date


def _institution(code: str, location: object) -> TrainingInstitution:
    return InstitutionFactory(code=code, location=location)


@pytest.fixture
def figures(country: Country) -> None:
    """Offers, placements and students of 2024 (and some of other years, which must not count):

    * organisations: A at D11, B at ward W111 (in D11), C at D21; the ministry (the root) and NGO1 (region
      R2) are in no district;
    * offers of 2024: A 3, B 2, C 4, ministry 5, NGO1 1 (A 10 in 2025);
    * programmes: P400 at D11 (24 months, 400 hours: intake 2023 -> practicum 2024), P0 at D11 (no
      practicum), P12 at ward W211 of D21 (12 months, 100 hours: intake 2024 -> 2024), P36 of an institution
      without a location (36 months, 300 hours: intake 2022 -> 2024), PND at D12 (no duration, 50 hours:
      the intake year);
    * students and their 2024 placements: s1 (P400) 400 planned at A: covered; s2 (P400) 200 at A: short;
      s3 (P400) none; s4 (P400, intake 2024) not in their practicum year; z (P0): no practicum; s5 (P12)
      100 planned at C but ended early after 40: short; s6 (P12, intake 2023) not in their year; s7 (P36)
      300 at the ministry: covered; s8 (P36) none; s9 (PND, intake 2024) none; a placement of s1 at B
      started in 2023 (not 2024).
    """
    ward_11 = LocationFactory(code="W111", parent=country.district_11, level="ward")
    ward_21 = LocationFactory(code="W211", parent=country.district_21, level="ward")
    a = OrganisationFactory(code="A", location=country.district_11)
    b = OrganisationFactory(code="B", location=ward_11)
    c = OrganisationFactory(code="C", location=country.district_21)
    for organisation, places in ((a, 3), (b, 2), (c, 4), (country.ministry, 5), (country.ngo, 1)):
        OfferFactory(organisation=organisation, year=2024, places=places)
    OfferFactory(organisation=a, year=2025, places=10)
    alpha = _institution("I-D11", country.district_11)
    p400 = ProgrammeFactory(code="P400", institution=alpha, duration_months=24, practicum_hours=400)
    p0 = ProgrammeFactory(code="P0", institution=alpha, duration_months=24, practicum_hours=0)
    p12 = ProgrammeFactory(
        code="P12", institution=_institution("I-W211", ward_21), duration_months=12, practicum_hours=100
    )
    p36 = ProgrammeFactory(
        code="P36", institution=_institution("I-NOWHERE", None), duration_months=36, practicum_hours=300
    )
    pnd = ProgrammeFactory(
        code="PND",
        institution=_institution("I-D12", country.district_12),
        duration_months=None,
        practicum_hours=50,
    )
    s1 = StudentFactory(programme=p400, intake_year=2023, student_number="s1")
    s2 = StudentFactory(programme=p400, intake_year=2023, student_number="s2")
    StudentFactory(programme=p400, intake_year=2023, student_number="s3")
    StudentFactory(programme=p400, intake_year=2024, student_number="s4")
    StudentFactory(programme=p0, intake_year=2023, student_number="z")
    s5 = StudentFactory(programme=p12, intake_year=2024, student_number="s5")
    StudentFactory(programme=p12, intake_year=2023, student_number="s6")
    s7 = StudentFactory(programme=p36, intake_year=2022, student_number="s7")
    StudentFactory(programme=p36, intake_year=2022, student_number="s8")
    StudentFactory(programme=pnd, intake_year=2024, student_number="s9")
    PlacementFactory(student=s1, organisation=a, hours_planned=400)
    PlacementFactory(student=s2, organisation=a, hours_planned=200)
    PlacementFactory(
        student=s5, organisation=c, hours_planned=100, hours_done=40, ended_early_on=D(2024, 4, 1)
    )
    PlacementFactory(student=s7, organisation=country.ministry, hours_planned=300)
    PlacementFactory(student=s1, organisation=b, starts_on=D(2023, 9, 1), ends_on=D(2023, 12, 1))


def test_students_needing_a_placement_in_2024(figures: None) -> None:
    needing = students_needing_placement(year=2024)

    assert sorted(needing.values_list("student_number", flat=True)) == ["s2", "s3", "s5", "s8", "s9"]


def test_availability_per_district(figures: None, django_assert_max_num_queries: object) -> None:
    rows = practicum_availability(year=2024)

    assert [
        (row.code, row.places_offered, row.placements, row.places_free, row.students_needing, row.balance)
        for row in rows
    ] == [
        ("D11", 5, 2, 3, 2, 1),
        ("D12", 0, 0, 0, 1, -1),
        ("D21", 4, 1, 3, 1, 2),
        (None, 6, 1, 5, 1, 4),
    ]
    total = availability_total(rows)
    assert (
        total.places_offered,
        total.placements,
        total.places_free,
        total.students_needing,
        total.balance,
    ) == (
        15,
        4,
        11,
        5,
        6,
    )


def test_availability_takes_a_fixed_number_of_queries(
    figures: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        practicum_availability(year=2024)


def test_another_year_has_its_own_figures(figures: None) -> None:
    rows = {row.code: row for row in practicum_availability(year=2025)}

    # 2025: A offers 10; no placement starts; s4 (P400, intake 2024) needs one.
    assert rows["D11"] == DistrictAvailability(
        code="D11", name=rows["D11"].name, places_offered=10, placements=0, students_needing=1
    )
    assert sum(row.students_needing for row in rows.values()) == 1


def test_a_year_without_anything_gives_zeros_for_every_district(country: Country) -> None:
    rows = practicum_availability(year=2030)

    assert [(row.code, row.places_offered, row.placements, row.students_needing) for row in rows] == [
        ("D11", 0, 0, 0),
        ("D12", 0, 0, 0),
        ("D21", 0, 0, 0),
        (None, 0, 0, 0),
    ]
