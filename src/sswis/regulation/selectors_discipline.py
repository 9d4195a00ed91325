"""Complaints and discipline's reads: a complaint's case, with or without what only the registrar's office
may see, and the sanctions in force on a registration on a day (for the public register).

They return plain values (frozen dataclasses), never the model rows: a row would lead, through its
relations, back to the complainant's identity and the case file."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from sswis.registry.models import Worker
from sswis.regulation.models import Registration, RegulatoryBody
from sswis.regulation.models_discipline import (
    Appeal,
    AppealDecision,
    CaseFileEntryKind,
    ComplainantKind,
    Complaint,
    ComplaintStage,
    Outcome,
    Sanction,
    SanctionEnd,
    SanctionKind,
)


@dataclass(frozen=True)
class SanctionView:
    """A sanction as anyone allowed to see the case sees it (``ended_on``: it stopped before its term, the
    day before that day being its last in force)."""

    id: int
    registration_id: int
    registration_number: str
    register_code: str
    kind: str
    kind_label: str
    decided_on: datetime.date
    starts_on: datetime.date
    ends_on: datetime.date | None
    amount: Decimal | None
    currency: str
    conditions: str
    ended_on: datetime.date | None
    end_reason: str
    end_reason_label: str


@dataclass(frozen=True)
class AppealView:
    lodged_on: datetime.date
    grounds: str
    decision: str
    decision_label: str
    decided_on: datetime.date | None
    varied_to_id: int | None


@dataclass(frozen=True)
class CaseFileEntryView:
    kind: str
    kind_label: str
    recorded_on: datetime.date
    title: str
    text: str


@dataclass(frozen=True)
class ComplaintCase:
    """A complaint as a page shows it. ``case_file_shown`` says whether the confidential part was asked
    for: when it is ``False``, ``complainant_kind``, ``complainant_name``, ``complainant_contact`` and
    ``case_file`` are ``None`` (hidden), never empty values that could be mistaken for "none"."""

    id: int
    body_code: str
    worker_id: int
    worker_code: str
    worker_name: str
    registration_id: int | None
    registration_number: str
    register_code: str
    received_on: datetime.date
    summary: str
    stage: str
    stage_label: str
    investigation_on: datetime.date | None
    hearing_on: datetime.date | None
    outcome: str
    outcome_label: str
    decided_on: datetime.date | None
    appeal_deadline: datetime.date | None
    sanctions: tuple[SanctionView, ...]
    appeal: AppealView | None
    case_file_shown: bool
    complainant_kind: str | None
    complainant_kind_label: str | None
    complainant_name: str | None
    complainant_contact: str | None
    case_file: tuple[CaseFileEntryView, ...] | None


def _sanction_view(sanction: Sanction) -> SanctionView:
    registration = sanction.registration
    return SanctionView(
        id=sanction.pk,
        registration_id=registration.pk,
        registration_number=registration.number,
        register_code=registration.register.code,
        kind=sanction.kind,
        kind_label=str(SanctionKind(sanction.kind).label),
        decided_on=sanction.decided_on,
        starts_on=sanction.starts_on,
        ends_on=sanction.ends_on,
        amount=sanction.amount,
        currency=registration.register.body.currency,
        conditions=sanction.conditions,
        ended_on=sanction.ended_on,
        end_reason=sanction.end_reason,
        end_reason_label=str(SanctionEnd(sanction.end_reason).label) if sanction.end_reason else "",
    )


def _appeal_view(complaint: Complaint) -> AppealView | None:
    try:
        appeal = complaint.appeal
    except Appeal.DoesNotExist:
        return None
    return AppealView(
        lodged_on=appeal.lodged_on,
        grounds=appeal.grounds,
        decision=appeal.decision,
        decision_label=str(AppealDecision(appeal.decision).label) if appeal.decision else "",
        decided_on=appeal.decided_on,
        varied_to_id=appeal.varied_to_id,
    )


def _case(complaint: Complaint, *, may_see_case_file: bool) -> ComplaintCase:
    registration = complaint.registration
    decided = complaint.decided_on
    appealable = decided is not None and complaint.outcome not in ("", Outcome.DISMISSED)
    return ComplaintCase(
        id=complaint.pk,
        body_code=complaint.body.code,
        worker_id=complaint.worker_id,
        worker_code=complaint.worker.worker_id,
        worker_name=f"{complaint.worker.given_name} {complaint.worker.family_name}",
        registration_id=complaint.registration_id,
        registration_number=registration.number if registration is not None else "",
        register_code=registration.register.code if registration is not None else "",
        received_on=complaint.received_on,
        summary=complaint.summary,
        stage=complaint.stage,
        stage_label=str(ComplaintStage(complaint.stage).label),
        investigation_on=complaint.investigation_on,
        hearing_on=complaint.hearing_on,
        outcome=complaint.outcome,
        outcome_label=str(Outcome(complaint.outcome).label) if complaint.outcome else "",
        decided_on=decided,
        appeal_deadline=decided + datetime.timedelta(days=complaint.body.appeal_days)
        if decided is not None and appealable
        else None,
        sanctions=tuple(_sanction_view(sanction) for sanction in complaint.sanctions.all()),
        appeal=_appeal_view(complaint),
        case_file_shown=may_see_case_file,
        complainant_kind=complaint.complainant_kind if may_see_case_file else None,
        complainant_kind_label=str(ComplainantKind(complaint.complainant_kind).label)
        if may_see_case_file
        else None,
        complainant_name=complaint.complainant_name if may_see_case_file else None,
        complainant_contact=complaint.complainant_contact if may_see_case_file else None,
        case_file=tuple(
            CaseFileEntryView(
                kind=entry.kind,
                kind_label=str(CaseFileEntryKind(entry.kind).label),
                recorded_on=entry.recorded_on,
                title=entry.title,
                text=entry.text,
            )
            for entry in complaint.case_file.all()
        )
        if may_see_case_file
        else None,
    )


def _cases_query(*, may_see_case_file: bool) -> models.QuerySet[Complaint]:
    sanctions = Sanction.objects.select_related("registration__register__body").order_by("starts_on", "pk")
    query = Complaint.objects.select_related(
        "body", "worker", "registration__register", "appeal"
    ).prefetch_related(models.Prefetch("sanctions", queryset=sanctions))
    # The case file is not even read for someone who may not see it.
    return query.prefetch_related("case_file") if may_see_case_file else query


def complaint_case(*, complaint_id: int, may_see_case_file: bool) -> ComplaintCase | None:
    """The complaint ``complaint_id`` as a page shows it, or ``None`` when there is none.

    ``may_see_case_file`` must be ``True`` only for the registrar's office of the complaint's body: only
    then are the complainant's identity (kind, name, contact) and the case file (notes, documents' text)
    in the result; for anyone else they are ``None`` and the case file is not read at all. Deciding who
    may see the case at all (and who belongs to that office) is the caller's, through ``sswis.access``.
    A fixed number of queries."""
    complaint = _cases_query(may_see_case_file=may_see_case_file).filter(pk=complaint_id).first()
    return None if complaint is None else _case(complaint, may_see_case_file=may_see_case_file)


def _filtered(
    queryset: models.QuerySet[Complaint],
    *,
    worker: Worker | None,
    stage: str | None,
    registration: Registration | None,
) -> models.QuerySet[Complaint]:
    if worker is not None:
        queryset = queryset.filter(worker=worker)
    if stage:
        queryset = queryset.filter(stage=stage)
    if registration is not None:
        queryset = queryset.filter(
            models.Q(registration=registration)
            | models.Q(
                registration__isnull=True,
                worker_id=registration.worker_id,
                body_id=registration.register.body_id,
            )
        )
    return queryset.order_by("-received_on", "-pk")


def complaint_ids(
    *,
    queryset: models.QuerySet[Complaint],
    worker: Worker | None = None,
    stage: str | None = None,
    registration: Registration | None = None,
) -> models.QuerySet[Any]:
    """The ids of the complaints of ``queryset`` (against ``worker``, at ``stage``, about
    ``registration`` when given), latest received first: a page of them is read with
    ``complaint_cases_by_id``. About a registration: the complaints naming it, and those to its body
    against its worker naming no registration (a sanction of theirs may go on it)."""
    found = _filtered(queryset, worker=worker, stage=stage, registration=registration)
    return found.values_list("pk", flat=True)


def complaint_cases_by_id(*, complaint_ids: Sequence[int], may_see_case_file: bool) -> list[ComplaintCase]:
    """The complaints ``complaint_ids`` as a page shows them, in that order (ids of no complaint are left
    out). ``may_see_case_file`` as for ``complaint_case``: ``True`` only when every one of them is a
    complaint to the body of the registrar's office asking. A fixed number of queries."""
    found = {
        complaint.pk: complaint
        for complaint in _cases_query(may_see_case_file=may_see_case_file).filter(pk__in=list(complaint_ids))
    }
    return [_case(found[pk], may_see_case_file=may_see_case_file) for pk in complaint_ids if pk in found]


