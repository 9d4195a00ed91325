"""Planning's reads: the registry figures a plan starts from, through the indicators' one definition."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.indicators.selectors import COUNT, indicators_compute
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Scenario, WisnStudyRecord
from sswis.planning.scenarios import ScenarioParameters, scenario_parse
from sswis.planning.wisn import WisnResult, WisnStudy, wisn_compute, wisn_study_parse
from sswis.registry.models import Cadre


def cadre_workforce_count(*, cadre: Cadre, location: Location, year: int) -> int:
    """``workforce.count`` of ``cadre`` at ``location`` (and below) in ``year``: the indicators' own
    count, split by cadre, for that location alone; 0 when nobody of the cadre is counted there."""
    for row in indicators_compute(year=year, by=("cadre",), location=location, depth=0, indicators=[COUNT]):
        if row.indicator == COUNT and row.location == location.code and row.group == {"cadre": cadre.code}:
            return int(row.numerator or 0)
    return 0


def wisn_evaluate(*, data: object) -> tuple[WisnStudy, WisnResult]:
    """The study described by ``data`` (the contract's JSON document, decoded) and its result.

    The existing staff are the study's own figure, else the registry's count of the cadre at the
    location in the study's year. Raises :class:`PlanInputError` naming the field at fault, an unknown
    cadre or location among them. Reads only; stores nothing.
    """
    study = wisn_study_parse(data=data)
    cadre = Cadre.objects.filter(code=study.cadre).first()
    if cadre is None:
        raise PlanInputError("cadre", _("there is no cadre with the code %(code)r.") % {"code": study.cadre})
    location = Location.objects.filter(code=study.location).first()
    if location is None:
        raise PlanInputError(
            "location", _("there is no location with the code %(code)r.") % {"code": study.location}
        )
    existing = study.existing_staff
    if existing is None:
        try:
            existing = float(cadre_workforce_count(cadre=cadre, location=location, year=study.year))
        except ValueError as problem:  # a year the indicators refuse
            raise PlanInputError("year", str(problem)) from problem
    return study, wisn_compute(study=study, existing_staff=existing)


def scenario_checked(*, data: object) -> tuple[ScenarioParameters, Location]:
    """The scenario described by ``data`` and the location it is kept at (its ``location``, else the root
    of the tree), with every code checked against the registry. Raises :class:`PlanInputError` naming
    the field at fault: an unknown cadre (``cadres.XX``, ``task_shifting[0].to``) or location among them.
    Reads only."""
    parameters = scenario_parse(data=data)
    known = set(Cadre.objects.filter(code__in=parameters.cadres).values_list("code", flat=True))
    for code in parameters.cadres:
        if code not in known:
            field = f"cadres.{code}"
            for index, shift in enumerate(parameters.task_shifting):
                if code in (shift.from_cadre, shift.to_cadre) and code not in _given_cadres(data):
                    field = f"task_shifting[{index}].{'from' if shift.from_cadre == code else 'to'}"
                    break
            raise PlanInputError(field, _("there is no cadre with the code %(code)r.") % {"code": code})
    if parameters.location:
        location = Location.objects.filter(code=parameters.location).first()
        if location is None:
            raise PlanInputError(
                "location", _("there is no location with the code %(code)r.") % {"code": parameters.location}
            )
    else:
        location = Location.objects.filter(parent__isnull=True).order_by("code").first()
        if location is None:
            raise PlanInputError("location", _("the registry has no locations yet."))
    return parameters, location


def _given_cadres(data: object) -> set[str]:
    cadres = data.get("cadres") if isinstance(data, dict) else None
    return {str(code) for code in cadres} if isinstance(cadres, dict) else set()


def scenario_parameters(*, scenario: Scenario) -> ScenarioParameters:
    """The parameters of a stored scenario (its document was checked when it was saved)."""
    return scenario_parse(data=scenario.document)


def scenarios_listed() -> QuerySet[Scenario]:
    """Every stored scenario, by code, with its location (aggregates only: any role may read them)."""
    return Scenario.objects.select_related("location").order_by("code")


def wisn_studies_listed() -> QuerySet[WisnStudyRecord]:
    """Every stored WISN study, by code, with its cadre and location."""
    return WisnStudyRecord.objects.select_related("cadre", "location").order_by("code")
