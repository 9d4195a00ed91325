from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sswis.demo"
    label = "demo"
