"""The demo country's duplicate records and a stored detection run, so that the review queue shows pairs on
first start (issue 16).

Six workers of the generated country are registered a second time, as a district office's form would,
under another worker ID and with one or two of the errors real registers carry: a spelling variant or
typo of the given name, given and family names swapped, diacritics dropped (Thérèse -> Therese), no
national id, the birth date's day and month swapped, no phone. Then a run trains the model on the demo's
workers and stores the pairs, as the demo's national data manager (the model page and the run history show
who). Everything goes through the services, so the audit trail is the one a ministry would see. Idempotent:
nothing is done when a run exists already.
"""

from __future__ import annotations

import datetime
from typing import Any

from sswis.duplicates.linkage import DEFAULT_THRESHOLD
from sswis.duplicates.models import DuplicateRun, RunOrigin
from sswis.duplicates.services import duplicate_run_create, duplicate_run_execute
from sswis.registry.models import Assignment, Worker
from sswis.registry.services import AssignmentTerms, worker_register

SUFFIX = "-D"


def _given_typo(name: str) -> str:
    """A keying error: the name's second letter doubled (Amina -> Ammina)."""
    return name[:2] + name[1:] if len(name) > 2 else name + name[-1]


def _birth_swapped(born: datetime.date | None) -> datetime.date | None:
    if born is None or born.day > 12 or born.day == born.month:
        return born
    return datetime.date(born.year, born.day, born.month)


# Each copy: which fields change, and how (applied to the original's values).
_ERRORS: tuple[dict[str, Any], ...] = (
    {"given_name": _given_typo},
    {"swap": True, "national_id": lambda value: ""},
    {"ascii": True, "phone": lambda value: ""},
    {"birth_date": _birth_swapped},
    {"national_id": lambda value: "", "given_name": _given_typo},
    {"swap": True, "phone": lambda value: ""},
)


def _originals() -> list[Assignment]:
    """Current assignments of six distinct workers with a birth date and a national id, spread evenly
    through the worker IDs (deterministic)."""
    queryset = (
        Assignment.objects.filter(end_date__isnull=True, worker__birth_date__isnull=False)
        .exclude(worker__national_id="")
        .select_related("worker", "organisation", "location", "cadre")
        .order_by("worker__worker_id", "start_date")
    )
    first_of: dict[int, Assignment] = {}
    for assignment in queryset:
        first_of.setdefault(assignment.worker_id, assignment)
    people = list(first_of.values())
    step = max(1, len(people) // len(_ERRORS))
    return people[::step][: len(_ERRORS)]


def demo_duplicates_set(*, actor: Any) -> DuplicateRun | None:
    """Plant the copies, run detection and return the run (``None`` when a run exists already)."""
    if DuplicateRun.objects.exists():
        return None
    from anyascii import anyascii

    for assignment, errors in zip(_originals(), _ERRORS, strict=False):
        person: Worker = assignment.worker
        values: dict[str, Any] = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": person.birth_date,
            "national_id": person.national_id,
            "phone": person.phone,
        }
        for field, change in errors.items():
            if field in values:
                values[field] = change(values[field])
        if errors.get("swap"):
            values["given_name"], values["family_name"] = values["family_name"], values["given_name"]
        if errors.get("ascii"):
            values["given_name"], values["family_name"] = (
                anyascii(values["given_name"]),
                anyascii(values["family_name"]),
            )
        worker_register(
            actor=actor,
            first_assignment=AssignmentTerms(
                organisation=assignment.organisation,
                location=assignment.location,
                cadre=assignment.cadre,
                # A later start than the original's, so that a confirmed merge never meets two identical
                # assignments (the merge refuses those).
                start_date=assignment.start_date + datetime.timedelta(days=30),
                paid=assignment.paid,
            ),
            worker_id=f"{person.worker_id}{SUFFIX}",
            sex=person.sex,
            email="",
            **values,
        )
    run = duplicate_run_create(actor=actor, threshold=DEFAULT_THRESHOLD, train=True, origin=RunOrigin.DEMO)
    return duplicate_run_execute(run=run)
