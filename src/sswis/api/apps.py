from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sswis.api"
    label = "api"
