"""The DHIS2 pages (``/dhis2/``): the mapping in force and its import, the export to download, the push
(a background job of ``sswis db_worker``) and the push history with each push's conflicts. National data
managers only (``access.dhis2_policy``); see ``docs/dhis2.md``."""

from __future__ import annotations

import os

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sswis.dhis2.client import URL_VARIABLE, Dhis2Error, connection_from_environment
from sswis.dhis2.download import export_download
from sswis.dhis2.export import ExportError
from sswis.dhis2.formats import AdxInvalid
from sswis.dhis2.mapping import EXAMPLE_CSV, MappingError, dhis2_mapping_import, mapping_as_csv
from sswis.dhis2.models import (
    DataElementMapping,
    Dhis2Mapping,
    Dhis2Push,
    OrgUnitMapping,
    PushOrigin,
    PushStatus,
)
from sswis.dhis2.push import dhis2_push_create, dhis2_push_queue
from sswis.web.decorators import dhis2_required
from sswis.web.dhis2_forms import ExportForm, MappingForm, PushForm
from sswis.web.views.common import page_of

NAV = "dhis2"


@dhis2_required
def dhis2_view(request: HttpRequest) -> HttpResponse:
    """The mapping in force, the export and push forms, and every push, newest first, 50 a page."""
    pushes = Dhis2Push.objects.select_related("user").order_by("-created_at", "-id")
    return render(
        request,
        "web/dhis2/index.html",
        {
            "nav": NAV,
            "mapping": Dhis2Mapping.objects.select_related("imported_by").first(),
            "mapped_figures": DataElementMapping.objects.count(),
            "mapped_org_units": OrgUnitMapping.objects.count(),
            "export_form": ExportForm(),
            "push_form": PushForm(),
            "mapping_form": MappingForm(),
            "server": os.environ.get(URL_VARIABLE, "").strip(),
            "page_obj": page_of(request, pushes),
        },
    )


@dhis2_required
def push_detail_view(request: HttpRequest, push_uuid: str) -> HttpResponse:
    """One push: DHIS2's summary, what was not sent, every conflict with the value it concerns."""
    push = get_object_or_404(Dhis2Push.objects.select_related("user"), uuid=push_uuid)
    return render(
        request, "web/dhis2/push.html", {"nav": NAV, "push": push, "conflicts": list(push.conflicts.all())}
    )


@dhis2_required
def push_run_view(request: HttpRequest) -> HttpResponse:
    """The push form (GET) and the push it queues (POST) to ``SSWIS_DHIS2_URL`` with the server's token."""
    form = PushForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = connection_from_environment()
            push = dhis2_push_create(
                actor=request.user,
                url=connection.url,
                year=form.cleaned_data["year"],
                format=form.cleaned_data["format"],
                dry_run=form.cleaned_data["dry_run"],
                origin=PushOrigin.PAGE,
            )
        except Dhis2Error as problem:
            form.add_error(None, problem.message)
        except ValueError as problem:
            form.add_error(None, str(problem))
        else:
            push = dhis2_push_queue(push=push)
            if push.status == PushStatus.QUEUED:
                messages.success(
                    request, _("The push is queued: it runs in the background; reload this page.")
                )
            else:
                messages.info(
                    request, _("The push has run: %(status)s.") % {"status": push.get_status_display()}
                )
            return redirect("web:dhis2_push", push_uuid=push.uuid)
    return render(
        request,
        "web/dhis2/push_form.html",
        {"nav": NAV, "form": form, "server": os.environ.get(URL_VARIABLE, "").strip()},
        status=400 if request.method == "POST" else 200,
    )


@dhis2_required
def export_view(request: HttpRequest) -> HttpResponse:
    """``?year=&format=json|adx``: the export to download; a bad year or no mapping is said on the page."""
    form = ExportForm(request.GET or None)
    if form.is_valid():
        try:
            return export_download(year=form.cleaned_data["year"], format=form.cleaned_data["format"])
        except (ExportError, AdxInvalid) as problem:
            form.add_error(None, problem.message)
    return render(
        request,
        "web/dhis2/export.html",
        {"nav": NAV, "form": form},
        status=400 if request.GET else 200,
    )


@dhis2_required
def mapping_view(request: HttpRequest) -> HttpResponse:
    """GET: the mapping in force as a mapping file (CSV). POST: import a file, all or nothing."""
    if request.method != "POST":
        response = HttpResponse(mapping_as_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sswis-dhis2-mapping.csv"'
        return response
    form = MappingForm(request.POST, request.FILES)
    problems: list[tuple[str, str]] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            dhis2_mapping_import(actor=request.user, content=upload.read(), file_name=upload.name)
        except MappingError as error:
            problems = error.problems
        else:
            messages.success(request, _("The mapping is imported."))
            return redirect("web:dhis2")
    return render(
        request, "web/dhis2/mapping.html", {"nav": NAV, "form": form, "problems": problems}, status=400
    )


@dhis2_required
def mapping_example_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(EXAMPLE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sswis-dhis2-mapping-example.csv"'
    return response
