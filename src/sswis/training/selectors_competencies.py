"""Reading competency frameworks, and the competencies a worker has on a day.

A worker has a competency at a level on a day when, on or before that day,

* they completed a programme that builds it at that level (``ProgrammeCompetency``), or
* an assessment recorded it at that level (``CompetencyAssessment``);

their level is the highest of all those (:func:`worker_competencies` for one worker;
``training.gaps`` for every counted worker at once, in the database). A level at or above the one a framework
requires meets the requirement.

Frameworks, areas, competencies and what programmes build are the catalogue: every role but a worker's
own login reads them (``access.training_policy.require_catalogue_read``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sswis.access.training_policy import require_catalogue_read, require_worker_competencies_read
from sswis.registry.models import Assignment, Worker
from sswis.training.models import Completion
from sswis.training.models_competencies import (
    Competency,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyFramework,
    ProgrammeCompetency,
    RequiredCompetency,
)

# --- the catalogue --------------------------------------------------------------------------------------


def framework_list(*, user: Any) -> QuerySet[CompetencyFramework]:
    """Every framework (by cadre code) with its cadre and the number of areas and requirements.
    ``PermissionDenied`` for outsiders and workers' own logins. One query."""
    require_catalogue_read(user=user)
    return (
        CompetencyFramework.objects.select_related("cadre")
        .annotate(
            area_count=Count("areas", distinct=True),
            requirement_count=Count("areas__requirements", distinct=True),
        )
        .order_by("cadre__code")
    )


def framework_of_cadre(*, user: Any, cadre_code: str) -> CompetencyFramework:
    """The framework of the cadre ``cadre_code`` with its areas (in order) and each area's requirements
    (in order, with their competency) prefetched: three queries. ``Http404`` when the cadre has none."""
    require_catalogue_read(user=user)
    requirements = RequiredCompetency.objects.select_related("competency").order_by(
        "position", "competency__code"
    )
    areas = CompetencyArea.objects.order_by("position", "code").prefetch_related(
        Prefetch("requirements", queryset=requirements)
    )
    framework = (
        CompetencyFramework.objects.select_related("cadre")
        .prefetch_related(Prefetch("areas", queryset=areas))
        .filter(cadre__code=cadre_code)
        .first()
    )
    if framework is None:
        raise Http404(_("The cadre %(code)s has no competency framework.") % {"code": cadre_code})
    return framework


def competency_list(*, user: Any) -> QuerySet[Competency]:
    """Every competency, by code (the catalogue)."""
    require_catalogue_read(user=user)
    return Competency.objects.order_by("code")


def programme_competency_list(*, user: Any) -> QuerySet[ProgrammeCompetency]:
    """What every programme builds, by programme then competency code (the catalogue)."""
    require_catalogue_read(user=user)
    return ProgrammeCompetency.objects.select_related("programme", "competency").order_by(
        "programme__code", "competency__code"
    )


# --- one worker -------------------------------------------------------------------------------------------


@dataclass
class HeldCompetency:
    """A competency a worker has on a day: the highest level, and where each level comes from."""

    code: str
    name: str
    level: int
    levels: int
    sources: list[tuple[datetime.date, str, int]] = field(default_factory=list)  # (day, what, level)


@dataclass
class RequirementStatus:
    """A competency a cadre of the worker requires, and whether the worker meets it on the day."""

    cadre: str
    area: str
    code: str
    name: str
    required: int
    held: int

    @property
    def met(self) -> bool:
        return self.held >= self.required


@dataclass
class WorkerCompetencies:
    day: datetime.date
    held: list[HeldCompetency]
    required: list[RequirementStatus]


def worker_competencies(*, user: Any, worker: Worker, day: datetime.date) -> WorkerCompetencies:
    """The competencies ``worker`` has on ``day`` (each at its highest level, with every completion and
    assessment on or before the day that gives one), and what the frameworks of the cadres of their
    assignments active that day require, met or not. Four queries.

    ``PermissionDenied`` unless ``user`` may see the worker (``require_worker_competencies_read``)."""
    require_worker_competencies_read(user=user, worker=worker)
    found: dict[int, HeldCompetency] = {}
    names: dict[int, tuple[str, str, int]] = {}
    sources: dict[int, list[tuple[datetime.date, str, int]]] = defaultdict(list)
    completed = Completion.objects.filter(worker=worker, completed_on__lte=day).values_list(
        "completed_on",
        "programme__code",
        "programme__name",
        "programme__competencies_built__competency_id",
        "programme__competencies_built__level",
        "programme__competencies_built__competency__code",
        "programme__competencies_built__competency__name",
        "programme__competencies_built__competency__levels",
    )
    for on, programme_code, programme_name, competency_id, level, code, name, levels in completed:
        if competency_id is None:
            continue  # a programme that builds no competency
        names[competency_id] = (code, name, levels)
        sources[competency_id].append(
            (
                on,
                _("completed %(programme)s (%(code)s)")
                % {"programme": programme_name, "code": programme_code},
                level,
            )
        )
    assessed = CompetencyAssessment.objects.filter(worker=worker, assessed_on__lte=day).values_list(
        "assessed_on",
        "assessor",
        "competency_id",
        "level",
        "competency__code",
        "competency__name",
        "competency__levels",
    )
    for on, assessor, competency_id, level, code, name, levels in assessed:
        names[competency_id] = (code, name, levels)
        what = _("assessed by %(assessor)s") % {"assessor": assessor} if assessor else _("assessed")
        sources[competency_id].append((on, what, level))
    for competency_id, given in sources.items():
        code, name, levels = names[competency_id]
        found[competency_id] = HeldCompetency(
            code=code,
            name=name,
            level=max(level for _d, _w, level in given),
            levels=levels,
            sources=sorted(given),
        )
    cadres = (
        Assignment.objects.filter(worker=worker, start_date__lte=day)
        .exclude(end_date__lt=day)
        .values("cadre_id")
    )
    required = [
        RequirementStatus(
            cadre=cadre_code,
            area=area_name,
            code=code,
            name=name,
            required=level,
            held=found[competency_id].level if competency_id in found else 0,
        )
        for cadre_code, area_name, competency_id, code, name, level in RequiredCompetency.objects.filter(
            area__framework__cadre_id__in=cadres
        )
        .order_by("area__framework__cadre__code", "area__position", "position", "competency__code")
        .values_list(
            "area__framework__cadre__code",
            "area__name",
            "competency_id",
            "competency__code",
            "competency__name",
            "level",
        )
    ]
    held = sorted(found.values(), key=lambda item: item.code)
    return WorkerCompetencies(day=day, held=held, required=required)
