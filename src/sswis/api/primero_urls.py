"""The Primero API (``/api/v1/support/primero/``): the sync history and the case hand-over directory."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views.primero import PrimeroSyncListView, TransferToView

urlpatterns: list[URLPattern | URLResolver] = [
    path("syncs/", PrimeroSyncListView.as_view(), name="primero-syncs"),
    path("transfer-to/", TransferToView.as_view(), name="primero-transfer-to"),
]
