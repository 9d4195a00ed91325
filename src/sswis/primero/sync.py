"""The caseload sync from Primero (contract ``support.md``, "Primero sync"), with its history.

:func:`primero_sync_create` records a sync to run (``queued``), :func:`primero_sync_run` runs it: reads
every open case's owner from Primero (``client``), records the counts as the month's caseloads
(``support.caseloads_primero``), and keeps what came of it in the :class:`PrimeroSync` record. All or
nothing: any error (the server unreachable, the credentials refused, a page missing or malformed, a count
the registry refuses) fails the sync with that error and writes no caseload. A dry run writes no caseload
either; both are kept in the history.

The actor: from the command line, nobody (the server's operator, like the regulation's daily job: the
caseloads' audit records carry no user and the history says "command line"); from the page, the national
data manager who asked for it. The credentials of Primero's service account are read from the server's
environment (``SSWIS_PRIMERO_USERNAME``, ``SSWIS_PRIMERO_PASSWORD``) when the sync runs, never stored.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.primero_policy import require_sync_run
from sswis.primero.client import OpenCases, PrimeroClient, PrimeroError, open_cases_read, server_address
from sswis.primero.models import PrimeroSync, SyncStatus
from sswis.support.caseloads_primero import PrimeroCaseloads, primero_caseloads_record

USERNAME_VARIABLE = "SSWIS_PRIMERO_USERNAME"
PASSWORD_VARIABLE = "SSWIS_PRIMERO_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    user_name: str
    password: str


def primero_credentials() -> Credentials:
    """The service account from the environment; ``PrimeroError`` naming what is missing."""
    user_name = os.environ.get(USERNAME_VARIABLE, "").strip()
    password = os.environ.get(PASSWORD_VARIABLE, "")
    missing = [
        name for name, value in ((USERNAME_VARIABLE, user_name), (PASSWORD_VARIABLE, password)) if not value
    ]
    if missing:
        raise PrimeroError(
            _(
                "The Primero service account is not set: set the environment variable(s) %(names)s on the "
                "server (the account's user name and password)."
            )
            % {"names": " and ".join(missing)}
        )
    return Credentials(user_name=user_name, password=password)


def current_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def primero_sync_create(
    *, actor: Any, url: str, month: datetime.date | None = None, dry_run: bool = False, origin: str
) -> PrimeroSync:
    """A sync of ``month`` (default: the current month) from the Primero server at ``url``, queued.

    ``actor`` ``None``: the command line (the system); a user must be a national data manager. Refused
    (``ValidationError`` naming the field, nothing written): an address that is not a web server's, a
    month that has not begun."""
    if actor is not None:
        require_sync_run(user=actor)
    try:
        server = server_address(url)
    except PrimeroError as error:
        raise ValidationError({"url": error.message}) from error
    month = (month or current_month()).replace(day=1)
    if month > current_month():
        raise ValidationError({"month": _("This month has not begun.")})
    return PrimeroSync.objects.create(user=actor, origin=origin, url=server, month=month, dry_run=dry_run)


Reader = Callable[[PrimeroClient], OpenCases]


def primero_sync_run(
    *, sync: PrimeroSync, credentials: Credentials | None = None, read: Reader = open_cases_read
) -> tuple[PrimeroSync, PrimeroCaseloads | None]:
    """Run the queued ``sync``; returns it (finished or failed) and what it recorded (``None`` when it
    failed). ``credentials`` default to the environment's (:func:`primero_credentials`)."""
    sync.status, sync.started_at = SyncStatus.RUNNING, timezone.now()
    sync.save(update_fields=["status", "started_at"])
    result: PrimeroCaseloads | None = None
    try:
        account = credentials or primero_credentials()
        client = PrimeroClient(server=sync.url, user_name=account.user_name, password=account.password)
        client.authenticate()
        cases = read(client)
        sync.open_cases, sync.pages = cases.total, cases.pages
        result = primero_caseloads_record(
            actor=sync.user, month=sync.month, open_cases_by_user=cases.by_owner, dry_run=sync.dry_run
        )
    except PrimeroError as error:
        sync.error = error.message
    except ValidationError as error:
        sync.error = " ".join(error.messages)
    except PermissionDenied as error:
        sync.error = str(error)
    except DatabaseError as error:
        sync.error = _("The database refused the caseloads (%(error)s); nothing was written.") % {
            "error": error
        }
    if result is not None:
        sync.status = SyncStatus.FINISHED
        sync.matched = result.matched
        sync.created = result.count("created")
        sync.updated = result.count("updated")
        sync.unchanged = result.count("unchanged")
        sync.cleared = result.count("cleared")
        sync.unmatched = [{"user_name": o.user_name, "open_cases": o.open_cases} for o in result.unmatched]
        sync.ambiguous = [
            {"user_name": o.user_name, "open_cases": o.open_cases, "workers": o.workers}
            for o in result.ambiguous
        ]
    else:
        sync.status = SyncStatus.FAILED
    sync.finished_at = timezone.now()
    sync.save()
    return sync, result


def primero_sync_queue(*, sync: PrimeroSync) -> PrimeroSync:
    """Queue ``sync`` for the background worker (``sswis db_worker``); with the immediate task backend
    (tests) it has run when this returns. A sync that cannot be queued is failed with the reason."""
    from sswis.primero.tasks import primero_sync_task  # the task module imports this one

    try:
        primero_sync_task.enqueue(sync_id=sync.pk)
    except Exception as error:  # the task backend's own errors (a database refusal, a broken configuration)
        sync.status, sync.finished_at = SyncStatus.FAILED, timezone.now()
        sync.error = _("The sync could not be queued (%(error)s); nothing was written.") % {"error": error}
        sync.save(update_fields=["status", "finished_at", "error"])
    sync.refresh_from_db()
    return sync


def sync_as_json(sync: PrimeroSync, result: PrimeroCaseloads | None) -> dict[str, Any]:
    """The sync's outcome for ``--format json``: counts, unmatched user names and, per matched worker,
    the caseload set."""
    return {
        "id": str(sync.uuid),
        "url": sync.url,
        "month": f"{sync.month:%Y-%m}",
        "dry_run": sync.dry_run,
        "status": sync.status,
        "error": sync.error or None,
        "open_cases": sync.open_cases,
        "pages": sync.pages,
        "matched": sync.matched,
        "created": sync.created,
        "updated": sync.updated,
        "unchanged": sync.unchanged,
        "cleared": sync.cleared,
        "unmatched": sync.unmatched,
        "ambiguous": sync.ambiguous,
        "caseloads": [
            {
                "worker_id": caseload.worker_id,
                "user_name": caseload.user_name,
                "open_cases": caseload.open_cases,
                "previous": caseload.previous,
                "change": caseload.change,
            }
            for caseload in (result.caseloads if result is not None else [])
        ],
    }
