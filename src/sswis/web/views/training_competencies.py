"""The competency frameworks' pages (``/training/competencies/``): the frameworks of every cadre, one
framework with its areas and requirements (changed there by a system administrator or a national data
manager, one form a change: ``web.training_competency_forms.FRAMEWORK_CHANGES``), the import of a
spreadsheet and its export, and what programmes build. Every role but a worker's own login reads them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import training_policy
from sswis.training import competencies as services
from sswis.training.framework_import import frameworks_export, frameworks_import_upload
from sswis.training.models import Programme
from sswis.training.selectors_competencies import (
    competency_list,
    framework_list,
    framework_of_cadre,
    programme_competency_list,
)
from sswis.web.decorators import catalogue_required, framework_managers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.training_competency_forms import (
    FRAMEWORK_CHANGES,
    FrameworkCreateForm,
    ImportForm,
    ProgrammeCompetencyForm,
)
from sswis.web.views.common import page_of


@catalogue_required
def framework_list_view(request: HttpRequest) -> HttpResponse:
    """Every framework; a framework manager also gets the form creating one (POST here)."""
    may_change = training_policy.may_change_frameworks(user=request.user)
    form = FrameworkCreateForm(request.POST or None) if may_change else None
    status = 200
    if request.method == "POST":
        training_policy.require_framework_change(user=request.user)
        assert form is not None
        if form.is_valid():
            try:
                framework = services.framework_set(
                    actor=request.user, cadre=form.cleaned_data["cadre"], name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Saved: %(what)s.") % {"what": framework})
                return redirect("web:training_framework", code=framework.cadre.code)
        status = 400
    return render(
        request,
        "web/training/competencies/frameworks.html",
        {
            "nav": "training",
            "frameworks": framework_list(user=request.user),
            "form": form,
            "may_change": may_change,
        },
        status=status,
    )


def _framework_page(
    request: HttpRequest, code: str, bound: dict[str, Any], status: int = 200
) -> HttpResponse:
    framework = framework_of_cadre(user=request.user, cadre_code=code)
    may_change = training_policy.may_change_frameworks(user=request.user)
    forms = (
        [(what, change.title, bound.get(what) or change.form()) for what, change in FRAMEWORK_CHANGES.items()]
        if may_change
        else []
    )
    return render(
        request,
        "web/training/competencies/framework.html",
        {
            "nav": "training",
            "framework": framework,
            "areas": framework.areas.all(),
            "competencies": competency_list(user=request.user),
            "forms": forms,
            "may_change": may_change,
        },
        status=status,
    )


@catalogue_required
def framework_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One cadre's framework: its areas in order, each with the competencies it requires and their level."""
    return _framework_page(request, code, {})


@framework_managers_required
@require_POST
def framework_change_view(request: HttpRequest, code: str, what: str) -> HttpResponse:
    """Save one change of the framework (``what``: a key of ``FRAMEWORK_CHANGES``); 400 with the problems."""
    change = FRAMEWORK_CHANGES.get(what)
    if change is None:
        raise Http404
    framework = framework_of_cadre(user=request.user, cadre_code=code)
    form = change.form(request.POST)
    if form.is_valid():
        try:
            saved = change.save(request.user, framework, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": saved})
            return redirect("web:training_framework", code=code)
    return _framework_page(request, code, {what: form}, status=400)


@framework_managers_required
def framework_import_view(request: HttpRequest) -> HttpResponse:
    """The upload form; on POST the report (400 when the file has problems: nothing written)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = frameworks_import_upload(
            actor=request.user,
            file_name=upload.name,
            chunks=upload.chunks(),
            dry_run=form.cleaned_data["dry_run"],
        )
    failed = request.method == "POST" and (bool(form.errors) or (report is not None and report.has_errors))
    return render(
        request,
        "web/training/competencies/import.html",
        {"nav": "training", "form": form, "report": report},
        status=400 if failed else 200,
    )


@catalogue_required
def framework_export_view(request: HttpRequest) -> FileResponse:
    """Every framework as the import's spreadsheet (``?format=xlsx``; CSV otherwise)."""
    suffix = ".xlsx" if request.GET.get("format") == "xlsx" else ".csv"
    folder = tempfile.mkdtemp(prefix="sswis-frameworks-export-")
    path = Path(folder) / f"competency-frameworks{suffix}"
    frameworks_export(path=path)
    # The file is opened before its folder is removed (POSIX keeps it readable until closed).
    stream = path.open("rb")
    path.unlink()
    Path(folder).rmdir()
    return FileResponse(stream, as_attachment=True, filename=path.name)


@catalogue_required
def programme_competency_view(request: HttpRequest) -> HttpResponse:
    """What every programme builds; the institutions' focal points (their programmes) and national data
    managers set or remove it (POST; level 0 removes)."""
    programmes = training_policy.institutions_changeable(
        user=request.user, queryset=Programme.objects.all(), prefix="institution__"
    )
    may_change = training_policy.is_training_manager(user=request.user)
    form = ProgrammeCompetencyForm(request.POST or None, programmes=programmes) if may_change else None
    status = 200
    if request.method == "POST":
        training_policy.require_training_manager(user=request.user)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["level"]:
                    services.programme_competency_set(
                        actor=request.user,
                        programme=data["programme"],
                        competency=data["competency"],
                        level=data["level"],
                    )
                else:
                    services.programme_competency_remove(
                        actor=request.user, programme=data["programme"], competency=data["competency"]
                    )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Saved: %(what)s.") % {"what": data["programme"]})
                return redirect("web:training_programme_competencies")
        status = 400
    return render(
        request,
        "web/training/competencies/programmes.html",
        {
            "nav": "training",
            "page_obj": page_of(request, programme_competency_list(user=request.user)),
            "form": form,
        },
        status=status,
    )
