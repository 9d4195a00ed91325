"""The field practicum's writes: students, the places organisations offer, and placements (made, their
hours recorded, evaluated, ended early). Each is atomic and audited with its author; a refusal raises
``ValidationError`` naming the field and the rule, or ``PermissionDenied``, and writes nothing.

Who: a student's and a placement's changes are their institution's (its focal point) or a national data
manager's (``access.training_policy.require_institution_change``, for the institution of the student's
programme); an organisation's offers are its focal point's, its area's subnational officer's or a national
data manager's (``require_offer_change``). Rules of a placement: ``docs/training.md``, "Field practicum",
and ``practicum_selectors``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.training_policy import require_institution_change, require_offer_change
from sswis.auditing import instance_apply_changes
from sswis.registry.models import Organisation, Sex, Worker
from sswis.text import text_problem
from sswis.training.models import Programme
from sswis.training.models_practicum import Evaluation, Placement, PracticumOffer, Student
from sswis.training.practicum_selectors import supervisor_rules

STUDENT_FIELDS = ("programme", "student_number", "given_name", "family_name", "sex", "intake_year", "worker")
PLACEMENT_FIELDS = ("student", "organisation", "supervisor", "starts_on", "ends_on", "hours_planned")


def _require_student_change(actor: Any, student: Student) -> None:
    require_institution_change(user=actor, institution_id=student.programme.institution_id)


def _student_number_free(*, programme: Programme, number: str, student: Student | None) -> None:
    if text_problem(number) is not None:  # refused by the row's own check, before any query compares it
        return
    taken = Student.objects.filter(programme=programme, student_number=number)
    if student is not None and student.pk is not None:
        taken = taken.exclude(pk=student.pk)
    if taken.exists():
        raise ValidationError(
            {
                "student_number": _("Another student of %(programme)s has the number %(number)s.")
                % {"programme": programme.code, "number": number}
            }
        )


def _stripped(changes: dict[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}


@transaction.atomic
def student_create(
    *,
    actor: Any,
    programme: Programme,
    student_number: str,
    given_name: str,
    family_name: str,
    intake_year: int,
    sex: str = Sex.UNKNOWN,
    worker: Worker | None = None,
) -> Student:
    """Record a student of ``programme`` (``worker``: their registry record, once they are a worker). The
    student number is unique within the programme."""
    require_institution_change(user=actor, institution_id=programme.institution_id)
    changes = _stripped(
        {
            "programme": programme,
            "student_number": student_number,
            "given_name": given_name,
            "family_name": family_name,
            "sex": sex,
            "intake_year": intake_year,
            "worker": worker,
        }
    )
    _student_number_free(programme=programme, number=changes["student_number"], student=None)
    student = Student()
    instance_apply_changes(student, actor=actor, changes=changes, allowed_fields=STUDENT_FIELDS)
    return student


@transaction.atomic
def student_change(*, actor: Any, student: Student, **changes: Any) -> list[str]:
    """Change a student's fields (any of ``STUDENT_FIELDS``; ``worker`` links them to their registry record
    or, ``None``, unlinks them); returns the names of the fields changed. Moving a student to another
    programme needs the right to change both institutions' students."""
    _require_student_change(actor, student)
    changes = _stripped(changes)
    programme = changes.get("programme", student.programme)
    if programme.pk != student.programme_id:
        require_institution_change(user=actor, institution_id=programme.institution_id)
    _student_number_free(
        programme=programme, number=changes.get("student_number", student.student_number), student=student
    )
    return instance_apply_changes(student, actor=actor, changes=changes, allowed_fields=STUDENT_FIELDS)


