from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "continuum.backups"
    label = "backups"
    verbose_name = "Backups"
