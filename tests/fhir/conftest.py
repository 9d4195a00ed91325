"""Fixtures of the FHIR directory's tests: a staffed registry in the shared country and a client per persona.

``directory``: worker ``W000001`` (Amina Banda, born 1990-04-02) works for the ministry (MSW) at D11
(region R1, the subnational officer's) as a social worker (ISCO-08 2635) in post ``P001`` since
2020-03-01, and is registered on the social workers' register (number ``N00001``) and completed
programme ``CP1``; worker ``W000002`` (Joseph Phiri) works for NGO1 at D21 (region R2, the focal point's
organisation) as a para-social worker since 2021-06-01; worker ``W000003`` (Grace Banda) worked for the
ministry at D12 as a volunteer from 2018-01-01 to 2019-12-31 (inactive). Region R1 is managed by the
organisation ``NORTH-SWO`` (a government office at R1).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from sswis.registry.models import Assignment, Organisation, Worker
from sswis.training.models import Completion, Programme, TrainingInstitution
from tests.conftest import Country, Personas
from tests.factories import (
    AssignmentFactory,
    OrganisationFactory,
    PostFactory,
    WorkerFactory,
    registration_with_history,
)

FHIR_JSON = "application/fhir+json"


@dataclass
class Directory:
    country: Country
    amina: Worker
    joseph: Worker
    grace: Worker
    amina_role: Assignment
    joseph_role: Assignment
    grace_role: Assignment
    north_office: Organisation


@pytest.fixture
def directory(country: Country) -> Directory:
    post = PostFactory(
        code="P001", organisation=country.ministry, location=country.district_11, cadre=country.social_worker
    )
    amina = WorkerFactory(
        worker_id="W000001",
        given_name="Amina",
        family_name="Banda",
        sex="female",
        birth_date=datetime.date(1990, 4, 2),
        national_id="NID-1",
        phone="+265991000001",
        email="amina@example.org",
    )
    joseph = WorkerFactory(worker_id="W000002", given_name="Joseph", family_name="Phiri", sex="male")
    grace = WorkerFactory(
        worker_id="W000003", given_name="Grace", family_name="Banda", sex="female", education_level="unknown"
    )
    amina_role = AssignmentFactory(
        worker=amina,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        post=post,
        start_date=datetime.date(2020, 3, 1),
    )
    joseph_role = AssignmentFactory(
        worker=joseph,
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.para_social_worker,
        start_date=datetime.date(2021, 6, 1),
        paid=False,
    )
    grace_role = AssignmentFactory(
        worker=grace,
        organisation=country.ministry,
        location=country.district_12,
        cadre=country.volunteer,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2019, 12, 31),
        exit_reason="resigned",
    )
    registration_with_history(worker=amina, changes=[("registered", "2020-01-15")])
    institution = TrainingInstitution.objects.create(
        code="UNI", name="National University", kind="university"
    )
    programme = Programme.objects.create(
        code="CP1", name="Child protection basics", institution=institution, kind="in_service"
    )
    Completion.objects.create(worker=amina, programme=programme, completed_on=datetime.date(2021, 5, 20))
    north_office = OrganisationFactory(
        code="NORTH-SWO",
        name="North social welfare office",
        location=country.region_1,
        parent=country.ministry,
        manages_location=country.region_1,
    )
    return Directory(country, amina, joseph, grace, amina_role, joseph_role, grace_role, north_office)


@pytest.fixture
def fhir_client(personas: Personas) -> Callable[[str | None], APIClient]:
    """``fhir_client("national")``: a client authenticated as that persona (``None``: anonymous)."""

    def make(persona: str | None) -> APIClient:
        client = APIClient()
        if persona is not None:
            client.force_authenticate(user=getattr(personas, persona))
        return client

    return make