def complaint_cases(
    *, body: RegulatoryBody, may_see_case_file: bool, worker: Worker | None = None, stage: str | None = None
) -> list[ComplaintCase]:
    """The complaints to ``body`` (against ``worker``, at ``stage``, when given), latest received first.

    ``may_see_case_file`` must be ``True`` only for the registrar's office of ``body``: only then are the
    complainants' identities and the case files in the result (``None`` otherwise, and not read). A fixed
    number of queries whatever the number of complaints."""
    query = _cases_query(may_see_case_file=may_see_case_file).filter(body=body)
    return [
        _case(complaint, may_see_case_file=may_see_case_file)
        for complaint in _filtered(query, worker=worker, stage=stage, registration=None)
    ]


def _in_force(day: datetime.date) -> models.QuerySet[Sanction]:
    return (
        Sanction.objects.filter(
            kind__in=[SanctionKind.SUSPENSION, SanctionKind.CONDITIONS], starts_on__lte=day, ends_on__gte=day
        )
        .filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day))
        .select_related("registration__register__body")
        .order_by("starts_on", "pk")
    )


def sanctions_in_force(*, registration: Registration, day: datetime.date) -> list[SanctionView]:
    """The suspensions and conditions on practice in force on ``registration`` on ``day`` (for the public
    register): begun on or before it, ending on or after it, and not ended before (overturned or varied
    on appeal, or the registration removed). One query."""
    return [_sanction_view(sanction) for sanction in _in_force(day).filter(registration=registration)]


def sanctions_in_force_by_registration(
    *, registrations: Iterable[Registration], day: datetime.date
) -> dict[int, list[SanctionView]]:
    """``sanctions_in_force`` for many registrations at once (a page of the public register): registration
    id -> its sanctions in force on ``day`` (registrations with none are left out). One query."""
    found: dict[int, list[SanctionView]] = {}
    for sanction in _in_force(day).filter(
        registration__in=[registration.pk for registration in registrations]
    ):
        found.setdefault(sanction.registration_id, []).append(_sanction_view(sanction))
    return found
