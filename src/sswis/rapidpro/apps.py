from django.apps import AppConfig


class RapidproConfig(AppConfig):
    """SMS through RapidPro: the webhook its flows call, and reminders sent as its broadcasts."""

    name = "sswis.rapidpro"
    label = "rapidpro"

    def ready(self) -> None:
        # Rows of this app that name a worker follow a merge of two records of the same person
        # (``sswis.registry.merging``); unique rules are checked there before anything moves.
        from sswis.rapidpro.models import WebhookCall
        from sswis.registry.merging import worker_mover_register

        worker_mover_register(model=WebhookCall, field="worker")
