from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "sswis.indicators"
    label = "indicators"
