from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sswis.reports"
    label = "reports"
