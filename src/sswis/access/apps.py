from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sswis.access"
    label = "access"
