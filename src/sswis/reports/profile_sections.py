"""The profile's sections that come from the other domain apps: caseloads (``support.caseload_distribution``),
attrition (``support.retention`` and the turnover indicator), perceptions (``surveys``), the planning gap
and cost of a scenario (``planning``), the quality-assurance score (``quality``) and the methods annex
(``indicators.definitions`` and the planning's definitions). Each takes the figures from its app's
selectors, with the small cells withheld as the :class:`~sswis.reports.reader.Reader` asks; nothing is
counted here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.geo.models import Location
from sswis.indicators.definitions import DIMENSIONS, INDICATORS, IndicatorDefinition
from sswis.indicators.disclosure import small_cell_minimum
from sswis.indicators.turnover import TURNOVER_RATE
from sswis.planning.comparison import ALL_CADRES, ScenarioOutcome, scenario_outcomes
from sswis.planning.models import Scenario
from sswis.planning.projection import Projection, scenario_project
from sswis.planning.selectors import scenario_parameters, scenarios_listed
from sswis.presentation.charts import Bar, Point, bar_chart_svg, trend_chart_svg
from sswis.presentation.number_text import count_text, decimal_text, percent_text
from sswis.quality.explanations import proposal_explanation, reason_lines
from sswis.quality.models import CRITERION_NUMBER, Criterion, Instrument
from sswis.quality.proposals import Proposal, proposals_compute
from sswis.quality.rules import BANDS
from sswis.quality.selectors import YearScores, instruments_listed, year_scores
from sswis.registry.models import Cadre
from sswis.reports.reader import Reader
from sswis.support.caseload_distribution import (
    DistributionRow,
    caseload_distribution,
    distribution_for_reader,
    distribution_small_cells_withheld,
)
from sswis.support.retention import (
    Retention,
    retention_compute,
    retention_for_reader,
    retention_small_cells_withheld,
)
from sswis.surveys.models import SurveyRound
from sswis.surveys.selectors import PerceptionSummary, perception_summary_compute, withheld_explanation

# --- caseloads -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadSection:
    """December's caseloads of the location's workers, by cadre (``support.caseload_distribution``)."""

    month: datetime.date
    rows: list[DistributionRow]

    @property
    def withheld(self) -> bool:
        return any(row.withheld or row.over_norm_withheld for row in self.rows)

    @property
    def lines(self) -> list[tuple[str, str, str, str, str, str]]:
        """Per cadre, as text: name, workers, mean, median, norm, share over the norm (withheld or blank)."""
        withheld = _("withheld")
        lines = []
        for row in self.rows:
            if row.withheld:
                lines.append((row.cadre_name, count_text(row.workers), withheld, withheld, "", withheld))
                continue
            over = row.over_norm_share
            lines.append(
                (
                    row.cadre_name,
                    count_text(row.workers),
                    decimal_text(row.mean) if row.mean is not None else "",
                    decimal_text(row.median) if row.median is not None else "",
                    count_text(row.norm) if row.norm is not None else "",
                    withheld if row.over_norm_withheld else (percent_text(over) if over is not None else ""),
                )
            )
        return lines


def caseload_section(*, reader: Reader, location: Location, year: int) -> CaseloadSection:
    """December's distribution of ``year`` at ``location``: for publication, withheld as for a reader who
    sees no location in full (decided over the whole country, as ``distribution_for_reader`` does)."""
    month = datetime.date(year, 12, 1)
    if reader.publication:
        whole = caseload_distribution(month=month)
        parents = dict(Location.objects.values_list("code", "parent__code"))
        rows = distribution_small_cells_withheld(
            rows=whole.rows, minimum=small_cell_minimum(), shown_in_full=set(), parents=parents
        )
    elif reader.user is None:
        rows = caseload_distribution(month=month, location=location, depth=0).rows
    else:
        rows = distribution_for_reader(user=reader.user, month=month, location=location, depth=0).rows
    return CaseloadSection(month=month, rows=[row for row in rows if row.location == location.code])


# --- attrition -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttritionSection:
    """The turnover of the year and the five before it, the exits by reason and by cadre."""

    retention: Retention
    trend_chart: SafeString
    reasons_chart: SafeString

    @property
    def trend(self) -> list[tuple[int, str, str, str]]:
        """Per year: the rate, the workers who left and the average headcount, as text."""
        return [
            (
                year,
                percent_text(rate) if rate is not None else _("not known"),
                count_text(separated) if separated is not None else "",
                decimal_text(average) if average is not None else "",
            )
            for year, rate, separated, average in self.retention.trend
        ]

    @property
    def by_cadre(self) -> list[tuple[str, str, str, str]]:
        """Per cadre, as text: name, workers counted, workers who left, turnover rate (or withheld)."""
        withheld = _("withheld")
        return [
            (
                line.label,
                withheld if line.withheld else count_text(line.counted),
                withheld if line.withheld else count_text(line.separated),
                withheld if line.withheld else (percent_text(line.rate) if line.rate is not None else ""),
            )
            for line in self.retention.by_cadre
        ]


def attrition_section(*, reader: Reader, location: Location, year: int) -> AttritionSection:
    """The retention figures of ``location`` as the reader gets them (``support.retention``), with the
    turnover indicator's rows of the six years for the trend."""
    if reader.user is not None and not reader.publication:
        retention = retention_for_reader(user=reader.user, year=year, location=location)
    else:
        retention = retention_compute(year=year, location=location)
        if reader.publication:
            retention = retention_small_cells_withheld(retention, minimum=small_cell_minimum())
        years = [y for y in range(year - 5, year + 1) if y >= 1900]
        rows = reader.rows(years=years, by=(), location=location, depth=0, indicators=(TURNOVER_RATE,))
        by_year = {
            row.year: row
            for row in rows
            if row.indicator == TURNOVER_RATE and row.location == location.code and not row.group
        }
        retention.trend = [
            (
                y,
                by_year[y].value,
                by_year[y].numerator,
                None if by_year[y].denominator is None else float(by_year[y].denominator or 0),
            )
            if y in by_year
            else (y, None, None, None)
            for y in years
        ]
    trend_chart = trend_chart_svg(
        title=_("Turnover rate, %(location)s") % {"location": location.name},
        points=[
            Point(y, rate, percent_text(rate) if rate is not None else "")
            for y, rate, _separated, _average in retention.trend
        ],
        axis_title=_("Workers who left"),
        share=True,
    )
    reasons = [line for line in retention.by_exit_reason if line.separated is not None and line.separated > 0]
    reasons_chart = bar_chart_svg(
        title=_("Workers who left in %(year)d by reason, %(location)s")
        % {"year": year, "location": location.name},
        bars=[Bar(line.label, float(line.separated or 0), count_text(line.separated)) for line in reasons],
        axis_title=_("Workers who left"),
    )
    return AttritionSection(retention=retention, trend_chart=trend_chart, reasons_chart=reasons_chart)


