"""The writes of the training's catalogue and completions: institutions, their accreditation periods,
programmes, instructors, yearly intakes and completions.

Every function takes a keyword-only ``actor`` (the user who writes, the author of the audit record), runs
in one transaction, checks with ``sswis.access.training_policy.require_institution_change`` that the actor
may change the institution concerned (a programme of no institution, and a new institution: a national
data manager only) and refuses bad input with a ``ValidationError`` naming the field, writing nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.training_policy import require_institution_change
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.registry.models import Cadre, EducationLevel, Worker
from sswis.text import text_problem, text_problem_message
from sswis.training.models import (
    Accreditation,
    Completion,
    CompletionSource,
    Instructor,
    Intake,
    Programme,
    TrainingInstitution,
)

INSTITUTION_FIELDS = ("code", "name", "kind", "location", "organisation")
PROGRAMME_FIELDS = (
    "code",
    "name",
    "institution",
    "kind",
    "duration_months",
    "awards_education",
    "government_recognised_from",
    "certifies_child_victims",
    "practicum_hours",
    "supervisor_experience_years",
)
CERTIFICATION_FIELDS = ("government_recognised_from", "certifies_child_victims")
"""A programme's fields that decide whether its completions certify (the certified indicator): changing
them is allowed, and its audit record says so (``history_change_reason``)."""
CERTIFICATION_CHANGED = "certification changed"
CADRES_CHANGED = "cadres changed"
INSTRUCTOR_FIELDS = ("name", "qualification", "field", "full_time", "active_from", "active_until")
WITHDRAWAL_REASON_LENGTH = 100  # the audit record's ``history_change_reason`` holds 100 characters
YOUNGEST_GRADUATE_AGE = 10
"""A completion before the worker's tenth birthday is a typing error, not a training."""


def _stripped(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}


# --- institutions and their accreditation -------------------------------------------------------------


@transaction.atomic
def institution_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    location: Any = None,
    organisation: Any = None,
) -> TrainingInstitution:
    """Add a training institution (a national data manager only). Refused when its code or name is
    another institution's."""
    require_institution_change(user=actor, institution_id=None)
    institution = TrainingInstitution()
    changes = _stripped(
        {"code": code, "name": name, "kind": kind, "location": location, "organisation": organisation}
    )
    instance_apply_changes(institution, actor=actor, changes=changes, allowed_fields=INSTITUTION_FIELDS)
    return institution


@transaction.atomic
def institution_change(
    *, actor: Any, institution: TrainingInstitution, changes: Mapping[str, Any]
) -> list[str]:
    """Change an institution's ``code``, ``name``, ``kind``, ``location`` or ``organisation`` (a national
    data manager, or the institution's focal point); returns the names of the fields that changed."""
    require_institution_change(user=actor, institution_id=institution.pk)
    return instance_apply_changes(
        institution, actor=actor, changes=_stripped(changes), allowed_fields=INSTITUTION_FIELDS
    )


def _accreditation_overlap(
    *,
    institution: TrainingInstitution,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    exclude_pk: int | None = None,
) -> Accreditation | None:
    """Another period of ``institution`` that shares a day with ``valid_from``..``valid_until``."""
    others = Accreditation.objects.filter(institution=institution)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    others = others.exclude(valid_until__lt=valid_from)
    if valid_until is not None:
        others = others.exclude(valid_from__gt=valid_until)
    return others.order_by("valid_from").first()


def _overlap_message(other: Accreditation) -> str:
    if other.valid_until is None:
        return _("It overlaps the accreditation from %(start)s, which has no end.") % {
            "start": other.valid_from.isoformat()
        }
    return _("It overlaps the accreditation from %(start)s to %(end)s.") % {
        "start": other.valid_from.isoformat(),
        "end": other.valid_until.isoformat(),
    }


