"""The retention schedule, legal holds and disposal runs with their certificates (issue 13)."""

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "continuum.retention"
    label = "retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        # Who sees and changes the schedule, holds, runs and certificates.
        from continuum.retention import policies  # noqa: F401
