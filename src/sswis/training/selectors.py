"""The reads of the training's catalogue and completions: an institution's accreditation on a day, the
programmes and completions filtered as the lists ask, and an institution's figures by year (intake,
completions, students per instructor).

Who may see which rows is not decided here: the callers narrow the querysets with
``sswis.access.training_policy`` first.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from sswis.training.models import (
    Accreditation,
    Completion,
    Instructor,
    Intake,
    Programme,
    TrainingInstitution,
)

FULL_TIME_WEIGHT = Decimal(1)
PART_TIME_WEIGHT = Decimal("0.5")
"""How much an instructor counts in "students per instructor": full time 1, part time one half."""


def _accredited_condition(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


def institution_accredited_on(
    *, institution: TrainingInstitution, day: datetime.date
) -> Accreditation | None:
    """The accreditation period of ``institution`` that covers ``day`` (its first and last days included;
    one without an end covers every day from its first), or ``None`` when it was not accredited then.
    Periods of one institution never overlap (``services.accreditation_add``), so there is at most one."""
    return (
        Accreditation.objects.filter(_accredited_condition(day), institution=institution)
        .order_by("valid_from")
        .first()
    )


def institutions_listed(*, queryset: QuerySet[TrainingInstitution], day: datetime.date) -> QuerySet[Any]:
    """``queryset`` with what the institutions' list shows: its location and organisation, how many
    programmes it has, and whether it is accredited on ``day`` (``accredited_today``). One query."""
    accredited = Accreditation.objects.filter(_accredited_condition(day), institution_id=OuterRef("pk"))
    return (
        queryset.select_related("location", "organisation")
        .annotate(programme_count=Count("programmes", distinct=True), accredited_today=Exists(accredited))
        .order_by("name")
    )


def programme_certifies_on(*, programme: Programme, day: datetime.date) -> bool:
    """Whether completing ``programme`` on ``day`` certifies to work with child victims: it certifies
    them and the government recognised it on or before that day."""
    return (
        programme.certifies_child_victims
        and programme.government_recognised_from is not None
        and programme.government_recognised_from <= day
    )


def programmes_filtered(
    *,
    queryset: QuerySet[Programme],
    kind: str = "",
    institution_code: str = "",
    certifying_on: datetime.date | None = None,
    certifying: bool | None = None,
) -> QuerySet[Programme]:
    """Programmes of ``kind`` (any when empty), of the institution ``institution_code`` (any when empty),
    and, when ``certifying`` is given, those that do (``True``) or do not (``False``) certify on
    ``certifying_on`` (``programme_certifies_on``); ordered by code, with their institution."""
    found = queryset.select_related("institution")
    if kind:
        found = found.filter(kind=kind)
    if institution_code:
        found = found.filter(institution__code=institution_code)
    if certifying is not None:
        condition = Q(certifies_child_victims=True, government_recognised_from__lte=certifying_on)
        found = found.filter(condition) if certifying else found.exclude(condition)
    return found.order_by("code")


def completions_filtered(
    *,
    queryset: QuerySet[Completion],
    programme_code: str = "",
    institution_code: str = "",
    year: int | None = None,
    worker_pk: int | None = None,
) -> QuerySet[Completion]:
    """Completions of the programme ``programme_code``, of the institution ``institution_code``, completed
    in ``year``, of the worker ``worker_pk`` (each: any when empty), newest first, with the worker and the
    programme (and its institution) joined."""
    found = queryset.select_related("worker", "programme", "programme__institution")
    if programme_code:
        found = found.filter(programme__code=programme_code)
    if institution_code:
        found = found.filter(programme__institution__code=institution_code)
    if year is not None:
        found = found.filter(
            completed_on__gte=datetime.date(year, 1, 1), completed_on__lte=datetime.date(year, 12, 31)
        )
    if worker_pk is not None:
        found = found.filter(worker_id=worker_pk)
    return found.order_by("-completed_on", "programme__code", "worker__worker_id", "pk")


# --- an institution's figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeYear:
    """One programme's intake (``None``: none recorded) and completions in one year."""

    code: str
    name: str
    intake: int | None
    completions: int


