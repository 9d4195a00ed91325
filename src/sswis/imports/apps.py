from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "sswis.imports"
    label = "imports"
