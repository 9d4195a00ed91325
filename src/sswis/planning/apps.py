from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "sswis.planning"
    label = "planning"
