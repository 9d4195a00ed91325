from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sswis.registry"
    label = "registry"
