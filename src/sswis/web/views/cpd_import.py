"""Importing CPD attendance or online-course certificates on a page (``/registers/cpd-import/``): a CSV file
for one of the provider's of a body the user keeps, checked and imported all or nothing with the template
importer's report (``regulation.cpd_import``), or only checked (a dry run)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from sswis.access import regulation_policy
from sswis.regulation.cpd_import import cpd_records_import_upload
from sswis.regulation.models import CpdProvider, RegulatoryBody
from sswis.web.decorators import register_keepers_required
from sswis.web.forms import CheckedForm


class CpdImportForm(CheckedForm):
    provider = forms.ModelChoiceField(label=gettext_lazy("CPD provider"), queryset=CpdProvider.objects.none())
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("Columns: person_identifier, course, completion_date, certificate_id"),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file (write nothing)"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = regulation_policy.bodies_changeable(user=user, queryset=RegulatoryBody.objects.all())
        self.fields["provider"].queryset = CpdProvider.objects.filter(body__in=bodies).order_by("code")  # type: ignore[attr-defined]


@register_keepers_required
def cpd_import_view(request: HttpRequest) -> HttpResponse:
    """The upload form; on POST the report (400 when the file has problems: nothing written)."""
    form = CpdImportForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = cpd_records_import_upload(
            actor=request.user,
            file_name=upload.name,
            chunks=upload.chunks(),
            provider=form.cleaned_data["provider"],
            dry_run=form.cleaned_data["dry_run"],
        )
    status = (
        400
        if (request.method == "POST" and (form.errors or (report is not None and report.has_errors)))
        else 200
    )
    return render(
        request,
        "web/regulation/cpd_import.html",
        {"nav": "registers", "form": form, "report": report},
        status=status,
    )
