"""The reads of professional associations: the list, the members of one on a day, a worker's memberships, and
the membership figures of the counted workforce. Docs: ``docs/support.md``, "Professional associations".

Membership figures, for a year Y (reference date 31 December Y), a location L and a cadre K:

* the **counted workers** are those of the indicators' ``workforce.count`` (contract ``indicators.md``): each
  worker once, through their reference assignment of Y, at that assignment's location and cadre, and so at
  L when that location is L or below it. The indicators' own SQL picks them
  (``indicators.computation.reference_assignments_sql``): the figures add up exactly as the workforce does;
* **members** counts the counted workers of K at L who are members, on the reference date, of an
  association (of the one asked for, when one is); **share** = members / counted.

:func:`membership_figures` computes them for every location (or L's subtree) and every cadre from ONE
aggregate query (:func:`figures_sql`: the reference pick LEFT JOINed to the members on the day, counted per
reference location and cadre); only those counts come back to Python, where they are added up the location
tree (a location counts everything below it). No worker row is loaded.

Small cells (:func:`membership_figures_for_reader`): a reader who may not see every figure of a location
(``access.policy.sees_every_figure``) gets a line's members and share withheld (``None``) when members or
non-members are 1 to k-1 (``SSWIS_SMALL_CELL_MIN``), as the competency gaps are; and when only one
location of a parent's children is withheld for a cadre, the smallest other one of them too, so that the
parent's figure minus the others' does not give it back. The counted workers are never withheld (the
indicators show them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet

from sswis.access import policy
from sswis.access.support_policy import memberships_visible, require_support_read
from sswis.geo.models import Location
from sswis.indicators.computation import (
    Tree,
    aggregate_rows,
    reference_assignments_sql,
    reference_parameters,
    table_name,
)
from sswis.indicators.definitions import reference_period
from sswis.indicators.disclosure import small_cell_minimum
from sswis.registry.models import Cadre, Worker
from sswis.support.models_associations import Association, Membership

# --- associations and memberships -------------------------------------------------------------------------


def associations_listed() -> QuerySet[Association]:
    """Every association with its region, by name (one query)."""
    return Association.objects.select_related("region").order_by("name", "code")


def _holding(queryset: QuerySet[Membership], day: datetime.date) -> QuerySet[Membership]:
    return queryset.filter(member_from__lte=day).exclude(member_until__lt=day)


def association_members_count(*, user: Any, association: Association, day: datetime.date) -> int | None:
    """The number of workers who are members of ``association`` on ``day``; ``None`` (withheld) when it is 1
    to k-1 and ``user`` may not see every figure of the association's region (the country for a national
    association). ``PermissionDenied`` for outsiders and workers' own logins."""
    require_support_read(user=user)
    count = _holding(Membership.objects.filter(association=association), day).count()
    if 1 <= count < small_cell_minimum() and not policy.sees_every_figure(
        user=user, location=association.region
    ):
        return None
    return count


def memberships_of_association(
    *, user: Any, association: Association, day: datetime.date | None = None
) -> QuerySet[Membership]:
    """The memberships of ``association`` that ``user`` may see (``support_policy.memberships_visible``),
    only those holding on ``day`` when one is given, by the worker's family name, given name and worker ID,
    then the newest first; each with its worker and association (one query)."""
    rows = memberships_visible(user=user, queryset=Membership.objects.filter(association=association))
    if day is not None:
        rows = _holding(rows, day)
    return rows.select_related("worker", "association").order_by(
        "worker__family_name", "worker__given_name", "worker__worker_id", "-member_from", "pk"
    )


def memberships_of_worker(*, user: Any, worker: Worker) -> QuerySet[Membership]:
    """The memberships of ``worker`` that ``user`` may see, newest first, each with its association and the
    association's region (one query)."""
    rows = memberships_visible(user=user, queryset=Membership.objects.filter(worker=worker))
    return rows.select_related("association", "association__region").order_by("-member_from", "pk")


# --- membership figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipRow:
    """At ``location``, of ``cadre``'s counted workers, how many are members on the reference date (``None``
    when withheld)."""

    year: int
    location: str
    location_name: str
    cadre: str
    cadre_name: str
    counted: int
    members: int | None
    withheld: bool = False

    @property
    def non_members(self) -> int | None:
        return None if self.members is None else self.counted - self.members

    @property
    def share(self) -> float | None:
        return None if self.members is None or not self.counted else self.members / self.counted

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "location": self.location,
            "location_name": self.location_name,
            "cadre": self.cadre,
            "cadre_name": self.cadre_name,
            "counted": self.counted,
            "members": self.members,
            "non_members": self.non_members,
            "share": None if self.share is None else round(self.share, 4),
            "withheld": self.withheld,
        }


def figures_sql(*, scope: list[int], association: bool, cadre: bool) -> str:
    """The one aggregate query of :func:`membership_figures`: ``(location_id, cadre_id, counted, members)``
    per reference location and cadre. Parameters: the reference period's, ``association`` (an id) when
    ``association``, ``cadre`` (an id) when ``cadre``.

    The members on the reference date are one pass over the memberships (``DISTINCT``: a worker member of
    two associations counts once), LEFT JOINed to the counted workers by worker."""
    reference = reference_assignments_sql(columns=["a.worker_id", "a.location_id", "a.cadre_id"], scope=scope)
    members = (
        f"SELECT DISTINCT m.worker_id FROM {table_name(Membership)} m "
        "WHERE m.member_from <= %(reference_date)s "
        "AND (m.member_until IS NULL OR m.member_until >= %(reference_date)s)"
        + (" AND m.association_id = %(association)s" if association else "")
    )
    return (
        f"SELECT r.location_id, r.cadre_id, COUNT(*), COUNT(k.worker_id) FROM ({reference}) r "
        f"LEFT JOIN ({members}) k ON k.worker_id = r.worker_id "
        + ("WHERE r.cadre_id = %(cadre)s " if cadre else "")
        + "GROUP BY r.location_id, r.cadre_id"
    )


