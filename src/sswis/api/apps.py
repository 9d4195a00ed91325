from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sswis.api"
    label = "api"

    def ready(self) -> None:
        from sswis.api import schema  # noqa: F401  (registers the OpenAPI description of the tokens)
