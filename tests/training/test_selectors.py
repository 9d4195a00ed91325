"""The training's reads, with figures worked out by hand: an institution's accreditation on a day, the
programmes and completions as the lists filter them, and an institution's figures by year (students per
instructor with a part-time instructor and intakes running over several years)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from sswis.training.models import Completion, Programme
from sswis.training.selectors import (
    InstitutionYear,
    ProgrammeYear,
    completions_filtered,
    institution_accredited_on,
    institution_figures,
    institutions_listed,
    programme_certifies_on,
    programmes_filtered,
    years_running,
)
from tests.factories import WorkerFactory
from tests.training.factories import (
    AccreditationFactory,
    CompletionFactory,
    InstructorFactory,
    IntakeFactory,
    ProgrammeFactory,
    TrainingInstitutionFactory,
)

D = datetime.date


@pytest.mark.parametrize(
    ("duration", "years"),
    [
        (None, [2024]),
        (6, [2024]),
        (12, [2024]),
        (13, [2024, 2025]),
        (24, [2024, 2025]),
        (36, [2024, 2025, 2026]),
    ],
)
def test_an_intake_runs_for_its_duration_in_whole_years_at_least_its_own(
    duration: int | None, years: list[int]
) -> None:
    assert list(years_running(intake_year=2024, duration_months=duration)) == years


def test_the_accreditation_that_covers_a_day_first_and_last_days_included(db: Any) -> None:
    institution = TrainingInstitutionFactory()
    first = AccreditationFactory(
        institution=institution, valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31)
    )
    second = AccreditationFactory(institution=institution, valid_from=D(2023, 1, 1), valid_until=None)
    never = TrainingInstitutionFactory()

    assert [
        institution_accredited_on(institution=institution, day=day)
        for day in (D(2019, 12, 31), D(2020, 1, 1), D(2022, 12, 31), D(2023, 1, 1), D(2040, 1, 1))
    ] == [None, first, first, second, second]
    assert institution_accredited_on(institution=never, day=D(2024, 1, 1)) is None
    listed = institutions_listed(queryset=type(institution).objects.all(), day=D(2021, 6, 1))
    assert {row.code: row.accredited_today for row in listed} == {institution.code: True, never.code: False}


def test_the_hand_worked_example_of_the_documentation(db: Any) -> None:
    """A 24-month programme with 30 students taken in 2023 and 40 in 2024, one full-time and one part-time
    instructor in 2024: 70 students, 1.5 instructors, 46.67 students per instructor."""
    programme = ProgrammeFactory(duration_months=24)
    institution = programme.institution
    IntakeFactory(programme=programme, year=2023, enrolled=30)
    IntakeFactory(programme=programme, year=2024, enrolled=40)
    InstructorFactory(institution=institution, full_time=True, active_from=D(2024, 1, 1))
    InstructorFactory(institution=institution, full_time=False, active_from=D(2024, 9, 1))

    figures = {figure.year: figure for figure in institution_figures(institution=institution)}

    assert (
        figures[2024].students_enrolled,
        figures[2024].instructors,
        figures[2024].students_per_instructor,
    ) == (
        70,
        Decimal("1.5"),
        Decimal("46.67"),
    )


def test_an_institution_s_figures_by_year(db: Any, django_assert_num_queries: Any) -> None:
    """Programmes A (24 months: 30 taken in 2023, 40 in 2024), B (6 months: 20 in 2024) and C (13 months:
    10 in 2022); instructors X (full time from 2023), Y (part time until March 2024) and Z (full time from
    2025); two completions of A in 2024, one of B in 2025.

    ======  ===========================  ===========================  =====================
    year    students enrolled            instructors                  students per instructor
    ======  ===========================  ===========================  =====================
    2022    C 10 = 10                    Y 0.5                        10 / 0.5 = 20.00
    2023    A 30 + C 10 = 40             X 1 + Y 0.5 = 1.5            40 / 1.5 = 26.67
    2024    A 30 + A 40 + B 20 = 90      X 1 + Y 0.5 = 1.5            90 / 1.5 = 60.00
    2025    A 40 = 40                    X 1 + Z 1 = 2                40 / 2 = 20.00
    ======  ===========================  ===========================  =====================
    """
    institution = TrainingInstitutionFactory()
    a = ProgrammeFactory(institution=institution, code="A", name="A", duration_months=24)
    b = ProgrammeFactory(institution=institution, code="B", name="B", duration_months=6)
    c = ProgrammeFactory(institution=institution, code="C", name="C", duration_months=13)
    other = ProgrammeFactory(code="OTHER")  # another institution's: counts nowhere here
    for programme, year, enrolled in (
        (a, 2023, 30),
        (a, 2024, 40),
        (b, 2024, 20),
        (c, 2022, 10),
        (other, 2024, 999),
    ):
        IntakeFactory(programme=programme, year=year, enrolled=enrolled)
    InstructorFactory(institution=institution, full_time=True, active_from=D(2023, 1, 1))
    InstructorFactory(institution=institution, full_time=False, active_until=D(2024, 3, 31))
    InstructorFactory(institution=institution, full_time=True, active_from=D(2025, 1, 1))
    InstructorFactory(institution=other.institution, full_time=True)
    CompletionFactory(programme=a, completed_on=D(2024, 11, 30))
    CompletionFactory(programme=a, completed_on=D(2024, 12, 31))
    CompletionFactory(programme=b, completed_on=D(2025, 1, 1))
    CompletionFactory(programme=other, completed_on=D(2021, 1, 1))

    with django_assert_num_queries(4):
        figures = institution_figures(institution=institution)

    assert figures == [
        InstitutionYear(2025, 40, Decimal(2), Decimal("20.00"), (ProgrammeYear("B", "B", None, 1),)),
        InstitutionYear(
            2024,
            90,
            Decimal("1.5"),
            Decimal("60.00"),
            (ProgrammeYear("A", "A", 40, 2), ProgrammeYear("B", "B", 20, 0)),
        ),
        InstitutionYear(2023, 40, Decimal("1.5"), Decimal("26.67"), (ProgrammeYear("A", "A", 30, 0),)),
        InstitutionYear(2022, 10, Decimal("0.5"), Decimal("20.00"), (ProgrammeYear("C", "C", 10, 0),)),
    ]


def test_no_instructor_gives_no_students_per_instructor(db: Any) -> None:
    programme = ProgrammeFactory(duration_months=None)
    IntakeFactory(programme=programme, year=2024, enrolled=25)
    InstructorFactory(institution=programme.institution, active_until=D(2023, 12, 31))  # gone before 2024

    assert institution_figures(institution=programme.institution) == [
        InstitutionYear(2024, 25, Decimal(0), None, (ProgrammeYear(programme.code, programme.name, 25, 0),))
    ]
    assert institution_figures(institution=TrainingInstitutionFactory()) == []


def test_programmes_filtered_by_kind_institution_and_whether_they_certify(db: Any) -> None:
    north = TrainingInstitutionFactory(code="N")
    certifying = ProgrammeFactory(
        code="P1", institution=north, certifies_child_victims=True, government_recognised_from=D(2024, 7, 1)
    )
    not_recognised = ProgrammeFactory(code="P2", institution=north, certifies_child_victims=True)
    in_service = ProgrammeFactory(code="P3", kind="in_service", institution=None)

    def codes(**filters: Any) -> list[str]:
        return [p.code for p in programmes_filtered(queryset=Programme.objects.all(), **filters)]

    assert codes() == ["P1", "P2", "P3"]
    assert codes(kind="in_service") == ["P3"]
    assert codes(institution_code="N") == ["P1", "P2"]
    assert codes(certifying=True, certifying_on=D(2024, 7, 1)) == ["P1"]
    assert codes(certifying=True, certifying_on=D(2024, 6, 30)) == []
    assert codes(certifying=False, certifying_on=D(2024, 7, 1)) == ["P2", "P3"]
    assert [
        programme_certifies_on(programme=p, day=D(2024, 7, 1))
        for p in (certifying, not_recognised, in_service)
    ] == [
        True,
        False,
        False,
    ]


def test_completions_filtered_by_programme_institution_year_and_worker(db: Any) -> None:
    first = ProgrammeFactory(code="P1")
    second = ProgrammeFactory(code="P2")
    worker = WorkerFactory(worker_id="W1")
    old = CompletionFactory(programme=first, worker=worker, completed_on=D(2023, 12, 31))
    new = CompletionFactory(programme=first, completed_on=D(2024, 1, 1))
    elsewhere = CompletionFactory(programme=second, completed_on=D(2024, 5, 1))

    def found(**filters: Any) -> list[Completion]:
        return list(completions_filtered(queryset=Completion.objects.all(), **filters))

    assert found() == [elsewhere, new, old]
    assert found(programme_code="P1") == [new, old]
    assert found(institution_code=second.institution.code) == [elsewhere]
    assert found(year=2023) == [old]
    assert found(worker_pk=worker.pk) == [old]
