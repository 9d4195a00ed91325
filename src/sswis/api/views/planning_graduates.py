"""A scenario's graduates from training (``planning.training_graduates``): the graduates the training
pipeline expects in each of the scenario's years, per cadre and per programme (GET, any role with
aggregates), and writing them into the scenario as its cadres' ``graduates`` (POST, whoever may change the
scenario: a national data manager, or a subnational officer in their area)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.api.permissions import AGGREGATES
from sswis.api.planning_serializers import ScenarioSerializer
from sswis.api.views.base import ServiceAPIView
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Scenario
from sswis.planning.selectors import scenarios_listed
from sswis.planning.training_graduates import scenario_graduates_from_training, scenario_training_graduates


class ProgrammeGraduatesSerializer(serializers.Serializer[Any]):
    programme = serializers.CharField()
    cadres = serializers.ListField(child=serializers.CharField())
    years_to_graduate = serializers.IntegerField()
    completion_rate = serializers.FloatField()
    rate_years = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=gettext_lazy("The graduation years the rate was computed over (none: the rate is 1)."),
    )
    graduates = serializers.ListField(child=serializers.FloatField())


class TrainingGraduatesSerializer(serializers.Serializer[Any]):
    scenario = serializers.CharField()
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text=gettext_lazy("Y0 + 1 .. Y0 + T.")
    )
    cadres = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text=gettext_lazy("Per cadre code, the graduates expected in each year, unrounded."),
    )
    untouched = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("The scenario's cadres no pre-service programme prepares for."),
    )
    programmes = ProgrammeGraduatesSerializer(many=True)


NOT_FOUND = OpenApiResponse(description=gettext_lazy("There is no scenario with this code."))


def _scenario(code: str) -> Scenario:
    scenario = scenarios_listed().filter(code=code).first()
    if scenario is None:
        raise NotFound(gettext("There is no scenario with the code %(code)r.") % {"code": code})
    return scenario


class ScenarioTrainingGraduatesView(ServiceAPIView):
    """The graduates training gives a scenario's cadres, and (POST) using them as its graduates."""

    permission_classes = AGGREGATES

    @extend_schema(responses={200: TrainingGraduatesSerializer, 404: NOT_FOUND})
    def get(self, request: Request, code: str) -> Response:
        """Per cadre of the scenario, the graduates expected from the intakes of the pre-service
        programmes of the institutions where it plans (``docs/training.md``), one figure per year t =
        1..T; and the programmes' figures with their completion rates."""
        return Response(scenario_training_graduates(scenario=_scenario(code)).as_json())

    @extend_schema(request=None, responses={200: ScenarioSerializer, 404: NOT_FOUND})
    def post(self, request: Request, code: str) -> Response:
        """Write those figures into the scenario as its cadres' ``graduates`` (rounded to four decimals),
        every other parameter kept; 400 (``cadres``) when training prepares for none of its cadres."""
        try:
            scenario = scenario_graduates_from_training(actor=request.user, scenario=_scenario(code))
        except PlanInputError as problem:
            raise ValidationError({problem.field: [problem.message]}) from problem
        return Response(ScenarioSerializer(scenario).data)
