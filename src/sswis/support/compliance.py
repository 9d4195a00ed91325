"""The supervision compliance view of a location on a day ``D`` (``docs/support.md``, "Compliance").

* **workers** of a location: the workers counted in the child protection workforce of ``D``'s year whose
  reference assignment is in the location's subtree (the indicators' rule, ``indicators.counted``) and
  who are active on ``D`` (a child protection assignment active on ``D``: a worker who left earlier in
  the year, or starts later, is not expected to be supervised on ``D``). On 31 December they are the
  workers ``support.supervised_share`` counts, less those who left during the year;
* **workers with no supervisor**: those workers with no relationship as supervisee active on ``D``;
* **supervisors** of a location: the workers with a relationship as supervisor active on ``D`` whose place
  on ``D`` (``supervision_selectors``: reference assignment, else latest-starting active assignment,
  else the root) is in the subtree; **over their norm**: more distinct supervisees on ``D`` than their
  norm; **ineligible**: neither an eligible supervisor nor an auxiliary mentor on ``D``
  (``support.eligibility``; an auxiliary mentor is not listed as ineligible);
* **supervisees** of a location: the workers with a relationship as supervisee active on ``D``, placed
  in the subtree the same way; **without a session in the last quarter**: no session (with any
  supervisor) dated in the ``SESSION_WINDOW_DAYS`` (91) days up to ``D``, ``D`` included: from
  ``D - 90`` to ``D``.

The counts describe people by what they lack: for a reader who does not get every figure of the location
(``access.policy.sees_every_figure``) a count is withheld (``None``) when it, or its complement in its
total (the workers supervised, the supervisors within their norm, ...), is 1 to ``k - 1``
(``indicators.disclosure.small_cell_minimum``), as the indicators withhold an attribute share. The totals
(workers, supervisors, supervisees of a location) are counts by location and never withheld. The lists
are for readers of people only, and hold the workers they see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from sswis.access.policy import scope_of, sees_every_figure, workers_visible
from sswis.access.support_policy import require_support_read
from sswis.geo.models import Location
from sswis.indicators.counted import counted_condition
from sswis.indicators.disclosure import small_cell_minimum
from sswis.registry.models import Assignment, Cadre, Worker
from sswis.support.eligibility import (
    Eligibility,
    eligibility_from_annotated,
    eligible_condition,
    workers_eligibility_annotated,
)
from sswis.support.models import SupervisionRules, SupervisionSession
from sswis.support.supervision import rules_current
from sswis.support.supervision_selectors import (
    NORM,
    PLACE_CADRE,
    PLACE_LOCATION,
    SUPERVISEES,
    assignments_active_on,
    in_subtree,
    root_location,
    supervised_on,
    supervising_on,
    supervisors_annotated,
    workers_placed,
)

SESSION_WINDOW_DAYS = 91
"""The last quarter: a supervisee had a session when one is dated from ``D - 90`` to ``D``."""

NO_SUPERVISOR = "workers_without_supervisor"
OVER_NORM = "supervisors_over_norm"
NO_SESSION = "supervisees_without_session"
INELIGIBLE = "supervisors_ineligible"
LISTS = (NO_SUPERVISOR, OVER_NORM, NO_SESSION, INELIGIBLE)
LIST_TITLES = {
    NO_SUPERVISOR: gettext_lazy("Workers with no supervisor"),
    OVER_NORM: gettext_lazy("Supervisors over their norm"),
    NO_SESSION: gettext_lazy("Supervisees without a session in the last quarter"),
    INELIGIBLE: gettext_lazy("Ineligible supervisors"),
}
TOTAL_OF = {
    NO_SUPERVISOR: "workers",
    OVER_NORM: "supervisors",
    NO_SESSION: "supervisees",
    INELIGIBLE: "supervisors",
}
LIST_LIMIT = 100


def session_window(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the last quarter up to ``day`` (module docstring)."""
    return day - datetime.timedelta(days=SESSION_WINDOW_DAYS - 1), day


