"""One organisation's own figures for a year: the workers counted there, by cadre and by sex, and the
vacancy rate of its posts. Reads only; aggregates only (no person comes back to Python).

"Counted at the organisation" is the indicators' rule (contract ``contracts/indicators.md``) with the
organisation in place of the location: a worker of the child protection workforce of the year whose
**reference assignment** is with this organisation, wherever it is. It is read through the indicators'
own SQL (``selectors.reference_assignments_sql``), so these figures add up, over all organisations, to
the country's ``workforce.count``. A worker counted elsewhere (their reference assignment is with
another organisation) is not counted here, even when they also work for this one.

The vacancy rate is that of ``posts.vacancy_rate`` for the organisation's posts: vacant funded posts /
funded posts existing on the reference date (31 December), a post being vacant when no assignment
linked to it is active that day (any assignment, child protection or not: the establishment's rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from sswis.indicators.definitions import reference_period
from sswis.indicators.selectors import reference_assignments_sql, reference_parameters
from sswis.registry.models import Assignment, Cadre, Organisation, Post, Sex
from sswis.registry.selectors import post_exists_on

SEX_GROUPS = (Sex.FEMALE.value, Sex.MALE.value, Sex.OTHER.value, Sex.UNKNOWN.value)


@dataclass(frozen=True)
class CadreCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class OrganisationFigures:
    """``counted``: workers counted at the organisation in ``year``; ``by_cadre`` (cadres by code, only
    those with a count above 0) and ``by_sex`` (every group of ``SEX_GROUPS``, zeros included) split it.
    ``funded_posts`` / ``vacant_posts`` on 31 December; ``vacancy_rate`` is ``None`` without a funded post."""

    year: int
    counted: int
    by_cadre: list[CadreCount] = field(default_factory=list)
    by_sex: dict[str, int] = field(default_factory=dict)
    funded_posts: int = 0
    vacant_posts: int = 0

    @property
    def vacancy_rate(self) -> float | None:
        return self.vacant_posts / self.funded_posts if self.funded_posts else None


def organisation_figures(*, organisation: Organisation, year: int) -> OrganisationFigures:
    """The figures of ``organisation`` for ``year`` (see the module docstring). Three queries.

    Raises ``ValueError`` for a year the indicators refuse.
    """
    period = reference_period(year=year)
    reference = reference_assignments_sql(columns=["a.organisation_id", "a.cadre_id", "a.worker_sex"])
    sql = (
        f"SELECT r.cadre_id, r.worker_sex, COUNT(*) FROM ({reference}) r "
        "WHERE r.organisation_id = %(organisation)s GROUP BY r.cadre_id, r.worker_sex"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**reference_parameters(period), "organisation": organisation.pk})
        raw = cursor.fetchall()
    per_cadre: dict[int, int] = {}
    by_sex = dict.fromkeys(SEX_GROUPS, 0)
    for cadre_id, sex, count in raw:
        per_cadre[cadre_id] = per_cadre.get(cadre_id, 0) + count
        by_sex[sex if sex in by_sex else Sex.UNKNOWN.value] += count
    cadres = Cadre.objects.filter(pk__in=per_cadre).order_by("code").values_list("pk", "code", "name")
    by_cadre = [CadreCount(code=code, name=name, count=per_cadre[pk]) for pk, code, name in cadres]

    day = period.reference_date
    filled = Assignment.objects.filter(post_id=OuterRef("pk"), start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    posts = (
        Post.objects.filter(post_exists_on(day), organisation=organisation, funded=True)
        .annotate(filled=Exists(filled))
        .aggregate(funded=Count("pk"), vacant=Count("pk", filter=Q(filled=False)))
    )
    return OrganisationFigures(
        year=year,
        counted=sum(per_cadre.values()),
        by_cadre=by_cadre,
        by_sex=by_sex,
        funded_posts=posts["funded"],
        vacant_posts=posts["vacant"],
    )
