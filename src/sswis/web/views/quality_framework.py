"""The normative framework inventory's pages (``/quality/framework/``): the list of instruments (criterion 1
of the quality-assurance score), one instrument with its history, the forms that add, change and end one,
and an instrument's file.

Every role that sees aggregates reads them; a national data manager changes them (``access.quality_policy``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sswis.access import quality_policy
from sswis.quality import services
from sswis.quality.models import Instrument
from sswis.quality.selectors import instruments_listed
from sswis.web.decorators import quality_managers_required, quality_read_required
from sswis.web.forms import form_add_service_errors
from sswis.web.quality_forms import InstrumentEndForm, InstrumentForm
from sswis.web.views.quality import kept_file_response

NAV = "quality"


def instrument_url(instrument: Instrument) -> str:
    return reverse("web:quality_instrument", kwargs={"instrument_uuid": instrument.uuid})


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    save: Callable[[], Instrument],
    message: str,
) -> HttpResponse:
    """On a valid POST call ``save`` (one service), then go to the instrument; else (GET, or refused:
    400) show the form with its problems."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as error:
            form_add_service_errors(
                form, error, rename={"in_force_until": "until"} if "until" in form.fields else None
            )
        else:
            messages.success(request, message)
            return redirect(instrument_url(saved))
    return render(
        request,
        "web/quality/instrument_form.html",
        {"nav": NAV, "form": form, "title": title, "back": back},
        status=400 if form.errors else 200,
    )


@quality_read_required
def framework_view(request: HttpRequest) -> HttpResponse:
    """Every instrument of the normative framework, by kind and title."""
    return render(
        request,
        "web/quality/framework.html",
        {
            "nav": NAV,
            "instruments": instruments_listed(),
            "may_change": quality_policy.may_change_quality(user=request.user),
        },
    )


@quality_read_required
def instrument_view(request: HttpRequest, instrument_uuid: Any) -> HttpResponse:
    """One instrument, with the history of its changes and their authors."""
    instrument = get_object_or_404(instruments_listed(), uuid=instrument_uuid)
    return render(
        request,
        "web/quality/instrument.html",
        {
            "nav": NAV,
            "instrument": instrument,
            "history": instrument.history.select_related("history_user").order_by(
                "-history_date", "-history_id"
            ),
            "may_change": quality_policy.may_change_quality(user=request.user),
        },
    )


@quality_managers_required
def instrument_new_view(request: HttpRequest) -> HttpResponse:
    """Add an instrument (a national data manager)."""
    form = InstrumentForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        title=_("New instrument of the normative framework"),
        back=reverse("web:quality_framework"),
        save=lambda: services.instrument_add(
            actor=request.user,
            cadres=list(form.cleaned_data["cadres"]),
            file=form.cleaned_data.get("file"),
            **form.changes(),
        ),
        message=_("The instrument is added."),
    )


@quality_managers_required
def instrument_edit_view(request: HttpRequest, instrument_uuid: Any) -> HttpResponse:
    """Change an instrument (a national data manager); a file sent replaces the kept one."""
    instrument = get_object_or_404(Instrument, uuid=instrument_uuid)
    initial = {
        name: getattr(instrument, name)
        for name in (
            "kind", "title", "reference", "issuing_body", "adopted_on", "in_force_from", "in_force_until",
            "status", "whole_workforce", "link", "notes",
        )
    }  # fmt: skip
    initial["cadres"] = list(instrument.cadres.all())
    form = InstrumentForm(request.POST or None, request.FILES or None, initial=initial)

    def save() -> Instrument:
        services.instrument_update(
            actor=request.user,
            instrument=instrument,
            changes=form.changes(),
            cadres=list(form.cleaned_data["cadres"]),
            file=form.cleaned_data.get("file"),
        )
        return instrument

    return _form_page(
        request,
        form,
        title=_("Change %(title)s") % {"title": instrument.title},
        back=instrument_url(instrument),
        save=save,
        message=_("The instrument is saved."),
    )


@quality_managers_required
def instrument_end_view(request: HttpRequest, instrument_uuid: Any) -> HttpResponse:
    """End an instrument: its last day in force and its status (a national data manager)."""
    instrument = get_object_or_404(Instrument, uuid=instrument_uuid)
    form = InstrumentEndForm(request.POST or None)
    return _form_page(
        request,
        form,
        title=_("End %(title)s") % {"title": instrument.title},
        back=instrument_url(instrument),
        save=lambda: services.instrument_end(
            actor=request.user,
            instrument=instrument,
            until=form.cleaned_data["until"],
            status=form.cleaned_data["status"],
        ),
        message=_("The instrument is ended."),
    )


@quality_read_required
def instrument_file_view(request: HttpRequest, instrument_uuid: Any) -> FileResponse:
    """An instrument's file, as an attachment under the name it was sent with."""
    instrument = get_object_or_404(Instrument, uuid=instrument_uuid)
    if not instrument.file:
        raise Http404(_("This instrument has no file."))
    return kept_file_response(instrument.file, name=instrument.file_name or "instrument")
