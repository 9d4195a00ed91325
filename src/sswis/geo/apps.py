from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "sswis.geo"
    label = "geo"
