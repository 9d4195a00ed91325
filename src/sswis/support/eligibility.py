"""Whether a worker may supervise on a day, against the country's supervision rules (``rules_current``).

Definitions (``docs/support.md``, "Supervision", "Eligibility"), for a worker on a day ``D``:

* **registered**: a registration of theirs has the status ``registered`` on ``D`` (dates decide: the
  regulation's ``registration_status_on_expressions``, the rule a practicum supervisor is checked by).
  Checked only when the rules say supervisors must be registered.
* **years of experience**: whole years from the start of their earliest assignment (any organisation,
  cadre or kind, ended or not) to ``D``, as a practicum supervisor's (``full_years_between``: a worker
  who started on 1 March 2020 has 4 years on 1 March 2024 and 3 on 29 February 2024). None before
  their first assignment begins (or without one): 0 years for every rule.
* **supervision course**: a completion of the rules' course dated on or before ``D``. Checked only when
  the rules name a course.

Then the worker is **eligible as a supervisor** when every rule checked holds (registered, at least
``minimum_experience_years`` years, the course); otherwise an **auxiliary mentor** when they have at
least ``auxiliary_mentor_years`` years of experience; otherwise **not eligible**. The reasons list each
rule that does not hold, in that order (empty for an eligible supervisor).

Everything is computed in the database as annotations, so that many workers are evaluated in one query
(``eligibility_bulk``, ``workers_eligibility_annotated``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, DateField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sswis.registry.models import Assignment, Worker
from sswis.regulation.models import Registration, RegistrationStatus
from sswis.regulation.selectors import registration_status_on_expressions
from sswis.support.models import SupervisionRules
from sswis.support.supervision import rules_current
from sswis.training.models import Completion
from sswis.training.practicum_selectors import full_years_between

SUPERVISOR = "supervisor"
AUXILIARY_MENTOR = "auxiliary_mentor"
NOT_ELIGIBLE = "not_eligible"
STATUS_LABELS = {
    SUPERVISOR: gettext_lazy("Eligible supervisor"),
    AUXILIARY_MENTOR: gettext_lazy("Auxiliary mentor"),
    NOT_ELIGIBLE: gettext_lazy("Not eligible"),
}

NO_EXPERIENCE = datetime.date(9999, 12, 31)
"""The ``EXPERIENCE_START`` of a worker without an assignment."""

# The names of the annotations ``workers_eligibility_annotated`` adds.
REGISTERED = "eligibility_registered"
EXPERIENCE_START = "eligibility_experience_start"
COURSE_COMPLETED = "eligibility_course_completed"


@dataclass(frozen=True)
class Eligibility:
    """One worker's eligibility on ``day`` (module docstring). ``registered`` and ``course_completed``
    are ``None`` when the rules do not ask for them; ``experience_years`` is 0 without an assignment
    begun by ``day``."""

    worker_pk: int
    day: datetime.date
    status: str
    registered: bool | None
    experience_years: int
    course_completed: bool | None
    reasons: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return self.status == SUPERVISOR

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "registered": self.registered,
            "experience_years": self.experience_years,
            "course_completed": self.course_completed,
            "reasons": list(self.reasons),
        }


def experience_years(first: datetime.date | None, day: datetime.date) -> int:
    """Whole years from ``first`` (the earliest assignment's start) to ``day``; 0 without one or when
    it begins after ``day``."""
    if first is None or first > day:
        return 0
    return full_years_between(first, day)


def registered_condition(*, day: datetime.date, worker_ref: Any = None) -> Exists:
    """Whether the worker (``OuterRef("pk")`` by default) holds a registration registered on ``day``."""
    status, _since = registration_status_on_expressions(day=day)
    return Exists(
        Registration.objects.filter(worker_id=worker_ref if worker_ref is not None else OuterRef("pk"))
        .annotate(status_on=status)
        .filter(status_on=RegistrationStatus.REGISTERED)
    )


def workers_eligibility_annotated(
    queryset: QuerySet[Worker], *, day: datetime.date, rules: SupervisionRules
) -> QuerySet[Worker]:
    """``queryset`` with what eligibility on ``day`` needs, as annotations: ``REGISTERED`` (a bool;
    ``False`` when the rules do not ask), ``EXPERIENCE_START`` (the earliest assignment's start, or
    ``NO_EXPERIENCE``) and ``COURSE_COMPLETED`` (a bool; ``False`` without a course). No query is run."""
    first = (
        Assignment.objects.filter(worker_id=OuterRef("pk")).order_by("start_date").values("start_date")[:1]
    )
    annotations: dict[str, Any] = {
        # A far-future day without an assignment, so that a negated condition never meets a NULL.
        EXPERIENCE_START: Coalesce(Subquery(first, output_field=DateField()), Value(NO_EXPERIENCE)),
        REGISTERED: registered_condition(day=day)
        if rules.must_be_registered
        else Value(False, output_field=BooleanField()),
        COURSE_COMPLETED: Exists(
            Completion.objects.filter(
                worker_id=OuterRef("pk"), programme_id=rules.supervision_course_id, completed_on__lte=day
            )
        )
        if rules.supervision_course_id is not None
        else Value(False, output_field=BooleanField()),
    }
    return queryset.annotate(**annotations)


def experience_cutoff(*, day: datetime.date, years: int) -> datetime.date | None:
    """The last first-assignment start giving at least ``years`` whole years on ``day`` (the same rule as
    ``full_years_between``: on 29 February, 28 February of a year without one); ``None`` before the
    calendar's first year."""
    year = day.year - years
    if year < datetime.MINYEAR:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return datetime.date(year, 2, 28)


def _experience_at_least(*, day: datetime.date, years: int) -> Q:
    cutoff = experience_cutoff(day=day, years=years)
    return Q(pk__in=[]) if cutoff is None else Q(**{f"{EXPERIENCE_START}__lte": cutoff})


def supervisor_condition(*, day: datetime.date, rules: SupervisionRules) -> Q:
    """A condition over workers annotated by ``workers_eligibility_annotated`` that holds exactly for the
    eligible supervisors on ``day`` (to filter in the database)."""
    condition = _experience_at_least(day=day, years=rules.minimum_experience_years)
    if rules.must_be_registered:
        condition &= Q(**{REGISTERED: True})
    if rules.supervision_course_id is not None:
        condition &= Q(**{COURSE_COMPLETED: True})
    return condition


def eligible_condition(*, day: datetime.date, rules: SupervisionRules) -> Q:
    """Like ``supervisor_condition``, for the workers eligible as a supervisor *or* an auxiliary mentor."""
    return supervisor_condition(day=day, rules=rules) | _experience_at_least(
        day=day, years=rules.auxiliary_mentor_years
    )


def eligibility_of(
    *,
    worker_pk: int,
    day: datetime.date,
    rules: SupervisionRules,
    registered: bool,
    experience_start: datetime.date | None,
    course_completed: bool,
) -> Eligibility:
    """The eligibility (module docstring) from what ``workers_eligibility_annotated`` read."""
    years = experience_years(experience_start, day)
    reasons = []
    if rules.must_be_registered and not registered:
        reasons.append(_("no registration of theirs is registered on %(day)s") % {"day": day.isoformat()})
    required = rules.minimum_experience_years
    if years < required:
        reasons.append(
            ngettext(
                "%(years)s year of experience, %(required)s required",
                "%(years)s years of experience, %(required)s required",
                years,
            )
            % {"years": years, "required": required}
        )
    if rules.supervision_course_id is not None and not course_completed:
        reasons.append(
            _("the supervision course %(course)s not completed by %(day)s")
            % {"course": _course_code(rules), "day": day.isoformat()}
        )
    if not reasons:
        status = SUPERVISOR
    elif years >= rules.auxiliary_mentor_years:
        status = AUXILIARY_MENTOR
    else:
        status = NOT_ELIGIBLE
    return Eligibility(
        worker_pk=worker_pk,
        day=day,
        status=status,
        registered=registered if rules.must_be_registered else None,
        experience_years=years,
        course_completed=course_completed if rules.supervision_course_id is not None else None,
        reasons=tuple(reasons),
    )


def _course_code(rules: SupervisionRules) -> str:
    """The course's code (read once: Django keeps the related row on the rules)."""
    return rules.supervision_course.code if rules.supervision_course is not None else ""


def eligibility_from_annotated(worker: Worker, *, day: datetime.date, rules: SupervisionRules) -> Eligibility:
    """The eligibility of a worker read through ``workers_eligibility_annotated``."""
    return eligibility_of(
        worker_pk=worker.pk,
        day=day,
        rules=rules,
        registered=bool(getattr(worker, REGISTERED)),
        experience_start=getattr(worker, EXPERIENCE_START),
        course_completed=bool(getattr(worker, COURSE_COMPLETED)),
    )


def eligibility_bulk(
    *, worker_pks: Iterable[int], day: datetime.date, rules: SupervisionRules | None = None
) -> dict[int, Eligibility]:
    """The eligibility on ``day`` of each worker of ``worker_pks`` (by primary key; unknown keys are left
    out): one query, plus one for the rules when not given and one for the course's code when a course is
    named and someone lacks it."""
    rules = rules or rules_current()
    pks = set(worker_pks)
    if not pks:
        return {}
    rows = (
        workers_eligibility_annotated(Worker.objects.filter(pk__in=pks), day=day, rules=rules)
        .order_by()
        .values_list("pk", REGISTERED, EXPERIENCE_START, COURSE_COMPLETED)
    )
    return {
        pk: eligibility_of(
            worker_pk=pk,
            day=day,
            rules=rules,
            registered=bool(registered),
            experience_start=start,
            course_completed=bool(course),
        )
        for pk, registered, start, course in rows
    }


def worker_eligibility(
    *, worker: Worker, day: datetime.date, rules: SupervisionRules | None = None
) -> Eligibility:
    """One worker's eligibility on ``day`` (module docstring)."""
    return eligibility_bulk(worker_pks=[worker.pk], day=day, rules=rules)[worker.pk]
