from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "continuum.web"
    verbose_name = "Web interface"
