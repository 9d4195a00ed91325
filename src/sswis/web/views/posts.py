"""The establishment: posts filled or vacant on a date, with their holders for users who see people."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse

from sswis.access import policy
from sswis.registry.models import Assignment, Post
from sswis.registry.selectors import post_list
from sswis.web.decorators import people_required
from sswis.web.forms import PostFilterForm
from sswis.web.views.common import page_of, render_page

RESULTS_ID = "post-results"


@dataclass(frozen=True)
class PostLine:
    """A post as a table row: its status on the date and who holds it (assignments the user sees)."""

    post: Post
    status: str  # "filled", "vacant", "not yet established", "abolished"
    holders: list[Assignment]


def posts_with_holders(posts: QuerySet[Post], *, user: Any, on: datetime.date) -> QuerySet[Post]:
    """``posts`` with ``holders``: the visible assignments active on ``on`` (one query for a page)."""
    holders = (
        policy.assignments_visible(user=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
        .select_related("worker")
        .order_by("start_date")
    )
    return posts.prefetch_related(Prefetch("assignments", queryset=holders, to_attr="holders"))


def post_lines(posts: Any, *, on: datetime.date) -> list[PostLine]:
    """Describe each post of a page: filled or vacant on ``on``, or not existing on that date."""
    lines = []
    for post in posts:
        if post.established_on is not None and post.established_on > on:
            status = "not yet established"
        elif post.abolished_on is not None and post.abolished_on <= on:
            status = "abolished"
        else:
            status = "filled" if post.is_filled else "vacant"
        lines.append(PostLine(post=post, status=status, holders=post.holders))
    return lines


@people_required
def post_list_view(request: HttpRequest) -> HttpResponse:
    """Posts in scope, filtered by location subtree, organisation, cadre and vacancy on a date (default
    today), 50 a page."""
    form = PostFilterForm(request.GET, user=request.user)
    on = form.reference_date()
    organisation = form.cleaned("organisation")
    posts = post_list(
        user=request.user,
        on=on,
        location=form.cleaned("location"),
        organisation_code=organisation.code if organisation else "",
    )
    cadre = form.cleaned("cadre")
    if cadre is not None:
        posts = posts.filter(cadre=cadre)
    if form.cleaned("vacant", False):
        posts = posts.filter(Q(exists_on_date=True), Q(is_filled=False))
    page = page_of(request, posts_with_holders(posts, user=request.user, on=on))
    context = {
        "nav": "posts",
        "form": form,
        "on": on,
        "page_obj": page,
        "lines": post_lines(page.object_list, on=on),
        "results_id": RESULTS_ID,
    }
    return render_page(
        request, "web/posts/list.html", context, partials={RESULTS_ID: "web/posts/results.html"}
    )
