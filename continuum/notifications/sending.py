"""Sending a queued email: through GOV.UK Notify's Python client when its API key is set,
otherwise to the local outbox (the email is kept, marked sent, and shown on the outbox page).

Notify is given the template (settings ``GOVUK_NOTIFY_TEMPLATE_ID``, or the kind's own) and
two personalisation fields, ``sentence`` and ``link``: nothing else leaves the service.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

from continuum.notifications.models import Email, EmailChannel, EmailState
from continuum.notifications.policies import uses_outbox

logger = logging.getLogger(__name__)


def template_for(kind: str) -> str:
    return settings.GOVUK_NOTIFY_TEMPLATES.get(kind) or settings.GOVUK_NOTIFY_TEMPLATE_ID


def send_email(*, email_id: uuid.UUID) -> Email:
    """Send one queued email (an email already sent is left alone)."""
    with transaction.atomic():
        email = Email.objects.select_for_update().get(pk=email_id)
        if email.state == EmailState.SENT:
            return email
        if uses_outbox():
            email.channel = EmailChannel.OUTBOX
            email.state = EmailState.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["channel", "state", "sent_at"])
            return email
    client = NotificationsAPIClient(
        settings.GOVUK_NOTIFY_API_KEY, base_url=settings.GOVUK_NOTIFY_BASE_URL, timeout=10
    )
    email.channel = EmailChannel.NOTIFY
    try:
        response = client.send_email_notification(
            email_address=email.to_address,
            template_id=template_for(email.kind),
            personalisation={"sentence": email.sentence, "link": email.link},
            reference=str(email.pk),
        )
    except (APIError, RequestException) as exc:
        logger.warning("GOV.UK Notify refused email %s: %s", email.pk, exc)
        email.state = EmailState.FAILED
        email.error = str(exc)[:2000]
        email.save(update_fields=["channel", "state", "error"])
        return email
    email.state = EmailState.SENT
    email.sent_at = timezone.now()
    email.provider_id = str(response.get("id", ""))[:64]
    email.error = ""
    email.save(update_fields=["channel", "state", "sent_at", "provider_id", "error"])
    return email
