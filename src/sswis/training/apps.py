from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "sswis.training"
    label = "training"
