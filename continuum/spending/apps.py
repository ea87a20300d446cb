from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "continuum.spending"
    label = "spending"
    verbose_name = "Early help spending"

    def ready(self) -> None:
        # Who enters, signs off and compares returns (the one access policy).
        from continuum.spending import policies  # noqa: F401
