"""The workforce indicators and their disaggregations, defined once, as data.

Everything that shows an indicator — the ``sswis indicators`` command, the web dashboard, the API, the
reports and the data managers' documentation (``docs/indicators.md``) — reads its id, title,
description, numerator, denominator, unit, accepted dimensions and reference period from here. The
counting rules themselves are the contract ``contracts/indicators.md``; ``sswis.indicators.selectors``
implements them.

Order matters: ``INDICATORS`` and ``DIMENSIONS`` are in the contract's order, which is also the order
of the rows in the output and of the dimension columns the contract lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.geo.models import Setting
from sswis.registry.models import (
    NO_POST_SECONDARY_LEVELS,
    POST_SECONDARY_LEVELS,
    CadreCategory,
    Sector,
    Sex,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # text, or text translated when shown

FIRST_YEAR, LAST_YEAR = 1900, 2100  # wider than any workforce record; catches typos such as 224


@dataclass(frozen=True)
class Group:
    """One group of a dimension: its code in the output, a label, and what falls into it."""

    code: str
    label: StrOrPromise
    description: StrOrPromise = ""


@dataclass(frozen=True)
class Dimension:
    """A way to split an indicator's numerator (``--by``).

    ``groups`` is the closed list of groups, in display order; it is empty for an open dimension whose
    groups are the country's own codes (``cadre``: one group per cadre code). ``source`` says which
    record the group is read from (the worker, or the worker's reference assignment).

    ``personal``: the groups are a personal attribute of the worker (sex, education, licensed, certified;
    later disability), so a split by it is subject to the small-cell rule
    (``sswis.indicators.disclosure``): readers who see aggregates only never get a cell of 1 to k-1.
    """

    id: str
    title: StrOrPromise
    description: StrOrPromise
    source: StrOrPromise
    groups: tuple[Group, ...] = ()
    personal: bool = False

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(group.code for group in self.groups)


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator. ``dimensions`` are the ``--by`` dimensions it can be split by (empty: never split).

    ``unit`` names what ``value`` measures; ``null_when`` says when ``value`` is null (empty: never).

    ``attribute``: for the share of counted workers who have a personal attribute (``licensed_share``,
    ``certified_share``, ``supervised_share``), its id: the numerator counts the workers who have it, the
    denominator every counted worker. For ``licensed`` and ``certified`` it is also the id of a dimension
    (the workers in its first group have it); ``supervised`` is no dimension. Empty for the others.
    """

    id: str
    title: StrOrPromise
    description: StrOrPromise
    numerator: StrOrPromise
    denominator: StrOrPromise
    unit: StrOrPromise
    dimensions: tuple[str, ...]
    reference_period: StrOrPromise
    null_when: StrOrPromise = ""
    attribute: str = ""


@dataclass(frozen=True)
class ReferencePeriod:
    """The calendar year ``year``: 1 January to 31 December; the reference date is 31 December."""

    year: int
    start: datetime.date
    end: datetime.date

    @property
    def reference_date(self) -> datetime.date:
        return self.end


def reference_period(*, year: int) -> ReferencePeriod:
    """The reference period of ``year``; raises ``ValueError`` for a year a date cannot hold."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(_("The year must be a whole number, not %(year)r.") % {"year": year})
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise ValueError(
            _("The year must be between %(first)d and %(last)d, not %(year)d.")
            % {"first": datetime.MINYEAR, "last": datetime.MAXYEAR, "year": year}
        )
    return ReferencePeriod(year=year, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))


def year_checked(*, text: str) -> int:
    """``text`` as a year from ``FIRST_YEAR`` to ``LAST_YEAR``; ``ValueError`` saying what is wrong."""
    try:
        year = int(text.strip())
    except ValueError:
        raise ValueError(_("%(text)r is not a year such as 2024.") % {"text": text}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("The year must be between %(first)d and %(last)d, not %(year)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": year}
        )
    return year


def years_parsed(*, text: str) -> tuple[int, ...]:
    """The years of ``--years`` (command) and ``years=`` (API), in increasing order, each once.

    ``text`` is a range ``2019-2025`` (both ends included), a list ``2019,2022,2025``, or a list of years
    and ranges (``2019-2021,2024``). Every year must be within ``FIRST_YEAR`` to ``LAST_YEAR`` and a range
    must not run backwards; otherwise ``ValueError`` with a message naming the part that is wrong.
    """
    years: set[int] = set()
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        raise ValueError(_("Give years as a range such as 2019-2025 or a list such as 2019,2022,2025."))
    for part in parts:
        if not part:
            raise ValueError(_("%(text)r has an empty item between two commas.") % {"text": text})
        first, dash, last = part.partition("-")
        if not dash:
            years.add(year_checked(text=part))
            continue
        start, end = year_checked(text=first), year_checked(text=last)
        if end < start:
            raise ValueError(
                _("The range %(part)r runs backwards; write it as %(low)d-%(high)d.")
                % {"part": part, "low": end, "high": start}
            )
        years.update(range(start, end + 1))
    return tuple(sorted(years))


def _labels(levels: tuple[str, ...]) -> str:
    return ", ".join(str(level) for level in levels)


DIMENSIONS: dict[str, Dimension] = {
    dimension.id: dimension
    for dimension in (
        Dimension(
            id="cadre",
            title=gettext_lazy("Cadre"),
            description=gettext_lazy(
                "The cadre (job title) of the worker's reference assignment; one group per cadre code."
            ),
            source=gettext_lazy("reference assignment"),
        ),
        Dimension(
            id="category",
            title=gettext_lazy("Cadre category"),
            description=gettext_lazy("The category of the cadre of the worker's reference assignment."),
            source=gettext_lazy("reference assignment's cadre"),
            groups=tuple(Group(code=choice.value, label=choice.label) for choice in CadreCategory),
        ),
        Dimension(
            id="employer",
            title=gettext_lazy("Employer"),
            description=(
                gettext_lazy(
                    "Whether the organisation of the worker's reference assignment is governmental "
                    "(organisation type 'government') or not (every other type)."
                )
            ),
            source=gettext_lazy("reference assignment's organisation type"),
            groups=(
                Group(
                    code="government",
                    label=gettext_lazy("Government"),
                    description=gettext_lazy("organisation type 'government'"),
                ),
                Group(
                    code="non_government",
                    label=gettext_lazy("Non-government"),
                    description=gettext_lazy("every other type"),
                ),
            ),
        ),
        Dimension(
            id="paid",
            title=gettext_lazy("Paid or unpaid"),
            description=gettext_lazy("Whether the worker's reference assignment is paid."),
            source=gettext_lazy("reference assignment"),
            groups=(
                Group(code="paid", label=gettext_lazy("Paid")),
                Group(code="unpaid", label=gettext_lazy("Unpaid")),
            ),
        ),
        Dimension(
            id="sex",
            title=gettext_lazy("Sex"),
            description=gettext_lazy("The worker's recorded sex; 'unknown' when not recorded."),
            source=gettext_lazy("worker"),
            groups=tuple(Group(code=choice.value, label=choice.label) for choice in Sex),
            personal=True,
        ),
        Dimension(
            id="education",
            title=gettext_lazy("Education"),
            description=gettext_lazy("The worker's highest education level, in two groups, or unknown."),
            source=gettext_lazy("worker"),
            groups=(
                Group(
                    code="post_secondary",
                    label=gettext_lazy("Post-secondary"),
                    description=format_lazy(
                        gettext_lazy("certificate and above: {levels}"), levels=_labels(POST_SECONDARY_LEVELS)
                    ),
                ),
                Group(
                    code="no_post_secondary",
                    label=gettext_lazy("No post-secondary"),
                    description=_labels(NO_POST_SECONDARY_LEVELS),
                ),
                Group(
                    code="unknown",
                    label=gettext_lazy("Unknown"),
                    description=gettext_lazy("level not recorded"),
                ),
            ),
            personal=True,
        ),
        Dimension(
            id="sector",
            title=gettext_lazy("Sector"),
            description=(
                gettext_lazy(
                    "The sector of the organisation of the worker's reference assignment; 'unknown' when the "
                    "organisation has no sector recorded."
                )
            ),
            source=gettext_lazy("reference assignment's organisation"),
            groups=(
                *(Group(code=choice.value, label=choice.label) for choice in Sector),
                Group(
                    code="unknown",
                    label=gettext_lazy("Unknown"),
                    description=gettext_lazy("no sector recorded"),
                ),
            ),
        ),
        Dimension(
            id="setting",
            title=gettext_lazy("Urban or rural"),
            description=(
                gettext_lazy(
                    "Whether the location of the worker's reference assignment is urban, rural or mixed: its "
                    "own setting, else that of the nearest location above it that has one; 'unknown' when "
                    "neither it nor any location above it has a setting recorded."
                )
            ),
            source=gettext_lazy("reference assignment's location (or its nearest ancestor with a setting)"),
            groups=(
                *(Group(code=choice.value, label=choice.label) for choice in Setting),
                Group(
                    code="unknown",
                    label=gettext_lazy("Unknown"),
                    description=gettext_lazy("no setting recorded up the tree"),
                ),
            ),
        ),
        Dimension(
            id="licensed",
            title=gettext_lazy("Licensed"),
            description=(
                gettext_lazy(
                    "Whether the worker is licensed on the reference date, 31 December: a registration of "
                    "theirs is 'registered' that day (the status of its latest status change on or before "
                    "it) and has a licence (practising certificate) valid that day, first and last day "
                    "included. Suspended, lapsed or removed registrations do not count."
                )
            ),
            source=gettext_lazy("worker (their registrations and licences)"),
            groups=(
                Group(
                    code="licensed",
                    label=gettext_lazy("Licensed"),
                    description=gettext_lazy("registered, with a valid licence, on 31 December"),
                ),
                Group(
                    code="not_licensed",
                    label=gettext_lazy("Not licensed"),
                    description=gettext_lazy("every other counted worker"),
                ),
            ),
            personal=True,
        ),
        Dimension(
            id="certified",
            title=gettext_lazy("Certified"),
            description=(
                gettext_lazy(
                    "Whether the worker is certified to work with child victims of violence on the reference "
                    "date, 31 December: on or before that day they completed a training programme that the "
                    "government recognised, on the day of the completion, as certifying to work with child "
                    "victims of violence (the programme certifies, and its recognition by the government "
                    "starts on or before the completion date). A completion from before the programme was "
                    "recognised does not count, even after it is."
                )
            ),
            source=gettext_lazy("worker (their training completions and the programmes')"),
            groups=(
                Group(
                    code="certified",
                    label=gettext_lazy("Certified"),
                    description=gettext_lazy(
                        "completed, by 31 December, a programme recognised as certifying on the completion date"
                    ),
                ),
                Group(
                    code="not_certified",
                    label=gettext_lazy("Not certified"),
                    description=gettext_lazy("every other counted worker"),
                ),
            ),
            personal=True,
        ),
    )
}
PERSONAL_DIMENSIONS = frozenset(dimension.id for dimension in DIMENSIONS.values() if dimension.personal)

_YEAR = gettext_lazy("calendar year Y (1 January to 31 December)")
_REFERENCE_DATE = gettext_lazy("the reference date, 31 December of year Y")
_ALL_DIMENSIONS = tuple(DIMENSIONS)

INDICATORS: dict[str, IndicatorDefinition] = {
    indicator.id: indicator
    for indicator in (
        IndicatorDefinition(
            id="workforce.count",
            title=gettext_lazy("Child protection workforce"),
            description=gettext_lazy(
                "How many people worked with child protection responsibility during the year in the "
                "location (including everywhere below it). Workers with at least one child protection "
                "assignment overlapping the year, paid or unpaid, governmental or not, any cadre category; "
                "each counted once, at the location of their reference assignment and every location above it."
            ),
            numerator=gettext_lazy("workers in the child protection workforce in Y counted at the location"),
            denominator=gettext_lazy("none (a count)"),
            unit=gettext_lazy("workers"),
            dimensions=_ALL_DIMENSIONS,
            reference_period=_YEAR,
        ),
        IndicatorDefinition(
            id="workforce.per_100k_children",
            title=gettext_lazy("Child protection workforce per 100,000 children"),
            description=(
                gettext_lazy(
                    "Workers of the child protection workforce per 100,000 children (aged 0-17) living in "
                    "the location (RAM output indicator 45). The child population is the location's own "
                    "estimate for the year, else the sum of the locations directly below it when every one "
                    "of them has a figure."
                )
            ),
            numerator=gettext_lazy("workforce.count of the location (or of the group)"),
            denominator=gettext_lazy("child population (aged 0-17) of the location in Y"),
            unit=gettext_lazy("workers per 100,000 children"),
            dimensions=_ALL_DIMENSIONS,
            reference_period=_YEAR,
            null_when=gettext_lazy("the child population is unknown or 0"),
        ),
        IndicatorDefinition(
            id="workforce.female_share",
            title=gettext_lazy("Share of women in the child protection workforce"),
            description=(
                gettext_lazy(
                    "Women as a share (0 to 1) of the workers of the child protection workforce whose sex is "
                    "recorded (female, male or other); workers of unknown sex are left out of both parts."
                )
            ),
            numerator=gettext_lazy("female workers counted in workforce.count"),
            denominator=gettext_lazy("workers counted in workforce.count whose sex is female, male or other"),
            unit=gettext_lazy("share (0 to 1)"),
            dimensions=(),
            reference_period=_YEAR,
            null_when=gettext_lazy("no counted worker has a known sex"),
        ),
        IndicatorDefinition(
            id="posts.vacancy_rate",
            title=gettext_lazy("Vacancy rate of funded posts"),
            description=(
                gettext_lazy(
                    "The share (0 to 1) of funded posts existing on 31 December that nobody fills on that day. "
                    "A post exists when it was established on or before that day (or has no date) and is not "
                    "abolished on or before it; it is vacant when no assignment linked to it is active that "
                    "day. Split by cadre (the cadre of the post), each cadre's row is its own vacancy rate: its "
                    "vacant funded posts over its funded posts at the location; every cadre with a funded post "
                    "there has a row, also at 0."
                )
            ),
            numerator=gettext_lazy(
                "vacant funded posts existing on the reference date at the location (of the cadre)"
            ),
            denominator=gettext_lazy(
                "funded posts existing on the reference date at the location (of the cadre)"
            ),
            unit=gettext_lazy("share (0 to 1)"),
            dimensions=("cadre",),
            reference_period=_REFERENCE_DATE,
            null_when=gettext_lazy("the location has no funded post"),
        ),
        IndicatorDefinition(
            id="workforce.licensed_share",
            title=gettext_lazy("Share of the child protection workforce licensed"),
            description=(
                gettext_lazy(
                    "The share (0 to 1) of the workers of the child protection workforce who are licensed on "
                    "31 December (RAM output indicator 45, licensed or certified): a registration of theirs "
                    "is 'registered' that day and has a licence valid that day. A worker with several "
                    "registrations is counted once. Split by a dimension, each group's row counts the "
                    "group's licensed workers over all the workers counted at the location, so the groups "
                    "add up to the whole; a group's own share is its licensed workers over its workers "
                    "(workforce.count split by the group and by licensed)."
                )
            ),
            numerator=gettext_lazy("licensed workers counted in workforce.count (of the group)"),
            denominator=gettext_lazy("workers counted in workforce.count at the location"),
            unit=gettext_lazy("share (0 to 1)"),
            dimensions=_ALL_DIMENSIONS,
            reference_period=gettext_lazy(
                "calendar year Y for who is counted; licensed on the reference date, 31 December of year Y"
            ),
            null_when=gettext_lazy("no worker is counted at the location"),
            attribute="licensed",
        ),
        IndicatorDefinition(
            id="workforce.certified_share",
            title=gettext_lazy(
                "Share of the child protection workforce certified to work with child victims"
            ),
            description=(
                gettext_lazy(
                    "The share (0 to 1) of the workers of the child protection workforce who are certified to "
                    "work with child victims of violence on 31 December (VAC 3.1(d).1: its numerator is the "
                    "number, its value the percentage, as a fraction; RAM output indicator 45, licensed or "
                    "certified): on or before that day they completed a training programme that the "
                    "government recognised, on the day of the completion, as certifying to work with child "
                    "victims of violence. A completion from before the programme was recognised does not "
                    "count, even after it is. A worker with several such completions is counted once. Split "
                    "by a dimension, each group's row counts the group's certified workers over all the "
                    "workers counted at the location, so the groups add up to the whole; a group's own share "
                    "is its certified workers over its workers (workforce.count split by the group and by "
                    "certified)."
                )
            ),
            numerator=gettext_lazy(
                "certified workers counted in workforce.count (of the group): the number of VAC 3.1(d).1"
            ),
            denominator=gettext_lazy("workers counted in workforce.count at the location"),
            unit=gettext_lazy("share (0 to 1): the percentage of VAC 3.1(d).1 as a fraction"),
            dimensions=_ALL_DIMENSIONS,
            reference_period=gettext_lazy(
                "calendar year Y for who is counted; certified on the reference date, 31 December of year Y"
            ),
            null_when=gettext_lazy("no worker is counted at the location"),
            attribute="certified",
        ),
        # The support of the workforce (contract support.md): same year, reference date and counted workers.
        IndicatorDefinition(
            id="support.supervised_share",
            title=gettext_lazy("Share of the child protection workforce supervised"),
            description=gettext_lazy(
                "The share (0 to 1) of the workers of the child protection workforce who have a supervisor "
                "on 31 December: at least one supervision relationship of theirs as supervisee is active that "
                "day (started on or before it, not ended before it). Split by a dimension, each group's row "
                "counts the group's supervised workers over all the workers counted at the location, as the "
                "licensed share does."
            ),
            numerator=gettext_lazy("supervised workers counted in workforce.count (of the group)"),
            denominator=gettext_lazy("workers counted in workforce.count at the location"),
            unit=gettext_lazy("share (0 to 1)"),
            dimensions=_ALL_DIMENSIONS,
            reference_period=gettext_lazy(
                "calendar year Y for who is counted; supervised on the reference date, 31 December of year Y"
            ),
            null_when=gettext_lazy("no worker is counted at the location"),
            attribute="supervised",
        ),
        IndicatorDefinition(
            id="support.supervisors_over_norm",
            title=gettext_lazy("Share of supervisors over their norm"),
            description=gettext_lazy(
                "The share (0 to 1) of supervisors with more distinct supervisees than their norm in the "
                "supervision relationships active on 31 December. The norm is the country's: 10 supervisees "
                "by default when supervising is the supervisor's only duty (said by one of their active "
                "relationships), otherwise 6; exactly at the norm is not over it. A supervisor is placed at "
                "the location of their reference assignment when they are counted in the workforce, else at "
                "that of their latest-starting assignment active on 31 December, else at the country."
            ),
            numerator=gettext_lazy("supervisors over their norm placed at the location"),
            denominator=gettext_lazy(
                "supervisors with at least one supervisee on the reference date placed at the location"
            ),
            unit=gettext_lazy("share (0 to 1)"),
            dimensions=(),
            reference_period=_REFERENCE_DATE,
            null_when=gettext_lazy("no supervisor is placed at the location"),
        ),
        IndicatorDefinition(
            id="support.sessions_per_supervisee",
            title=gettext_lazy("Supervision sessions per supervisee"),
            description=gettext_lazy(
                "The supervision sessions dated in the year of the workers of the child protection workforce "
                "who are supervised on 31 December, per such worker (with any supervisor)."
            ),
            numerator=gettext_lazy(
                "supervision sessions dated in Y of the supervised workers counted at the location"
            ),
            denominator=gettext_lazy(
                "workers counted in workforce.count at the location who are supervised on the reference date"
            ),
            unit=gettext_lazy("sessions per supervisee"),
            dimensions=(),
            reference_period=gettext_lazy(
                "calendar year Y for who is counted and for the sessions; supervised on 31 December of year Y"
            ),
            null_when=gettext_lazy("no counted worker is supervised at the location"),
        ),
        IndicatorDefinition(
            id="support.caseload_mean",
            title=gettext_lazy("Mean caseload"),
            description=gettext_lazy(
                "The mean number of open cases at the end of December of the workers of the child protection "
                "workforce who have a December caseload of kind 'all' recorded; workers without one are left "
                "out of both parts."
            ),
            numerator=gettext_lazy(
                "open cases at the end of December Y of the counted workers with a caseload"
            ),
            denominator=gettext_lazy("counted workers with a December Y caseload of kind 'all'"),
            unit=gettext_lazy("open cases per worker"),
            dimensions=(),
            reference_period=gettext_lazy("calendar year Y for who is counted; caseloads of December Y"),
            null_when=gettext_lazy("no counted worker has a December caseload at the location"),
        ),
        IndicatorDefinition(
            id="support.caseload_over_norm_share",
            title=gettext_lazy("Share of caseloads over the norm"),
            description=gettext_lazy(
                "The share (0 to 1) of the counted workers with a December caseload of kind 'all' whose open "
                "cases exceed the caseload norm (kind 'all') of the cadre of their reference assignment; "
                "exactly at the norm is not over it. Workers whose cadre has no such norm are left out of "
                "both parts."
            ),
            numerator=gettext_lazy("counted workers whose December Y caseload exceeds their cadre's norm"),
            denominator=gettext_lazy("counted workers with a December Y caseload and a norm for their cadre"),
            unit=gettext_lazy("share (0 to 1)"),
            dimensions=(),
            reference_period=gettext_lazy("calendar year Y for who is counted; caseloads of December Y"),
            null_when=gettext_lazy("no counted worker with a norm has a December caseload at the location"),
        ),
    )
}


# --- support.turnover_rate (contract support.md, "Turnover"; computed in sswis.indicators.turnover) ---
TURNOVER_RATE = "support.turnover_rate"
INDICATORS[TURNOVER_RATE] = IndicatorDefinition(
    id=TURNOVER_RATE,
    title=gettext_lazy("Turnover of the child protection workforce"),
    description=gettext_lazy(
        "The share of the year's workforce that left it: the workers counted in the year (as in "
        "workforce.count) who are no longer active on 31 December, over the average of the workers active "
        "on 1 January and those active on 31 December. A worker is active on a day when one of their child "
        "protection assignments is active that day (anywhere); both headcounts are counted at the location "
        "of each worker's reference assignment of the year and every location above it, as the workers who "
        "left are. Split by a dimension, each group's row is the group's own turnover: its workers who left "
        "over its own average headcount."
    ),
    numerator=gettext_lazy(
        "workers counted in workforce.count who are not active on 31 December (separated in the year)"
    ),
    denominator=gettext_lazy(
        "(counted workers active on 1 January + counted workers active on 31 December) / 2"
    ),
    unit=gettext_lazy("share (0 and up) of the average headcount"),
    dimensions=_ALL_DIMENSIONS,
    reference_period=gettext_lazy(
        "calendar year Y; the headcounts on 1 January and on 31 December of year Y"
    ),
    null_when=gettext_lazy("nobody counted at the location is active on 1 January or on 31 December"),
)
# --- end of support.turnover_rate ---


def indicators_checked(indicators: Sequence[str] | None) -> tuple[str, ...]:
    """The indicator ids asked for, in ``INDICATORS`` order, each once (``None``: every indicator; a
    single string is one indicator); ``ValueError`` naming every unknown one and the valid ones, or
    saying that none was given."""
    if indicators is None:
        return tuple(INDICATORS)
    if isinstance(indicators, str):
        indicators = (indicators,)
    unknown = [indicator for indicator in indicators if indicator not in INDICATORS]
    if unknown:
        raise ValueError(
            _("Unknown indicator %(unknown)s. Valid indicators: %(valid)s.")
            % {"unknown": ", ".join(repr(i) for i in unknown), "valid": ", ".join(INDICATORS)}
        )
    if not indicators:
        raise ValueError(_("Give at least one indicator."))
    return tuple(indicator for indicator in INDICATORS if indicator in indicators)


def dimensions_checked(by: Sequence[str]) -> tuple[str, ...]:
    """``by`` as a tuple of dimension ids, each once, in the given order (a single string is one
    dimension); ``ValueError`` naming every unknown one and the valid ones."""
    if isinstance(by, str):
        by = (by,)
    unknown = [dimension for dimension in by if dimension not in DIMENSIONS]
    if unknown:
        raise ValueError(
            _("Unknown dimension %(unknown)s. Valid dimensions: %(valid)s.")
            % {"unknown": ", ".join(repr(d) for d in unknown), "valid": ", ".join(DIMENSIONS)}
        )
    return tuple(dict.fromkeys(by))
