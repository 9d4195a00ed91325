"""The dashboard's support figures (contract ``support.md``): supervision and caseloads of the chosen
location and of each location below it, picked out of the same indicator rows as the other figures (the
rows of ``sswis.indicators.selectors.indicators_for_reader``: small cells already withheld for readers
who see aggregates only). No query of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.indicators.rows import (
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
    SESSIONS_PER_SUPERVISEE,
    SUPERVISED_SHARE,
    SUPERVISORS_OVER_NORM,
    IndicatorRow,
)
from sswis.presentation.dashboard import NOT_KNOWN, WITHHELD, Figure, withheld_reason
from sswis.presentation.number_text import count_text, decimal_text, percent_text

SUPPORT_FIGURES = (
    SUPERVISED_SHARE,
    SUPERVISORS_OVER_NORM,
    SESSIONS_PER_SUPERVISEE,
    CASELOAD_MEAN,
    CASELOAD_OVER_NORM_SHARE,
)
_SHARES = (SUPERVISED_SHARE, SUPERVISORS_OVER_NORM, CASELOAD_OVER_NORM_SHARE)


@dataclass(frozen=True)
class SupportLine:
    """The support figures of one location (in ``SUPPORT_FIGURES`` order)."""

    location: Location
    figures: list[Figure]


@dataclass(frozen=True)
class SupportPanel:
    """The support figures of the chosen location (``headline``) and of the locations below it."""

    headline: SupportLine
    children: list[SupportLine]


def _not_known_reason(indicator: str) -> str:
    return {
        SUPERVISED_SHARE: _("no worker is counted"),
        SUPERVISORS_OVER_NORM: _("no supervisor placed here has a supervisee on 31 December"),
        SESSIONS_PER_SUPERVISEE: _("no counted worker is supervised on 31 December"),
        CASELOAD_MEAN: _("no counted worker has a December caseload"),
        CASELOAD_OVER_NORM_SHARE: _(
            "no counted worker with a December caseload has a caseload norm for their cadre"
        ),
    }[indicator]


def _detail(indicator: str, numerator: int, denominator: int) -> str:
    parts = {"numerator": count_text(numerator), "denominator": count_text(denominator)}
    if indicator == SUPERVISED_SHARE:
        text = _("%(numerator)s of %(denominator)s workers supervised on 31 December")
    elif indicator == SUPERVISORS_OVER_NORM:
        text = _("%(numerator)s of %(denominator)s supervisors over their norm")
    elif indicator == SESSIONS_PER_SUPERVISEE:
        text = _("%(numerator)s sessions in the year, %(denominator)s supervisees")
    elif indicator == CASELOAD_MEAN:
        text = _("%(numerator)s open cases, %(denominator)s workers with a December caseload")
    else:
        text = _("%(numerator)s of %(denominator)s caseloads over their cadre's norm")
    return text % parts


def support_figure(row: IndicatorRow, *, minimum: int) -> Figure:
    """One support row ready to show: its value (a percentage for shares, a number for means) with what
    it is made of, or why it is withheld or not known."""
    if row.withheld:
        return Figure(row.indicator, None, str(WITHHELD), "", withheld_reason(minimum), withheld=True)
    if row.value is None or row.numerator is None or not row.denominator:
        return Figure(row.indicator, None, str(NOT_KNOWN), "", _not_known_reason(row.indicator))
    text = percent_text(row.value) if row.indicator in _SHARES else decimal_text(row.value)
    return Figure(
        row.indicator, row.value, text, _detail(row.indicator, row.numerator, row.whole_denominator or 0)
    )


def _line(location: Location, rows: dict[str, IndicatorRow], *, minimum: int) -> SupportLine:
    return SupportLine(
        location=location,
        figures=[support_figure(rows[indicator], minimum=minimum) for indicator in SUPPORT_FIGURES],
    )


def support_build(
    *, location: Location, children: Sequence[Location], rows: Sequence[IndicatorRow], minimum: int
) -> SupportPanel | None:
    """The support figures of ``location`` and of ``children`` (in the given order) from ``rows`` (their
    ``{}`` rows are used); ``None`` when the rows hold no support figure (not asked for)."""
    plain: dict[str, dict[str, IndicatorRow]] = {}
    for row in rows:
        if not row.group and row.indicator in SUPPORT_FIGURES:
            plain.setdefault(row.location, {})[row.indicator] = row
    if set(plain.get(location.code, {})) != set(SUPPORT_FIGURES):
        return None
    return SupportPanel(
        headline=_line(location, plain[location.code], minimum=minimum),
        children=[
            _line(child, plain[child.code], minimum=minimum)
            for child in children
            if set(plain.get(child.code, {})) == set(SUPPORT_FIGURES)
        ],
    )
