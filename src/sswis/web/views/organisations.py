"""Organisations: the reference list (every role) and one organisation with its posts (person roles)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from sswis.access import policy
from sswis.registry.selectors import post_list
from sswis.web.decorators import aggregates_required, people_required
from sswis.web.forms import OrganisationFilterForm, ReferenceDateForm
from sswis.web.views.common import page_of, render_page
from sswis.web.views.posts import post_lines, posts_with_holders

RESULTS_ID = "organisation-results"
POSTS_ID = "post-results"


@aggregates_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    """Organisations the user may list (``policy.organisations_visible``), by type and government or
    not, 50 a page. Outsiders are refused."""
    form = OrganisationFilterForm(request.GET)
    organisations = form.apply(
        policy.organisations_visible(user=request.user).select_related("location").order_by("name", "code")
    )
    context = {
        "nav": "organisations",
        "form": form,
        "page_obj": page_of(request, organisations),
        "results_id": RESULTS_ID,
    }
    return render_page(
        request,
        "web/organisations/list.html",
        context,
        partials={RESULTS_ID: "web/organisations/results.html"},
    )


@people_required
def organisation_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One organisation and its posts, each filled (by whom) or vacant on ``?on=`` (default today).

    An organisation the user may not list is a 404.
    """
    organisation = get_object_or_404(
        policy.organisations_visible(user=request.user).select_related("location", "parent"), code=code
    )
    form = ReferenceDateForm(request.GET)
    on = form.reference_date()
    posts = post_list(user=request.user, on=on, organisation_code=organisation.code)
    page = page_of(request, posts_with_holders(posts, user=request.user, on=on))
    context = {
        "nav": "organisations",
        "organisation": organisation,
        "form": form,
        "on": on,
        "page_obj": page,
        "lines": post_lines(page.object_list, on=on),
        "results_id": POSTS_ID,
    }
    return render_page(
        request, "web/organisations/detail.html", context, partials={POSTS_ID: "web/posts/results.html"}
    )
