from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "continuum.programmes"
    label = "programmes"
    verbose_name = "Local programmes"

    def ready(self) -> None:
        # Who sees, runs and tags programmes (the one access policy), and the panel on an
        # episode's page.
        from continuum.programmes import extensions, policies  # noqa: F401

        extensions.register()
