"""The demo country's plans: example norms, salary scales and costs, two WISN studies and three
scenarios, so that planning shows real figures on first start.

The figures are examples to adjust, not recommended norms or standards; their sources and names say so. Set through
``planning.services.norm_set`` by the demo's national data manager, like a ministry's own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sswis.geo.models import Location
from sswis.planning.services import (
    cadre_cost_set,
    norm_set,
    salary_scale_set,
    scenario_save,
    wisn_study_save,
)
from sswis.planning.wisn_starter import (
    STARTER_ACTIVITIES,
    STARTER_CATEGORY_ALLOWANCES,
    STARTER_INDIVIDUAL_ALLOWANCES,
    STARTER_WORKING_TIME,
)
from sswis.registry.models import Cadre, CadreCategory

NATIONAL_SOURCE = "Example national norm (demo): adjust to the country's policy"
REGIONAL_SOURCE = "Example regional plan (demo)"


def demo_norms_set(*, actor: Any) -> int:
    """Set the demo's norms (again: unchanged norms are not written twice); return how many there are."""
    root = Location.objects.filter(parent__isnull=True).first()
    if root is None:
        return 0
    norms = [
        norm_set(
            actor=actor, location=root, target_per_100k=Decimal(30), valid_from=2019, source=NATIONAL_SOURCE
        ),
        norm_set(
            actor=actor,
            location=root,
            category=CadreCategory.PARA_PROFESSIONAL,
            target_per_100k=Decimal(20),
            valid_from=2019,
            source=NATIONAL_SOURCE,
        ),
    ]
    social_worker = Cadre.objects.filter(code="SW").first()
    if social_worker is not None:
        norms.append(
            norm_set(
                actor=actor,
                location=root,
                cadre=social_worker,
                target_per_100k=Decimal(8),
                valid_from=2019,
                source=NATIONAL_SOURCE,
            )
        )
    region = Location.objects.filter(parent=root).order_by("code").first()
    if region is not None:
        norms.append(
            norm_set(
                actor=actor,
                location=region,
                target_per_100k=Decimal(40),
                valid_from=2023,
                source=REGIONAL_SOURCE,
            )
        )
    return len(norms)


DEMO_BASE_YEAR = 2025
# Yearly salaries by cadre (grade "" is the cadre's own) and grade: examples, in the demo's currency.
DEMO_SALARIES = {
    ("SWO", ""): 7200, ("SWO", "G9"): 7800,
    ("SW", ""): 6000, ("SW", "G7"): 6400,
    ("PO", ""): 6600,
    ("CM", ""): 5400,
    ("PSW", ""): 2400,
    ("CCYCW", ""): 1800,
    ("CPCV", ""): 300,
}  # fmt: skip
# (on-cost rate, supervision, transport, training) a year per worker, by cadre category.
DEMO_COSTS = {
    CadreCategory.PROFESSIONAL: ("0.25", 300, 600, 200),
    CadreCategory.PARA_PROFESSIONAL: ("0.15", 150, 400, 150),
    CadreCategory.VOLUNTEER: ("0", 60, 120, 50),
}


def demo_costs_set(*, actor: Any) -> None:
    """Example salary scales and costs per worker (allied cadres are paid by other ministries: none)."""
    cadres = {cadre.code: cadre for cadre in Cadre.objects.all()}
    for (code, grade), salary in DEMO_SALARIES.items():
        if code in cadres:
            salary_scale_set(
                actor=actor, cadre=cadres[code], grade=grade, annual_salary=Decimal(salary), valid_from=2019
            )
    for cadre in cadres.values():
        if cadre.category in DEMO_COSTS:
            rate, supervision, transport, training = DEMO_COSTS[CadreCategory(cadre.category)]
            cadre_cost_set(
                actor=actor,
                cadre=cadre,
                valid_from=2019,
                on_cost_rate=Decimal(rate),
                supervision_per_worker=Decimal(supervision),
                transport_per_worker=Decimal(transport),
                training_per_worker=Decimal(training),
            )


def _first_district() -> Location | None:
    return (
        Location.objects.filter(parent__parent__isnull=False, parent__parent__parent__isnull=True)
        .order_by("code")
        .first()
    )


