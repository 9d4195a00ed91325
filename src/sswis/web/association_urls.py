"""The professional associations' pages (``/support/associations/``, namespace ``web``): the associations,
their members, a worker's memberships and the membership figures."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import association_memberships, associations

urlpatterns: list[URLPattern | URLResolver] = [
    path("", associations.association_list_view, name="association_list"),
    path("new/", associations.association_new_view, name="association_new"),
    path("figures/", associations.membership_figures_view, name="association_figures"),
    path(
        "workers/<str:worker_id>/", association_memberships.worker_memberships_view, name="association_worker"
    ),
    path(
        "memberships/<uuid:membership_uuid>/end/",
        association_memberships.membership_end_view,
        name="association_membership_end",
    ),
    path("<str:code>/", associations.association_detail_view, name="association_detail"),
    path("<str:code>/edit/", associations.association_edit_view, name="association_edit"),
    path(
        "<str:code>/memberships/",
        association_memberships.association_memberships_view,
        name="association_memberships",
    ),
    path(
        "<str:code>/memberships/new/",
        association_memberships.association_membership_new_view,
        name="association_membership_new",
    ),
]
