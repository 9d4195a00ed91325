"""The retention API (``/api/v1/support/retention/``)."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views.retention import RetentionView

urlpatterns: list[URLPattern | URLResolver] = [
    path("", RetentionView.as_view(), name="support-retention"),
]
