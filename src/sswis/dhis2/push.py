"""Pushing a year's counts to DHIS2, with its history (:class:`Dhis2Push`, :class:`Dhis2PushConflict`).

:func:`dhis2_push_create` records a push to run (``queued``); :func:`dhis2_push_run` runs it: builds the
export from the mapping in force (``export``), writes it as JSON or ADX (checked against the ADX schema),
sends it (``client``) with ``dryRun`` when asked, and keeps DHIS2's import summary: its status, the counts
imported, updated, ignored and deleted, and every conflict with the data value it concerns (DHIS2's
``indexes`` and ``rejectedIndexes`` are positions in the message sent; each is mapped back to the value:
data element, org unit, combos, value, location and figure). Anything that stops the push (no mapping,
no credentials, the server unreachable, 401, 5xx, an answer without summary, a timeout) fails it with the
reason; every push is kept, failed ones too.

The actor: from the command line nobody (the server's operator); from the page or the API the national
data manager who asked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.dhis2_policy import require_dhis2
from sswis.dhis2.client import (
    Connection,
    Dhis2Error,
    ImportSummary,
    connection_from_environment,
    data_values_post,
)
from sswis.dhis2.export import DataValue, Export, ExportError, dhis2_export_build
from sswis.dhis2.formats import AdxInvalid, export_as_adx, export_json_bytes
from sswis.dhis2.models import Dhis2Push, Dhis2PushConflict, PushFormat, PushStatus
from sswis.indicators.definitions import year_checked


def dhis2_push_create(
    *, actor: Any, url: str, year: int, format: str, dry_run: bool, origin: str
) -> Dhis2Push:
    """A push of ``year`` to the server ``url`` (no credentials in it), queued. A user must be a national
    data manager (``PermissionDenied``); ``ValueError`` for an impossible year or an unknown format."""
    if actor is not None:
        require_dhis2(user=actor)
    year = year_checked(text=str(year))
    if format not in PushFormat.values:
        raise ValueError(_("Unknown format %(format)r: give json or adx.") % {"format": format})
    return Dhis2Push.objects.create(
        user=actor, origin=origin, url=url, year=year, format=format, dry_run=dry_run
    )


def message_of(export: Export, *, format: str) -> bytes:
    """The message of ``export`` in ``format``; ``ExportError`` when there is nothing to send, ``AdxInvalid``
    for an ADX message the schema refuses."""
    if not export.values:
        raise ExportError(
            _("There is no value to send for %(year)d: no mapped location or figure (see what was left out).")
            % {"year": export.year}
        )
    return export_as_adx(export) if format == PushFormat.ADX else export_json_bytes(export)


def dhis2_push_run(
    *, push: Dhis2Push, connection: Connection | None = None, timeout: float | None = None
) -> Dhis2Push:
    """Run the queued ``push`` and return it finished (success, warning, error) or failed. ``connection``
    defaults to the environment's (:func:`connection_from_environment`)."""
    push.status, push.started_at = PushStatus.RUNNING, timezone.now()
    push.save(update_fields=["status", "started_at"])
    export: Export | None = None
    try:
        connection = connection or connection_from_environment()
        push.url = connection.url
        export = dhis2_export_build(year=push.year)
        push.unmapped = export.left_out()
        body = message_of(export, format=push.format)
        push.values_sent = len(export.values)
        extra = {"timeout": timeout} if timeout is not None else {}
        summary = data_values_post(
            connection=connection,
            body=body,
            adx=push.format == PushFormat.ADX,
            dry_run=push.dry_run,
            id_scheme=export.id_scheme,
            **extra,
        )
    except Dhis2Error as error:
        push.status, push.error, push.http_status = PushStatus.FAILED, error.message, error.http_status
    except (ExportError, AdxInvalid) as error:
        push.status, push.error = PushStatus.FAILED, error.message
    else:
        _summary_keep(push=push, summary=summary, values=export.values)
    push.finished_at = timezone.now()
    push.save()
    return push


