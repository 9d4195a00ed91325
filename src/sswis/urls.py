import sys

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("sswis.api.urls")),
    path("rapidpro/", include("sswis.rapidpro.urls")),
    path("fhir/", include("sswis.fhir.urls")),
    path("reports/", include("sswis.reports.urls")),
    path("", include("sswis.web.urls")),
]


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An address that leads nowhere: JSON under ``/api/`` (API clients read JSON, whatever the
    address), an OperationOutcome under ``/fhir/`` (FHIR clients read one), the site's own page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    if request.path.startswith("/fhir/"):
        from sswis.fhir.http import fhir_not_found_response

        return fhir_not_found_response(request)
    return defaults.page_not_found(request, exception)


handler404 = page_not_found


def server_error(request: HttpRequest) -> HttpResponse:
    """A server error: when the database could not be reached (a failure before any view ran, e.g. while
    the session was loaded) the 503 page of ``DatabaseBusyMiddleware``; otherwise Django's 500 page (JSON
    under ``/api/``)."""
    from sswis.web.middleware import database_unreachable, database_unreachable_response

    exception = sys.exc_info()[1]
    if exception is not None and database_unreachable(exception):
        return database_unreachable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    return defaults.server_error(request)


handler500 = server_error
