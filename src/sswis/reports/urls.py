"""The profile's pages under ``/reports/``."""

from django.urls import URLPattern, path

from sswis.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("profile/", views.profile_view, name="profile"),
    path("profiles/", views.report_list_view, name="report_list"),
    path("profiles/new/", views.profile_request_view, name="profile_request"),
    path("profiles/<uuid:report_uuid>/", views.report_detail_view, name="report_detail"),
    path("profiles/<uuid:report_uuid>/download/", views.report_download_view, name="report_download"),
]
