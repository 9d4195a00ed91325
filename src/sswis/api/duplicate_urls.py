"""The duplicates API (``/api/v1/duplicates/``): the review queue, a pair, confirm, reject, runs, model."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views import duplicates as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("pairs/", views.PairListView.as_view(), name="duplicates-pairs"),
    path("pairs/<int:pair_id>/", views.PairDetailView.as_view(), name="duplicates-pair"),
    path("pairs/<int:pair_id>/confirm/", views.PairConfirmView.as_view(), name="duplicates-pair-confirm"),
    path("pairs/<int:pair_id>/reject/", views.PairRejectView.as_view(), name="duplicates-pair-reject"),
    path("runs/", views.RunListView.as_view(), name="duplicates-runs"),
    path("runs/<uuid:uuid>/", views.RunDetailView.as_view(), name="duplicates-run"),
    path("model/", views.ModelView.as_view(), name="duplicates-model"),
]
