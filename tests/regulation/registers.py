"""Registrations for the public register's tests (regulation, pages, API): a council with two registers,
people registered on them through the services, and a status change written as a sanction would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.regulation.models import LicenceValidity, Register, Registration, RegistrationStatusChange
from sswis.regulation.services import (
    licence_issue,
    register_set,
    registration_apply,
    registration_approve,
    registration_review,
    regulatory_body_set,
)
from tests.factories import AssignmentFactory, OrganisationFactory, UserFactory, WorkerFactory

D = datetime.date

PRIVATE = {
    "worker_id": "WX-PRIVATE-5501",
    "birth_date": D(1987, 11, 23),
    "national_id": "NID-5501-77",
    "phone": "+260955501770",
    "email": "tendai.private@example.org",
}
"""The personal fields of the registered worker ``Tendai Moyo``: none may reach the public register."""
EMPLOYER = "Kandara Child Welfare Agency"
PRIVATE_TEXTS = (*(str(value) for value in PRIVATE.values()), "1987", EMPLOYER)


@dataclass
class Council:
    registrar: Any
    social_workers: Register  # licences until 31 December (renewal on 1 January)
    youth_care: Register  # licences of 12 months from their first day

    def register(
        self,
        worker: Any,  # a Worker (factories are typed as themselves)
        *,
        number: str,
        on: datetime.date | None = None,
        register: Register | None = None,
        licence_from: datetime.date | None = None,
    ) -> Registration:
        """``worker`` registered under ``number`` from ``on`` (default 1 March 2023; applied 30 days
        before), with a licence from ``licence_from`` when given; through the services, as a registrar
        does."""
        on = on or D(2023, 3, 1)
        registration = registration_apply(
            actor=self.registrar,
            register=register or self.social_workers,
            worker=worker,
            applied_on=on - datetime.timedelta(days=30),
        )
        registration_review(actor=self.registrar, registration=registration, documents_checked=True)
        registration_approve(actor=self.registrar, registration=registration, number=number, registered_on=on)
        if licence_from is not None:
            licence_issue(actor=self.registrar, registration=registration, valid_from=licence_from)
        return registration


def status_set(registration: Registration, status: str, since: datetime.date, reason: str = "") -> None:
    """A dated status change and the registration's copy of it, as a service writes them (the suspension
    a sanction will bring has no service yet)."""
    RegistrationStatusChange.objects.create(
        registration=registration, status=status, since=since, reason=reason
    )
    registration.status, registration.status_since = status, since
    registration.save(update_fields=["status", "status_since", "updated_at"])


def council_create() -> Council:
    """Council SSC with its registers of social workers and of child and youth care workers, and a
    registrar (a national data manager)."""
    registrar = UserFactory(username="public-registrar")
    user_scope_grant(actor=None, user=registrar, role=Role.NATIONAL_DATA_MANAGER)
    body = regulatory_body_set(actor=registrar, code="SSC", name="Social Service Council")
    social_workers = register_set(
        actor=registrar,
        body=body,
        code="SW-REG",
        name="Social workers",
        licence_validity=LicenceValidity.FIXED_DATE,
        renewal_month=1,
        renewal_day=1,
    )
    youth_care = register_set(
        actor=registrar,
        body=body,
        code="CYC-REG",
        name="Child and youth care workers",
        licence_validity=LicenceValidity.FROM_ISSUE,
        licence_months=12,
    )
    return Council(registrar=registrar, social_workers=social_workers, youth_care=youth_care)


def tendai_registered(council: Council) -> Registration:
    """Tendai Moyo, with every personal field filled (``PRIVATE``) and an employer, registered as a social
    worker under ``SW-0042`` from 1 March 2023 with a licence to 31 December 2023, renewed to 2024."""
    worker = WorkerFactory(given_name="Tendai", family_name="Moyo", **PRIVATE)
    AssignmentFactory(
        worker=worker,
        organisation=OrganisationFactory(code="EMP-1", name=EMPLOYER),
        start_date=D(2020, 1, 1),
    )
    registration = council.register(worker, number="SW-0042", licence_from=D(2023, 3, 1))
    licence_issue(actor=council.registrar, registration=registration, valid_from=D(2024, 1, 1))
    return registration
