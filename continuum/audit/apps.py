from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "continuum.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        # Declares who may search the access log and review emergency access.
        from continuum.audit import policies  # noqa: F401
