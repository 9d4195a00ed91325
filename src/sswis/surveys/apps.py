from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "sswis.surveys"
    label = "surveys"
    verbose_name = "Field surveys"

    def ready(self) -> None:
        # Rows of this app that name a worker follow a merge of two records of the same person
        # (``sswis.registry.merging``); unique rules are checked there before anything moves.
        from sswis.registry.merging import worker_mover_register
        from sswis.surveys.models import ImportedSubmission, PerceptionResponse

        worker_mover_register(model=PerceptionResponse, field="worker")
        worker_mover_register(model=ImportedSubmission, field="worker")
