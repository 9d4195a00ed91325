"""The Primero pages (``/support/primero/``): the sync history (national data managers and system
administrators), running a sync (a national data manager; a background job of ``sswis db_worker``), and
the case hand-over directory (the roles that see people, the workers they see). See ``docs/support.md``,
"Caseloads from Primero" and "Case hand-over directory"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sswis.access import primero_policy
from sswis.primero.client import PrimeroError
from sswis.primero.models import PrimeroSync, SyncOrigin, SyncStatus
from sswis.primero.sync import primero_credentials, primero_sync_create, primero_sync_queue
from sswis.support.handover import handover_directory
from sswis.web.decorators import handover_required, primero_sync_run_required, primero_syncs_required
from sswis.web.forms import form_add_service_errors
from sswis.web.primero_forms import HandoverFilterForm, SyncForm
from sswis.web.views.common import location_choose, page_of

NAV = "primero"


@primero_syncs_required
def sync_list_view(request: HttpRequest) -> HttpResponse:
    """Every sync, newest first, 50 a page: when, who, server, month, dry run, what came of it."""
    syncs = PrimeroSync.objects.select_related("user").order_by("-created_at", "-id")
    return render(
        request,
        "web/primero/syncs.html",
        {
            "nav": NAV,
            "page_obj": page_of(request, syncs),
            "may_run": primero_policy.may_run_sync(user=request.user),
        },
    )


@primero_sync_run_required
def sync_run_view(request: HttpRequest) -> HttpResponse:
    """The form (GET) and the sync it queues (POST) against the server ``SSWIS_PRIMERO_URL``, with the
    service account of the server's environment."""
    server = settings.SSWIS_PRIMERO_URL
    form = SyncForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if not server:
                raise PrimeroError(_("No Primero server is set: set SSWIS_PRIMERO_URL on the server."))
            primero_credentials()
            sync = primero_sync_create(
                actor=request.user,
                url=server,
                month=form.cleaned_data["month"],
                dry_run=form.cleaned_data["dry_run"],
                origin=SyncOrigin.PAGE,
            )
        except PrimeroError as problem:
            form.add_error(None, problem.message)
        except ValidationError as problem:
            form_add_service_errors(form, problem)
        else:
            sync = primero_sync_queue(sync=sync)
            if sync.status == SyncStatus.FAILED:
                messages.error(request, sync.error)
            elif sync.status == SyncStatus.FINISHED:
                messages.success(request, _("The sync has run: its result is at the top of the list."))
            else:
                messages.success(
                    request, _("The sync is queued: it runs in the background; reload this page.")
                )
            return redirect("web:primero_syncs")
    return render(request, "web/primero/sync.html", {"nav": NAV, "form": form, "server": server})


@handover_required
def handover_view(request: HttpRequest) -> HttpResponse:
    """``?location=CODE`` (default: the user's area, else the country), ``&organisation=``, ``&cadre=``:
    the workers who can take a case there today."""
    choice = location_choose(user=request.user, code=request.GET.get("location", ""))
    form = HandoverFilterForm(request.GET)
    workers = (
        handover_directory(
            user=request.user,
            location=choice.location,
            organisation=form.cleaned("organisation"),
            cadre=form.cleaned("cadre"),
        )
        if choice is not None
        else []
    )
    return render(
        request,
        "web/primero/handover.html",
        {
            "nav": NAV,
            "choice": choice,
            "form": form,
            "workers": workers,
            "may_read_syncs": primero_policy.may_read_syncs(user=request.user),
        },
    )
