"""The retention and attrition page (``/support/retention/``, namespace ``web``)."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import retention

urlpatterns: list[URLPattern | URLResolver] = [
    path("", retention.retention_view, name="retention"),
]
