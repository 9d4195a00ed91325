"""The field practicum's reads: whether a worker may supervise a placement, a student's practicum year and
the hours that cover it, and the places available per district against the students needing one.

Definitions (``docs/training.md``, "Field practicum"):

* **eligible supervisor** on a placement's first day ``D``: a registry worker, not the student themself
  (the student's own worker record), holding a registration whose status on ``D`` is ``registered``
  (dates decide: ``regulation.selectors.registration_status_on``), with at least the programme's
  ``supervisor_experience_years`` full years from the start of their first assignment to ``D`` (no rule
  when the programme asks 0 years).
* **practicum year** of a student: the last calendar year of their studies, ``intake_year +
  ceil(duration_months / 12) - 1`` (they graduate the next year, as the training pipeline counts
  graduates); the intake year when the programme has no duration.
* **hours covering** a year: the sum, over the student's placements starting in that year, of the hours
  done for a placement that ended early, else the larger of the hours planned and done.
* a student **needs a placement in year Y** when their programme asks practicum hours (more than 0), Y
  is their practicum year and the hours covering Y are fewer than the programme asks.
* **districts**: the locations at the reporting depth (``geo.selectors.reporting_depth``). Places
  offered and placements made count in the district of the organisation's location (an organisation
  located in it or below it); students in the district of their institution's location. Whatever is
  above the districts or nowhere (an organisation at a region, an institution without a location) is
  counted on a row of its own, "not in a district".
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sswis.access import training_policy
from sswis.geo.selectors import district_path, districts
from sswis.registry.models import Assignment, Worker
from sswis.regulation.models import Registration, RegistrationStatus
from sswis.regulation.selectors import registration_status_on_expressions
from sswis.training.models import Programme
from sswis.training.models_practicum import Placement, PracticumOffer, Student


@dataclass(frozen=True)
class SupervisorRule:
    """One rule a practicum supervisor must meet on the placement's first day, and whether they do."""

    rule: str
    met: bool
    found: str


def full_years_between(first: datetime.date, day: datetime.date) -> int:
    """Whole years from ``first`` to ``day`` (an anniversary on 29 February falls on 1 March)."""
    return day.year - first.year - ((day.month, day.day) < (first.month, first.day))


def worker_registered_on(*, worker: Worker, day: datetime.date) -> bool:
    """Whether a registration of ``worker`` has the status ``registered`` on ``day`` (one query)."""
    status, _since = registration_status_on_expressions(day=day)
    return (
        Registration.objects.filter(worker=worker)
        .annotate(status_on=status)
        .filter(status_on=RegistrationStatus.REGISTERED)
        .exists()
    )


def worker_experience_start(*, worker: Worker) -> datetime.date | None:
    """The first day of ``worker``'s first assignment (any organisation, cadre or kind), ``None`` without one."""
    first: datetime.date | None = Assignment.objects.filter(worker=worker).aggregate(first=Min("start_date"))[
        "first"
    ]
    return first


def supervisor_rules(
    *, student: Student, supervisor: Worker, day: datetime.date, programme: Programme | None = None
) -> list[SupervisorRule]:
    """Each rule for ``supervisor`` of a placement of ``student`` beginning on ``day`` (module docstring):
    not the student themself, registered that day, and the experience the programme asks."""
    programme = programme or student.programme
    rules = [
        SupervisorRule(
            rule=_("is not the student themself"),
            met=student.worker_id is None or student.worker_id != supervisor.pk,
            found=_("the student's own worker record")
            if student.worker_id is not None and student.worker_id == supervisor.pk
            else _("another person"),
        )
    ]
    registered = worker_registered_on(worker=supervisor, day=day)
    rules.append(
        SupervisorRule(
            rule=_("holds a registration that is registered on %(day)s") % {"day": day.isoformat()},
            met=registered,
            found=_("registered") if registered else _("no registration of theirs is registered that day"),
        )
    )
    required = programme.supervisor_experience_years
    if required:
        first = worker_experience_start(worker=supervisor)
        years = full_years_between(first, day) if first is not None and first <= day else None
        rules.append(
            SupervisorRule(
                rule=ngettext(
                    "has at least %(years)s year of experience by %(day)s, from the start of their first "
                    "assignment",
                    "has at least %(years)s years of experience by %(day)s, from the start of their first "
                    "assignment",
                    required,
                )
                % {"years": required, "day": day.isoformat()},
                met=years is not None and years >= required,
                found=_("no assignment beginning by then")
                if years is None
                else ngettext("%(years)s full year", "%(years)s full years", years) % {"years": years},
            )
        )
    return rules


