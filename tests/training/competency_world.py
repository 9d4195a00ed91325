"""The small world of the competency tests, with every figure worked out by hand.

Country ``KD`` > ``R1`` > ``D11``, ``D12``; ``R2`` > ``D21`` (the ``country`` fixture). The social worker
cadre (SW) has a framework: area ``CASE`` requires ``CM`` (case management, 3 levels, survey topic
``case_management``) at level 2; area ``LAW`` requires ``LAW`` (child protection law, survey topic
``child_protection_law``) at level 1. Programmes: ``P-CM`` builds CM at 2, ``P-CM1`` CM at 1 only, ``P-LAW``
LAW at 1. In 2025 (reference date 31 December 2025), SW workers:

====== ===== ======================================================= ====== =====
worker where  what they have                                         CM>=2  LAW>=1
====== ===== ======================================================= ====== =====
w1     D11   P-CM completed 2024-06-01                                yes    no
w2     D11   CM assessed at 3 on 2025-03-01; P-LAW completed 2025-01  yes    yes
w3     D11   P-CM1 completed (level 1: too low); LAW assessed at 1    no     yes
w4     D12   P-CM completed 2026-01-05 (after the reference date)     no     no
w5     D12   P-CM completed, but no child protection assignment       not counted
w6     D21   CM assessed at 2 on 2025-12-31 (the reference date)      yes    no
w8     D11   P-CM completed; assignment ended in 2024                 not counted
w7     D21   a para-social worker (PSW has no framework)              no rows
====== ===== ======================================================= ====== =====

So, for SW in 2025: D11 counted 3, CM 2, LAW 2; D12 1, 0, 0; R1 4, 2, 2; D21 1, 1, 0; R2 1, 1, 0;
KD 5, 3, 2.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sswis.registry.models import Worker
from sswis.training.models import Programme
from sswis.training.models_competencies import Competency, CompetencyFramework
from tests.factories import AssignmentFactory, OrganisationFactory, WorkerFactory
from tests.training.factories_competencies import (
    AreaFactory,
    AssessmentFactory,
    CompetencyFactory,
    CompletionFactory,
    FrameworkFactory,
    ProgrammeCompetencyFactory,
    ProgrammeFactory,
    RequirementFactory,
)


@dataclass
class CompetencyWorld:
    framework: CompetencyFramework
    case_management: Competency
    law: Competency
    programmes: dict[str, Programme]
    workers: dict[str, Worker]


def competency_world_build(country: Any) -> CompetencyWorld:
    framework = FrameworkFactory(cadre=country.social_worker, name="Social work competencies")
    case_area = AreaFactory(framework=framework, code="CASE", name="Case management", position=0)
    law_area = AreaFactory(framework=framework, code="LAW", name="Law and procedures", position=1)
    case_management = CompetencyFactory(
        code="CM", name="Case management", levels=3, survey_topic="case_management"
    )
    law = CompetencyFactory(
        code="LAW", name="Child protection law", levels=3, survey_topic="child_protection_law"
    )
    RequirementFactory(area=case_area, competency=case_management, level=2)
    RequirementFactory(area=law_area, competency=law, level=1)
    programmes = {
        "P-CM": ProgrammeFactory(code="P-CM", name="Case management course"),
        "P-CM1": ProgrammeFactory(code="P-CM1", name="Case management basics"),
        "P-LAW": ProgrammeFactory(code="P-LAW", name="Child law"),
    }
    ProgrammeCompetencyFactory(programme=programmes["P-CM"], competency=case_management, level=2)
    ProgrammeCompetencyFactory(programme=programmes["P-CM1"], competency=case_management, level=1)
    ProgrammeCompetencyFactory(programme=programmes["P-LAW"], competency=law, level=1)
    organisations = {
        code: OrganisationFactory(code=f"O-{code}", location=getattr(country, name))
        for code, name in (("D11", "district_11"), ("D12", "district_12"), ("D21", "district_21"))
    }
    workers: dict[str, Worker] = {}

    def worker(name: str, where: str, *, cadre: Any = None, **assignment: Any) -> Worker:
        person = WorkerFactory(worker_id=name.upper(), family_name=f"Family-{name}")
        AssignmentFactory(
            worker=person,
            organisation=organisations[where],
            cadre=cadre or country.social_worker,
            **assignment,
        )
        workers[name] = person
        return person

    day = datetime.date
    w1 = worker("w1", "D11")
    CompletionFactory(worker=w1, programme=programmes["P-CM"], completed_on=day(2024, 6, 1))
    w2 = worker("w2", "D11")
    AssessmentFactory(worker=w2, competency=case_management, level=3, assessed_on=day(2025, 3, 1))
    CompletionFactory(worker=w2, programme=programmes["P-LAW"], completed_on=day(2025, 1, 10))
    w3 = worker("w3", "D11")
    CompletionFactory(worker=w3, programme=programmes["P-CM1"], completed_on=day(2024, 2, 1))
    AssessmentFactory(worker=w3, competency=law, level=1, assessed_on=day(2024, 2, 1))
    w4 = worker("w4", "D12")
    CompletionFactory(worker=w4, programme=programmes["P-CM"], completed_on=day(2026, 1, 5))
    w5 = worker("w5", "D12", child_protection=False)
    CompletionFactory(worker=w5, programme=programmes["P-CM"], completed_on=day(2024, 1, 5))
    w6 = worker("w6", "D21")
    AssessmentFactory(worker=w6, competency=case_management, level=2, assessed_on=day(2025, 12, 31))
    w7 = worker("w7", "D21", cadre=country.para_social_worker)
    CompletionFactory(worker=w7, programme=programmes["P-CM"], completed_on=day(2024, 1, 5))
    w8 = worker("w8", "D11", end_date=day(2024, 6, 30))
    CompletionFactory(worker=w8, programme=programmes["P-CM"], completed_on=day(2023, 1, 5))
    return CompetencyWorld(
        framework=framework, case_management=case_management, law=law, programmes=programmes, workers=workers
    )
