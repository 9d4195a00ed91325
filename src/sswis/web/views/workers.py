"""Worker pages: the searchable list, a worker's record with its audit trail, and the forms that register
workers and start, end and transfer their assignments (each through one registry service)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from sswis.access import merging_policy, policy
from sswis.concurrency import EditConflict
from sswis.exports.http import export_response
from sswis.exports.models import ExportFormat
from sswis.exports.services import worker_export
from sswis.registry.merging_selectors import worker_merged_record
from sswis.registry.models import WORKER_LISTED_FIELDS, Assignment, Worker
from sswis.registry.selectors import (
    worker_assignments,
    worker_detail,
    worker_list,
    worker_list_counted,
    worker_search_keys,
)
from sswis.registry.services import (
    WORKER_FIELDS,
    assignment_end,
    assignment_start,
    assignment_transfer,
    worker_register,
    worker_update,
)
from sswis.web import paging
from sswis.web.audit import worker_audit_trail
from sswis.web.decorators import people_required
from sswis.web.forms import (
    AssignmentEndForm,
    AssignmentTermsForm,
    AssignmentTransferForm,
    WorkerDetailsForm,
    WorkerFilterForm,
    WorkerRegisterForm,
    form_add_service_errors,
)
from sswis.web.views.common import capped_page_of, may_change_assignment, render_page
from sswis.web.views.training_completions import completions_of_worker

RESULTS_ID = "worker-results"


def _visible_worker(request: HttpRequest, worker_id: str) -> Worker:
    try:
        return worker_detail(user=request.user, worker_id=worker_id)
    except Worker.DoesNotExist:
        # Out of scope and non-existent look the same: a 404 reveals nothing about other records.
        raise Http404(gettext("No worker with this ID in your scope.")) from None


def _changeable_assignment(request: HttpRequest, assignment_uuid: UUID) -> Assignment:
    """An assignment the user sees (else 404) and may change (else 403)."""
    assignment = get_object_or_404(
        policy.assignments_visible(user=request.user).select_related(
            "worker", "organisation", "location", "cadre", "post"
        ),
        uuid=assignment_uuid,
    )
    if not may_change_assignment(user=request.user, assignment=assignment):
        raise PermissionDenied(gettext("This assignment is outside your scope."))
    return assignment


@people_required
def worker_list_view(request: HttpRequest) -> HttpResponse:
    """Workers in scope, searched and filtered, 50 a page, with their current cadres and organisations.

    The matches are counted up to 10,000 (``sswis.web.paging``): beyond, the page says "more than 10,000".
    Filtered by place or cadre without a search, they are counted from the assignments alone and planned
    by how many they are (``registry.selectors.worker_list_counted``).

    Only what the page shows of each worker is read (``WORKER_LISTED_FIELDS``, all held by the index
    ``worker_live_listed``, from which PostgreSQL then chooses the page of a narrow filter). The current
    assignments (visible ones, active today) come in one prefetch query for the page.
    """
    form = WorkerFilterForm(request.GET, user=request.user)
    today = timezone.localdate()
    current = (
        policy.assignments_visible(user=request.user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .select_related("cadre", "organisation", "location")
        .order_by("-start_date")
    )
    filters = form.filters()
    if filters.search:
        # A search is counted and paged by its keys (registry.selectors.worker_search_keys), which hold the
        # whole search: the page's rows are then read by primary key from the list without the search
        # condition (with it, PostgreSQL would combine the name indexes again rather than read 50 rows).
        listed = worker_list(user=request.user, filters=dataclasses.replace(filters, search=""))
        keys: QuerySet[Any] | None = worker_search_keys(listed=listed, term=filters.search)
        count = None
    else:
        matches = worker_list_counted(user=request.user, filters=filters, counted_up_to=paging.COUNTED_UP_TO)
        keys, listed, count = None, matches.workers, matches.count
    workers = listed.only(*WORKER_LISTED_FIELDS).prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    context = {
        "nav": "workers",
        "form": form,
        "page_obj": capped_page_of(request, workers, keys=keys, count=count),
        "results_id": RESULTS_ID,
        "filtered": any(request.GET.get(name) for name in form.fields if name != "q"),
        # The download links keep the search and filters (the results fragment is redrawn with them).
        "export_query": query.urlencode(),
    }
    return render_page(
        request, "web/workers/list.html", context, partials={RESULTS_ID: "web/workers/results.html"}
    )


@people_required
def worker_export_view(request: HttpRequest) -> HttpResponseBase:
    """The worker list with the same search and filters as the page, as ``?format=csv`` (default) or
    ``xlsx``: every matching worker in scope, not only one page (``exports.services.worker_export``)."""
    try:
        file_format = ExportFormat(request.GET.get("format") or ExportFormat.CSV)
    except ValueError:
        return HttpResponseBadRequest("Unknown export format: choose csv or xlsx.", content_type="text/plain")
    form = WorkerFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        # The list page shows an invalid filter as an error; a file must never silently hold more workers.
        problems = "; ".join(
            f"{name}: {' '.join(str(error) for error in errors)}" for name, errors in form.errors.items()
        )
        return HttpResponseBadRequest(f"The filters are not valid: {problems}", content_type="text/plain")
    export = worker_export(actor=request.user, filters=form.filters(), file_format=file_format)
    return export_response(export)


@people_required
def worker_detail_view(request: HttpRequest, worker_id: str) -> HttpResponse:
    """A worker's personal details, visible assignments (newest first), the programmes they completed (those
    the user may see: ``training_policy.completions_visible``) and audit trail (newest first).

    A worker outside the user's scope is a 404. A record merged into another leads to the survivor's page
    with a note (when the user sees the survivor).
    """
    try:
        worker = worker_detail(user=request.user, worker_id=worker_id)
    except Worker.DoesNotExist:
        found = worker_merged_record(user=request.user, worker_id=worker_id)
        if found is None:
            raise Http404(gettext("No worker with this ID in your scope.")) from None
        merged, live = found
        messages.info(
            request,
            gettext("%(merged)s was merged into %(live)s on %(day)s: this is the record of the same person.")
            % {"merged": merged.worker_id, "live": live.worker_id, "day": f"{merged.merged_at:%Y-%m-%d}"},
        )
        return redirect("web:worker_detail", worker_id=live.worker_id)
    assignments = list(worker_assignments(user=request.user, worker=worker))
    changeable = {a.pk for a in assignments if may_change_assignment(user=request.user, assignment=a)}
    context = {
        "nav": "workers",
        "worker": worker,
        "assignments": assignments,
        "changeable": changeable,
        "audit_trail": worker_audit_trail(worker=worker, assignments=assignments),
        "today": timezone.localdate(),
        "completions": completions_of_worker(user=request.user, worker_pk=worker.pk),
        "may_merge": merging_policy.may_merge(user=request.user),
        "merged_records": list(
            worker.merged_records.order_by("worker_id").values_list("worker_id", "merged_at")
        ),
    }
    return render(request, "web/workers/detail.html", context)


def _service_form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[], Worker],
    success: Callable[[Worker], str],
    context: dict[str, Any],
    rename: Mapping[str, str] | None = None,
    after_error: Callable[[], object] | None = None,
) -> HttpResponse:
    """The worker form page: on a valid POST call ``save`` (one registry service), then show the worker.

    ``save`` runs only once the form is valid and returns the worker whose page comes next. A service's
    ``ValidationError`` goes onto the form's fields (``rename`` maps service field names to the form's);
    the service wrote nothing, and ``after_error`` can forget in-memory changes it made. A record changed
    since the form was loaded (``EditConflict``) is refused with a message saying by whom and when; the
    form is shown again with what the user typed.
    """
    if request.method == "POST" and form.is_valid():
        try:
            worker = save()
        except EditConflict as conflict:
            if after_error is not None:
                after_error()
            form.add_error(None, conflict.form_message)
        except ValidationError as error:
            if after_error is not None:
                after_error()
            form_add_service_errors(form, error, rename=rename)
        else:
            messages.success(request, success(worker))
            return redirect("web:worker_detail", worker_id=worker.worker_id)
    return render(request, "web/workers/form.html", {"nav": "workers", "form": form, **context})


@people_required
def worker_register_view(request: HttpRequest) -> HttpResponse:
    """Register a worker with their first assignment (``worker_register``), then show the worker."""
    form = WorkerRegisterForm(request.POST or None, user=request.user)
    return _service_form_page(
        request,
        form,
        save=lambda: worker_register(actor=request.user, first_assignment=form.terms(), **form.details()),
        success=lambda worker: f"{worker.full_name} ({worker.worker_id}) is registered.",
        context={
            "title": "Register a worker",
            "submit": "Register worker",
            "sections": [("Personal details", WORKER_FIELDS), ("First assignment", None)],
        },
    )


@people_required
def worker_edit_view(request: HttpRequest, worker_id: str) -> HttpResponse:
    """Correct a worker's personal details (``worker_update``: only changed fields are written)."""
    worker = _visible_worker(request, worker_id)
    initial = {name: getattr(worker, name) for name in WORKER_FIELDS}
    form = WorkerDetailsForm(request.POST or None, initial={**initial, "version": worker.version})
    return _service_form_page(
        request,
        form,
        save=lambda: worker_update(
            actor=request.user, worker=worker, version=form.cleaned_data["version"], **form.details()
        ),
        success=lambda _: "The personal details are saved.",
        # A refused save has set the typed values on the worker in memory; show the stored ones.
        after_error=worker.refresh_from_db,
        context={
            "worker": worker,
            "title": f"Personal details of {worker.full_name}",
            "submit": "Save details",
        },
    )


