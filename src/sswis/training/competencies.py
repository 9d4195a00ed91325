"""Writing competency frameworks, the competencies programmes build and the assessments of workers.

Every write is a keyword-only service, atomic and audited with its author; a refused write raises
``ValidationError`` naming the field, or ``PermissionDenied``, and writes nothing.

* Frameworks (one per cadre), their areas, the competencies and what a cadre requires are a reference
  list: a system administrator or a national data manager changes them
  (``access.training_policy.require_framework_change``).
* A competency is required at most once in a framework (in one of its areas, at one level): the gaps
  then have one line per competency and cadre.
* A competency's ``levels`` may not drop below a level in use: required by a framework, built by a
  programme or recorded in an assessment.
* What a programme builds is changed by whoever changes the programme's institution
  (``require_institution_change``); an assessment of a worker by whoever manages that worker
  (``require_assessment_record``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sswis.access.training_policy import (
    require_assessment_record,
    require_framework_change,
    require_institution_change,
)
from sswis.auditing import instance_apply_changes
from sswis.registry.models import Cadre, Worker
from sswis.surveys.perceptions import TRAINING_TOPICS
from sswis.training.models import Programme
from sswis.training.models_competencies import (
    Competency,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyFramework,
    ProgrammeCompetency,
    RequiredCompetency,
)

SURVEY_TOPICS = tuple(name for name, _label in TRAINING_TOPICS)
"""The perception survey's training topics a competency may name (``survey_topic``; ``""``: none)."""


def _deleted(instance: Any, *, actor: Any) -> None:
    """Delete ``instance``, its history recording ``actor`` as the author."""
    instance._history_user = actor
    instance.delete()


# --- frameworks and areas -----------------------------------------------------------------------------


@transaction.atomic
def framework_set(*, actor: Any, cadre: Cadre, name: str) -> CompetencyFramework:
    """The cadre's framework, created with ``name`` or renamed to it (one framework per cadre)."""
    require_framework_change(user=actor)
    framework = CompetencyFramework.objects.select_for_update().filter(cadre=cadre).first()
    if framework is None:
        framework = CompetencyFramework(cadre=cadre)
    instance_apply_changes(framework, actor=actor, changes={"name": name.strip()}, allowed_fields=("name",))
    return framework


@transaction.atomic
def competency_area_add(
    *, actor: Any, framework: CompetencyFramework, code: str, name: str
) -> CompetencyArea:
    """A new area at the end of the framework's areas; its code is unique within the framework."""
    require_framework_change(user=actor)
    code = code.strip()
    if CompetencyArea.objects.filter(framework=framework, code=code).exists():
        raise ValidationError(
            {"code": _("This framework already has an area with the code %(code)s.") % {"code": code}}
        )
    last = CompetencyArea.objects.filter(framework=framework).aggregate(last=Max("position"))["last"]
    area = CompetencyArea(framework=framework, position=0 if last is None else last + 1)
    instance_apply_changes(
        area, actor=actor, changes={"code": code, "name": name.strip()}, allowed_fields=("code", "name")
    )
    return area


@transaction.atomic
def competency_area_change(*, actor: Any, area: CompetencyArea, code: str, name: str) -> CompetencyArea:
    """Rename an area (its code and name); the code stays unique within the framework."""
    require_framework_change(user=actor)
    code = code.strip()
    if CompetencyArea.objects.filter(framework_id=area.framework_id, code=code).exclude(pk=area.pk).exists():
        raise ValidationError(
            {"code": _("This framework already has an area with the code %(code)s.") % {"code": code}}
        )
    instance_apply_changes(
        area, actor=actor, changes={"code": code, "name": name.strip()}, allowed_fields=("code", "name")
    )
    return area


