"""The caseloads' API (``/api/v1/support/``): caseloads, their norms and their distribution."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views import support_caseloads as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("caseloads/", views.CaseloadListView.as_view(), name="support-caseloads"),
    path(
        "caseloads/distribution/",
        views.CaseloadDistributionView.as_view(),
        name="support-caseload-distribution",
    ),
    path("caseloads/<uuid:uuid>/", views.CaseloadDetailView.as_view(), name="support-caseload"),
    path("caseload-norms/", views.CaseloadNormListView.as_view(), name="support-caseload-norms"),
    path("caseload-norms/<int:pk>/", views.CaseloadNormDetailView.as_view(), name="support-caseload-norm"),
]
