"""The wellbeing scales from the perception survey: scores worked out by hand, workers with an empty item
not scored, the high level's boundary, the perception summary's withholding, refused personas, the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sswis.surveys.models import SurveyRound
from sswis.surveys.wellbeing import wellbeing_summary
from tests.conftest import Country, Personas
from tests.factories import PerceptionResponseFactory, SurveyRoundFactory, WorkerFactory

# (district, burnout items, compassion fatigue items); "" = not answered
ANSWERS = [
    ("D11", ("very_often", "often", "sometimes"), ("never", "never", "never")),  # 4+3+2 = 9 high; 0
    ("D11", ("often", "often", "sometimes"), ("rarely", "rarely", "")),  # 3+3+2 = 8 high (boundary); unscored
    ("D11", ("never", "rarely", "sometimes"), ("often", "often", "often")),  # 0+1+2 = 3; 9 high
    ("D11", ("sometimes", "sometimes", "sometimes"), ("sometimes", "rarely", "never")),  # 6; 3
    ("D11", ("", "", ""), ("very_often", "very_often", "very_often")),  # unscored; 12 high
]
ITEMS = (
    ("burnout_exhausted", "burnout_detached", "burnout_ineffective"),
    ("fatigue_intrusive", "fatigue_avoidance", "fatigue_sleep"),
)


def respond(country: Country, answers: list[Any], round_code: str = "2025") -> None:
    survey_round = SurveyRoundFactory(code=round_code)
    districts = {"D11": country.district_11, "D12": country.district_12, "D21": country.district_21}
    for district, burnout, fatigue in answers:
        fields = dict(zip(ITEMS[0], burnout, strict=True)) | dict(zip(ITEMS[1], fatigue, strict=True))
        PerceptionResponseFactory(
            survey_round=survey_round, worker=WorkerFactory(), location=districts[district], **fields
        )


def test_the_scales_worked_out_by_hand(country: Country, personas: Personas) -> None:
    respond(country, ANSWERS)
    summary = wellbeing_summary(
        user=personas.analyst, survey_round=SurveyRound.objects.get(code="2025"), location=country.region_1
    )
    assert (summary.respondents, summary.withheld) == (5, False)
    burnout, fatigue = (scale.as_json() for scale in summary.scales)
    # burnout: 9, 8, 3, 6 (the fifth unscored): mean 26 / 4 = 6.5; high (8 or more) 2 of 4
    assert burnout == {
        "name": "burnout",
        "label": "Burnout",
        "maximum": 12,
        "high_from": 8,
        "scored": 4,
        "mean": 6.5,
        "high": 2,
        "share_high": 0.5,
    }
    # compassion fatigue: 0, 9, 3, 12 (the second unscored): mean 24 / 4 = 6.0; high 2 of 4
    assert (fatigue["scored"], fatigue["mean"], fatigue["high"], fatigue["share_high"]) == (4, 6.0, 2, 0.5)


def test_withheld_as_the_perception_summary(country: Country, personas: Personas) -> None:
    respond(country, [*ANSWERS, ("D12", ("often",) * 3, ("often",) * 3)])  # one lone respondent in D12
    summary = wellbeing_summary(
        user=personas.national, survey_round=SurveyRound.objects.get(code="2025"), location=country.region_1
    )
    assert (summary.respondents, summary.withheld, summary.withheld_reason, summary.scales) == (
        6,
        True,
        "small_group_within",
        (),
    )
    few = wellbeing_summary(
        user=personas.national,
        survey_round=SurveyRound.objects.get(code="2025"),
        location=country.district_12,
    )
    assert (few.withheld_reason, few.scales) == ("few_respondents", ())


@pytest.mark.parametrize("name", ["outsider"])
def test_refused(country: Country, personas: Personas, name: str) -> None:
    respond(country, ANSWERS)
    with pytest.raises(PermissionDenied):
        wellbeing_summary(user=getattr(personas, name), survey_round=SurveyRound.objects.get(code="2025"))


def test_the_perceptions_page_shows_the_scales(client: Any, country: Country, personas: Personas) -> None:
    respond(country, ANSWERS)
    client.force_login(personas.analyst)
    page = client.get("/surveys/perceptions/", {"round": "2025", "location": "R1"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Wellbeing" in text and "Compassion fatigue" in text and "6.50" in text


def test_the_command_prints_the_scales(country: Country, personas: Personas) -> None:
    import io
    import json

    from django.core.management import call_command

    respond(country, ANSWERS)
    out = io.StringIO()
    call_command("perceptions", "--round", "2025", "--location", "R1", "--user", "analyst", stdout=out)
    assert "Burnout (0 to 12, high from 8): 4 scored\n  mean 6.50; high 2 (50.0%)" in out.getvalue()
    out = io.StringIO()
    call_command(
        "perceptions",
        "--round",
        "2025",
        "--location",
        "R1",
        "--user",
        "analyst",
        "--format",
        "json",
        stdout=out,
    )
    assert [scale["mean"] for scale in json.loads(out.getvalue())["wellbeing"]] == [6.5, 6.0]