@transaction.atomic
def competency_areas_reorder(
    *, actor: Any, framework: CompetencyFramework, codes: Sequence[str]
) -> list[CompetencyArea]:
    """Put the framework's areas in the order of ``codes`` (every area's code, each once)."""
    require_framework_change(user=actor)
    areas = {
        area.code: area for area in CompetencyArea.objects.select_for_update().filter(framework=framework)
    }
    if sorted(codes) != sorted(areas):
        raise ValidationError(
            {
                "codes": _("Give every area of the framework once, in the new order: %(codes)s.")
                % {"codes": ", ".join(sorted(areas))}
            }
        )
    ordered = [areas[code] for code in codes]
    for position, area in enumerate(ordered):
        instance_apply_changes(
            area, actor=actor, changes={"position": position}, allowed_fields=("position",)
        )
    return ordered


@transaction.atomic
def competency_area_move(*, actor: Any, area: CompetencyArea, step: int) -> list[CompetencyArea]:
    """Move an area ``step`` places up (negative) or down (positive) among its framework's areas."""
    codes = list(
        CompetencyArea.objects.filter(framework_id=area.framework_id)
        .order_by("position", "code")
        .values_list("code", flat=True)
    )
    index = codes.index(area.code)
    target = min(max(index + step, 0), len(codes) - 1)
    codes.insert(target, codes.pop(index))
    return competency_areas_reorder(actor=actor, framework=area.framework, codes=codes)


@transaction.atomic
def competency_area_remove(*, actor: Any, area: CompetencyArea) -> None:
    """Remove an area and the requirements in it (each removal in the history)."""
    require_framework_change(user=actor)
    for requirement in RequiredCompetency.objects.filter(area=area):
        _deleted(requirement, actor=actor)
    _deleted(area, actor=actor)


# --- competencies ---------------------------------------------------------------------------------------


def competency_level_in_use(*, competency: Competency) -> int:
    """The highest level of ``competency`` in use: required by a framework, built by a programme or
    recorded in an assessment (0: none)."""
    levels = [
        model.objects.filter(competency=competency).aggregate(top=Max("level"))["top"] or 0
        for model in (RequiredCompetency, ProgrammeCompetency, CompetencyAssessment)
    ]
    return max(levels)


@transaction.atomic
def competency_save(
    *,
    actor: Any,
    code: str,
    name: str,
    levels: int,
    description: str = "",
    survey_topic: str = "",
) -> Competency:
    """Create the competency ``code``, or change its name, description, levels and survey topic.

    ``levels`` is 1 to 5 and may not drop below a level in use (``competency_level_in_use``);
    ``survey_topic`` is one of the perception survey's training topics or ``""``."""
    require_framework_change(user=actor)
    code = code.strip()
    if survey_topic and survey_topic not in SURVEY_TOPICS:
        raise ValidationError(
            {
                "survey_topic": _("%(topic)s is not a training topic of the perception survey (%(topics)s).")
                % {"topic": survey_topic, "topics": ", ".join(SURVEY_TOPICS)}
            }
        )
    competency = Competency.objects.select_for_update().filter(code=code).first()
    if competency is None:
        competency = Competency(code=code)
    else:
        in_use = competency_level_in_use(competency=competency)
        if isinstance(levels, int) and levels < in_use:
            raise ValidationError(
                {
                    "levels": _(
                        "Competency %(code)s is in use at level %(level)d (required by a framework, built by "
                        "a programme or assessed): it needs at least %(level)d levels."
                    )
                    % {"code": code, "level": in_use}
                }
            )
    instance_apply_changes(
        competency,
        actor=actor,
        changes={
            "code": code,
            "name": name.strip(),
            "description": description.strip(),
            "levels": levels,
            "survey_topic": survey_topic,
        },
        allowed_fields=("code", "name", "description", "levels", "survey_topic"),
    )
    return competency


def _level_checked(*, competency: Competency, level: int, field: str = "level") -> None:
    if not isinstance(level, int) or level < 1 or level > competency.levels:
        raise ValidationError(
            {
                field: _("Competency %(code)s has levels 1 to %(levels)d, not %(level)s.")
                % {"code": competency.code, "levels": competency.levels, "level": level}
            }
        )


# --- requirements ---------------------------------------------------------------------------------------