# --- perceptions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerceptionSection:
    """The perception survey round of the year (the latest that started in it), or none."""

    survey_round: SurveyRound | None
    summary: PerceptionSummary | None

    @property
    def withheld_text(self) -> str:
        return withheld_explanation(summary=self.summary) if self.summary else ""

    @property
    def questions(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """Per question, its label and, per answer, the label, the workers and their share, as text."""
        if self.summary is None:
            return []
        return [
            (
                question.label,
                [
                    (answer.label, count_text(answer.count), percent_text(answer.share))
                    for answer in question.answers
                ],
            )
            for question in self.summary.questions
        ]


def perception_section(*, reader: Reader, location: Location, year: int) -> PerceptionSection:
    """The answers of the latest survey round that started in ``year``, in ``location``'s subtree. The
    surveys' own rule withholds small groups for every reader alike (``surveys.selectors``)."""
    survey_round = SurveyRound.objects.filter(starts_on__year=year).order_by("-starts_on", "-pk").first()
    if survey_round is None:
        return PerceptionSection(survey_round=None, summary=None)
    return PerceptionSection(
        survey_round=survey_round,
        summary=perception_summary_compute(round_code=survey_round.code, location_code=location.code),
    )


# --- planning --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeLine:
    """One cadre's (or all cadres') outcome of the scenario, as text."""

    label: str
    final_stock: str
    final_required: str
    final_gap: str
    gap_closes: str
    cost_to_close: str
    total_cost: str


@dataclass(frozen=True)
class PlanningSection:
    """The chosen scenario's projection at the location: the gap between supply and requirement at the end
    of the horizon, when it closes and what it costs. ``scenario`` ``None``: none applies (``note``
    says why)."""

    scenario: Scenario | None
    projection: Projection | None = None
    outcomes: list[OutcomeLine] = field(default_factory=list)
    chart: str = ""
    note: str = ""


def scenario_chosen(*, location: Location, year: int, code: str = "") -> Scenario | None:
    """The scenario the profile shows: ``code`` when given (``ValueError`` when no scenario has it);
    otherwise among the scenarios kept for ``location`` or a location above it (so their projection can be
    made for it), the one nearest to the location, then with ``year`` as its base year, else the latest
    base year before it, then the first by code. ``None`` when none applies."""
    scenarios = scenarios_listed().select_related("location")
    if code:
        chosen = scenarios.filter(code=code).first()
        if chosen is None:
            raise ValueError(_("No scenario has the code %(code)s.") % {"code": code})
        return chosen
    applicable = [s for s in scenarios if location.path.startswith(s.location.path)]
    if not applicable:
        return None
    return min(
        applicable,
        key=lambda s: (
            -s.location.depth,
            s.base_year != year,
            s.base_year > year,
            -s.base_year,
            s.code,
        ),
    )


def _money(value: float | None) -> str:
    return "" if value is None else decimal_text(value, places=0)


def planning_section(*, location: Location, year: int, code: str = "") -> PlanningSection:
    """The chosen scenario's projection at ``location`` and its outcomes per cadre and in all
    (``planning.comparison.scenario_outcomes``)."""
    scenario = scenario_chosen(location=location, year=year, code=code)
    if scenario is None:
        return PlanningSection(scenario=None, note=_("No projection scenario is kept for this location."))
    try:
        projection = scenario_project(scenario=scenario_parameters(scenario=scenario), location=location)
    except ValueError as problem:
        return PlanningSection(scenario=scenario, note=str(problem))
    names = dict(Cadre.objects.values_list("code", "name"))
    outcomes = scenario_outcomes(projection=projection)
    lines = [_outcome_line(outcome, names) for outcome in outcomes]
    per_cadre = [o for o in outcomes if o.cadre != ALL_CADRES and o.final_gap is not None]
    chart = bar_chart_svg(
        title=_("Gap between supply and requirement in %(year)d, by cadre (%(scenario)s)")
        % {"year": projection.rows[-1].year if projection.rows else year, "scenario": scenario.name},
        bars=[
            Bar(
                names.get(o.cadre, o.cadre), float(o.final_gap or 0), decimal_text(o.final_gap or 0, places=0)
            )
            for o in per_cadre
        ],
        axis_title=_("Workers (supply minus requirement)"),
    )
    return PlanningSection(scenario=scenario, projection=projection, outcomes=lines, chart=chart)


def _outcome_line(outcome: ScenarioOutcome, names: dict[str, str]) -> OutcomeLine:
    return OutcomeLine(
        label=_("All cadres") if outcome.cadre == ALL_CADRES else names.get(outcome.cadre, outcome.cadre),
        final_stock=decimal_text(outcome.final_stock, places=0),
        final_required=""
        if outcome.final_required is None
        else decimal_text(outcome.final_required, places=0),
        final_gap="" if outcome.final_gap is None else decimal_text(outcome.final_gap, places=0),
        gap_closes=str(outcome.gap_closes) if outcome.gap_closes is not None else _("not within the horizon"),
        cost_to_close=_money(outcome.cost_to_close),
        total_cost=_money(outcome.total_cost),
    )


# --- quality-assurance score -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionLine:
    number: int
    label: str
    score: int | None
    evidence: str
    links: list[str]
    proposed: int | None
    explanation: str
    reasons: list[tuple[str, str]]


@dataclass(frozen=True)
class QualitySection:
    """The year's SP 3.a.1 scores of record with their evidence, the proposals from the data, the
    composite and its band, and the framework inventory (criterion 1)."""

    scores: YearScores
    criteria: list[CriterionLine]
    instruments: list[Instrument]


def quality_section(*, year: int) -> QualitySection:
    """The national quality-assurance score of ``year`` (``quality.selectors``, ``quality.proposals``)."""
    scores = year_scores(year=year)
    proposals: dict[str, Proposal] = proposals_compute(year=year)
    lines = []
    for criterion in Criterion:
        row = scores.scores.get(criterion.value)
        proposal = proposals.get(criterion.value)
        lines.append(
            CriterionLine(
                number=CRITERION_NUMBER[criterion],
                label=str(criterion.label),
                score=row.score if row is not None else None,
                evidence=row.evidence if row is not None else "",
                links=list(row.links) if row is not None else [],
                proposed=proposal.proposed if proposal is not None else None,
                explanation=proposal_explanation(criterion.value, proposal.proposed, proposal.reasons)
                if proposal is not None
                else "",
                reasons=reason_lines(proposal.reasons) if proposal is not None else [],
            )
        )
    instruments: QuerySet[Instrument] = instruments_listed()
    return QualitySection(scores=scores, criteria=lines, instruments=list(instruments))


# --- methods annex ---------------------------------------------------------------------------------------

PLANNING_TERMS = (
    (
        gettext_lazy("Supply"),
        gettext_lazy(
            "the workers projected for each year: the base year's workforce "
            "counted by the indicators, less exits (the attrition rate) and retirements (the retirement age), "
            "plus the graduates absorbed and the recruits of the scenario"
        ),
    ),
    (
        gettext_lazy("Requirement"),
        gettext_lazy(
            "the target ratio of workers per 100,000 children applied "
            "to the projected child population (empty when the scenario sets no target)"
        ),
    ),
    (
        gettext_lazy("Gap"),
        gettext_lazy("supply minus requirement at the end of the horizon: below 0, workers are missing"),
    ),
    (gettext_lazy("Gap closes"), gettext_lazy("the first year in which supply reaches the requirement")),
    (
        gettext_lazy("Cost"),
        gettext_lazy(
            "salaries with on-costs and salary growth, and the training cost "
            "of every entrant, summed over the years (to the year the gap closes, or the whole horizon)"
        ),
    ),
)


@dataclass(frozen=True)
class MethodsAnnex:
    """The definitions of every figure shown, generated from the definitions in code."""

    indicators: list[IndicatorDefinition]
    dimensions: list[Any]
    planning_terms: list[tuple[str, str]]
    attrition_rates: list[tuple[str, str]]
    bands: list[tuple[str, str]]


def methods_annex(*, planning: PlanningSection) -> MethodsAnnex:
    """The indicator definitions (``indicators.definitions``), the dimensions of the tables, the planning
    terms and the attrition rates the scenario used, and the bands of the composite score."""
    rates: list[tuple[str, str]] = []
    if planning.projection is not None:
        names = dict(Cadre.objects.values_list("code", "name"))
        rates = [
            (names.get(cadre, cadre), percent_text(rate))
            for cadre, rate in sorted(planning.projection.attrition_rates.items())
        ]
    return MethodsAnnex(
        indicators=[INDICATORS[key] for key in INDICATORS],
        dimensions=[DIMENSIONS[key] for key in DIMENSIONS],
        planning_terms=[(str(term), str(meaning)) for term, meaning in PLANNING_TERMS],
        attrition_rates=rates,
        bands=[
            (str(BANDS["well_developed"]), "13-16"),
            (str(BANDS["mid_level"]), "9-12"),
            (str(BANDS["early_development"]), "5-8"),
            (str(BANDS["no_development"]), "4"),
        ],
    )
