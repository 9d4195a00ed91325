"""The DHIS2 API (``/api/v1/dhis2/``): the push history, starting a push, the export. National data
managers only (``access.dhis2_policy``); see ``docs/dhis2.md``."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views.dhis2 import Dhis2ExportView, Dhis2PushDetailView, Dhis2PushListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("pushes/", Dhis2PushListView.as_view(), name="dhis2-pushes"),
    path("pushes/<uuid:uuid>/", Dhis2PushDetailView.as_view(), name="dhis2-push-detail"),
    path("export/", Dhis2ExportView.as_view(), name="dhis2-export"),
]