@transaction.atomic
def _summary_keep(*, push: Dhis2Push, summary: ImportSummary, values: list[DataValue]) -> None:
    push.status = {"SUCCESS": PushStatus.SUCCESS, "WARNING": PushStatus.WARNING}.get(
        summary.status, PushStatus.ERROR
    )
    push.http_status = summary.http_status
    push.message = summary.message
    push.imported, push.updated = summary.imported, summary.updated
    push.ignored, push.deleted = summary.ignored, summary.deleted
    push.rejected_indexes = summary.rejected_indexes
    conflicts: list[Dhis2PushConflict] = []
    covered: set[int] = set()
    for conflict in summary.conflicts:
        indexes = [i for i in conflict.get("indexes") or [] if isinstance(i, int) and i >= 0]
        common = {
            "push": push,
            "object": str(conflict.get("object") or "")[:255],
            "value": str(conflict.get("value") or conflict.get("message") or ""),
            "error_code": str(conflict.get("errorCode") or "")[:20],
            "property": str(conflict.get("property") or "")[:100],
        }
        if not indexes:
            conflicts.append(Dhis2PushConflict(**common))
        for index in indexes:
            covered.add(index)
            conflicts.append(Dhis2PushConflict(**common, **_sent(index, values)))
    for index in summary.rejected_indexes:
        if index not in covered:  # rejected without a conflict naming it: kept with the value all the same
            conflicts.append(
                Dhis2PushConflict(
                    push=push, value=_("Rejected by DHIS2 (no conflict given)."), **_sent(index, values)
                )
            )
    Dhis2PushConflict.objects.bulk_create(conflicts)


def _sent(index: int, values: list[DataValue]) -> dict[str, Any]:
    """The value sent at ``index`` as a conflict's fields (only the index when DHIS2 names one beyond them)."""
    if index >= len(values):
        return {"index": index}
    value = values[index]
    return {
        "index": index,
        "data_element": value.data_element,
        "org_unit": value.org_unit,
        "category_option_combo": value.category_option_combo,
        "attribute_option_combo": value.attribute_option_combo,
        "sent_value": value.value,
        "location": value.location,
        "figure": value.figure[:200],
    }


def dhis2_push_queue(*, push: Dhis2Push) -> Dhis2Push:
    """Queue ``push`` for the background worker (``sswis db_worker``); with the immediate backend (tests) it
    has run when this returns. A push that cannot be queued is failed with the reason."""
    from sswis.dhis2.tasks import dhis2_push_task  # the task module imports this one

    try:
        dhis2_push_task.enqueue(push_id=push.pk)
    except Exception as error:  # the task backend's own errors (a database refusal, a broken configuration)
        push.status, push.finished_at = PushStatus.FAILED, timezone.now()
        push.error = _("The push could not be queued (%(error)s).") % {"error": error}
        push.save(update_fields=["status", "finished_at", "error"])
    push.refresh_from_db()
    return push


def push_as_json(push: Dhis2Push) -> dict[str, Any]:
    """A push and its conflicts, for ``--format json`` and the API."""
    return {
        "id": str(push.uuid),
        "url": push.url,
        "year": push.year,
        "format": push.format,
        "dry_run": push.dry_run,
        "status": push.status,
        "http_status": push.http_status,
        "values_sent": push.values_sent,
        "import_count": {
            "imported": push.imported,
            "updated": push.updated,
            "ignored": push.ignored,
            "deleted": push.deleted,
        },
        "message": push.message,
        "error": push.error or None,
        "not_sent": push.unmapped,
        "conflicts": [
            {
                "object": c.object,
                "value": c.value,
                "error_code": c.error_code,
                "property": c.property,
                "index": c.index,
                "data_value": {
                    "dataElement": c.data_element,
                    "orgUnit": c.org_unit,
                    "categoryOptionCombo": c.category_option_combo,
                    "attributeOptionCombo": c.attribute_option_combo,
                    "value": c.sent_value,
                    "location": c.location,
                    "figure": c.figure,
                }
                if c.index is not None
                else None,
            }
            for c in push.conflicts.all()
        ],
    }
