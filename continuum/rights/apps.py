from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "continuum.rights"
    label = "rights"
    verbose_name = "Rights"

    def ready(self) -> None:
        # Who runs the register and reads for a bundle; the "processing restricted" notice
        # on a person's summary (people.sections).
        from continuum.rights import pages, policies  # noqa: F401

        pages.register()
