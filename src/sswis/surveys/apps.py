from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "sswis.surveys"
    label = "surveys"
    verbose_name = "Field surveys"
