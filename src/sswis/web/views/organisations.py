"""Organisations: the reference list (every role) and one organisation's page: its own figures (every
role), and its staff and posts (roles that see person records, within their scope)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from sswis.access import policy
from sswis.access.models import Role
from sswis.indicators.organisation import organisation_figures
from sswis.registry.models import Organisation
from sswis.registry.selectors import organisation_staff, post_list
from sswis.web.decorators import aggregates_required
from sswis.web.forms import OrganisationFilterForm, OrganisationPageForm
from sswis.web.views.common import PAGE_SIZE, page_of, render_page
from sswis.web.views.posts import post_lines, posts_with_holders

RESULTS_ID = "organisation-results"
POSTS_ID = "post-results"
STAFF_ID = "staff-results"


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


def _sees_every_figure(user: object, organisation: Organisation) -> bool:
    """Whether the figures by sex of ``organisation`` are shown: to a national data manager, and to the
    organisation's own focal point (every worker counted there is one of their staff). Everyone else
    (analysts, system administrators, subnational officers, whose scope is a place) gets no split by sex,
    a personal attribute, since its small cells could describe a single worker."""
    scope = policy.scope_of(user)
    return scope.is_national or (
        scope.role == Role.ORGANISATION_FOCAL_POINT and scope.organisation_id == organisation.pk
    )


@aggregates_required
def organisation_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One organisation: its figures for ``?year=`` (default this year: workers counted there by cadre
    and sex, the vacancy rate of its posts); for roles that see people, its staff (assignments active on
    ``?on=``, default today, that the user may see; 50 a page, ``?staff_page=``) and its posts, each
    filled (by whom) or vacant on that date (``?page=``).

    An organisation the user may not list is a 404.
    """
    organisation = get_object_or_404(
        policy.organisations_visible(user=request.user).select_related("location", "parent"), code=code
    )
    form = OrganisationPageForm(request.GET)
    on = form.reference_date()
    context = {
        "nav": "organisations",
        "organisation": organisation,
        "form": form,
        "on": on,
        "figures": organisation_figures(organisation=organisation, year=form.figures_year()),
        "sex_shown": _sees_every_figure(request.user, organisation),
        "results_id": POSTS_ID,
        "staff_id": STAFF_ID,
    }
    if policy.scope_of(request.user).sees_people:
        staff = organisation_staff(user=request.user, organisation=organisation, on=on)
        posts = post_list(user=request.user, on=on, organisation_code=organisation.code)
        page = page_of(request, posts_with_holders(posts, user=request.user, on=on))
        context |= {
            "staff_page": Paginator(staff, PAGE_SIZE).get_page(request.GET.get("staff_page")),
            "page_obj": page,
            "lines": post_lines(page.object_list, on=on),
        }
    return render_page(
        request,
        "web/organisations/detail.html",
        context,
        partials={POSTS_ID: "web/posts/results.html", STAFF_ID: "web/organisations/staff.html"},
    )
