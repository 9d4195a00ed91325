"""The quality-assurance score's API (``/api/v1/quality/``): the proposals of a year, the scores of record,
and the normative framework's instruments."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views import quality as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("proposals/", views.ProposalsView.as_view(), name="quality-proposals"),
    path("scores/", views.ScoresView.as_view(), name="quality-scores"),
    path("instruments/", views.InstrumentListView.as_view(), name="quality-instruments"),
    path("instruments/<uuid:uuid>/", views.InstrumentDetailView.as_view(), name="quality-instrument"),
    path("instruments/<uuid:uuid>/end/", views.InstrumentEndView.as_view(), name="quality-instrument-end"),
]
