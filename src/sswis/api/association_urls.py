"""The professional associations' API (``/api/v1/support/associations/``): associations, the members of one,
a worker's memberships, one membership (changed, ended) and the membership figures."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views import associations as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.AssociationListView.as_view(), name="support-associations"),
    path("figures/", views.MembershipFiguresView.as_view(), name="support-association-figures"),
    path(
        "workers/<str:worker_id>/",
        views.WorkerMembershipListView.as_view(),
        name="support-association-worker-memberships",
    ),
    path(
        "memberships/<uuid:uuid>/",
        views.MembershipDetailView.as_view(),
        name="support-association-membership",
    ),
    path(
        "memberships/<uuid:uuid>/end/",
        views.MembershipEndView.as_view(),
        name="support-association-membership-end",
    ),
    path("<str:code>/", views.AssociationDetailView.as_view(), name="support-association"),
    path(
        "<str:code>/memberships/",
        views.AssociationMembershipListView.as_view(),
        name="support-association-memberships",
    ),
]