@transaction.atomic
def requirement_set(
    *, actor: Any, area: CompetencyArea, competency: Competency, level: int, move: bool = False
) -> RequiredCompetency:
    """Require ``competency`` at ``level`` in ``area`` (or change the level it is required at).

    A competency is required once per framework: required in another area of the same framework, it is
    refused, or with ``move`` moved to ``area`` (at the end of its requirements)."""
    require_framework_change(user=actor)
    _level_checked(competency=competency, level=level)
    elsewhere = (
        RequiredCompetency.objects.filter(area__framework_id=area.framework_id, competency=competency)
        .exclude(area=area)
        .select_related("area")
        .first()
    )
    if elsewhere is not None and move:
        last = RequiredCompetency.objects.filter(area=area).aggregate(last=Max("position"))["last"]
        instance_apply_changes(
            elsewhere,
            actor=actor,
            changes={"area": area, "level": level, "position": 0 if last is None else last + 1},
            allowed_fields=("area", "level", "position"),
        )
        return elsewhere
    if elsewhere is not None:
        raise ValidationError(
            {
                "competency": _(
                    "Competency %(code)s is already required in area %(area)s of this framework; a framework "
                    "requires a competency once."
                )
                % {"code": competency.code, "area": elsewhere.area.code}
            }
        )
    requirement = (
        RequiredCompetency.objects.select_for_update().filter(area=area, competency=competency).first()
    )
    if requirement is None:
        last = RequiredCompetency.objects.filter(area=area).aggregate(last=Max("position"))["last"]
        requirement = RequiredCompetency(
            area=area, competency=competency, position=0 if last is None else last + 1
        )
    instance_apply_changes(requirement, actor=actor, changes={"level": level}, allowed_fields=("level",))
    return requirement


@transaction.atomic
def requirement_remove(*, actor: Any, requirement: RequiredCompetency) -> None:
    """No longer require the competency in that area."""
    require_framework_change(user=actor)
    _deleted(requirement, actor=actor)


# --- programmes -----------------------------------------------------------------------------------------


@transaction.atomic
def programme_competency_set(
    *, actor: Any, programme: Programme, competency: Competency, level: int
) -> ProgrammeCompetency:
    """Record that ``programme`` builds ``competency`` up to ``level`` (or change that level)."""
    require_institution_change(user=actor, institution_id=programme.institution_id)
    _level_checked(competency=competency, level=level)
    built = (
        ProgrammeCompetency.objects.select_for_update()
        .filter(programme=programme, competency=competency)
        .first()
    )
    if built is None:
        built = ProgrammeCompetency(programme=programme, competency=competency)
    instance_apply_changes(built, actor=actor, changes={"level": level}, allowed_fields=("level",))
    return built


@transaction.atomic
def programme_competency_remove(*, actor: Any, programme: Programme, competency: Competency) -> None:
    """``programme`` no longer builds ``competency`` (nothing to do when it did not)."""
    require_institution_change(user=actor, institution_id=programme.institution_id)
    for built in ProgrammeCompetency.objects.filter(programme=programme, competency=competency):
        _deleted(built, actor=actor)


# --- assessments ----------------------------------------------------------------------------------------


@transaction.atomic
def competency_assessment_record(
    *,
    actor: Any,
    worker: Worker,
    competency: Competency,
    level: int,
    assessed_on: datetime.date,
    assessor: str = "",
) -> CompetencyAssessment:
    """Record that ``worker`` showed ``competency`` at ``level`` on ``assessed_on`` (not in the future).

    The same worker, competency and day recorded again changes that record's level and assessor."""
    require_assessment_record(user=actor, worker=worker)
    _level_checked(competency=competency, level=level)
    if assessed_on > datetime.date.today():
        raise ValidationError({"assessed_on": _("An assessment cannot be dated in the future.")})
    assessment = (
        CompetencyAssessment.objects.select_for_update()
        .filter(worker=worker, competency=competency, assessed_on=assessed_on)
        .first()
    )
    if assessment is None:
        assessment = CompetencyAssessment(worker=worker, competency=competency, assessed_on=assessed_on)
    instance_apply_changes(
        assessment,
        actor=actor,
        changes={"level": level, "assessor": assessor.strip()},
        allowed_fields=("level", "assessor"),
    )
    return assessment