def membership_figures(
    *,
    year: int,
    location: Location | None = None,
    association: Association | None = None,
    cadre: Cadre | None = None,
    depth: int | None = None,
) -> list[MembershipRow]:
    """The membership figures of ``year`` (module docstring) for every location, or ``location`` and
    everything below it (with ``depth``, at most that many levels below it); members of ``association``
    only when one is given, of any association otherwise; ``cadre``'s lines only when one is given. Every
    figure; nothing withheld (see :func:`membership_figures_for_reader`).

    Rows come location by location (depth first, children by code), then by cadre code. A location and
    cadre without counted workers has no row. Four queries: the location tree, the cadres, the aggregate
    (:func:`figures_sql`) and the names of the locations shown.

    Raises ``ValueError`` for a year the indicators refuse.
    """
    period = reference_period(year=year)
    tree = Tree.load()
    scope: list[int] = []
    if location is not None and tree.parent.get(location.pk) is not None:
        scope = tree.selected(root=location.pk, depth=None)
    parameters: dict[str, Any] = reference_parameters(period, scope=scope)
    if association is not None:
        parameters["association"] = association.pk
    if cadre is not None:
        parameters["cadre"] = cadre.pk
    sql = figures_sql(scope=scope, association=association is not None, cadre=cadre is not None)
    counted: dict[tuple[int, int], int] = defaultdict(int)
    members: dict[tuple[int, int], int] = defaultdict(int)
    for location_id, cadre_id, count, member_count in aggregate_rows(sql=sql, parameters=parameters):
        for place in tree.chain[location_id]:  # the location and every ancestor
            counted[(place, cadre_id)] += int(count)
            members[(place, cadre_id)] += int(member_count)
    cadres = sorted(Cadre.objects.values_list("code", "pk", "name"))
    selected = tree.selected(root=location.pk if location is not None else None, depth=depth)
    names = dict(Location.objects.filter(pk__in=selected).values_list("pk", "name"))
    rows: list[MembershipRow] = []
    for place in selected:
        for cadre_code, cadre_id, cadre_name in cadres:
            workers = counted.get((place, cadre_id), 0)
            if not workers:
                continue
            rows.append(
                MembershipRow(
                    year=period.year,
                    location=tree.code[place],
                    location_name=names.get(place, ""),
                    cadre=cadre_code,
                    cadre_name=cadre_name,
                    counted=workers,
                    members=members[(place, cadre_id)],
                )
            )
    return rows


def figures_small_cells_withheld(
    *, rows: list[MembershipRow], minimum: int, shown_in_full: set[str], parents: dict[str, str | None]
) -> list[MembershipRow]:
    """``rows`` with the small cells withheld (module docstring) at the locations not in ``shown_in_full``;
    ``parents`` gives each location code's parent code (``None`` for the root)."""
    if minimum <= 1:
        return rows

    def small(row: MembershipRow) -> bool:
        members = row.members or 0
        return 1 <= members < minimum or 1 <= row.counted - members < minimum

    hidden = [index for index, row in enumerate(rows) if row.location not in shown_in_full]
    withheld = {index for index in hidden if small(rows[index])}
    siblings: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    for index in hidden:
        siblings[(parents.get(rows[index].location), rows[index].cadre)].append(index)
    for (parent, _cadre), group in siblings.items():
        if parent is None:
            continue
        alone = [index for index in group if index in withheld]
        if len(alone) == 1:
            others = sorted((rows[index].members or 0, index) for index in group if index not in withheld)
            if others:
                withheld.add(others[0][1])
    return [
        replace(row, members=None, withheld=True) if index in withheld else row
        for index, row in enumerate(rows)
    ]


def membership_figures_for_reader(
    *,
    user: Any,
    year: int,
    location: Location | None = None,
    association: Association | None = None,
    cadre: Cadre | None = None,
    depth: int | None = None,
) -> list[MembershipRow]:
    """:func:`membership_figures` as ``user`` may see them: small cells withheld at the locations whose
    figures they may not all see. What is withheld is decided over every location of the country, then the
    rows asked for are picked, so that a line withheld on one page (by the complementary rule) is withheld
    on every page. ``PermissionDenied`` for outsiders and workers' own logins."""
    require_support_read(user=user)
    if policy.sees_every_figure(user=user):
        return membership_figures(
            year=year, location=location, association=association, cadre=cadre, depth=depth
        )
    rows = membership_figures(year=year, association=association, cadre=cadre)
    codes = {row.location for row in rows}
    places = Location.objects.filter(code__in=codes).only("pk", "code", "path", "parent_id")
    shown = {place.code for place in places if policy.sees_every_figure(user=user, location=place)}
    parents: dict[str, str | None] = dict(Location.objects.values_list("code", "parent__code"))
    rows = figures_small_cells_withheld(
        rows=rows, minimum=small_cell_minimum(), shown_in_full=shown, parents=parents
    )
    if location is None and depth is None:
        return rows
    picked = Location.objects.all()
    if location is not None:
        picked = picked.filter(path__startswith=location.path)
        if depth is not None:
            picked = picked.filter(depth__lte=location.depth + depth)
    elif depth is not None:
        picked = picked.filter(depth__lte=depth)
    codes_picked = set(picked.values_list("code", flat=True))
    return [row for row in rows if row.location in codes_picked]
