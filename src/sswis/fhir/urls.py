"""The FHIR R4 mCSD directory (namespace ``fhir``), under ``/fhir/``.

The history routes (ITI-91, ``sswis.fhir.history_urls``) come first: ``Practitioner/_history`` must not
be read as the Practitioner whose id is ``_history``.
"""

from django.urls import URLPattern, URLResolver, include, path

app_name = "fhir"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("sswis.fhir.history_urls")),
]
