"""Supervision's pages (``/support/supervision/``, namespace ``web``): the compliance view, the supervisor
database, relationships, sessions and the rules."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import supervision, supervision_records

urlpatterns: list[URLPattern | URLResolver] = [
    path("", supervision.compliance_view, name="supervision_compliance"),
    path("supervisors/", supervision.supervisor_list_view, name="supervision_supervisors"),
    path("rules/", supervision.rules_view, name="supervision_rules"),
    path("relationships/", supervision_records.relationship_list_view, name="supervision_relationship_list"),
    path(
        "relationships/new/", supervision_records.relationship_new_view, name="supervision_relationship_new"
    ),
    path(
        "relationships/<uuid:relationship_uuid>/",
        supervision_records.relationship_edit_view,
        name="supervision_relationship_edit",
    ),
    path("sessions/", supervision_records.session_list_view, name="supervision_session_list"),
    path("sessions/new/", supervision_records.session_new_view, name="supervision_session_new"),
    path(
        "sessions/<uuid:session_uuid>/",
        supervision_records.session_edit_view,
        name="supervision_session_edit",
    ),
    path(
        "sessions/<uuid:session_uuid>/delete/",
        supervision_records.session_delete_view,
        name="supervision_session_delete",
    ),
]