def practicum_year(*, intake_year: int, duration_months: int | None) -> int:
    """The practicum year of a student of ``intake_year`` (module docstring)."""
    if not duration_months:
        return intake_year
    return intake_year + max(math.ceil(duration_months / 12), 1) - 1


def _placement_hours() -> Case:
    """A placement's hours towards the requirement: those done when it ended early, else the larger of
    the hours planned and done."""
    return Case(
        When(ended_early_on__isnull=False, then=F("hours_done")),
        default=Greatest(F("hours_planned"), F("hours_done")),
        output_field=IntegerField(),
    )


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@dataclass(frozen=True)
class StudentPracticum:
    """Where a student stands with their practicum: their practicum year, the hours their programme asks,
    the hours covering that year, and whether they still need a placement in it."""

    year: int
    hours_required: int
    hours_covered: int

    @property
    def needs_placement(self) -> bool:
        return self.hours_required > 0 and self.hours_covered < self.hours_required


def student_practicum(*, student: Student) -> StudentPracticum:
    """``student``'s practicum (module docstring); one query."""
    programme = student.programme
    year = practicum_year(intake_year=student.intake_year, duration_months=programme.duration_months)
    first, last = _year_bounds(year)
    covered = Placement.objects.filter(student=student, starts_on__range=(first, last)).aggregate(
        hours=Coalesce(Sum(_placement_hours()), 0)
    )["hours"]
    return StudentPracticum(year=year, hours_required=programme.practicum_hours, hours_covered=int(covered))


def students_needing_placement(*, year: int) -> QuerySet[Student]:
    """The students who need a placement in ``year`` (module docstring), as one query."""
    offsets: dict[int, list[int]] = defaultdict(list)
    for pk, duration in Programme.objects.filter(practicum_hours__gt=0).values_list("pk", "duration_months"):
        offsets[practicum_year(intake_year=0, duration_months=duration)].append(pk)
    if not offsets:
        return Student.objects.none()
    in_practicum_year = Q()
    for offset, programme_ids in offsets.items():
        in_practicum_year |= Q(programme_id__in=programme_ids, intake_year=year - offset)
    first, last = _year_bounds(year)
    covered = (
        Placement.objects.filter(student=OuterRef("pk"), starts_on__range=(first, last))
        .order_by()
        .values("student")
        .annotate(hours=Sum(_placement_hours()))
        .values("hours")
    )
    return (
        Student.objects.filter(in_practicum_year)
        .annotate(hours_covered=Coalesce(Subquery(covered, output_field=IntegerField()), 0))
        .filter(hours_covered__lt=F("programme__practicum_hours"))
    )


@dataclass(frozen=True)
class DistrictAvailability:
    """One district's practicum figures for a year (``code`` ``None``: not in a district)."""

    code: str | None
    name: str
    places_offered: int
    placements: int
    students_needing: int

    @property
    def places_free(self) -> int:
        """Places offered less placements made (negative: more placements than places offered)."""
        return self.places_offered - self.placements

    @property
    def balance(self) -> int:
        """Free places less the students needing one (negative: too few places)."""
        return self.places_free - self.students_needing

    def as_json(self) -> dict[str, Any]:
        return {
            "district": self.code,
            "name": self.name,
            "places_offered": self.places_offered,
            "placements": self.placements,
            "places_free": self.places_free,
            "students_needing": self.students_needing,
            "balance": self.balance,
        }


