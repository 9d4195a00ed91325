"""SMS through RapidPro (``/support/sms/``, namespace ``web``): the national data manager's page."""

from django.urls import URLPattern, path

from sswis.web.views import rapidpro

urlpatterns: list[URLPattern] = [
    path("", rapidpro.rapidpro_view, name="rapidpro"),
    path("tokens/", rapidpro.token_create_view, name="rapidpro_token_create"),
    path("tokens/<int:pk>/revoke/", rapidpro.token_revoke_view, name="rapidpro_token_revoke"),
]
