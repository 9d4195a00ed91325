"""Graduates from training in a projection scenario: the graduates the training pipeline expects
(``training.pipeline.graduates_expected``) for each of the scenario's years t = 1..T, per cadre, and the
service that writes them into the scenario as its ``graduates`` (contract ``planning.md``: a list of T
numbers per cadre), keeping every other parameter.

The programmes counted are those of the institutions located where the scenario plans for, or below it
(every programme, institutions without a location included, for a scenario of the whole country): the
scenario's graduates are those of the place it plans for (``planning.projection``). A cadre no pre-service
programme (of a known duration) prepares for is left as it is: training says nothing about it.

Figures are unrounded when read; written into the scenario they are rounded to four decimals (a
scenario's document stays readable and fits the scenario form's boxes).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Scenario
from sswis.planning.selectors import scenario_parameters
from sswis.planning.services import scenario_save
from sswis.training.pipeline import ExpectedGraduates, graduates_expected

DECIMALS = 4


@dataclass(frozen=True)
class TrainingGraduates:
    """A scenario's graduates from training: ``years`` (Y0 + 1 .. Y0 + T); per cadre of the scenario that
    training prepares for, one figure a year (``cadres``); the scenario's other cadres (``untouched``); and
    the pipeline's figures per programme (``expected``)."""

    scenario: str
    years: list[int]
    cadres: dict[str, tuple[float, ...]]
    untouched: list[str]
    expected: ExpectedGraduates

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "years": self.years,
            "cadres": {code: list(values) for code, values in self.cadres.items()},
            "untouched": self.untouched,
            "programmes": [
                {
                    "programme": programme.programme,
                    "cadres": list(programme.cadres),
                    "years_to_graduate": programme.years_to_graduate,
                    "completion_rate": programme.completion_rate,
                    "rate_years": list(programme.rate_years),
                    "graduates": list(programme.graduates),
                }
                for programme in self.expected.programmes
            ],
        }


def scenario_training_graduates(*, scenario: Scenario) -> TrainingGraduates:
    """The graduates training gives ``scenario``'s cadres in each of its years (module docstring). Reads
    only."""
    parameters = scenario_parameters(scenario=scenario)
    location = scenario.location
    within = None if location.parent_id is None else location
    expected = graduates_expected(base_year=parameters.base_year, horizon=parameters.horizon, within=within)
    cadres = {code: expected.by_cadre[code] for code in parameters.cadres if code in expected.by_cadre}
    return TrainingGraduates(
        scenario=scenario.code,
        years=expected.years,
        cadres=cadres,
        untouched=[code for code in parameters.cadres if code not in cadres],
        expected=expected,
    )


@transaction.atomic
def scenario_graduates_from_training(*, actor: Any, scenario: Scenario) -> Scenario:
    """Write the graduates from training (:func:`scenario_training_graduates`) into ``scenario`` as each
    cadre's ``graduates`` list, keeping every other parameter; stored by ``services.scenario_save``
    (audited with ``actor``; who may change the scenario is checked there). Raises ``PlanInputError``
    (``cadres``) when training prepares for none of its cadres, writing nothing."""
    if actor is not None:  # refused before anything is read (``None``: the server's operator)
        policy.require_plan_role(user=actor)
        policy.require_plan_change(user=actor, location=scenario.location)
    figures = scenario_training_graduates(scenario=scenario)
    if not figures.cadres:
        raise PlanInputError(
            "cadres",
            _("no pre-service programme with a duration prepares for this scenario's cadres (%(cadres)s).")
            % {"cadres": ", ".join(figures.untouched)},
        )
    document = copy.deepcopy(scenario.document)
    plans = document.setdefault("cadres", {})
    for code, values in figures.cadres.items():
        plan = plans.setdefault(code, {})
        plan["graduates"] = [round(value, DECIMALS) for value in values]
    return scenario_save(actor=actor, data=document)
