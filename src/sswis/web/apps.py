from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sswis.web"
    label = "web"
