"""The profile's pages: the profile itself (``/reports/profile/``, a plain page: no JavaScript needed),
asking for its PDF or HTML file (a background job), the report history, one report's progress (the page
reloads itself while the job runs; htmx polls when present) and the download. Who may do what:
``access.reports_policy``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sswis.access import policy
from sswis.access.reports_policy import require_profile_make
from sswis.geo.models import Location
from sswis.reports.forms import ProfileForm
from sswis.reports.models import ProfileReport, ReportFormat, ReportOrigin, ReportStatus
from sswis.reports.profile import profile_build
from sswis.reports.reader import Reader
from sswis.reports.selectors import profile_reports_listed
from sswis.reports.services import (
    profile_report_create,
    profile_report_queue,
    profile_reports_interrupted_mark,
)

PAGE_SIZE = 50
NAV = "reports"


def profiles_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in (else the sign-in page), then a role that may make and read profiles (else 403), before
    anything else (a wrong method is 405 for those only)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_profile_make(user=request.user)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _chosen(request: HttpRequest, form: ProfileForm) -> tuple[Location | None, int, str, bool]:
    data = form.cleaned_data
    location = data.get("location") or policy.default_location_for(user=request.user)
    language = data.get("language") or translation.get_language() or "en"
    return location, data["year"], language, bool(data.get("publication"))


@profiles_required
@require_GET
def profile_view(request: HttpRequest) -> HttpResponse:
    """``?location=CODE&year=Y&language=L&publication=on``: the profile, in that language (its reading
    direction too), as the reader may see it; the form to ask for its PDF or HTML file."""
    form = ProfileForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/profile_page.html", {"nav": NAV, "form": form}, status=400)
    if not request.GET:
        form = ProfileForm({})
        form.is_valid()
    location, year, language, publication = _chosen(request, form)
    if location is None:
        return render(request, "reports/profile_page.html", {"nav": NAV, "form": form})
    with translation.override(language):
        try:
            profile = profile_build(
                reader=Reader(user=request.user, publication=publication), location=location, year=year
            )
        except ValueError as problem:
            form.add_error("year", str(problem))
            return render(request, "reports/profile_page.html", {"nav": NAV, "form": form}, status=400)
        return render(
            request,
            "reports/profile_page.html",
            {
                "nav": NAV,
                "form": form,
                "profile": profile,
                "chosen": {"location": location.code, "year": year, "language": language},
                "publication": publication,
                "formats": ReportFormat.choices,
            },
        )


@profiles_required
@require_POST
def profile_request_view(request: HttpRequest) -> HttpResponse:
    """Ask for the profile's file (POST ``location``, ``year``, ``language``, ``format``, ``publication``):
    it is made in the background; the report's page follows its progress."""
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/profile_page.html", {"nav": NAV, "form": form}, status=400)
    location, year, language, publication = _chosen(request, form)
    if location is None:
        raise Http404(_("No location is recorded yet."))
    try:
        report = profile_report_create(
            actor=request.user,
            location=location,
            year=year,
            language=language,
            format=form.cleaned_data.get("format") or ReportFormat.PDF,
            publication=publication,
            origin=ReportOrigin.PAGE,
        )
    except ValidationError as problem:
        for message in problem.messages:
            form.add_error(None, message)
        return render(request, "reports/profile_page.html", {"nav": NAV, "form": form}, status=400)
    report = profile_report_queue(report=report)
    if report.status == ReportStatus.FAILED:
        messages.error(request, report.error)
    return redirect("reports:report_detail", report_uuid=report.uuid)


@profiles_required
@require_GET
def report_list_view(request: HttpRequest) -> HttpResponse:
    """The report history the user may read, newest first, 50 a page (profiles left running by a stopped
    process marked interrupted first)."""
    profile_reports_interrupted_mark()
    page = Paginator(profile_reports_listed(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/report_list.html", {"nav": NAV, "page_obj": page})


def _report(request: HttpRequest, report_uuid: Any) -> ProfileReport:
    report = profile_reports_listed(user=request.user).filter(uuid=report_uuid).first()
    if report is None:
        raise Http404(_("No report with this identifier that you may read."))
    return report


@profiles_required
@require_GET
def report_detail_view(request: HttpRequest, report_uuid: Any) -> HttpResponse:
    """One report: what was asked, by whom, from which data, its progress (the page reloads itself every
    3 seconds while the job runs), its error or its download."""
    report = _report(request, report_uuid)
    running = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    template = (
        "reports/includes/report_status.html"
        if getattr(request, "htmx", False)
        else "reports/report_detail.html"
    )
    return render(request, template, {"nav": NAV, "report": report, "running": running})


@profiles_required
@require_GET
def report_download_view(request: HttpRequest, report_uuid: Any) -> FileResponse:
    """The report's file (PDF or HTML), as an attachment."""
    report = _report(request, report_uuid)
    if report.status != ReportStatus.FINISHED or not report.file:
        raise Http404(_("This report has no file: it is not finished."))
    content_type = "application/pdf" if report.format == ReportFormat.PDF else "text/html; charset=utf-8"
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.file_name, content_type=content_type
    )
