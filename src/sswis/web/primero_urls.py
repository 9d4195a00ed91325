"""The Primero pages (``/support/primero/``, namespace ``web``): the sync history, running a sync, the case
hand-over directory."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import primero

urlpatterns: list[URLPattern | URLResolver] = [
    path("syncs/", primero.sync_list_view, name="primero_syncs"),
    path("syncs/new/", primero.sync_run_view, name="primero_sync_run"),
    path("handover/", primero.handover_view, name="primero_handover"),
]
