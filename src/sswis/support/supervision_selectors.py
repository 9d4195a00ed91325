"""Supervision's reads: where a worker is, the relationships and sessions a user may see, and the
supervisor database.

Definitions (``docs/support.md``, "Supervision"):

* a relationship is **active on** ``D`` when ``start_date <= D`` and (no end or ``end_date >= D``);
* a worker's **place** on ``D`` is where the contract (``support.md``, ``support.supervisors_over_norm``)
  locates a supervisor, applied to any worker: the location of their reference assignment of ``D``'s
  year when they are counted in it (the indicators' rule, ``indicators.counted``), otherwise that of
  their latest-starting assignment active on ``D``, otherwise the root of the location tree. Their
  **cadre** is that of the same assignment (none at the root);
* a supervisor's **supervisees** on ``D``: the distinct workers of their relationships active on ``D``;
  their **norm**: the rules' norm for supervisors whose only duty is supervising (10 by default) when one
  of those relationships says so, otherwise the other norm (6); **over the norm** when they have more
  supervisees than their norm.

Every list goes through ``sswis.access`` and reads its related rows with it (no query per row).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from sswis.access.policy import workers_visible
from sswis.access.support_policy import relationships_visible
from sswis.geo.models import Location
from sswis.indicators.counted import counted_condition
from sswis.registry.models import Assignment, Cadre, Worker
from sswis.support.eligibility import (
    Eligibility,
    eligibility_from_annotated,
    eligible_condition,
    workers_eligibility_annotated,
)
from sswis.support.models import SupervisionRelationship, SupervisionRules, SupervisionSession

PLACE_PATH = "place_path"
PLACE_LOCATION = "place_location_id"
PLACE_CADRE = "place_cadre_id"
SUPERVISEES = "supervisee_count"
ONLY_DUTY = "supervises_only"
NORM = "supervision_norm"

WHO_SUPERVISING = "supervising"
WHO_ELIGIBLE = "eligible"
WHO_ALL = "all"
WHO_CHOICES = (WHO_SUPERVISING, WHO_ELIGIBLE, WHO_ALL)


def active_on(day: datetime.date, prefix: str = "") -> Q:
    """Relationships (fields prefixed by ``prefix``) active on ``day``."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def assignments_active_on(day: datetime.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def root_location() -> Location | None:
    """The root of the location tree (the country)."""
    return Location.objects.filter(parent__isnull=True).order_by("path").first()


def workers_placed(
    queryset: QuerySet[Worker], *, day: datetime.date, root: Location | None
) -> QuerySet[Worker]:
    """``queryset`` annotated with each worker's place on ``day`` (module docstring): ``PLACE_PATH``,
    ``PLACE_LOCATION`` and ``PLACE_CADRE`` (``None`` at the root). No query is run."""
    reference = Assignment.objects.filter(counted_condition(year=day.year), worker_id=OuterRef("pk"))
    latest = Assignment.objects.filter(assignments_active_on(day), worker_id=OuterRef("pk")).order_by(
        "-start_date", "-pk"
    )

    def placed(field: str, fallback: Any, output: Field[Any, Any]) -> Coalesce:
        return Coalesce(
            Subquery(reference.values(field)[:1]),
            Subquery(latest.values(field)[:1]),
            Value(fallback),
            output_field=output,
        )

    return queryset.annotate(
        **{
            PLACE_PATH: placed("location__path", root.path if root else "", CharField()),
            PLACE_LOCATION: placed("location_id", root.pk if root else None, BigIntegerField()),
            PLACE_CADRE: Coalesce(
                Subquery(reference.values("cadre_id")[:1]),
                Subquery(latest.values("cadre_id")[:1]),
                output_field=BigIntegerField(),
            ),
        }
    )


def in_subtree(location: Location | None) -> Q:
    """Workers annotated by ``workers_placed`` whose place is ``location`` or below (any: ``None``)."""
    return Q() if location is None else Q(**{f"{PLACE_PATH}__startswith": location.path})


