from django.apps import AppConfig


class PrimeroConfig(AppConfig):
    name = "sswis.primero"
    label = "primero"
