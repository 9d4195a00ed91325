"""The retention and attrition page (``/support/retention/``): turnover, tenure, retention curves, the
vacancy duration of posts and planning's attrition estimate, for a year and a location.

Aggregates only, for every role but outsiders and workers' own logins
(``access.support_policy.require_support_read``); small cells withheld for readers who may not see every
figure of the location (``sswis.support.retention``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.presentation.charts import Bar, Point, bar_chart_svg, trend_chart_svg
from sswis.presentation.number_text import count_text, percent_text
from sswis.support.retention import Retention, retention_for_reader
from sswis.support.retention_queries import RETENTION_YEARS
from sswis.web.decorators import support_read_required
from sswis.web.retention_charts import retention_curves_svg
from sswis.web.retention_forms import RetentionForm


@support_read_required
def retention_view(request: HttpRequest) -> HttpResponse:
    """The figures of ``?year=`` (default: the last whole year) at ``?location=CODE`` (default: the user's
    own location, else the country), with their charts and tables. An unknown location or a year out of
    range is a 404."""
    form = RetentionForm(request.GET or None, locations=policy.locations_in_scope(user=request.user))
    if request.GET and not form.is_valid():
        raise Http404(_("Unknown year or location."))
    year = form.chosen_year()
    location = (form.cleaned_data.get("location") if request.GET else None) or policy.default_location_for(
        user=request.user
    )
    result = retention_for_reader(user=request.user, year=year, location=location) if location else None
    return render(
        request,
        "web/support/retention.html",
        {
            "nav": "retention",
            "form": form,
            "year": year,
            "location": location,
            "result": result,
            "after_years": RETENTION_YEARS,
            "cohorts": _cohort_rows(result) if result else [],
            "charts": _charts(result) if result else {},
        },
    )


def _cohort_rows(result: Retention) -> list[tuple[object, list[tuple[int | None, float | None]]]]:
    return [
        (cohort, [(cohort.still_active[after], cohort.share[after]) for after in RETENTION_YEARS])
        for cohort in result.cohorts
    ]


def _charts(result: Retention) -> dict[str, str]:
    share = _("Turnover")
    return {
        "trend": trend_chart_svg(
            title=_("Turnover by year"),
            points=[
                Point(year=year, value=rate, text=percent_text(rate) if rate is not None else "")
                for year, rate, _separated, _average in result.trend
            ],
            axis_title=share,
            share=True,
        ),
        "locations": bar_chart_svg(
            title=_("Turnover by location"),
            bars=[
                Bar(label=line.label, value=line.rate, text=percent_text(line.rate))
                for line in result.by_location
                if line.rate is not None
            ],
            axis_title=share,
        ),
        "reasons": bar_chart_svg(
            title=_("Workers who left, by exit reason"),
            bars=[
                Bar(label=line.label, value=line.separated, text=count_text(line.separated))
                for line in result.by_exit_reason
                if line.separated
            ],
            axis_title=_("Workers who left"),
        ),
        "tenure": bar_chart_svg(
            title=_("Workers by years of service"),
            bars=[
                Bar(label=band.label, value=band.workers, text=count_text(band.workers))
                for band in result.tenure
                if band.workers
            ],
            axis_title=_("Workers"),
        ),
        "curves": retention_curves_svg(
            title=_("Share of each entry cohort still active"),
            after=RETENTION_YEARS,
            curves=[
                (str(cohort.year), tuple(cohort.share[after] for after in RETENTION_YEARS))
                for cohort in result.cohorts
            ],
            x_title=_("Years after entry"),
            y_title=_("Still active"),
        ),
    }
