from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "sswis.exports"
    label = "exports"
