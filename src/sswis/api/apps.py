from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API app. The OpenAPI description of the tokens (``sswis.api.schema.ApiTokenScheme``) is
    registered when ``sswis.api.schema`` is imported: by the API's views (``sswis.api.conditional`` reads
    the default schema class, ``sswis.api.schema.ApiAutoSchema``), so before any schema is generated, since
    generation walks the URLs and so imports the views. Not in ``ready``: that would load drf-spectacular
    (and with it Django's test client, Jinja2 and requests, about 13 MB) in every process, the background
    worker's too (docs/load.md, memory)."""

    name = "sswis.api"
    label = "api"
