"""A small country for the projection tests, with its projection worked out by hand.

K (100,000 children in 2024, 110,000 recorded for 2026, none for 2025 and 2027) > D1 (50,000 in 2024)
and D2 (no figures). Social workers counted in 2024: at D1 four, born 1964, 1966, 1990 and unknown; at
D2 one, born 1967. Para-social workers: two at D1, no birth dates.

Scenario ``hand`` (base 2024, horizon 3, growth 5%): social workers lose 10% a year besides retirement
at 60, take 10, 0 and 20 graduates (half absorbed) and 2 recruits a year, a target of 10 per 100,000,
a salary of 1,000 with 20% on-costs growing 10% a year, 100 of training per entrant; 30% of their
requirement moves to para-social workers, two of whom replace one social worker.

Social workers at K, year by year:

* 2024: stock 5; cost 5 x 1,000 x 1.2 = 6,000; children 100,000: own requirement 10, after the shift
  7 (gap -2); per 100,000: 5.
* 2025: retirements 1 (born 1964: 60 by the end of 2024, retires in year 1) x 0.9^0 = 1; exits 0.1 x 5
  + 1 = 1.5; entrants 10 x 0.5 + 2 = 7; stock 5 - 1.5 + 7 = 10.5; cost 10.5 x 1,200 x 1.1 + 7 x 100 =
  14,560; children 100,000 x 1.05 = 105,000: requirement 10.5 x 0.7 = 7.35, gap 3.15; per 100,000: 10.
* 2026: retirements 1 (born 1966) x 0.9 = 0.9; exits 1.05 + 0.9 = 1.95; entrants 2; stock 10.55; cost
  10.55 x 1,200 x 1.21 + 200 = 15,518.6; children recorded 110,000: requirement 7.7, gap 2.85.
* 2027: retirements 1 (born 1967, at D2) x 0.81; exits 1.055 + 0.81 = 1.865; entrants 20 x 0.5 + 2 = 12;
  stock 20.685; cost 20.685 x 1,200 x 1.331 + 1,200 = 34,238.082; children 100,000 x 1.05^3 = 115,762.5:
  requirement 11.57625 x 0.7 = 8.103375, gap 12.581625.

Para-social workers at K: stock 2 every year, no flows, no cost; their requirement is the shifted
share twice over: 3 x 2 = 6, then 6.3, 6.6 and 6.94575.
"""

from __future__ import annotations

import datetime
from typing import Any

from sswis.registry.models import CadreCategory
from tests.factories import (
    AssignmentFactory,
    CadreFactory,
    LocationFactory,
    OrganisationFactory,
    PopulationEstimateFactory,
    WorkerFactory,
)

HAND_SCENARIO: dict[str, Any] = {
    "code": "hand",
    "name": "Worked by hand",
    "base_year": 2024,
    "horizon": 3,
    "child_population_growth": 0.05,
    "currency": "USD",
    "cadres": {
        "SW": {
            "attrition_rate": 0.1,
            "retirement_age": 60,
            "graduates": [10, 0, 20],
            "absorption_rate": 0.5,
            "recruitment": 2,
            "target_per_100k": 10,
            "salary": 1000,
            "on_cost_rate": 0.2,
            "salary_growth": 0.1,
            "training_cost_per_entrant": 100,
        }
    },
    "task_shifting": [{"from": "SW", "to": "PSW", "share": 0.3, "replacement_factor": 2}],
}

# (year, cadre, stock, exits, retirements, entrants, required, gap, per_100k, cost) at K.
HAND_ROWS_K = [
    (2024, "PSW", 2, 0, 0, 0, 6, -4, 2, 0),
    (2024, "SW", 5, 0, 0, 0, 7, -2, 5, 6000),
    (2025, "PSW", 2, 0, 0, 0, 6.3, -4.3, 2 / 105000 * 100000, 0),
    (2025, "SW", 10.5, 1.5, 1, 7, 7.35, 3.15, 10, 14560),
    (2026, "PSW", 2, 0, 0, 0, 6.6, -4.6, 2 / 110000 * 100000, 0),
    (2026, "SW", 10.55, 1.95, 0.9, 2, 7.7, 2.85, 10.55 / 110000 * 100000, 15518.6),
    (2027, "PSW", 2, 0, 0, 0, 6.94575, -4.94575, 2 / 115762.5 * 100000, 0),
    (2027, "SW", 20.685, 1.865, 0.81, 12, 8.103375, 12.581625, 20.685 / 115762.5 * 100000, 34238.082),
]


def projection_world() -> dict[str, Any]:
    country = LocationFactory(code="K")
    d1, d2 = LocationFactory(code="D1", parent=country), LocationFactory(code="D2", parent=country)
    PopulationEstimateFactory(location=country, year=2024, children=100_000)
    PopulationEstimateFactory(location=country, year=2026, children=110_000)
    PopulationEstimateFactory(location=d1, year=2024, children=50_000)
    sw = CadreFactory(code="SW", category=CadreCategory.PROFESSIONAL)
    psw = CadreFactory(code="PSW", category=CadreCategory.PARA_PROFESSIONAL)
    at_d1, at_d2 = OrganisationFactory(location=d1), OrganisationFactory(location=d2)
    for born in (1964, 1966, 1990, None):
        birth_date = datetime.date(born, 7, 1) if born else None
        AssignmentFactory(organisation=at_d1, cadre=sw, worker=WorkerFactory(birth_date=birth_date))
    AssignmentFactory(
        organisation=at_d2, cadre=sw, worker=WorkerFactory(birth_date=datetime.date(1967, 2, 3))
    )
    for _ in range(2):
        AssignmentFactory(organisation=at_d1, cadre=psw)
    return {"country": country, "d1": d1, "d2": d2, "sw": sw, "psw": psw}
