"""factory_boy factories for the registry (and the regulation's registrations with their history).
Locations get their materialised path like the services do."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model

from sswis.geo.models import Location, PopulationEstimate
from sswis.registry.models import Assignment, Cadre, Organisation, Post, Worker
from sswis.regulation.models import (
    Licence,
    Register,
    Registration,
    RegistrationStatusChange,
    RegulatoryBody,
)
from sswis.surveys.models import PerceptionResponse, SurveyRound


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    code = factory.Sequence(lambda n: f"L{n:04d}")
    name = factory.Sequence(lambda n: f"Location {n}")
    parent = None
    level = "district"

    @classmethod
    def _create(cls, model_class: type[Location], *args: Any, **kwargs: Any) -> Location:
        location = super()._create(model_class, *args, **kwargs)
        parent = location.parent
        location.path = f"{parent.path}{location.pk}/" if parent else f"{location.pk}/"
        location.depth = parent.depth + 1 if parent else 0
        location.save(update_fields=["path", "depth"])
        return location


class PopulationEstimateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationEstimate

    location = factory.SubFactory(LocationFactory)
    year = 2024
    children = 10000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = "government"
    sector = "social_welfare"
    location = factory.SubFactory(LocationFactory)


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"Cadre {n}")
    category = "professional"


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    worker_id = factory.Sequence(lambda n: f"W{n:06d}")
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    sex = "female"
    education_level = "bachelor"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    code = factory.Sequence(lambda n: f"P{n:05d}")
    organisation = factory.SubFactory(OrganisationFactory)
    location = factory.SelfAttribute("organisation.location")
    cadre = factory.SubFactory(CadreFactory)
    funded = True


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    worker = factory.SubFactory(WorkerFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    location = factory.SelfAttribute("organisation.location")
    cadre = factory.SubFactory(CadreFactory)
    start_date = datetime.date(2020, 1, 1)
    end_date = None
    paid = True
    fte = Decimal("1")
    child_protection = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class SurveyRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyRound

    code = factory.Sequence(lambda n: f"{2025 + n}")
    name = factory.LazyAttribute(lambda round_: f"Mapping {round_.code}")
    starts_on = factory.LazyAttribute(lambda round_: datetime.date(int(round_.code), 3, 1))


class PerceptionResponseFactory(factory.django.DjangoModelFactory):
    """One worker's answers in a round, at a location (give ``location``: a worker has none of their own)."""

    class Meta:
        model = PerceptionResponse

    survey_round = factory.SubFactory(SurveyRoundFactory)
    worker = factory.SubFactory(WorkerFactory)
    location = factory.SubFactory(LocationFactory)
    submission_uuid = factory.Sequence(lambda n: f"uuid-{n}")


class RegulatoryBodyFactory(factory.django.DjangoModelFactory[RegulatoryBody]):
    class Meta:
        model = RegulatoryBody
        django_get_or_create = ("code",)

    code = "SSC"
    name = "Social Service Council"


class RegisterFactory(factory.django.DjangoModelFactory[Register]):
    class Meta:
        model = Register
        django_get_or_create = ("code",)

    body = factory.SubFactory(RegulatoryBodyFactory)
    code = "SW-REG"
    name = "Social workers"


def registration_with_history(
    *,
    worker: Worker,
    changes: list[tuple[str, str]],
    licences: Sequence[tuple[str, str]] = (),
    register: Register | None = None,
) -> Registration:
    """A registration of ``worker`` with its dated status ``changes`` (``(status, "YYYY-MM-DD")``, recorded
    in the given order, so that of two on the same day the later one is recorded last) and its
    ``licences`` (``("valid_from", "valid_until")``), written as rows: the tests of what the figures make
    of a history, whatever the services would allow. The registration's copy of its status is the last
    change's."""
    day = datetime.date.fromisoformat
    last_status, last_since = changes[-1]
    registered = [since for status, since in changes if status == "registered"]
    registration = Registration.objects.create(
        register=register or RegisterFactory.create(),
        worker=worker,
        number=f"N{Registration.objects.count() + 1:05d}",
        applied_on=day(min(since for _, since in changes)),
        registered_on=day(min(registered or [since for _, since in changes])),
        status=last_status,
        status_since=day(last_since),
    )
    for status, since in changes:
        RegistrationStatusChange.objects.create(registration=registration, status=status, since=day(since))
    for number, (valid_from, valid_until) in enumerate(licences):
        Licence.objects.create(
            registration=registration,
            number=f"{registration.number}-{number}",
            valid_from=day(valid_from),
            valid_until=day(valid_until),
        )
    return registration
