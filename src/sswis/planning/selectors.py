"""Planning's reads: the registry figures a plan starts from, through the indicators' one definition."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.indicators.selectors import COUNT, indicators_compute
from sswis.planning.wisn import WisnInputError, WisnResult, WisnStudy, wisn_compute, wisn_study_parse
from sswis.registry.models import Cadre


def cadre_workforce_count(*, cadre: Cadre, location: Location, year: int) -> int:
    """``workforce.count`` of ``cadre`` at ``location`` (and below) in ``year``: the indicators' own
    count, split by cadre, for that location alone; 0 when nobody of the cadre is counted there."""
    for row in indicators_compute(year=year, by=("cadre",), location=location, depth=0):
        if row.indicator == COUNT and row.location == location.code and row.group == {"cadre": cadre.code}:
            return int(row.numerator or 0)
    return 0


def wisn_evaluate(*, data: object) -> tuple[WisnStudy, WisnResult]:
    """The study described by ``data`` (the contract's JSON document, decoded) and its result.

    The existing staff are the study's own figure, else the registry's count of the cadre at the
    location in the study's year. Raises :class:`WisnInputError` naming the field at fault, an unknown
    cadre or location among them. Reads only; stores nothing.
    """
    study = wisn_study_parse(data=data)
    cadre = Cadre.objects.filter(code=study.cadre).first()
    if cadre is None:
        raise WisnInputError("cadre", _("there is no cadre with the code %(code)r.") % {"code": study.cadre})
    location = Location.objects.filter(code=study.location).first()
    if location is None:
        raise WisnInputError(
            "location", _("there is no location with the code %(code)r.") % {"code": study.location}
        )
    existing = study.existing_staff
    if existing is None:
        try:
            existing = float(cadre_workforce_count(cadre=cadre, location=location, year=study.year))
        except ValueError as problem:  # a year the indicators refuse
            raise WisnInputError("year", str(problem)) from problem
    return study, wisn_compute(study=study, existing_staff=existing)
