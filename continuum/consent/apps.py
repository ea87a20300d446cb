from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "continuum.consent"
    label = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        # Who sees and records consent (registered with the one access policy).
        from continuum.consent import policies  # noqa: F401
