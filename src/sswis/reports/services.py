"""Making a country workforce profile and keeping it in the report history.

:func:`profile_report_create` records a profile to make (``queued``), after checking who asks and what;
:func:`profile_report_queue` hands it to the background worker (``sswis db_worker``; with the immediate
task backend of the tests it has run when this returns); :func:`profile_report_run` makes it: it reads the
data's fingerprint, builds the profile (recording its progress), renders it in the profile's language as
HTML or PDF and keeps the file. Any error fails the record with that error and keeps no file.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sswis.access.reports_policy import require_profile_make
from sswis.auditing import instance_save_audited
from sswis.geo.models import Location
from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR
from sswis.reports.models import ProfileReport, ReportFormat, ReportOrigin, ReportStatus
from sswis.reports.profile import Profile, profile_build
from sswis.reports.reader import Reader
from sswis.reports.rendering import ReportRenderingError, profile_html, profile_pdf
from sswis.reports.selectors import data_fingerprint


def languages() -> list[str]:
    """The interface's languages (``LANGUAGES``): a profile is made in any of them."""
    return [code for code, _name in settings.LANGUAGES]


def profile_request_checked(*, year: int, language: str, format: str) -> None:
    """``ValidationError`` naming each bad field: a year the indicators refuse, a language the interface
    does not have, a format other than PDF or HTML."""
    errors: dict[str, str] = {}
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        errors["year"] = _("The year must be from %(first)d to %(last)d, not %(year)d.") % {
            "first": EARLIEST_YEAR,
            "last": LATEST_YEAR,
            "year": year,
        }
    if language not in languages():
        errors["language"] = _("%(language)s is not a language of sswis; choose one of %(languages)s.") % {
            "language": language,
            "languages": ", ".join(languages()),
        }
    if format not in ReportFormat.values:
        errors["format"] = _("The format is pdf or html, not %(format)s.") % {"format": format}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def profile_report_create(
    *,
    actor: Any,
    location: Location,
    year: int,
    language: str,
    format: str,
    publication: bool,
    origin: str,
) -> ProfileReport:
    """Record a profile to make. ``actor`` ``None``: the command line. Raises ``PermissionDenied`` for
    someone who may not make profiles and ``ValidationError`` for a bad year, language or format (nothing
    written)."""
    if actor is not None:
        require_profile_make(user=actor)
    profile_request_checked(year=year, language=language, format=format)
    report = ProfileReport(
        user=actor,
        origin=origin,
        location=location,
        year=year,
        language=language,
        format=format,
        publication=publication,
    )
    instance_save_audited(report, actor=actor)
    return report


def _progress_recorder(report: ProfileReport) -> Callable[[int, str], None]:
    def record(percent: int, stage: str) -> None:
        report.progress, report.stage = percent, stage[:200]
        report.save(update_fields=["progress", "stage", "updated_at"])

    return record


def profile_document(
    *,
    reader: Reader,
    location: Location,
    year: int,
    language: str,
    format: str,
    progress: Callable[[int, str], None] | None = None,
) -> tuple[Profile, bytes, int]:
    """The profile, its file (HTML or PDF) in ``language`` and the PDF's pages (0 for HTML): the figures,
    texts and charts are made in that language (its translations and reading direction)."""
    with translation.override(language):
        profile = profile_build(reader=reader, location=location, year=year, progress=progress)
        if progress is not None:
            progress(90, _("Writing the document"))
        if format == ReportFormat.PDF:
            pdf = profile_pdf(profile=profile, language=language)
            return profile, pdf.content, pdf.pages
        return profile, profile_html(profile=profile, language=language, for_pdf=False).encode(), 0


def profile_report_run(*, report: ProfileReport) -> ProfileReport:
    """Make the queued ``report``: ``finished`` with its file, or ``failed`` with the error (no file)."""
    report.status, report.started_at, report.progress = ReportStatus.RUNNING, timezone.now(), 0
    fingerprint = data_fingerprint()
    report.fingerprint = fingerprint.digest
    report.data_stamp = fingerprint.indicator_stamp
    report.data_updated_at = fingerprint.registry_updated_at
    report.save(
        update_fields=[
            "status",
            "started_at",
            "progress",
            "fingerprint",
            "data_stamp",
            "data_updated_at",
            "updated_at",
        ]
    )
    try:
        _profile, content, pages = profile_document(
            reader=Reader(
                user=report.user if report.origin != ReportOrigin.COMMAND else None,
                publication=report.publication,
            ),
            location=report.location,
            year=report.year,
            language=report.language,
            format=report.format,
            progress=_progress_recorder(report),
        )
    except (ValueError, ValidationError, ReportRenderingError, PermissionDenied) as problem:
        return _failed(report, _message(problem))
    except Exception as problem:
        # The history must say what stopped it; the error goes on to the worker's log too.
        _failed(report, _("The profile could not be made (%(error)s).") % {"error": problem})
        raise
    report.file.save(report.file_name, ContentFile(content), save=False)
    report.size, report.pages = len(content), pages
    report.status, report.progress, report.finished_at = ReportStatus.FINISHED, 100, timezone.now()
    report.stage = _("Done")
    instance_save_audited(
        report,
        actor=report.user,
        update_fields=["file", "size", "pages", "status", "progress", "stage", "finished_at", "updated_at"],
    )
    return report


def _message(problem: Exception) -> str:
    if isinstance(problem, ValidationError):
        return " ".join(problem.messages)
    return str(problem) or _("You may not make this profile.")


def _failed(report: ProfileReport, error: str) -> ProfileReport:
    report.status, report.finished_at, report.error = ReportStatus.FAILED, timezone.now(), error
    instance_save_audited(
        report, actor=report.user, update_fields=["status", "finished_at", "error", "updated_at"]
    )
    return report


STALLED_AFTER = datetime.timedelta(minutes=30)
"""A running profile whose progress has not moved for this long is no longer being made (its process was
stopped): each stage takes under a minute at 1,000,000 workers (``bench/profile.py``) and records its
progress, which stamps ``updated_at``."""


def profile_reports_interrupted_mark() -> int:
    """Mark ``failed``, with the reason, every profile still ``running`` whose progress has not moved for
    ``STALLED_AFTER``: the process making it was killed or the server restarted, and nothing else would
    ever end it (a killed run leaves no file, and its transaction's writes are rolled back). Called by the
    report history (page and API) and by the background job. Returns how many were marked."""
    stalled = ProfileReport.objects.filter(
        status=ReportStatus.RUNNING, updated_at__lt=timezone.now() - STALLED_AFTER
    ).select_related("user")
    marked = 0
    for report in stalled:
        _failed(
            report,
            _(
                "The profile was interrupted: the process making it stopped before it finished. "
                "Ask for it again."
            ),
        )
        marked += 1
    return marked


def profile_report_queue(*, report: ProfileReport) -> ProfileReport:
    """Queue ``report`` for the background worker (``sswis db_worker``); with the immediate task backend
    (tests) it has run when this returns. A profile that cannot be queued is failed with the reason."""
    from sswis.reports.tasks import profile_report_task  # the task module imports this one

    try:
        profile_report_task.enqueue(report_id=report.pk)
    except Exception as error:  # the task backend's own errors (a database refusal, a broken configuration)
        _failed(report, _("The profile could not be queued (%(error)s).") % {"error": error})
    report.refresh_from_db()
    return report