@dataclass(frozen=True)
class InstitutionYear:
    """An institution's figures of one year (see :func:`institution_figures`)."""

    year: int
    students_enrolled: int
    instructors: Decimal
    students_per_instructor: Decimal | None
    programmes: tuple[ProgrammeYear, ...]


def years_running(*, intake_year: int, duration_months: int | None) -> range:
    """The years in which the students of an intake are enrolled: from the intake's year, for
    ``ceil(duration_months / 12)`` years, at least the intake's year itself (a programme of 6 months, or
    of unknown duration, runs in its intake's year only; one of 13 to 24 months in two years)."""
    years = math.ceil(duration_months / 12) if duration_months else 1
    return range(intake_year, intake_year + max(years, 1))


def _active_in(year: int, active_from: datetime.date | None, active_until: datetime.date | None) -> bool:
    starts_before_end = active_from is None or active_from <= datetime.date(year, 12, 31)
    ends_after_start = active_until is None or active_until >= datetime.date(year, 1, 1)
    return starts_before_end and ends_after_start


def institution_figures(*, institution: TrainingInstitution) -> list[InstitutionYear]:
    """The institution's figures, one entry a year, newest first: every year in which one of its intakes
    runs (``years_running``) or one of its programmes has a completion.

    * a programme's **intake** of the year: the students it enrolled that year (``None``: not recorded);
      its **completions**: those completed in that calendar year;
    * **students enrolled** in year Y: the sum of the intakes of the institution's programmes running in
      Y (an intake of year I of a programme of D months runs in I <= Y < I + ceil(D / 12), at least in I);
    * **instructors** of Y: those whose teaching period (``active_from``..``active_until``, either open)
      shares a day with Y, a full-time instructor counting 1 and a part-time one 0.5;
    * **students per instructor** = students enrolled / instructors, to two decimals (half up); ``None``
      when no instructor taught that year.

    E.g. a 24-month programme with 30 students taken in 2023 and 40 in 2024, and one full-time and one
    part-time instructor in 2024: 70 students enrolled in 2024, 1.5 instructors, 46.67 students per
    instructor. Four queries, whatever the number of programmes and years.
    """
    programmes = {p.pk: p for p in Programme.objects.filter(institution=institution).order_by("code")}
    intakes = list(
        Intake.objects.filter(programme__institution=institution).values_list(
            "programme_id", "year", "enrolled"
        )
    )
    completions = {
        (row["programme_id"], row["year"]): row["count"]
        for row in Completion.objects.filter(programme__institution=institution)
        .annotate(year=ExtractYear("completed_on"))
        .values("programme_id", "year")
        .annotate(count=Count("pk"))
        .order_by()
    }
    instructors = list(
        Instructor.objects.filter(institution=institution).values_list(
            "full_time", "active_from", "active_until"
        )
    )
    enrolled: dict[int, int] = defaultdict(int)
    intake_of: dict[tuple[int, int], int] = {}
    for programme_id, year, count in intakes:
        intake_of[(programme_id, year)] = count
        for running in years_running(
            intake_year=year, duration_months=programmes[programme_id].duration_months
        ):
            enrolled[running] += count
    years = set(enrolled) | {year for _programme, year in completions}
    figures = []
    for year in sorted(years, reverse=True):
        teaching = sum(
            (FULL_TIME_WEIGHT if full_time else PART_TIME_WEIGHT)
            for full_time, active_from, active_until in instructors
            if _active_in(year, active_from, active_until)
        )
        weight = Decimal(teaching)
        ratio = (
            (Decimal(enrolled[year]) / weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if weight
            else None
        )
        rows = tuple(
            ProgrammeYear(
                code=programme.code,
                name=programme.name,
                intake=intake_of.get((pk, year)),
                completions=completions.get((pk, year), 0),
            )
            for pk, programme in programmes.items()
            if (pk, year) in intake_of or (pk, year) in completions
        )
        figures.append(
            InstitutionYear(
                year=year,
                students_enrolled=enrolled[year],
                instructors=weight,
                students_per_instructor=ratio,
                programmes=rows,
            )
        )
    return figures