@transaction.atomic
def accreditation_add(
    *,
    actor: Any,
    institution: TrainingInstitution,
    accredited_by: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> Accreditation:
    """Record that ``institution`` is accredited from ``valid_from`` to ``valid_until`` (``None``: with no
    end yet). Refused when the period ends before it begins or shares a day with another of its periods
    (an institution is accredited once on any day)."""
    require_institution_change(user=actor, institution_id=institution.pk)
    TrainingInstitution.objects.select_for_update().filter(pk=institution.pk).first()  # one at a time
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The accreditation cannot end before it begins.")})
    other = _accreditation_overlap(institution=institution, valid_from=valid_from, valid_until=valid_until)
    if other is not None:
        raise ValidationError({"valid_from": _overlap_message(other)})
    accreditation = Accreditation()
    changes = {
        "institution": institution,
        "accredited_by": accredited_by.strip(),
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    instance_apply_changes(accreditation, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return accreditation


@transaction.atomic
def accreditation_end(
    *, actor: Any, accreditation: Accreditation, valid_until: datetime.date
) -> Accreditation:
    """Set the last day of an accreditation period (end it, or end it earlier or later). Refused before its
    first day, or when the longer period would share a day with the institution's next one."""
    require_institution_change(user=actor, institution_id=accreditation.institution_id)
    TrainingInstitution.objects.select_for_update().filter(pk=accreditation.institution_id).first()
    if valid_until < accreditation.valid_from:
        raise ValidationError({"valid_until": _("The accreditation cannot end before it begins.")})
    other = _accreditation_overlap(
        institution=accreditation.institution,
        valid_from=accreditation.valid_from,
        valid_until=valid_until,
        exclude_pk=accreditation.pk,
    )
    if other is not None:
        raise ValidationError({"valid_until": _overlap_message(other)})
    instance_apply_changes(
        accreditation, actor=actor, changes={"valid_until": valid_until}, allowed_fields=("valid_until",)
    )
    return accreditation


# --- programmes ---------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    institution: TrainingInstitution | None = None,
    duration_months: int | None = None,
    awards_education: str = "",
    cadres: Iterable[Cadre] = (),
    government_recognised_from: datetime.date | None = None,
    certifies_child_victims: bool = False,
    practicum_hours: int = 0,
    supervisor_experience_years: int = 0,
) -> Programme:
    """Add a programme of ``institution`` (its focal point or a national data manager; a programme of no
    institution, e.g. a national in-service course: a national data manager only). Refused when its code
    is another programme's."""
    require_institution_change(user=actor, institution_id=institution.pk if institution else None)
    programme = Programme()
    changes = _stripped(
        {
            "code": code,
            "name": name,
            "institution": institution,
            "kind": kind,
            "duration_months": duration_months,
            "awards_education": awards_education,
            "government_recognised_from": government_recognised_from,
            "certifies_child_victims": certifies_child_victims,
            "practicum_hours": practicum_hours,
            "supervisor_experience_years": supervisor_experience_years,
        }
    )
    instance_apply_changes(programme, actor=actor, changes=changes, allowed_fields=PROGRAMME_FIELDS)
    programme.cadres.set(list(cadres))
    return programme


@transaction.atomic
def programme_change(
    *,
    actor: Any,
    programme: Programme,
    changes: Mapping[str, Any],
    cadres: Iterable[Cadre] | None = None,
) -> list[str]:
    """Change a programme's fields (``PROGRAMME_FIELDS``) and, when given, the cadres it prepares for;
    returns the names of what changed (``cadres`` included).

    Moving it to another institution needs the right to change both. Changing
    ``government_recognised_from`` or ``certifies_child_victims`` decides which of its completions certify
    (past ones too): it is allowed, and its audit record carries ``"certification changed"``."""
    require_institution_change(user=actor, institution_id=programme.institution_id)
    changes = _stripped(changes)
    if "institution" in changes:
        new = changes["institution"]
        require_institution_change(user=actor, institution_id=new.pk if new is not None else None)
    certification = any(
        name in changes and getattr(programme, name) != changes[name] for name in CERTIFICATION_FIELDS
    )
    try:
        if certification:
            programme._change_reason = CERTIFICATION_CHANGED  # type: ignore[attr-defined]
        changed = instance_apply_changes(
            programme, actor=actor, changes=changes, allowed_fields=PROGRAMME_FIELDS
        )
        if cadres is not None:
            wanted = {cadre.pk for cadre in cadres}
            if wanted != set(programme.cadres.values_list("pk", flat=True)):
                programme.cadres.set(list(wanted))
                changed.append("cadres")
                if len(changed) == 1:  # the many-to-many has no history of its own: record who changed it
                    programme._change_reason = CADRES_CHANGED  # type: ignore[attr-defined]
                    instance_save_audited(programme, actor=actor, update_fields=["updated_at"])
    finally:
        programme.__dict__.pop("_change_reason", None)  # this change's reason, not the next one's
    return changed


# --- instructors --------------------------------------------------------------------------------------


def _programmes_of(institution_id: int, programmes: Iterable[Programme]) -> list[Programme]:
    chosen = list(programmes)
    foreign = [programme.code for programme in chosen if programme.institution_id != institution_id]
    if foreign:
        raise ValidationError(
            {
                "programmes": _("Not a programme of this institution: %(codes)s.")
                % {"codes": ", ".join(sorted(foreign))}
            }
        )
    return chosen


def _period_checked(active_from: datetime.date | None, active_until: datetime.date | None) -> None:
    if active_from is not None and active_until is not None and active_until < active_from:
        raise ValidationError({"active_until": _("The instructor cannot stop teaching before starting.")})


@transaction.atomic
def instructor_add(
    *,
    actor: Any,
    institution: TrainingInstitution,
    name: str,
    qualification: str = EducationLevel.UNKNOWN,
    field: str = "",
    full_time: bool = True,
    programmes: Iterable[Programme] = (),
    active_from: datetime.date | None = None,
    active_until: datetime.date | None = None,
) -> Instructor:
    """Add an instructor of ``institution`` teaching ``programmes`` (the institution's own)."""
    require_institution_change(user=actor, institution_id=institution.pk)
    taught = _programmes_of(institution.pk, programmes)
    _period_checked(active_from, active_until)
    instructor = Instructor(institution=institution)
    changes = _stripped(
        {
            "name": name,
            "qualification": qualification,
            "field": field,
            "full_time": full_time,
            "active_from": active_from,
            "active_until": active_until,
        }
    )
    instance_apply_changes(instructor, actor=actor, changes=changes, allowed_fields=INSTRUCTOR_FIELDS)
    instructor.programmes.set(taught)
    return instructor


@transaction.atomic
def instructor_change(
    *,
    actor: Any,
    instructor: Instructor,
    changes: Mapping[str, Any],
    programmes: Iterable[Programme] | None = None,
) -> list[str]:
    """Change an instructor's fields (``INSTRUCTOR_FIELDS``) and, when given, the programmes they teach;
    returns the names of what changed (``programmes`` included)."""
    require_institution_change(user=actor, institution_id=instructor.institution_id)
    changes = _stripped(changes)
    taught = _programmes_of(instructor.institution_id, programmes) if programmes is not None else None
    _period_checked(
        changes.get("active_from", instructor.active_from),
        changes.get("active_until", instructor.active_until),
    )
    changed = instance_apply_changes(
        instructor, actor=actor, changes=changes, allowed_fields=INSTRUCTOR_FIELDS
    )
    if taught is not None and {p.pk for p in taught} != set(
        instructor.programmes.values_list("pk", flat=True)
    ):
        instructor.programmes.set(taught)
        changed.append("programmes")
        if len(changed) == 1:  # the many-to-many has no history of its own: record who changed it
            instance_save_audited(instructor, actor=actor, update_fields=["updated_at"])
    return changed


@transaction.atomic
def instructor_end(*, actor: Any, instructor: Instructor, active_until: datetime.date) -> Instructor:
    """Record the instructor's last day of teaching. Refused before their first."""
    require_institution_change(user=actor, institution_id=instructor.institution_id)
    _period_checked(instructor.active_from, active_until)
    instance_apply_changes(
        instructor, actor=actor, changes={"active_until": active_until}, allowed_fields=("active_until",)
    )
    return instructor


# --- intakes ------------------------------------------------------------------------------------------


@transaction.atomic
def intake_set(*, actor: Any, programme: Programme, year: int, enrolled: int) -> Intake:
    """Set the students ``programme`` enrolled in ``year``: the year's intake is added, or changed when
    there is one (one intake per programme and year)."""
    require_institution_change(user=actor, institution_id=programme.institution_id)
    intake = Intake.objects.select_for_update().filter(programme=programme, year=year).first()
    if intake is None:
        intake = Intake(programme=programme, year=year)
    instance_apply_changes(
        intake, actor=actor, changes={"year": year, "enrolled": enrolled}, allowed_fields=("year", "enrolled")
    )
    return intake


# --- completions --------------------------------------------------------------------------------------


def _ten_years_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + YOUNGEST_GRADUATE_AGE)
    except ValueError:  # born on 29 February
        return day.replace(year=day.year + YOUNGEST_GRADUATE_AGE, day=28)


@transaction.atomic
def completion_record(
    *,
    actor: Any,
    worker: Worker,
    programme: Programme,
    completed_on: datetime.date,
    certificate_number: str = "",
    source: str = CompletionSource.ENTERED,
) -> Completion:
    """Record that ``worker`` completed ``programme`` on ``completed_on`` (its institution's focal point
    or a national data manager).

    Refused, writing nothing: a day in the future, a day before the worker's tenth birthday (when the
    birth date is known), and a second completion of the same worker, programme and day."""
    require_institution_change(user=actor, institution_id=programme.institution_id)
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A completion cannot be in the future.")})
    if worker.birth_date is not None and completed_on < _ten_years_after(worker.birth_date):
        raise ValidationError(
            {
                "completed_on": _("The worker, born on %(birth)s, was not yet %(age)s years old on that day.")
                % {"birth": worker.birth_date.isoformat(), "age": YOUNGEST_GRADUATE_AGE}
            }
        )
    if Completion.objects.filter(worker=worker, programme=programme, completed_on=completed_on).exists():
        raise ValidationError(
            {
                "completed_on": _("%(worker)s's completion of %(programme)s on %(day)s is already recorded.")
                % {"worker": worker.worker_id, "programme": programme.code, "day": completed_on.isoformat()}
            }
        )
    completion = Completion(worker=worker, programme=programme)
    changes = {
        "completed_on": completed_on,
        "certificate_number": certificate_number.strip(),
        "source": source,
    }
    instance_apply_changes(completion, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return completion


@transaction.atomic
def completion_withdraw(*, actor: Any, completion: Completion, reason: str) -> None:
    """Remove a completion recorded in error (its institution's focal point or a national data manager);
    its audit record keeps it, with who withdrew it and ``reason`` (required, at most 100 characters)."""
    require_institution_change(user=actor, institution_id=completion.programme.institution_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the completion is withdrawn.")})
    if len(reason) > WITHDRAWAL_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("At most %(count)s characters.") % {"count": WITHDRAWAL_REASON_LENGTH}}
        )
    refused = text_problem(reason)
    if refused is not None:
        raise ValidationError({"reason": text_problem_message(label=_("Reason"), problem=refused)})
    completion._history_user = actor  # type: ignore[attr-defined]
    completion._change_reason = reason  # type: ignore[attr-defined]
    completion.delete()
