"""Regulation's reads: a registration's status on a day (dates decide), whether a worker holds a licence
on a day, and whether a worker meets a register's rules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sswis.registry.models import Assignment, EducationLevel, Worker
from sswis.regulation.models import Licence, Register, Registration, RegistrationStatus

# Education levels in order; "unknown" meets no minimum.
EDUCATION_ORDER = [
    EducationLevel.NONE,
    EducationLevel.PRIMARY,
    EducationLevel.SECONDARY,
    EducationLevel.CERTIFICATE,
    EducationLevel.DIPLOMA,
    EducationLevel.BACHELOR,
    EducationLevel.MASTER,
    EducationLevel.DOCTORATE,
]


def registration_status_on(*, registration: Registration, day: datetime.date) -> str | None:
    """The registration's status on ``day``: that of its latest status change on or before it; ``None``
    before its application."""
    change = registration.status_changes.filter(since__lte=day).order_by("-since", "-pk").first()
    return change.status if change is not None else None


def worker_licensed_on(*, worker: Worker, day: datetime.date) -> bool:
    """Whether ``worker`` is licensed on ``day`` (contract ``indicators.md``, "Licensed and certified"): a
    registration of theirs is ``registered`` that day and has a licence valid that day."""
    for licence in Licence.objects.filter(
        registration__worker=worker, valid_from__lte=day, valid_until__gte=day
    ).select_related("registration"):
        if (
            registration_status_on(registration=licence.registration, day=day)
            == RegistrationStatus.REGISTERED
        ):
            return True
    return False


@dataclass(frozen=True)
class Requirement:
    """One rule of a register and whether the worker meets it, with what was found."""

    rule: str
    met: bool
    found: str


def registration_eligibility(*, register: Register, worker: Worker, day: datetime.date) -> list[Requirement]:
    """Each rule of ``register`` for ``worker`` on ``day``: a cadre the register is for (an assignment in
    one of them active that day; any cadre when the register names none), the minimum education, and a
    passed national exam when the register asks for one."""
    requirements = []
    cadres = list(register.cadres.values_list("code", flat=True))
    if cadres:
        held = sorted(
            {
                code
                for code, start, end in Assignment.objects.filter(worker=worker).values_list(
                    "cadre__code", "start_date", "end_date"
                )
                if start <= day and (end is None or end >= day)
            }
        )
        requirements.append(
            Requirement(
                rule=_("works in a cadre of the register (%(cadres)s)") % {"cadres": ", ".join(cadres)},
                met=bool(set(held) & set(cadres)),
                found=", ".join(held) or _("no assignment on that day"),
            )
        )
    if register.minimum_education:
        level = worker.education_level
        minimum = EducationLevel(register.minimum_education)
        met = level in EDUCATION_ORDER and EDUCATION_ORDER.index(
            EducationLevel(level)
        ) >= EDUCATION_ORDER.index(minimum)
        requirements.append(
            Requirement(
                rule=_("education: %(level)s or higher") % {"level": minimum.label},
                met=met,
                found=str(EducationLevel(level).label)
                if level in EducationLevel.values
                else _("not recorded"),
            )
        )
    if register.exam_required:
        requirements.append(
            Requirement(
                rule=_("a passed national exam"), met=False, found=_("no passed national exam is recorded")
            )
        )
    return requirements
