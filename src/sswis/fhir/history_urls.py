"""ITI-91 routes (``sswis.fhir.history_views``): ``_history`` of each resource type and of the whole
directory. Included first by ``sswis.fhir.urls``, so ``Practitioner/_history`` is never read as the
Practitioner whose id is ``_history``."""

from django.urls import URLPattern, path

from sswis.fhir.history_views import HistoryView
from sswis.fhir.kinds import KINDS

urlpatterns: list[URLPattern] = [
    path("_history", HistoryView.as_view(), name="history"),
    *(
        path(f"{name}/_history", HistoryView.as_view(kind=kind), name=f"{name.lower()}-history")
        for name, kind in KINDS.items()
    ),
]
