"""Small helpers shared by the views: pagination, htmx partial responses, scope questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.geo.models import Location
from sswis.registry.models import Assignment
from sswis.web.paging import CappedPaginator

PAGE_SIZE = 50


def page_of(request: HttpRequest, items: QuerySet[Any]) -> Page[Any]:
    """The requested page (``?page=``) of ``items``, 50 a page; out of range gives the last page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def capped_page_of(
    request: HttpRequest,
    items: QuerySet[Any],
    *,
    keys: QuerySet[Any] | None = None,
    count: int | None = None,
) -> Page[Any]:
    """As :func:`page_of`, but the matches are counted only up to ``paging.COUNTED_UP_TO``: beyond, the
    page says "more than 10,000" and pages on by "Next" (``sswis.web.paging.CappedPaginator``). ``keys``:
    the items' keys, counted and paged instead of the items (the paginator's deferred join); ``count``:
    that capped count if already known (``None``: counted here)."""
    return CappedPaginator(items, PAGE_SIZE, keys=keys, count=count).get_page(request.GET.get("page"))


def htmx_target(request: HttpRequest) -> str | None:
    """The id of the element an htmx request will replace; ``None`` for a normal page load (or history
    restore, which needs the whole page)."""
    details = getattr(request, "htmx", None)
    if not details or details.history_restore_request:
        return None
    target = details.target
    return str(target) if target else None


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partials: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only the fragment of ``partials[target]`` when htmx asks for one element.

    The response varies on ``HX-Request`` so that a cached fragment is never shown as a whole page.
    """
    target = htmx_target(request)
    chosen = (partials or {}).get(target or "", template)
    response = render(request, chosen, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def may_change_assignment(*, user: Any, assignment: Assignment) -> bool:
    """Whether ``policy.require_assignment_change`` would let ``user`` change ``assignment``."""
    try:
        policy.require_assignment_change(
            user=user, organisation=assignment.organisation, location=assignment.location
        )
    except PermissionDenied:
        return False
    return True


@dataclass(frozen=True)
class LocationChoice:
    """The location an aggregate page shows, with what its location picker offers: the ancestors (a
    breadcrumb, country first) and the children (one level down), each to be chosen by its code."""

    location: Location
    ancestors: list[Location]
    children: list[Location]


def location_choose(*, user: Any, code: str) -> LocationChoice | None:
    """The location ``code`` among those whose aggregates ``user`` may browse
    (``policy.locations_in_scope``), or, without a code, the user's own (``policy.default_location_for``:
    a subnational officer's area, else the country). ``Http404`` for an unknown code; ``None`` when there
    is no location at all yet. Children are sorted by name. Three queries."""
    locations = policy.locations_in_scope(user=user)
    location = locations.filter(code=code).first() if code else policy.default_location_for(user=user)
    if location is None:
        if code:
            raise Http404(_("No location with this code."))
        return None
    ancestor_ids = [int(pk) for pk in location.path.split("/") if pk][:-1]
    return LocationChoice(
        location=location,
        ancestors=list(locations.filter(pk__in=ancestor_ids).order_by("depth")),
        children=list(location.children.order_by("name")),
    )
