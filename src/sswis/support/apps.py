from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "sswis.support"
    label = "support"
