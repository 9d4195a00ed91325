"""factory_boy factories of training programmes and completions for the indicators' tests (the certified
share and the ``certified`` dimension): the rows as the figures read them, whatever the services would
allow (a completion dated before its programme was recognised, for one)."""

from __future__ import annotations

import datetime

import factory

from sswis.registry.models import Worker
from sswis.training.models import Completion, Programme, ProgrammeKind
from tests.factories import WorkerFactory


class CertifyingProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    """A programme the government recognised as certifying to work with child victims from 1 January
    2020 (``government_recognised_from`` and ``certifies_child_victims`` to say otherwise)."""

    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"PRG{n:04d}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    kind = ProgrammeKind.IN_SERVICE
    government_recognised_from = datetime.date(2020, 1, 1)
    certifies_child_victims = True


class CompletionFactory(factory.django.DjangoModelFactory[Completion]):
    class Meta:
        model = Completion

    worker = factory.SubFactory(WorkerFactory)
    programme = factory.SubFactory(CertifyingProgrammeFactory)
    completed_on = datetime.date(2024, 6, 1)


def completed(worker: Worker, programme: Programme, on: str) -> Completion:
    """``worker`` completed ``programme`` on the day ``on`` (``YYYY-MM-DD``)."""
    return CompletionFactory.create(
        worker=worker, programme=programme, completed_on=datetime.date.fromisoformat(on)
    )
