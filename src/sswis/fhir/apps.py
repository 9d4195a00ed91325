from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "sswis.fhir"
    label = "fhir"
    verbose_name = "FHIR mCSD directory"
