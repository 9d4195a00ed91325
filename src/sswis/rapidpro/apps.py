from django.apps import AppConfig


class RapidproConfig(AppConfig):
    """SMS through RapidPro: the webhook its flows call, and reminders sent as its broadcasts."""

    name = "sswis.rapidpro"
    label = "rapidpro"
