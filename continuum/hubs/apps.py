from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "continuum.hubs"
    label = "hubs"
    verbose_name = "Joint front doors (hubs)"

    def ready(self) -> None:
        # Who records agreements and places staff (the one access policy).
        from continuum.hubs import policies  # noqa: F401
