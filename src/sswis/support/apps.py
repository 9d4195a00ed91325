from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "sswis.support"
    label = "support"

    def ready(self) -> None:
        # Rows of this app that name a worker follow a merge of two records of the same person
        # (``sswis.registry.merging``); unique rules are checked there before anything moves.
        from sswis.registry.merging import worker_mover_register
        from sswis.support.models import Caseload, SupervisionRelationship, SupervisionSession
        from sswis.support.models_associations import Membership

        worker_mover_register(model=Caseload, field="worker")
        worker_mover_register(model=SupervisionRelationship, field="supervisor")
        worker_mover_register(model=SupervisionRelationship, field="supervisee")
        worker_mover_register(model=SupervisionSession, field="supervisor")
        worker_mover_register(model=SupervisionSession, field="supervisee")
        worker_mover_register(model=Membership, field="worker")
