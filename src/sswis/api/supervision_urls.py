"""Supervision's API (``/api/v1/support/supervision/``): the supervisor database, relationships and
sessions, the compliance view and the rules."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views import supervision_database as database
from sswis.api.views import supervision_records as records

urlpatterns: list[URLPattern | URLResolver] = [
    path("supervisors/", database.SupervisorListView.as_view(), name="supervision-supervisors"),
    path("compliance/", database.ComplianceView.as_view(), name="supervision-compliance"),
    path("rules/", database.RulesView.as_view(), name="supervision-rules"),
    path("relationships/", records.RelationshipListView.as_view(), name="supervision-relationships"),
    path(
        "relationships/<uuid:relationship_uuid>/",
        records.RelationshipDetailView.as_view(),
        name="supervision-relationship",
    ),
    path(
        "relationships/<uuid:relationship_uuid>/end/",
        records.RelationshipEndView.as_view(),
        name="supervision-relationship-end",
    ),
    path("sessions/", records.SessionListView.as_view(), name="supervision-sessions"),
    path("sessions/<uuid:session_uuid>/", records.SessionDetailView.as_view(), name="supervision-session"),
]