def practicum_availability(*, year: int) -> list[DistrictAvailability]:
    """Per district (by code), then "not in a district", the places offered for ``year``, the placements
    starting in it, and the students needing a placement in it (module docstring). Four queries; counts
    only, no person is read."""
    places: dict[str | None, int] = defaultdict(int)
    placed: dict[str | None, int] = defaultdict(int)
    needing: dict[str | None, int] = defaultdict(int)
    for path, total in (
        PracticumOffer.objects.filter(year=year)
        .order_by()
        .values_list("organisation__location__path")
        .annotate(total=Sum("places"))
    ):
        places[district_path(path or "")] += int(total or 0)
    first, last = _year_bounds(year)
    for path, count in (
        Placement.objects.filter(starts_on__range=(first, last))
        .order_by()
        .values_list("organisation__location__path")
        .annotate(count=Count("pk"))
    ):
        placed[district_path(path or "")] += count
    for path, count in (
        students_needing_placement(year=year)
        .order_by()
        .values_list("programme__institution__location__path")
        .annotate(count=Count("pk"))
    ):
        needing[district_path(path or "")] += count
    rows = [
        DistrictAvailability(
            code=district.code,
            name=district.name,
            places_offered=places.get(district.path, 0),
            placements=placed.get(district.path, 0),
            students_needing=needing.get(district.path, 0),
        )
        for district in districts()
    ]
    rows.append(
        DistrictAvailability(
            code=None,
            name=_("Not in a district"),
            places_offered=places.get(None, 0),
            placements=placed.get(None, 0),
            students_needing=needing.get(None, 0),
        )
    )
    return rows


def availability_total(rows: list[DistrictAvailability]) -> DistrictAvailability:
    """The country's figures: the rows added up."""
    return DistrictAvailability(
        code="",
        name=_("All districts"),
        places_offered=sum(row.places_offered for row in rows),
        placements=sum(row.placements for row in rows),
        students_needing=sum(row.students_needing for row in rows),
    )


# --- lists, through the access policy ----------------------------------------------------------------


def students_listed(*, user: Any, query: str = "", programme_code: str = "") -> QuerySet[Student]:
    """The students ``user`` may see, by name, optionally narrowed to a name or student number
    (``query``) and a programme; with their programme and institution (no query per row)."""
    students = training_policy.students_visible(
        user=user, queryset=Student.objects.select_related("programme__institution", "worker")
    )
    query = query.strip()
    if query:
        students = students.filter(
            Q(given_name__icontains=query) | Q(family_name__icontains=query) | Q(student_number__iexact=query)
        )
    if programme_code:
        students = students.filter(programme__code=programme_code)
    return students.order_by("family_name", "given_name", "student_number", "pk")


def students_changeable(*, user: Any) -> QuerySet[Student]:
    """The students ``user`` may change (and place): those of the institutions they may change."""
    return training_policy.institutions_changeable(
        user=user,
        queryset=Student.objects.select_related("programme__institution"),
        prefix="programme__institution__",
    ).order_by("family_name", "given_name", "student_number", "pk")


def programmes_changeable(*, user: Any) -> QuerySet[Programme]:
    """The programmes whose students ``user`` may record: those of the institutions they may change (a
    national data manager also those of no institution)."""
    programmes = Programme.objects.select_related("institution").order_by("code")
    return training_policy.institutions_changeable(user=user, queryset=programmes, prefix="institution__")


def placements_listed(
    *, user: Any, year: int | None = None, student: Student | None = None
) -> QuerySet[Placement]:
    """The placements ``user`` may see, latest first, optionally those starting in ``year`` or of one
    student; with their student, programme, organisation and supervisor (no query per row)."""
    placements = training_policy.placements_visible(
        user=user,
        queryset=Placement.objects.select_related(
            "student__programme__institution", "organisation", "supervisor"
        ),
    )
    if year is not None:
        placements = placements.filter(starts_on__range=_year_bounds(year))
    if student is not None:
        placements = placements.filter(student=student)
    return placements.order_by("-starts_on", "-pk")


def offers_listed(*, year: int | None = None) -> QuerySet[PracticumOffer]:
    """Practicum offers (an organisation's places a year: no person), by year then organisation code."""
    offers = PracticumOffer.objects.select_related("organisation", "organisation__location")
    if year is not None:
        offers = offers.filter(year=year)
    return offers.order_by("-year", "organisation__code")
