"""The reports API (``/api/v1/reports/``): the workforce profiles."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views.reports import ProfileReportDetailView, ProfileReportDownloadView, ProfileReportListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("profiles/", ProfileReportListView.as_view(), name="report-profiles"),
    path("profiles/<uuid:report_uuid>/", ProfileReportDetailView.as_view(), name="report-profile-detail"),
    path(
        "profiles/<uuid:report_uuid>/download/",
        ProfileReportDownloadView.as_view(),
        name="report-profile-download",
    ),
]
