from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "continuum.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Declares who sees which notifications and who opens the outbox.
        from continuum.notifications import policies  # noqa: F401