@transaction.atomic
def practicum_offer_set(*, actor: Any, organisation: Organisation, year: int, places: int) -> PracticumOffer:
    """Set the places ``organisation`` offers for field practicum in ``year`` (0: none); the offer already
    recorded for that year is changed (its history keeps the old figure)."""
    require_offer_change(user=actor, organisation=organisation)
    if places < 0:
        raise ValidationError({"places": _("The places offered cannot be fewer than 0.")})
    offer = PracticumOffer.objects.filter(organisation=organisation, year=year).first() or PracticumOffer()
    changes = {"organisation": organisation, "year": year, "places": places}
    instance_apply_changes(offer, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return offer


def _supervisor_refused(*, student: Student, supervisor: Worker, day: datetime.date) -> None:
    """Refuse (``ValidationError`` on ``supervisor``) a supervisor who breaks a rule on ``day``, naming
    each rule broken and what was found."""
    broken = [
        rule for rule in supervisor_rules(student=student, supervisor=supervisor, day=day) if not rule.met
    ]
    if broken:
        raise ValidationError(
            {
                "supervisor": [
                    _("The supervisor must be someone who %(rule)s; found: %(found)s.")
                    % {"rule": rule.rule, "found": rule.found}
                    for rule in broken
                ]
            }
        )


@transaction.atomic
def placement_create(
    *,
    actor: Any,
    student: Student,
    organisation: Organisation,
    supervisor: Worker,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours_planned: int,
) -> Placement:
    """Place ``student`` at ``organisation`` under ``supervisor`` from ``starts_on`` to ``ends_on`` for
    ``hours_planned`` hours (1 or more). The supervisor must be eligible on ``starts_on``
    (``practicum_selectors.supervisor_rules``): each rule broken is named."""
    _require_student_change(actor, student)
    if ends_on < starts_on:
        raise ValidationError(
            {
                "ends_on": _("The placement cannot end before it starts (%(day)s).")
                % {"day": starts_on.isoformat()}
            }
        )
    if hours_planned < 1:
        raise ValidationError({"hours_planned": _("Plan at least 1 hour.")})
    _supervisor_refused(student=student, supervisor=supervisor, day=starts_on)
    placement = Placement()
    changes = {
        "student": student,
        "organisation": organisation,
        "supervisor": supervisor,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "hours_planned": hours_planned,
    }
    instance_apply_changes(placement, actor=actor, changes=changes, allowed_fields=PLACEMENT_FIELDS)
    return placement


def _require_placement_change(actor: Any, placement: Placement) -> None:
    _require_student_change(actor, placement.student)


def _not_before_start(placement: Placement, day: datetime.date, field: str, message: str) -> None:
    if day < placement.starts_on:
        raise ValidationError({field: message % {"day": placement.starts_on.isoformat()}})


@transaction.atomic
def placement_hours_record(
    *, actor: Any, placement: Placement, hours_done: int, on: datetime.date | None = None
) -> Placement:
    """Record the hours done so far (the total, not an addition) on ``on`` (default today): not before
    the placement starts, never negative; more than planned is accepted (the student did more)."""
    _require_placement_change(actor, placement)
    day = on or timezone.localdate()
    _not_before_start(
        placement, day, "hours_done", _("Hours cannot be recorded before the placement starts (%(day)s).")
    )
    if hours_done < 0:
        raise ValidationError({"hours_done": _("The hours done cannot be fewer than 0.")})
    instance_apply_changes(
        placement, actor=actor, changes={"hours_done": hours_done}, allowed_fields=("hours_done",)
    )
    return placement


@transaction.atomic
def placement_evaluate(
    *, actor: Any, placement: Placement, evaluation: str, notes: str = "", on: datetime.date | None = None
) -> Placement:
    """Record the placement's evaluation (not "not evaluated yet") and notes, on ``on`` (default today):
    not before the placement starts. A later evaluation replaces it (its history keeps the earlier)."""
    _require_placement_change(actor, placement)
    if evaluation not in Evaluation.values or evaluation == Evaluation.NOT_EVALUATED:
        choices = ", ".join(value for value in Evaluation.values if value != Evaluation.NOT_EVALUATED)
        raise ValidationError({"evaluation": _("Choose one of: %(values)s.") % {"values": choices}})
    _not_before_start(
        placement,
        on or timezone.localdate(),
        "evaluation",
        _("A placement cannot be evaluated before it starts (%(day)s)."),
    )
    changes = {"evaluation": evaluation, "evaluation_notes": notes.strip()}
    instance_apply_changes(placement, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return placement


@transaction.atomic
def placement_end(*, actor: Any, placement: Placement, on: datetime.date, reason: str) -> Placement:
    """End the placement early, ``on`` being its last day (from its first day to the day before its
    planned end), with the reason. Its hours done are then all it counts towards the requirement."""
    _require_placement_change(actor, placement)
    if placement.ended_early_on is not None:
        raise ValidationError(
            {
                "ended_early_on": _("The placement already ended early, on %(day)s.")
                % {"day": placement.ended_early_on.isoformat()}
            }
        )
    _not_before_start(
        placement, on, "ended_early_on", _("A placement cannot end before it starts (%(day)s).")
    )
    if on >= placement.ends_on:
        raise ValidationError(
            {
                "ended_early_on": _("The placement ends on %(day)s as planned: an early end comes before it.")
                % {"day": placement.ends_on.isoformat()}
            }
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"end_reason": _("Say why the placement ended early.")})
    changes = {"ended_early_on": on, "end_reason": reason}
    instance_apply_changes(placement, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return placement
