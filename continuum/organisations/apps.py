from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "continuum.organisations"
    verbose_name = "Organisations"
