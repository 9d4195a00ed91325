"""Importing a mapping template in the browser: upload, live progress, result, history, problem downloads.

The upload is received by ``imports.http`` (size limit while it arrives), handed to one service that keeps
it and queues the import as a background task, and the user is sent to the record's page, which polls
a small fragment (htmx, no inline script) until the import is done.
"""

from __future__ import annotations

import logging
import uuid

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from sswis.imports.http import PROBLEMS_FORMATS, SizeLimitUploadHandler, problems_response, upload_refused
from sswis.imports.models import ImportRecord
from sswis.imports.selectors import (
    import_record_detail,
    import_record_list,
    import_record_progress,
    import_record_report,
)
from sswis.imports.services import (
    UploadRefused,
    import_record_submit,
    import_records_interrupted_mark,
    too_large_message,
)
from sswis.web.decorators import imports_required
from sswis.web.forms import ImportUploadForm
from sswis.web.views.common import page_of, render_page

logger = logging.getLogger(__name__)

STATUS_ID = "import-status"
PROBLEMS_PER_PAGE = 100


@csrf_exempt  # the CSRF check runs in _upload, after the size-limiting upload handler is in place
@imports_required
def import_upload_view(request: HttpRequest) -> HttpResponse:
    """The upload form; on a valid post, keep the file, queue its import and go to its page."""
    # Upload handlers can only be changed before the body is read, hence before the CSRF check reads it.
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "web/imports/upload.html", {"nav": "imports", "form": ImportUploadForm()})
    form = ImportUploadForm(request.POST, request.FILES)
    if upload_refused(request):
        form.errors.clear()
        form.add_error(None, too_large_message(file_name=_("The file")))
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = import_record_submit(
                actor=request.user,
                file_name=upload.name,
                chunks=upload.chunks(),
                mode=form.cleaned_data["mode"],
                encoding=form.cleaned_data["encoding"] or None,
            )
        except UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("web:import_detail", record_uuid=record.uuid)
    return render(request, "web/imports/upload.html", {"nav": "imports", "form": form}, status=400)


@imports_required
def import_list_view(request: HttpRequest) -> HttpResponse:
    """The import history the user may see (all for national data managers, else their own), 50 a page."""
    _interrupted_mark()
    page = page_of(request, import_record_list(user=request.user))
    return render(request, "web/imports/list.html", {"nav": "imports", "page_obj": page})


def _interrupted_mark() -> None:
    """Have imports whose worker died shown as interrupted (not running for ever); a busy database may wait."""
    try:
        import_records_interrupted_mark()
    except DatabaseError:
        logger.warning("Interrupted imports could not be checked", exc_info=True)


def _record(request: HttpRequest, record_uuid: uuid.UUID) -> ImportRecord:
    return get_object_or_404(import_record_detail(user=request.user), uuid=record_uuid)


@imports_required
def import_detail_view(request: HttpRequest, record_uuid: uuid.UUID) -> HttpResponse:
    """One import: its progress while it runs (the fragment ``#import-status`` polls), then its result."""
    _interrupted_mark()
    record = _record(request, record_uuid)
    report = import_record_report(record=record)
    problems = None
    if report is not None and report.problems:
        problems = Paginator(report.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "nav": "imports",
        "record": record,
        "report": report,
        "progress": import_record_progress(record=record),
        "page_obj": problems,
        "status_id": STATUS_ID,
    }
    return render_page(
        request, "web/imports/detail.html", context, partials={STATUS_ID: "web/imports/status.html"}
    )


@imports_required
def import_problems_view(request: HttpRequest, record_uuid: uuid.UUID, extension: str) -> HttpResponseBase:
    """The problems of a finished import as a CSV or XLSX download (formula-safe, see ``sswis.spreadsheets``)."""
    if extension not in PROBLEMS_FORMATS:
        raise Http404(gettext("Problems are downloaded as .csv or .xlsx."))
    record = _record(request, record_uuid)
    report = import_record_report(record=record)
    if report is None:
        return HttpResponse("This import has no report (yet).", status=404, content_type="text/plain")
    return problems_response(
        record=record, report=report, file_format="csv" if extension == "csv" else "xlsx"
    )
