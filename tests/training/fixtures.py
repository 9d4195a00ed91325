"""A small training world on the shared ``country`` and ``personas``, for the training's tests and the
pages' and API's (import the fixture where it is used).

* institution ``UNI-N`` (north, a university in D11) with its focal point ``north_focal``, programme
  ``BSW`` (a 24-month diploma preparing social workers, recognised from 2020 and certifying), a full-time
  instructor teaching it;
* institution ``COL-S`` (south, a college in D21) with its focal point ``south_focal`` and programme
  ``CCW`` (a 6-month certificate that does not certify);
* the national in-service course ``NAT-1`` of no institution;
* worker ``W-NORTH`` (ministry, D11: the subnational officer's) and ``W-SOUTH`` (NGO1, D21: the
  organisation focal point's), born in 1990.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.registry.models import Worker
from sswis.training.models import Instructor, Programme, TrainingInstitution
from sswis.training.services import institution_create, instructor_add, programme_create
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, UserFactory, WorkerFactory

D = datetime.date


@dataclass
class Training:
    north: TrainingInstitution
    south: TrainingInstitution
    north_focal: Any
    south_focal: Any
    bsw: Programme
    ccw: Programme
    national_course: Programme
    instructor: Instructor
    north_worker: Worker
    south_worker: Worker


def focal_point_of(institution: TrainingInstitution, name: str) -> Any:
    user = UserFactory(username=name)
    user_scope_grant(
        actor=None, user=user, role=Role.INSTITUTION_FOCAL_POINT, training_institution=institution
    )
    return user


@pytest.fixture
def training(country: Country, personas: Personas) -> Training:
    national = personas.national
    north = institution_create(
        actor=national,
        code="UNI-N",
        name="University of the North",
        kind="university",
        location=country.district_11,
    )
    south = institution_create(
        actor=national,
        code="COL-S",
        name="College of the South",
        kind="college",
        location=country.district_21,
    )
    bsw = programme_create(
        actor=national,
        code="BSW",
        name="Diploma in social work",
        kind="pre_service_diploma",
        institution=north,
        duration_months=24,
        awards_education="diploma",
        cadres=[country.social_worker],
        government_recognised_from=D(2020, 1, 1),
        certifies_child_victims=True,
    )
    ccw = programme_create(
        actor=national, code="CCW", name="Child care certificate", kind="pre_service_certificate",
        institution=south, duration_months=6,
    )  # fmt: skip
    national_course = programme_create(
        actor=national, code="NAT-1", name="Case management", kind="in_service", duration_months=1
    )
    instructor = instructor_add(
        actor=national, institution=north, name="Ruth Mwale", qualification="master", programmes=[bsw]
    )
    north_worker = WorkerFactory(
        worker_id="W-NORTH",
        given_name="Chanda",
        family_name="Lungu",
        birth_date=D(1990, 5, 1),
        national_id="NID-N-1",
    )
    south_worker = WorkerFactory(
        worker_id="W-SOUTH",
        given_name="Mutale",
        family_name="Zulu",
        birth_date=D(1990, 5, 1),
        national_id="NID-S-2",
    )
    AssignmentFactory(
        worker=north_worker, organisation=country.ministry, location=country.district_11,
        cadre=country.social_worker, start_date=D(2015, 1, 1),
    )  # fmt: skip
    AssignmentFactory(
        worker=south_worker, organisation=country.ngo, location=country.district_21,
        cadre=country.para_social_worker, start_date=D(2015, 1, 1),
    )  # fmt: skip
    return Training(
        north=north,
        south=south,
        north_focal=focal_point_of(north, "north-institution"),
        south_focal=focal_point_of(south, "south-institution"),
        bsw=bsw,
        ccw=ccw,
        national_course=national_course,
        instructor=instructor,
        north_worker=north_worker,
        south_worker=south_worker,
    )
