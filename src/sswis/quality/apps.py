from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "sswis.quality"
    label = "quality"
