"""Supervision relationships and sessions on the pages (``/support/supervision/``): the lists, and the
forms that record, change, end and delete them, through ``support.supervision``'s services.

Who: the roles that see people, the relationships and sessions of the workers they see; a change needs
both workers in the user's scope (the service refuses otherwise: 403). A refusal of bad input is shown on
the form (400) and writes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import policy
from sswis.registry.models import Worker
from sswis.support.models import SupervisionRelationship, SupervisionSession
from sswis.support.supervision import (
    relationship_change,
    relationship_create,
    session_change,
    session_delete,
    session_record,
)
from sswis.support.supervision_selectors import relationships_listed, sessions_listed
from sswis.web.decorators import people_required
from sswis.web.forms import form_add_service_errors, locations_for_filter
from sswis.web.supervision_forms import (
    RelationshipChangeForm,
    RelationshipFilterForm,
    RelationshipForm,
    SessionChangeForm,
    SessionFilterForm,
    SessionForm,
)
from sswis.web.views.common import page_of

NAV = "supervision"


def _workers(request: HttpRequest, form: Any) -> tuple[Worker | None, Worker | None]:
    """The supervisor and the supervisee the form names, among the workers the user sees; a worker the user
    does not see is answered like an unknown worker ID (on its field)."""
    visible = policy.workers_visible(user=request.user)
    found: list[Worker | None] = []
    for field in ("supervisor", "supervisee"):
        worker = visible.filter(worker_id=form.cleaned_data[field].strip()).first()
        if worker is None:
            form.add_error(field, _("None of the workers you see has this worker ID."))
        found.append(worker)
    return found[0], found[1]


# --- relationships -------------------------------------------------------------------------------------


@people_required
def relationship_list_view(request: HttpRequest) -> HttpResponse:
    """The relationships the user sees, latest start first; 50 a page."""
    form = RelationshipFilterForm(request.GET, locations=locations_for_filter(user=request.user))
    relationships = relationships_listed(
        user=request.user,
        location=form.cleaned("location"),
        supervisor=form.cleaned("supervisor", ""),
        supervisee=form.cleaned("supervisee", ""),
        active=form.cleaned("active"),
        today=timezone.localdate(),
    )
    return render(
        request,
        "web/support/supervision/relationships.html",
        {"nav": NAV, "tab": "relationships", "form": form, "page_obj": page_of(request, relationships)},
    )


@people_required
def relationship_new_view(request: HttpRequest) -> HttpResponse:
    """Record a relationship of two workers the user sees."""
    if request.method == "POST":
        form = RelationshipForm(request.POST)
        if form.is_valid():
            supervisor, supervisee = _workers(request, form)
            if supervisor is not None and supervisee is not None:
                data = form.cleaned_data
                try:
                    relationship_create(
                        actor=request.user,
                        supervisor=supervisor,
                        supervisee=supervisee,
                        start_date=data["start_date"],
                        end_date=data["end_date"],
                        kind=data["kind"],
                        mode=data["mode"],
                        supervision_only_duty=data["supervision_only_duty"],
                    )
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    messages.success(request, _("The supervision relationship is recorded."))
                    return redirect("web:supervision_relationship_list")
    else:
        form = RelationshipForm(initial={"supervisor": request.GET.get("supervisor", "")})
    return render(
        request,
        "web/support/supervision/relationship_form.html",
        {"nav": NAV, "form": form, "relationship": None},
        status=400 if form.errors else 200,
    )


def _relationship(request: HttpRequest, relationship_uuid: uuid.UUID) -> SupervisionRelationship:
    return get_object_or_404(
        relationships_listed(user=request.user, today=timezone.localdate()), uuid=relationship_uuid
    )


@people_required
def relationship_edit_view(request: HttpRequest, relationship_uuid: uuid.UUID) -> HttpResponse:
    """One relationship: change its end (to end it), kind, mode or only duty."""
    relationship = _relationship(request, relationship_uuid)
    if request.method == "POST":
        form = RelationshipChangeForm(request.POST)
        if form.is_valid():
            try:
                relationship_change(
                    actor=request.user, relationship=relationship, changes=dict(form.cleaned_data)
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The supervision relationship is saved."))
                return redirect("web:supervision_relationship_list")
    else:
        form = RelationshipChangeForm(initial=RelationshipChangeForm.initial_of(relationship))
    return render(
        request,
        "web/support/supervision/relationship_form.html",
        {"nav": NAV, "form": form, "relationship": relationship},
        status=400 if form.errors else 200,
    )


# --- sessions ------------------------------------------------------------------------------------------


@people_required
def session_list_view(request: HttpRequest) -> HttpResponse:
    """The sessions the user sees, latest first; 50 a page."""
    form = SessionFilterForm(request.GET, locations=locations_for_filter(user=request.user))
    sessions = sessions_listed(
        user=request.user,
        location=form.cleaned("location"),
        supervisor=form.cleaned("supervisor", ""),
        supervisee=form.cleaned("supervisee", ""),
        date_from=form.cleaned("date_from"),
        date_to=form.cleaned("date_to"),
        today=timezone.localdate(),
    )
    return render(
        request,
        "web/support/supervision/sessions.html",
        {"nav": NAV, "tab": "sessions", "form": form, "page_obj": page_of(request, sessions)},
    )


@people_required
def session_new_view(request: HttpRequest) -> HttpResponse:
    """Record a session of two workers the user sees."""
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            supervisor, supervisee = _workers(request, form)
            if supervisor is not None and supervisee is not None:
                data = form.cleaned_data
                try:
                    session_record(
                        actor=request.user,
                        supervisor=supervisor,
                        supervisee=supervisee,
                        date=data["date"],
                        duration_minutes=data["duration_minutes"],
                        kind=data["kind"],
                        topics=data["topics"],
                    )
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    messages.success(request, _("The supervision session is recorded."))
                    return redirect("web:supervision_session_list")
    else:
        form = SessionForm(
            initial={
                "supervisor": request.GET.get("supervisor", ""),
                "supervisee": request.GET.get("supervisee", ""),
            }
        )
    return render(
        request,
        "web/support/supervision/session_form.html",
        {"nav": NAV, "form": form, "session": None},
        status=400 if form.errors else 200,
    )


def _session(request: HttpRequest, session_uuid: uuid.UUID) -> SupervisionSession:
    return get_object_or_404(
        sessions_listed(user=request.user, today=timezone.localdate()), uuid=session_uuid
    )


@people_required
def session_edit_view(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """One session: change its duration, kind or topics."""
    session = _session(request, session_uuid)
    if request.method == "POST":
        form = SessionChangeForm(request.POST)
        if form.is_valid():
            try:
                session_change(actor=request.user, session=session, changes=dict(form.cleaned_data))
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The supervision session is saved."))
                return redirect("web:supervision_session_list")
    else:
        form = SessionChangeForm(initial=SessionChangeForm.initial_of(session))
    return render(
        request,
        "web/support/supervision/session_form.html",
        {"nav": NAV, "form": form, "session": session},
        status=400 if form.errors else 200,
    )


@people_required
@require_POST
def session_delete_view(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """Remove a session recorded in error (the audit trail keeps it)."""
    session_delete(actor=request.user, session=_session(request, session_uuid))
    messages.success(request, _("The supervision session is removed."))
    return redirect("web:supervision_session_list")
