from django.apps import AppConfig


class Dhis2Config(AppConfig):
    name = "sswis.dhis2"
    label = "dhis2"
