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