def workers_of(*, location: Location | None, day: datetime.date) -> QuerySet[Worker]:
    """The workers of ``location`` (the country: ``None``) on ``day`` (module docstring)."""
    reference = Assignment.objects.filter(counted_condition(year=day.year), worker_id=OuterRef("pk"))
    if location is not None:
        reference = reference.filter(location__path__startswith=location.path)
    active = Assignment.objects.filter(
        assignments_active_on(day), child_protection=True, worker_id=OuterRef("pk")
    )
    return Worker.objects.filter(Exists(reference), Exists(active))


def workers_without_supervisor(*, location: Location | None, day: datetime.date) -> QuerySet[Worker]:
    return workers_of(location=location, day=day).filter(~supervised_on(day))


def supervisors_of(
    *, location: Location | None, day: datetime.date, rules: SupervisionRules, root: Location | None
) -> QuerySet[Worker]:
    """The supervisors of ``location`` on ``day``, placed, with their supervisees, norm and eligibility."""
    supervisors = workers_placed(Worker.objects.filter(supervising_on(day)), day=day, root=root)
    supervisors = supervisors.filter(in_subtree(location))
    supervisors = supervisors_annotated(supervisors, day=day, rules=rules)
    return workers_eligibility_annotated(supervisors, day=day, rules=rules)


def over_norm_condition() -> Q:
    return Q(**{f"{SUPERVISEES}__gt": F(NORM)})


def supervisees_of(
    *, location: Location | None, day: datetime.date, root: Location | None
) -> QuerySet[Worker]:
    """The supervisees of ``location`` on ``day``, placed, with their last session on or before ``day``."""
    supervisees = workers_placed(Worker.objects.filter(supervised_on(day)), day=day, root=root)
    last = (
        SupervisionSession.objects.filter(supervisee_id=OuterRef("pk"), date__lte=day)
        .order_by()
        .values("supervisee_id")
        .annotate(last=Max("date"))
        .values("last")
    )
    return supervisees.filter(in_subtree(location)).annotate(last_session=Subquery(last[:1]))


def without_session_condition(day: datetime.date) -> Q:
    first, last = session_window(day)
    return ~Q(
        Exists(SupervisionSession.objects.filter(supervisee_id=OuterRef("pk"), date__range=(first, last)))
    )


@dataclass(frozen=True)
class ComplianceEntry:
    """One worker of a compliance list, with where they are and what the list is about."""

    worker: Worker
    location: Location | None
    cadre: Cadre | None
    supervisee_count: int | None = None
    norm: int | None = None
    last_session: datetime.date | None = None
    eligibility: Eligibility | None = None


@dataclass(frozen=True)
class Compliance:
    """The compliance of ``location`` (``None``: the country) on ``day``: the totals, the counts (``None``:
    withheld), and for a reader of people the lists (``None`` otherwise), each at most ``LIST_LIMIT``
    long, with how many rows each has for that reader."""

    location: Location | None
    day: datetime.date
    totals: dict[str, int]
    counts: dict[str, int | None]
    withheld: bool
    lists: dict[str, list[ComplianceEntry]] | None = None
    listed: dict[str, int] = field(default_factory=dict)
    session_from: datetime.date | None = None


def _withheld(count: int, total: int, minimum: int) -> bool:
    rest = total - count
    return 0 < count < minimum or 0 < rest < minimum


