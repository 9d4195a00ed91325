from django.apps import AppConfig


class DuplicatesConfig(AppConfig):
    name = "sswis.duplicates"
    label = "duplicates"
