"""Field surveys in the browser: the questionnaire (XLSForm) to download, and the import of its
submissions from an export file, KoboToolbox or ODK Central, followed on the import's own page (the same
progress and report as a template upload). National data managers only, as on the command line."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from sswis.imports.http import SizeLimitUploadHandler, upload_refused
from sswis.imports.services import too_large_message
from sswis.imports.template import XLSX_MEDIA_TYPE
from sswis.surveys.queued import SERVER_FIELDS, SubmissionsRefused, submissions_submit
from sswis.surveys.xlsform import XLSFormError, xlsform_file
from sswis.web.decorators import national_import_required
from sswis.web.survey_forms import SubmissionsImportForm

TEMPLATE = "web/imports/submissions.html"


@national_import_required
def xlsform_view(request: HttpRequest) -> HttpResponseBase:
    """The worker mapping questionnaire as an XLSForm (``?perceptions=1``: with the perceptions
    section), generated from the registry now, as ``sswis xlsform`` writes it."""
    try:
        download = xlsform_file(with_perceptions=request.GET.get("perceptions") == "1")
    except XLSFormError as exc:
        return render(request, TEMPLATE, _context(SubmissionsImportForm(), problem=str(exc)), status=400)
    response = HttpResponse(download.content, content_type=XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@csrf_exempt  # the CSRF check runs in _submit, after the size-limiting upload handler is in place
@national_import_required
def submissions_import_view(request: HttpRequest) -> HttpResponse:
    """The form; on a valid post, keep the submissions, queue their import and go to its page."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _submit(request)


def _context(form: SubmissionsImportForm, problem: str = "") -> dict[str, object]:
    return {"nav": "imports", "form": form, "problem": problem}


@csrf_protect
def _submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, TEMPLATE, _context(SubmissionsImportForm()))
    form = SubmissionsImportForm(request.POST, request.FILES)
    if upload_refused(request):
        form.errors.clear()
        form.add_error(None, too_large_message(file_name="The file"))
    elif form.is_valid():
        data = form.cleaned_data
        survey_round = data["survey_round"]
        try:
            record = submissions_submit(
                actor=request.user,
                source=data["source"],
                round_code=survey_round.code if survey_round is not None else "",
                dry_run=data["dry_run"],
                upload=data["file"],
                **{name: data[name] for name in SERVER_FIELDS},
            )
        except SubmissionsRefused as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("web:import_detail", record_uuid=record.uuid)
    return render(request, TEMPLATE, _context(form), status=400)
