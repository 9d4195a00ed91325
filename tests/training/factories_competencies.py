"""factory_boy factories of the training domain's programmes, completions and competency frameworks, for
the competency tests (rows written directly, as a fixture; the services are tested on their own)."""

from __future__ import annotations

import datetime

import factory

from sswis.training.models import Completion, Programme, ProgrammeKind, TrainingInstitution
from sswis.training.models_competencies import (
    Competency,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyFramework,
    ProgrammeCompetency,
    RequiredCompetency,
)
from tests.factories import CadreFactory, WorkerFactory


class InstitutionFactory(factory.django.DjangoModelFactory[TrainingInstitution]):
    class Meta:
        model = TrainingInstitution

    code = factory.Sequence(lambda n: f"INS{n:03d}")
    name = factory.Sequence(lambda n: f"Institute {n}")
    kind = "college"


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"PRG{n:03d}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    institution = factory.SubFactory(InstitutionFactory)
    kind = ProgrammeKind.IN_SERVICE


class CompletionFactory(factory.django.DjangoModelFactory[Completion]):
    class Meta:
        model = Completion

    worker = factory.SubFactory(WorkerFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    completed_on = datetime.date(2024, 6, 1)


class CompetencyFactory(factory.django.DjangoModelFactory[Competency]):
    class Meta:
        model = Competency

    code = factory.Sequence(lambda n: f"CMP{n:03d}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    levels = 3


class FrameworkFactory(factory.django.DjangoModelFactory[CompetencyFramework]):
    class Meta:
        model = CompetencyFramework

    cadre = factory.SubFactory(CadreFactory)
    name = factory.LazyAttribute(lambda framework: f"Framework of {framework.cadre.code}")


class AreaFactory(factory.django.DjangoModelFactory[CompetencyArea]):
    class Meta:
        model = CompetencyArea

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"A{n:02d}")
    name = factory.Sequence(lambda n: f"Area {n}")
    position = factory.Sequence(lambda n: n)


class RequirementFactory(factory.django.DjangoModelFactory[RequiredCompetency]):
    class Meta:
        model = RequiredCompetency

    area = factory.SubFactory(AreaFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 1
    position = factory.Sequence(lambda n: n)


class ProgrammeCompetencyFactory(factory.django.DjangoModelFactory[ProgrammeCompetency]):
    class Meta:
        model = ProgrammeCompetency

    programme = factory.SubFactory(ProgrammeFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 1


class AssessmentFactory(factory.django.DjangoModelFactory[CompetencyAssessment]):
    class Meta:
        model = CompetencyAssessment

    worker = factory.SubFactory(WorkerFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 1
    assessed_on = datetime.date(2024, 6, 1)
