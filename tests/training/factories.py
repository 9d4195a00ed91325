"""Factories of the training's rows (catalogue and completions), for tests that need rows without going
through the services (the services' own tests use the services)."""

from __future__ import annotations

import datetime

import factory

from sswis.training.models import (
    Accreditation,
    Completion,
    Instructor,
    Intake,
    Programme,
    TrainingInstitution,
)
from tests.factories import WorkerFactory


class TrainingInstitutionFactory(factory.django.DjangoModelFactory[TrainingInstitution]):
    class Meta:
        model = TrainingInstitution

    code = factory.Sequence(lambda n: f"INST{n}")
    name = factory.Sequence(lambda n: f"Institute {n}")
    kind = "college"


class AccreditationFactory(factory.django.DjangoModelFactory[Accreditation]):
    class Meta:
        model = Accreditation

    institution = factory.SubFactory(TrainingInstitutionFactory)
    accredited_by = "Council"
    valid_from = datetime.date(2020, 1, 1)


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"PROG{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    institution = factory.SubFactory(TrainingInstitutionFactory)
    kind = "pre_service_diploma"
    duration_months = 24


class InstructorFactory(factory.django.DjangoModelFactory[Instructor]):
    class Meta:
        model = Instructor

    institution = factory.SubFactory(TrainingInstitutionFactory)
    name = factory.Sequence(lambda n: f"Instructor {n}")


class IntakeFactory(factory.django.DjangoModelFactory[Intake]):
    class Meta:
        model = Intake

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2024
    enrolled = 30


class CompletionFactory(factory.django.DjangoModelFactory[Completion]):
    class Meta:
        model = Completion

    worker = factory.SubFactory(WorkerFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    completed_on = datetime.date(2024, 6, 30)