@people_required
def assignment_start_view(request: HttpRequest, worker_id: str) -> HttpResponse:
    """Start a new assignment for a worker in scope (``assignment_start``)."""
    worker = _visible_worker(request, worker_id)
    form = AssignmentTermsForm(request.POST or None, user=request.user)
    return _service_form_page(
        request,
        form,
        save=lambda: assignment_start(actor=request.user, worker=worker, terms=form.terms()).worker,
        success=lambda _: "The new assignment is recorded.",
        context={
            "worker": worker,
            "title": f"Start an assignment for {worker.full_name}",
            "submit": "Start assignment",
        },
    )


@people_required
def assignment_end_view(request: HttpRequest, assignment_uuid: UUID) -> HttpResponse:
    """End an open assignment with its last day and exit reason (``assignment_end``)."""
    assignment = _changeable_assignment(request, assignment_uuid)
    form = AssignmentEndForm(request.POST or None, initial={"version": assignment.version})
    return _service_form_page(
        request,
        form,
        save=lambda: (
            assignment_end(
                actor=request.user,
                assignment=assignment,
                end_date=form.cleaned_data["end_date"],
                exit_reason=form.cleaned_data["exit_reason"],
                version=form.cleaned_data["version"],
            ).worker
        ),
        success=lambda _: "The assignment is ended.",
        after_error=assignment.refresh_from_db,
        context={
            "worker": assignment.worker,
            "assignment": assignment,
            "title": f"End an assignment of {assignment.worker.full_name}",
            "submit": "End assignment",
        },
    )


@people_required
def assignment_transfer_view(request: HttpRequest, assignment_uuid: UUID) -> HttpResponse:
    """Transfer: end the assignment on its last day (reason 'transferred') and start the new one, both
    or neither (``assignment_transfer``)."""
    assignment = _changeable_assignment(request, assignment_uuid)
    form = AssignmentTransferForm(request.POST or None, user=request.user, assignment=assignment)
    return _service_form_page(
        request,
        form,
        save=lambda: (
            assignment_transfer(
                actor=request.user,
                assignment=assignment,
                last_day=form.cleaned_data["last_day"],
                terms=form.terms(),
                version=form.cleaned_data["version"],
            ).worker
        ),
        success=lambda _: "The transfer is recorded.",
        # The end was rolled back with the failed start (or refused); forget it in memory too.
        after_error=assignment.refresh_from_db,
        rename={"end_date": "last_day"},
        context={
            "worker": assignment.worker,
            "assignment": assignment,
            "title": f"Transfer {assignment.worker.full_name}",
            "submit": "Record transfer",
            "sections": [("End of the current assignment", ("last_day",)), ("New assignment", None)],
        },
    )
