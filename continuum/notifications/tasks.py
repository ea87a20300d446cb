"""The background task that sends an email (Django's tasks API, decision 0013)."""

from __future__ import annotations

import uuid

from django_tasks import task


@task()
def send_email_task(email_id: str) -> None:
    from continuum.notifications.sending import send_email

    send_email(email_id=uuid.UUID(email_id))
