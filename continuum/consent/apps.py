from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "continuum.consent"
    label = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        # Who sees and records consent (registered with the one access policy); the
        # "Consent" tab of a person's record and the chronology's link to a consent record.
        from continuum.consent import pages, policies  # noqa: F401

        pages.register()
