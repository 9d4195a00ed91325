"""The pages of memberships (persons): the members of an association, one worker's memberships, the forms that
record a membership (from the association's page or from the worker's) and end one.

Who: the roles that see people (a national data manager, a subnational officer, an organisation focal
point), each the memberships of the workers they see (``support_policy.memberships_visible``); they record
and end those same workers' memberships (``require_workers_change``, checked again by the services). A
worker out of sight is not found (404), as on the workers' pages; a refusal is shown on the form (400) and
writes nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.access.support_policy import memberships_visible
from sswis.registry.models import Worker
from sswis.support import associations as services
from sswis.support.association_selectors import (
    associations_listed,
    memberships_of_association,
    memberships_of_worker,
)
from sswis.support.models_associations import Association, Membership
from sswis.web.association_forms import (
    AssociationMembershipForm,
    MembersDayForm,
    MembershipEndForm,
    WorkerMembershipForm,
)
from sswis.web.decorators import people_required
from sswis.web.forms import form_add_service_errors
from sswis.web.views.associations import NAV, form_page
from sswis.web.views.common import page_of

MEMBERSHIP_FIELDS = ("member_from", "member_until", "number", "kind")


def _memberships_url(association: Association) -> str:
    return reverse("web:association_memberships", kwargs={"code": association.code})


def _worker_url(worker: Worker) -> str:
    return reverse("web:association_worker", kwargs={"worker_id": worker.worker_id})


def _visible_worker(request: HttpRequest, worker_id: str) -> Worker:
    worker = policy.workers_visible(user=request.user).filter(worker_id=worker_id).first()
    if worker is None:
        # Out of scope and non-existent look the same: a 404 reveals nothing about other records.
        raise Http404(_("No worker with this ID in your scope."))
    return worker


@people_required
def association_memberships_view(request: HttpRequest, code: str) -> HttpResponse:
    """The memberships of an association that the user may see (``?day=``: only those holding that day),
    by the worker's name, 50 a page."""
    association = get_object_or_404(associations_listed(), code=code)
    form = MembersDayForm(request.GET or None)
    day = form.cleaned("day")
    rows = memberships_of_association(user=request.user, association=association, day=day)
    return render(
        request,
        "web/support/associations/memberships.html",
        {
            "nav": NAV,
            "association": association,
            "form": form,
            "day": day,
            "page_obj": page_of(request, rows),
        },
    )


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in MEMBERSHIP_FIELDS}


@people_required
def association_membership_new_view(request: HttpRequest, code: str) -> HttpResponse:
    """Record a membership of the association for a worker the user sees (named by their worker ID)."""
    association = get_object_or_404(Association, code=code)
    form = WorkerMembershipForm(request.POST or None)

    def save(data: dict[str, Any]) -> Membership:
        worker = policy.workers_visible(user=request.user).filter(worker_id=data["worker_id"].strip()).first()
        if worker is None:
            raise ValidationError({"worker_id": _("No worker you may see has this worker ID.")})
        return services.membership_create(
            actor=request.user, worker=worker, association=association, **_fields(data)
        )

    return form_page(
        request,
        form,
        title=_("New member of %(name)s") % {"name": association.name},
        back=_memberships_url(association),
        save=save,
        done=lambda membership: _memberships_url(association),
        message=_("The membership is recorded."),
    )


@people_required
def worker_memberships_view(request: HttpRequest, worker_id: str) -> HttpResponse:
    """One worker's memberships (those the user may see); POST records a membership of an association."""
    worker = _visible_worker(request, worker_id)
    form = AssociationMembershipForm(request.POST or None, associations=associations_listed())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.membership_create(
                    actor=request.user, worker=worker, association=data["association"], **_fields(data)
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The membership is recorded."))
                return redirect(_worker_url(worker))
        status = 400
    return render(
        request,
        "web/support/associations/worker.html",
        {
            "nav": NAV,
            "worker": worker,
            "memberships": memberships_of_worker(user=request.user, worker=worker),
            "form": form,
        },
        status=status,
    )


@people_required
def membership_end_view(request: HttpRequest, membership_uuid: UUID) -> HttpResponse:
    """End a membership of a worker the user sees (its last day); back to the worker's memberships."""
    membership: Membership = get_object_or_404(
        memberships_visible(
            user=request.user, queryset=Membership.objects.select_related("worker", "association")
        ),
        uuid=membership_uuid,
    )
    return form_page(
        request,
        MembershipEndForm(request.POST or None, initial={"member_until": membership.member_until}),
        title=_("End the membership of %(worker)s in %(association)s")
        % {"worker": membership.worker.worker_id, "association": membership.association.name},
        back=_worker_url(membership.worker),
        save=lambda data: services.membership_end(
            actor=request.user, membership=membership, member_until=data["member_until"]
        ),
        done=lambda saved: _worker_url(saved.worker),
        message=_("The membership is ended."),
        lead=_("Member from %(day)s.") % {"day": membership.member_from.isoformat()},
    )
