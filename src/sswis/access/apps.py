from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sswis.access"
    label = "access"

    def ready(self) -> None:
        # Rows of this app that name a worker follow a merge of two records of the same person
        # (``sswis.registry.merging``); unique rules are checked there before anything moves.
        from sswis.access.models import UserScope
        from sswis.registry.merging import worker_mover_register

        worker_mover_register(model=UserScope, field="worker")
