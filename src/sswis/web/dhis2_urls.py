"""The DHIS2 pages (``/dhis2/``, namespace ``web``): national data managers only (``access.dhis2_policy``)."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import dhis2

urlpatterns: list[URLPattern | URLResolver] = [
    path("", dhis2.dhis2_view, name="dhis2"),
    path("pushes/<uuid:push_uuid>/", dhis2.push_detail_view, name="dhis2_push"),
    path("push/", dhis2.push_run_view, name="dhis2_push_run"),
    path("export/", dhis2.export_view, name="dhis2_export"),
    path("mapping/", dhis2.mapping_view, name="dhis2_mapping"),
    path("mapping/example.csv", dhis2.mapping_example_view, name="dhis2_mapping_example"),
]
