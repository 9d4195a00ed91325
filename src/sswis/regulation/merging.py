"""How the regulation's rows follow a merge of two worker records (``sswis.registry.merging``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sswis.registry.merging import worker_mover_register
from sswis.registry.models import Worker
from sswis.regulation.models import CpdEvidence, CpdRecord, Registration, RegistrationStatus
from sswis.regulation.models_discipline import Complaint
from sswis.regulation.models_exams import ExamAttempt

# The same rule as ``registration_apply``: one registration or application per register that was not
# refused or removed.
_ENDED = (RegistrationStatus.REFUSED, RegistrationStatus.REMOVED)


def registrations_on_same_register(source: Worker, target: Worker, pks: list[Any]) -> list[str]:
    """Refuse moving a live registration onto a worker who holds a live one on the same register: the
    registrar decides which of the two numbers stands (and removes the other) before the merge."""
    moving = Registration.objects.filter(pk__in=pks).exclude(status__in=_ENDED).select_related("register")
    held = {
        row.register_id: row
        for row in Registration.objects.filter(worker=target).exclude(status__in=_ENDED).exclude(pk__in=pks)
    }
    messages = []
    for registration in moving:
        other = held.get(registration.register_id)
        if other is not None:
            messages.append(
                _(
                    "Registrations: both records hold a registration on %(register)s (%(one)s and %(other)s); "
                    "the registrar must remove or refuse one first."
                )
                % {
                    "register": registration.register,
                    "one": registration.number or registration.status,
                    "other": other.number or other.status,
                }
            )
    return messages


def register_movers() -> None:
    """Called from ``RegulationConfig.ready()``."""
    worker_mover_register(model=Registration, field="worker", check=registrations_on_same_register)
    worker_mover_register(model=CpdRecord, field="worker")
    worker_mover_register(model=CpdEvidence, field="worker")
    worker_mover_register(model=Complaint, field="worker")
    worker_mover_register(model=ExamAttempt, field="worker")
