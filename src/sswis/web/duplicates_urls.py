"""Duplicate detection's pages (``/duplicates/``, namespace ``web``)."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import duplicates

urlpatterns: list[URLPattern | URLResolver] = [
    path("", duplicates.queue_view, name="duplicates"),
    path("pairs/<int:pair_id>/", duplicates.pair_view, name="duplicates_pair"),
    path("runs/", duplicates.runs_view, name="duplicates_runs"),
    path("runs/<int:run_id>/", duplicates.run_view, name="duplicates_run"),
    path("model/", duplicates.model_view, name="duplicates_model"),
]