def demo_wisn_studies_set(*, actor: Any) -> int:
    """Two example WISN studies in the first district: social workers and para-social workers, from the
    starter set of activities (examples, not norms) with yearly volumes of a busy district."""
    district = _first_district()
    if district is None or Cadre.objects.filter(code__in=("SW", "PSW")).count() != 2:
        return 0
    studies = {
        "demo-sw": ("SW", "Social workers, example study (demo)", (900, 700, 1400, 150, 200, 1800)),
        "demo-psw": ("PSW", "Para-social workers, example study (demo)", (1200, 400, 4200, 0, 150, 3600)),
    }
    for code, (cadre, name, volumes) in studies.items():
        document = {
            "cadre": cadre,
            "location": district.code,
            "year": DEMO_BASE_YEAR,
            "working_time": STARTER_WORKING_TIME,
            "activities": [
                {"name": str(activity), "annual_workload": volume, "unit_time_hours": hours}
                for (activity, hours), volume in zip(STARTER_ACTIVITIES, volumes, strict=True)
                if volume
            ],
            "category_allowances": [
                {"name": str(allowance), "hours_per_year": hours}
                for allowance, hours in STARTER_CATEGORY_ALLOWANCES
            ],
            "individual_allowances": [
                {"name": str(allowance), "hours_per_year": hours, "staff": staff}
                for allowance, hours, staff in STARTER_INDIVIDUAL_ALLOWANCES
            ],
        }
        wisn_study_save(actor=actor, code=code, name=name, data=document)
    return len(studies)


def _cadre_plan(salary: int, **changes: Any) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "attrition_rate": "estimated",
        "retirement_age": 60,
        "graduates": 0,
        "absorption_rate": 0.6,
        "recruitment": 0,
        "salary": salary,
        "on_cost_rate": 0.2,
        "salary_growth": 0.03,
        "training_cost_per_entrant": 800,
    }
    return plan | changes


def demo_scenarios() -> list[dict[str, Any]]:
    """Three example scenarios over ten years from the demo's last year: the current trend, doubling the
    para-social workers' intake, and shifting 30% of social workers' and case managers' work to them."""
    cadres: dict[str, dict[str, Any]] = {
        "SW": _cadre_plan(6000, graduates=60, recruitment=20, target_per_100k=8),
        "CM": _cadre_plan(5400, graduates=30, recruitment=10, target_per_100k=6),
        "PSW": _cadre_plan(2400, graduates=200, absorption_rate=0.5, recruitment=40, target_per_100k=20,
                           training_cost_per_entrant=300),
        "CCYCW": _cadre_plan(1800, graduates=150, absorption_rate=0.5, recruitment=20, target_per_100k=15,
                             training_cost_per_entrant=300),
    }  # fmt: skip
    trend: dict[str, Any] = {
        "code": "trend",
        "name": "Current trend (demo)",
        "base_year": DEMO_BASE_YEAR,
        "horizon": 10,
        "child_population_growth": 0.025,
        "currency": "USD",
        "cadres": cadres,
    }
    double = {**trend, "code": "double-psw", "name": "Double the para-social worker intake (demo)"}
    double["cadres"] = {**cadres, "PSW": {**cadres["PSW"], "graduates": 400, "recruitment": 80}}
    shift = {
        **trend,
        "code": "shift-30",
        "name": "Shift 30% of case work to para-social workers (demo)",
        "task_shifting": [
            {"from": "SW", "to": "PSW", "share": 0.3, "replacement_factor": 1.5},
            {"from": "CM", "to": "PSW", "share": 0.3, "replacement_factor": 1.5},
        ],
    }
    return [trend, double, shift]


def demo_plans_set(*, actor: Any) -> None:
    """Everything planning shows on first start: norms, salary scales and costs, two WISN studies and
    three scenarios. Running it again changes nothing (unchanged rows are not written twice)."""
    demo_norms_set(actor=actor)
    if Cadre.objects.filter(code__in=("SW", "CM", "PSW", "CCYCW")).count() != 4:
        return
    demo_costs_set(actor=actor)
    demo_wisn_studies_set(actor=actor)
    for document in demo_scenarios():
        scenario_save(actor=actor, data=document)
