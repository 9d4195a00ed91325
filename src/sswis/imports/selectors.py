"""Reads of the imports app: the blank template's reference codes, and the import history (always
through ``policy.import_records_visible``). The import itself reads through ``loading``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet

from sswis.access import policy
from sswis.imports.loading import ImportProgress
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.report import ImportReport, report_from_dict
from sswis.imports.schema import TemplateFile
from sswis.imports.services import IMPORTS_FOLDER, PROGRESS_FILE

CODES_CHUNK = 2000


def template_reference_codes(*, spec: TemplateFile) -> Iterator[str]:
    """Every code the registry holds for the reference-data file ``spec``, sorted, streamed in chunks.

    The codes of locations, organisations, cadres and registers are reference data, not personal data, so
    the blank template offers all of them, whoever asks for it: the lists do not depend on the requesting
    user's scope. Raises ``ValueError`` for a file that is not reference data (workers, posts, ...): its codes
    are never listed.
    """
    if not spec.reference_data:
        raise ValueError(f"{spec.filename} is not reference data: its codes are not listed.")
    model = apps.get_model(spec.model)
    key = spec.column(spec.key[0]).target
    codes: Iterator[str] = (
        model._default_manager.order_by(key).values_list(key, flat=True).iterator(chunk_size=CODES_CHUNK)
    )
    return codes


def import_record_list(*, user: Any) -> QuerySet[ImportRecord]:
    """The import records ``user`` may see, newest first, with their user; without the (large) report.

    A national data manager sees every record, an organisation focal point or a subnational officer
    their own, anyone else none.
    """
    records = ImportRecord.objects.select_related("user").defer("report")
    return policy.import_records_visible(user=user, queryset=records)


def import_record_detail(*, user: Any) -> QuerySet[ImportRecord]:
    """Like :func:`import_record_list`, with the report (to pick one record by ``uuid``)."""
    return policy.import_records_visible(user=user, queryset=ImportRecord.objects.select_related("user"))


def import_record_progress(*, record: ImportRecord) -> ImportProgress | None:
    """How far a running import has read, as last written by the job; ``None`` when not known (yet)."""
    if record.status != ImportStatus.RUNNING:
        return None
    path = Path(settings.DATA_DIR) / IMPORTS_FOLDER / str(record.uuid) / PROGRESS_FILE
    try:
        return ImportProgress(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # not written yet, or just removed at the end


def import_record_report(*, record: ImportRecord) -> ImportReport | None:
    """The report of a finished import (``None`` while it is queued or running, or when it failed)."""
    if record.status != ImportStatus.FINISHED:
        return None
    return report_from_dict(record.report)