def supervisors_annotated(
    queryset: QuerySet[Worker], *, day: datetime.date, rules: SupervisionRules
) -> QuerySet[Worker]:
    """``queryset`` with ``SUPERVISEES`` (distinct supervisees on ``day``), ``ONLY_DUTY`` (a relationship
    active on ``day`` says supervising is their only duty) and ``NORM``. No query is run."""
    active = SupervisionRelationship.objects.filter(active_on(day), supervisor_id=OuterRef("pk"))
    counted = active.order_by().values("supervisor_id").annotate(n=Count("supervisee_id", distinct=True))
    return queryset.annotate(
        **{
            SUPERVISEES: Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0),
            ONLY_DUTY: Exists(active.filter(supervision_only_duty=True)),
        }
    ).annotate(
        **{
            NORM: Case(
                When(**{ONLY_DUTY: True}, then=Value(rules.supervisees_when_only_duty)),
                default=Value(rules.supervisees_otherwise),
                output_field=IntegerField(),
            )
        }
    )


def supervising_on(day: datetime.date) -> Exists:
    """Workers with a relationship as supervisor active on ``day``."""
    return Exists(SupervisionRelationship.objects.filter(active_on(day), supervisor_id=OuterRef("pk")))


def supervised_on(day: datetime.date) -> Exists:
    """Workers with a relationship as supervisee active on ``day``."""
    return Exists(SupervisionRelationship.objects.filter(active_on(day), supervisee_id=OuterRef("pk")))


# --- the supervisor database ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisorRow:
    """One supervisor of the database on a day: their place, supervisees, norm and eligibility."""

    worker: Worker
    location: Location | None
    cadre: Cadre | None
    supervisees: tuple[Worker, ...]
    norm: int
    only_duty: bool
    eligibility: Eligibility

    @property
    def supervisee_count(self) -> int:
        return len(self.supervisees)

    @property
    def over_norm(self) -> bool:
        return self.supervisee_count > self.norm


