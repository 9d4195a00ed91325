"""The background job of the workforce profile: run by ``sswis db_worker`` (the database task backend)."""

from __future__ import annotations

from django_tasks import task

from sswis.reports.models import ProfileReport, ReportStatus
from sswis.reports.services import profile_report_run, profile_reports_interrupted_mark


@task()
def profile_report_task(report_id: int) -> None:
    """Make the queued profile ``report_id``; a profile gone or already made is skipped. Profiles left
    running by a stopped process are marked interrupted first."""
    profile_reports_interrupted_mark()
    report = (
        ProfileReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED)
        .select_related("location", "user")
        .first()
    )
    if report is not None:
        profile_report_run(report=report)
