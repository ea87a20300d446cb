"""The demo's reminders and notifications (issue 12): each demo sign-in who sees people has
reminders of their own on records they may open, one overdue, in their work tray; the
case roles have a notification each, its email in the outbox naming no one."""

from __future__ import annotations

import pytest

from continuum.accounts.models import Role
from continuum.demo.generator import World
from continuum.notifications.models import Email, EmailChannel, Notification
from continuum.work.selectors import tray_for

pytestmark = pytest.mark.django_db


def test_the_sign_ins_have_reminders_in_their_work_and_notifications(demo_world: World) -> None:
    front_door = next(u for u in demo_world.users.values() if u.role == Role.FRONT_DOOR_WORKER)
    reminders = next(s for s in tray_for(user=front_door) if s.key == "reminders")
    assert reminders.count == 2 and reminders.overdue == 1
    assert Notification.objects.filter(recipient=front_door).exists()
    for role in (Role.TEAM_MANAGER, Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER):
        assert Notification.objects.filter(recipient__role=role).exists(), role
    assert set(Email.objects.values_list("channel", flat=True)) == {EmailChannel.OUTBOX}
    for email in Email.objects.select_related("recipient"):
        assert email.recipient.last_name not in email.sentence
