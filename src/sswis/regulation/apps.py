from django.apps import AppConfig


class RegulationConfig(AppConfig):
    name = "sswis.regulation"
    label = "regulation"

    def ready(self) -> None:
        # Registrations, CPD, exams and complaints follow a merge of two records of the same person.
        from sswis.regulation.merging import register_movers

        register_movers()