def _entries(
    rows: dict[str, list[Worker]], *, day: datetime.date, rules: SupervisionRules
) -> dict[str, list[ComplianceEntry]]:
    """The lists' entries, with the locations and cadres of every list read in two queries."""
    everyone = [worker for workers in rows.values() for worker in workers]
    location_ids = {getattr(w, PLACE_LOCATION, None) for w in everyone} - {None}
    cadre_ids = {getattr(w, PLACE_CADRE, None) for w in everyone} - {None}
    locations = Location.objects.in_bulk(location_ids) if location_ids else {}
    cadres = Cadre.objects.in_bulk(cadre_ids) if cadre_ids else {}
    return {
        name: [
            ComplianceEntry(
                worker=worker,
                location=locations.get(getattr(worker, PLACE_LOCATION, None)),
                cadre=cadres.get(getattr(worker, PLACE_CADRE, None)),
                supervisee_count=getattr(worker, SUPERVISEES, None),
                norm=getattr(worker, NORM, None),
                last_session=getattr(worker, "last_session", None),
                eligibility=eligibility_from_annotated(worker, day=day, rules=rules)
                if name in (OVER_NORM, INELIGIBLE)
                else None,
            )
            for worker in workers
        ]
        for name, workers in rows.items()
    }


def compliance(
    *, user: Any, location: Location | None, day: datetime.date, limit: int = LIST_LIMIT
) -> Compliance:
    """The compliance view of ``location`` on ``day`` for ``user`` (module docstring). Counts in three
    queries (workers, supervisors, supervisees) plus the rules and the root; a reader of people also gets
    each list in one query (two when it reaches ``limit``: its full count), plus two for the locations
    and cadres of every list."""
    require_support_read(user=user)
    rules = rules_current()
    root = root_location()
    workers = workers_of(location=location, day=day).annotate(supervised=supervised_on(day))
    worker_figures = workers.aggregate(total=Count("pk"), without=Count("pk", filter=Q(supervised=False)))
    supervisors = supervisors_of(location=location, day=day, rules=rules, root=root)
    supervisor_figures = supervisors.aggregate(
        total=Count("pk"),
        over=Count("pk", filter=over_norm_condition()),
        ineligible=Count("pk", filter=~eligible_condition(day=day, rules=rules)),
    )
    supervisees = supervisees_of(location=location, day=day, root=root)
    supervisee_figures = supervisees.aggregate(
        total=Count("pk"), without=Count("pk", filter=without_session_condition(day))
    )
    totals = {
        "workers": worker_figures["total"],
        "supervisors": supervisor_figures["total"],
        "supervisees": supervisee_figures["total"],
    }
    counts: dict[str, int | None] = {
        NO_SUPERVISOR: worker_figures["without"],
        OVER_NORM: supervisor_figures["over"],
        NO_SESSION: supervisee_figures["without"],
        INELIGIBLE: supervisor_figures["ineligible"],
    }
    withheld = not sees_every_figure(user=user, location=location)
    if withheld:
        minimum = small_cell_minimum()
        counts = {
            name: None if _withheld(count or 0, totals[TOTAL_OF[name]], minimum) else count
            for name, count in counts.items()
        }
    result = Compliance(
        location=location,
        day=day,
        totals=totals,
        counts=counts,
        withheld=withheld,
        session_from=session_window(day)[0],
    )
    if not scope_of(user).sees_people:
        return result
    querysets = {
        NO_SUPERVISOR: workers_placed(
            workers_without_supervisor(location=location, day=day), day=day, root=root
        ),
        OVER_NORM: supervisors.filter(over_norm_condition()),
        NO_SESSION: supervisees.filter(without_session_condition(day)),
        INELIGIBLE: supervisors.filter(~eligible_condition(day=day, rules=rules)),
    }
    rows: dict[str, list[Worker]] = {}
    listed: dict[str, int] = {}
    for name, queryset in querysets.items():
        visible = workers_visible(user=user, queryset=queryset)
        rows[name] = list(visible.order_by("family_name", "given_name", "worker_id", "pk")[:limit])
        listed[name] = len(rows[name]) if len(rows[name]) < limit else visible.count()
    lists = _entries(rows, day=day, rules=rules)
    return Compliance(
        location=location,
        day=day,
        totals=totals,
        counts=counts,
        withheld=withheld,
        lists=lists,
        listed=listed,
        session_from=result.session_from,
    )
