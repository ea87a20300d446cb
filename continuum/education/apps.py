from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "continuum.education"
    label = "education"
    verbose_name = "Education"
