"""The RapidPro webhook (namespace ``rapidpro``), under ``/rapidpro/``."""

from django.urls import URLPattern, path

from sswis.rapidpro import views

app_name = "rapidpro"
urlpatterns: list[URLPattern] = [
    path("webhook/session/", views.webhook_session_view, name="webhook_session"),
    path("webhook/caseload/", views.webhook_caseload_view, name="webhook_caseload"),
]
