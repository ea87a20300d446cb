"""Reminders and notifications for the demo sign-ins (issue 12), so each home page's work
tray and the notifications page have something of the user's own on first sign-in.

For each demo sign-in who sees people (in username order): two reminders on people they
may see (one overdue, one due next week) and one notification of the kind their role is
told about, linking to a record they may open, with its email in the local outbox (the demo
never sends through GOV.UK Notify). Cheap: a few rows per sign-in; deterministic by seed.

Runs last (order 990), on its own random stream.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.notifications.models import (
    EMAIL_SENTENCES,
    Email,
    EmailChannel,
    EmailState,
    Notification,
    NotificationKind,
)
from continuum.notifications.services import absolute_link
from continuum.people.models import Person
from continuum.work.models import RecordKind, Reminder

REMINDERS = (
    "Ring the school about attendance this week",
    "Chase the health visitor's report",
    "Check the family has the food bank referral",
    "Book the next TAF meeting",
    "Follow up the housing application",
)
# What each role is told about, with the subject shown in the app.
KIND_OF_ROLE = {
    Role.TEAM_MANAGER: (
        NotificationKind.SIGN_OFF,
        "A front-door decision is waiting for your sign-off",
    ),
    Role.FRONT_DOOR_WORKER: (
        NotificationKind.URGENT_STEP_UP,
        "Urgent step-up to social care: risk of significant harm",
    ),
    Role.EARLY_HELP_PRACTITIONER: (
        NotificationKind.TAF_INVITATION,
        "You have been added to a Team Around the Family",
    ),
    Role.PARTNER_PRACTITIONER: (
        NotificationKind.OUTCOME,
        "The front door has decided your contact: see the outcome",
    ),
}


def _people_for(user: User, world: World) -> list[Person]:
    candidates = list(policy.visible(user, Person).order_by("pk").values_list("pk", flat=True)[:40])
    chosen = world.rng.sample(candidates, k=min(2, len(candidates)))
    return list(Person.objects.filter(pk__in=chosen).order_by("pk"))


def _link_for(user: User, kind: str) -> str | None:
    """A record of the user's council (or their own) that the notification points at."""
    if kind in (NotificationKind.SIGN_OFF, NotificationKind.OUTCOME):
        contact = policy.visible(user, Contact).exclude(submitted_at=None).order_by("pk").first()
        return reverse("front_door:contact", args=[contact.pk]) if contact else None
    episode = policy.visible(user, Episode).order_by("pk").first()
    if episode is None:
        return None
    name = "early_help:step-up" if kind == NotificationKind.URGENT_STEP_UP else "early_help:taf"
    return reverse(name, args=[episode.pk])


@step(order=990)
def reminders_and_notifications(world: World) -> None:
    today = timezone.localdate()
    reminders: list[Reminder] = []
    notifications: list[Notification] = []
    emails: list[Email] = []
    for username in sorted(world.users):
        user = world.users[username]
        if not policy.acts(user):
            continue
        for n, person in enumerate(_people_for(user, world)):
            reminders.append(
                Reminder(
                    id=world.new_uuid(),
                    user=user,
                    record_kind=RecordKind.PERSON,
                    record_id=person.pk,
                    due_on=today - timedelta(days=2) if n == 0 else today + timedelta(days=7),
                    text=world.rng.choice(REMINDERS),
                )
            )
        told = KIND_OF_ROLE.get(Role(user.role))
        link = _link_for(user, told[0]) if told else None
        if told is None or link is None:
            continue
        notification = Notification(
            id=world.new_uuid(),
            recipient=user,
            kind=told[0],
            subject=told[1],
            link=link,
            urgent=told[0] == NotificationKind.URGENT_STEP_UP,
        )
        notifications.append(notification)
        emails.append(
            Email(
                id=world.new_uuid(),
                notification=notification,
                recipient=user,
                to_address=user.email,
                kind=told[0],
                sentence=EMAIL_SENTENCES[told[0]],
                link=absolute_link(link),
                state=EmailState.SENT,
                channel=EmailChannel.OUTBOX,
                sent_at=timezone.now(),
            )
        )
    Reminder.objects.bulk_create(reminders)
    Notification.objects.bulk_create(notifications)
    Email.objects.bulk_create(emails)
    world.note(
        f"{len(reminders)} reminders and {len(notifications)} notifications for the sign-ins"
    )
