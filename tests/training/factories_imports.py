"""factory_boy factories for the training: institutions, programmes, completions and the completions of a
platform's list that matched no worker."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.training.models import (
    Completion,
    CompletionSource,
    Programme,
    ProgrammeKind,
    TrainingInstitution,
    UnmatchedCompletion,
)
from tests.factories import UserFactory, WorkerFactory


class TrainingInstitutionFactory(factory.django.DjangoModelFactory[TrainingInstitution]):
    class Meta:
        model = TrainingInstitution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"INST-{n}")
    name = factory.LazyAttribute(lambda institution: f"Institute {institution.code}")
    kind = "college"


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PROG-{n}")
    name = factory.LazyAttribute(lambda programme: f"Programme {programme.code}")
    institution = factory.SubFactory(TrainingInstitutionFactory)
    kind = ProgrammeKind.IN_SERVICE


class CompletionFactory(factory.django.DjangoModelFactory[Completion]):
    class Meta:
        model = Completion

    worker = factory.SubFactory(WorkerFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    completed_on = datetime.date(2024, 3, 1)
    source = CompletionSource.ENTERED


class UnmatchedCompletionFactory(factory.django.DjangoModelFactory[UnmatchedCompletion]):
    class Meta:
        model = UnmatchedCompletion

    programme = factory.SubFactory(ProgrammeFactory)
    person_identifier = factory.Sequence(lambda n: f"nobody-{n}@example.org")
    completed_on = datetime.date(2024, 3, 1)


def institution_focal_point(*, institution: TrainingInstitution, username: str = "institution") -> Any:
    """A login that is ``institution``'s focal point."""
    user = UserFactory(username=username)
    user_scope_grant(
        actor=None, user=user, role=Role.INSTITUTION_FOCAL_POINT, training_institution=institution
    )
    return user