def supervisors_queryset(
    *,
    user: Any,
    day: datetime.date,
    rules: SupervisionRules,
    location: Location | None = None,
    cadre: Cadre | None = None,
    who: str = WHO_SUPERVISING,
    over_norm: bool | None = None,
) -> QuerySet[Worker]:
    """The supervisors of the database that ``user`` sees (``access.policy.workers_visible``), by name:
    ``who`` = ``supervising`` (a relationship as supervisor active on ``day``), ``eligible`` (eligible as
    a supervisor or an auxiliary mentor on ``day``, supervising or not) or ``all`` (either); narrowed to
    those placed in ``location``'s subtree, of ``cadre``, and over (or within) their norm. Annotated for
    ``supervisor_rows``; no query is run."""
    if who not in WHO_CHOICES:
        raise ValueError(who)
    workers = workers_visible(user=user, queryset=Worker.objects.all())
    workers = workers_eligibility_annotated(workers, day=day, rules=rules)
    supervising = supervising_on(day)
    if who == WHO_SUPERVISING:
        workers = workers.filter(supervising)
    elif who == WHO_ELIGIBLE:
        workers = workers.filter(eligible_condition(day=day, rules=rules))
    else:
        workers = workers.filter(supervising | eligible_condition(day=day, rules=rules))
    root = root_location()
    workers = workers_placed(workers, day=day, root=root)
    if location is not None:
        workers = workers.filter(in_subtree(location))
    if cadre is not None:
        workers = workers.filter(**{PLACE_CADRE: cadre.pk})
    workers = supervisors_annotated(workers, day=day, rules=rules)
    if over_norm is not None:
        workers = workers.annotate(
            over=Case(
                When(**{f"{SUPERVISEES}__gt": F(NORM)}, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        ).filter(over=over_norm)
    return workers.order_by("family_name", "given_name", "worker_id", "pk")


def supervisor_rows(
    workers: Sequence[Worker], *, day: datetime.date, rules: SupervisionRules
) -> list[SupervisorRow]:
    """The rows of ``workers`` (read through ``supervisors_queryset``, e.g. one page of it): two queries
    whatever their number (their supervisees; the locations and cadres that place them)."""
    pks = [worker.pk for worker in workers]
    supervisees: dict[int, dict[int, Worker]] = defaultdict(dict)
    for relationship in (
        SupervisionRelationship.objects.filter(active_on(day), supervisor_id__in=pks)
        .select_related("supervisee")
        .order_by("supervisee__family_name", "supervisee__given_name", "supervisee__worker_id")
    ):
        supervisees[relationship.supervisor_id][relationship.supervisee_id] = relationship.supervisee
    locations = Location.objects.in_bulk({getattr(w, PLACE_LOCATION) for w in workers} - {None})
    cadres = Cadre.objects.in_bulk({getattr(w, PLACE_CADRE) for w in workers} - {None}) if workers else {}
    return [
        SupervisorRow(
            worker=worker,
            location=locations.get(getattr(worker, PLACE_LOCATION)),
            cadre=cadres.get(getattr(worker, PLACE_CADRE)),
            supervisees=tuple(supervisees[worker.pk].values()),
            norm=getattr(worker, NORM),
            only_duty=bool(getattr(worker, ONLY_DUTY)),
            eligibility=eligibility_from_annotated(worker, day=day, rules=rules),
        )
        for worker in workers
    ]


# --- relationships and sessions ------------------------------------------------------------------------


def _at_location(location: Location, day: datetime.date) -> Q:
    """Relationships or sessions one of whose two workers has an assignment active on ``day`` in
    ``location``'s subtree."""
    there = Assignment.objects.filter(
        assignments_active_on(day), location__path__startswith=location.path
    ).values("worker_id")
    return Q(supervisor_id__in=there) | Q(supervisee_id__in=there)


def relationships_listed(
    *,
    user: Any,
    location: Location | None = None,
    supervisor: str = "",
    supervisee: str = "",
    active: datetime.date | None = None,
    today: datetime.date,
) -> QuerySet[SupervisionRelationship]:
    """The relationships ``user`` sees (``access.support_policy.relationships_visible``), latest start
    first, narrowed to: one of the two workers working in ``location``'s subtree (an assignment active on
    ``active``, else ``today``), a supervisor and a supervisee (by worker ID), those active on ``active``. With both workers
    (no query per row)."""
    relationships = relationships_visible(
        user=user, queryset=SupervisionRelationship.objects.select_related("supervisor", "supervisee")
    )
    if location is not None:
        relationships = relationships.filter(_at_location(location, active or today))
    if supervisor:
        relationships = relationships.filter(supervisor__worker_id=supervisor)
    if supervisee:
        relationships = relationships.filter(supervisee__worker_id=supervisee)
    if active is not None:
        relationships = relationships.filter(active_on(active))
    return relationships.order_by("-start_date", "supervisor__family_name", "pk")


def sessions_listed(
    *,
    user: Any,
    location: Location | None = None,
    supervisor: str = "",
    supervisee: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    today: datetime.date,
) -> QuerySet[SupervisionSession]:
    """The sessions ``user`` sees, latest first, narrowed to: one of the two workers working in
    ``location``'s subtree (an assignment active on ``date_to``, else ``today``, as for relationships), a
    supervisor and a supervisee (by worker ID), and the days from ``date_from`` to ``date_to``. With both workers (no query
    per row)."""
    sessions = relationships_visible(
        user=user, queryset=SupervisionSession.objects.select_related("supervisor", "supervisee")
    )
    if location is not None:
        sessions = sessions.filter(_at_location(location, date_to or today))
    if supervisor:
        sessions = sessions.filter(supervisor__worker_id=supervisor)
    if supervisee:
        sessions = sessions.filter(supervisee__worker_id=supervisee)
    if date_from is not None:
        sessions = sessions.filter(date__gte=date_from)
    if date_to is not None:
        sessions = sessions.filter(date__lte=date_to)
    return sessions.order_by("-date", "supervisor__family_name", "pk")
