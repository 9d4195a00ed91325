from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "sswis.backup"
    label = "backup"
