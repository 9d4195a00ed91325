from django.apps import AppConfig


class RegulationConfig(AppConfig):
    name = "sswis.regulation"
    label = "regulation"
