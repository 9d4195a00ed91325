"""A small practicum on the shared ``country`` for the practicum's tests (domain, pages, API).

* institution ``I-D11`` at D11 (region R1) with programme ``DIP-SW`` (pre-service diploma, 24 months, 400
  practicum hours, supervisors with 3 years of experience, for social workers); its focal point ``inst``;
* institution ``I-X`` without a location, with programme ``CERT-X`` (no practicum);
* student ``Ada Mwale`` (``ST-1``, intake 2023: practicum year 2024) of ``DIP-SW``;
* supervisor ``Sam Tembo`` (``W-SUP``): an assignment at the ministry, D11, from 1 March 2021, registered
  from 1 January 2023 (so eligible from 1 March 2024 on, with exactly 3 years); ``Nora Zulu``
  (``W-NEW``): at NGO1, D21, from 1 June 2023, registered, too little experience; ``Tom Lungu``
  (``W-UNREG``): at the ministry from 2015, never registered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.registry.models import Worker
from sswis.training.models import Programme, ProgrammeKind, TrainingInstitution
from sswis.training.models_practicum import Student
from tests.conftest import Country
from tests.factories import AssignmentFactory, UserFactory, WorkerFactory, registration_with_history
from tests.training.factories_practicum import InstitutionFactory, ProgrammeFactory, StudentFactory


@dataclass
class Practicum:
    institution: TrainingInstitution
    other_institution: TrainingInstitution
    programme: Programme
    other_programme: Programme
    student: Student
    supervisor: Worker
    newcomer: Worker
    unregistered: Worker
    institution_user: Any
    other_institution_user: Any


def practicum_build(country: Country) -> Practicum:
    institution = InstitutionFactory(code="I-D11", name="Alpha College", location=country.district_11)
    other = InstitutionFactory(code="I-X", name="Online Academy")
    programme = ProgrammeFactory(
        code="DIP-SW",
        name="Diploma in social work",
        institution=institution,
        kind=ProgrammeKind.PRE_SERVICE_DIPLOMA,
        duration_months=24,
        practicum_hours=400,
        supervisor_experience_years=3,
        cadres=[country.social_worker],
    )
    other_programme = ProgrammeFactory(
        code="CERT-X", name="Certificate", institution=other, kind=ProgrammeKind.ONLINE_COURSE
    )
    student = StudentFactory(
        programme=programme, student_number="ST-1", given_name="Ada", family_name="Mwale", intake_year=2023
    )
    supervisor = WorkerFactory(worker_id="W-SUP", given_name="Sam", family_name="Tembo")
    AssignmentFactory(
        worker=supervisor,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        start_date=datetime.date(2021, 3, 1),
    )
    registration_with_history(worker=supervisor, changes=[("registered", "2023-01-01")])
    newcomer = WorkerFactory(worker_id="W-NEW", given_name="Nora", family_name="Zulu")
    AssignmentFactory(
        worker=newcomer,
        organisation=country.ngo,
        location=country.district_21,
        cadre=country.social_worker,
        start_date=datetime.date(2023, 6, 1),
    )
    registration_with_history(worker=newcomer, changes=[("registered", "2023-07-01")])
    unregistered = WorkerFactory(worker_id="W-UNREG", given_name="Tom", family_name="Lungu")
    AssignmentFactory(
        worker=unregistered,
        organisation=country.ministry,
        location=country.district_11,
        cadre=country.social_worker,
        start_date=datetime.date(2015, 1, 1),
    )

    def login(name: str, institution: TrainingInstitution) -> Any:
        user = UserFactory(username=name)
        user_scope_grant(
            actor=None, user=user, role=Role.INSTITUTION_FOCAL_POINT, training_institution=institution
        )
        return user

    return Practicum(
        institution=institution,
        other_institution=other,
        programme=programme,
        other_programme=other_programme,
        student=student,
        supervisor=supervisor,
        newcomer=newcomer,
        unregistered=unregistered,
        institution_user=login("inst", institution),
        other_institution_user=login("other-inst", other),
    )
