"""Reads for the registrar's pages and the API: lists of registrations and one registration's whole record
(identity, eligibility, dated history, licences, CPD of the cycle, charges and what is owed, renewal).

Callers pass querysets already narrowed by ``sswis.access.regulation_policy``; nothing here widens them.
A list costs a fixed number of queries whatever its length (``tests/regulation/test_records.py``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from sswis.regulation.models import (
    Charge,
    CpdRecord,
    Licence,
    Registration,
    RegistrationStatus,
    RegistrationStatusChange,
)
from sswis.regulation.selectors import (
    Renewal,
    Requirement,
    charge_owed,
    charge_paid,
    registration_eligibility,
    registration_renewal,
)

IDENTITY_FIELDS = (
    "worker_id",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "national_id",
    "phone",
    "email",
    "education_level",
)
"""The worker's fields a registrar works with; never their employment (assignments, posts, employer)."""


def registrations_filtered(
    *,
    queryset: QuerySet[Registration],
    register_code: str = "",
    status: str = "",
    query: str = "",
) -> QuerySet[Registration]:
    """``queryset`` narrowed to a register, a status, and a search (a registration number exactly, or a
    worker id exactly, or part of a name), ordered by register and number; the worker loaded with their
    identity fields only."""
    if register_code:
        queryset = queryset.filter(register__code=register_code)
    if status:
        queryset = queryset.filter(status=status)
    query = query.strip()
    if query:
        condition = Q(number__iexact=query) | Q(worker__worker_id=query)
        for word in query.split():
            condition |= Q(worker__given_name__icontains=word) | Q(worker__family_name__icontains=word)
        queryset = queryset.filter(condition)
    return (
        queryset.select_related("register", "worker")
        .only(
            "number",
            "status",
            "status_since",
            "applied_on",
            "registered_on",
            "register__code",
            "register__name",
            *(f"worker__{field}" for field in ("worker_id", "given_name", "family_name")),
        )
        .order_by("register__code", "number", "pk")
    )


@dataclass(frozen=True)
class ChargeLine:
    charge: Charge
    paid: Decimal
    owed: Decimal


@dataclass(frozen=True)
class RegistrationRecord:
    """One registration as its page and the API show it. ``eligibility`` is evaluated for an application
    on ``day`` (``None`` once decided); ``renewal`` is what renewing on ``day`` asks (``None`` without a
    licence); ``cpd`` every attendance of the worker, newest first."""

    registration: Registration
    history: list[RegistrationStatusChange]
    licences: list[Licence]
    current_licence: Licence | None
    charges: list[ChargeLine]
    owed: Decimal
    cpd: list[CpdRecord]
    eligibility: list[Requirement] | None
    renewal: Renewal | None
    day: datetime.date


def registration_record(*, registration: Registration, day: datetime.date) -> RegistrationRecord:
    """The whole record of ``registration`` seen on ``day``."""
    history = list(registration.status_changes.order_by("since", "pk"))
    licences = list(registration.licences.order_by("valid_from"))
    current = next((lic for lic in licences if lic.valid_from <= day <= lic.valid_until), None)
    lines = []
    for charge in registration.charges.prefetch_related("payments").order_by("due_on", "pk"):
        lines.append(ChargeLine(charge=charge, paid=charge_paid(charge), owed=charge_owed(charge)))
    cpd = list(
        CpdRecord.objects.filter(worker_id=registration.worker_id)
        .select_related("activity", "activity__provider")
        .order_by("-completed_on", "-pk")
    )
    applied = registration.status == RegistrationStatus.APPLIED
    return RegistrationRecord(
        registration=registration,
        history=history,
        licences=licences,
        current_licence=current,
        charges=lines,
        owed=sum((line.owed for line in lines), Decimal(0)),
        cpd=cpd,
        eligibility=registration_eligibility(
            register=registration.register, worker=registration.worker, day=day
        )
        if applied
        else None,
        renewal=registration_renewal(registration=registration, on=day)
        if registration.status == RegistrationStatus.REGISTERED
        else None,
        day=day,
    )


def worker_registrations(*, worker_id: int) -> list[Registration]:
    """A worker's registrations with their register and licences, for their own page."""
    return list(
        Registration.objects.filter(worker_id=worker_id)
        .select_related("register", "register__body")
        .prefetch_related("licences")
        .order_by("register__code", "pk")
    )


def as_identity(worker: Any) -> dict[str, Any]:
    """The identity fields of a worker, by name (for the API)."""
    return {field: getattr(worker, field) for field in IDENTITY_FIELDS}
