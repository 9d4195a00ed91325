"""Factories of the practicum's and the pipeline's tests: institutions, programmes, intakes and completions
(rows, as the catalogue's own pages and imports would write them), students, offers and placements.
Placements are written as rows here; the rules of making one are tested through ``practicum``."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from sswis.training.models import Completion, Intake, Programme, ProgrammeKind, TrainingInstitution
from sswis.training.models_practicum import Placement, PracticumOffer, Student
from tests.factories import OrganisationFactory, WorkerFactory


class InstitutionFactory(factory.django.DjangoModelFactory[TrainingInstitution]):
    class Meta:
        model = TrainingInstitution

    code = factory.Sequence(lambda n: f"INST{n:03d}")
    name = factory.Sequence(lambda n: f"Institute {n}")
    kind = "college"
    location = None


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"PRG{n:03d}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    institution = factory.SubFactory(InstitutionFactory)
    kind = ProgrammeKind.PRE_SERVICE_DIPLOMA
    duration_months = 24
    practicum_hours = 0
    supervisor_experience_years = 0

    @factory.post_generation
    def cadres(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.cadres.set(extracted)


class IntakeFactory(factory.django.DjangoModelFactory[Intake]):
    class Meta:
        model = Intake

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2024
    enrolled = 10


class CompletionFactory(factory.django.DjangoModelFactory[Completion]):
    class Meta:
        model = Completion

    worker = factory.SubFactory(WorkerFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    completed_on = datetime.date(2024, 7, 1)


def completions(programme: Programme, year: int, count: int) -> None:
    """``count`` completions of ``programme`` dated in ``year`` (each by a new worker)."""
    for _index in range(count):
        CompletionFactory(programme=programme, completed_on=datetime.date(year, 7, 1))


class StudentFactory(factory.django.DjangoModelFactory[Student]):
    class Meta:
        model = Student

    programme = factory.SubFactory(ProgrammeFactory)
    student_number = factory.Sequence(lambda n: f"S{n:05d}")
    given_name = factory.Sequence(lambda n: f"Student{n}")
    family_name = factory.Sequence(lambda n: f"Learner{n}")
    intake_year = 2023


class OfferFactory(factory.django.DjangoModelFactory[PracticumOffer]):
    class Meta:
        model = PracticumOffer

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2024
    places = 1


class PlacementFactory(factory.django.DjangoModelFactory[Placement]):
    class Meta:
        model = Placement

    student = factory.SubFactory(StudentFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    supervisor = factory.SubFactory(WorkerFactory)
    starts_on = datetime.date(2024, 3, 1)
    ends_on = datetime.date(2024, 6, 30)
    hours_planned = 100
