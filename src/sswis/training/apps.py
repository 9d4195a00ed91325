from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "sswis.training"
    label = "training"

    def ready(self) -> None:
        # Rows of this app that name a worker follow a merge of two records of the same person
        # (``sswis.registry.merging``); unique rules are checked there before anything moves.
        from sswis.registry.merging import worker_mover_register
        from sswis.training.models import Completion
        from sswis.training.models_competencies import CompetencyAssessment
        from sswis.training.models_practicum import Placement, Student

        worker_mover_register(model=Completion, field="worker")
        worker_mover_register(model=Student, field="worker")
        worker_mover_register(model=CompetencyAssessment, field="worker")
        worker_mover_register(model=Placement, field="supervisor")
