"""Domestic abuse, highest risk first (issue 12, rough edge 1): notifications wait for
joint triage highest DASH risk first, then oldest; high risk has a tag of its own; and the
children's contact joint triage makes carries the domestic-abuse flag, the DASH risk
level, the MARAC decision and the framework's domestic-abuse indicator, so the front door
sees it on the contact, the queue and the decision page."""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.choices import DashRisk, MaracBasis
from continuum.front_door.models import Contact, DomesticAbuseNotification, TriageMeeting
from continuum.front_door.selectors import notifications as notification_selectors
from continuum.front_door.selectors import triage as triage_selectors
from continuum.front_door.tests.contacts_support import signed_in
from continuum.front_door.tests.triage_support import notify
from continuum.organisations.models import Council

pytestmark = pytest.mark.django_db


def _received(notification: DomesticAbuseNotification, hours_ago: int) -> None:
    DomesticAbuseNotification.objects.filter(pk=notification.pk).update(
        received_at=timezone.now() - timedelta(hours=hours_ago)
    )


@pytest.fixture
def waiting(officer: User, stockton: Council) -> dict[str, DomesticAbuseNotification]:
    """Four notifications: the oldest is medium risk, the newest high risk (15 ticks)."""
    made = {
        "old medium": notify(by=officer, council=stockton, dash_risk=DashRisk.MEDIUM),
        "old standard": notify(
            by=officer, council=stockton, dash_risk=DashRisk.STANDARD, dash_ticks=3
        ),
        "newer medium": notify(by=officer, council=stockton, dash_risk=DashRisk.MEDIUM),
        "new high": notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=15),
    }
    for hours, key in zip((30, 29, 5, 1), made, strict=True):
        _received(made[key], hours)
    return made


def test_notifications_wait_highest_risk_first_then_oldest(
    worker: User, waiting: dict[str, DomesticAbuseNotification]
) -> None:
    order = list(notification_selectors.awaiting_triage(user=worker))
    names = {n.pk: name for name, n in waiting.items()}
    assert [names[n.pk] for n in order] == [
        "new high",
        "old medium",
        "newer medium",
        "old standard",
    ]


def test_triage_the_next_notification_opens_the_highest_risk(
    worker: User, meeting: TriageMeeting, waiting: dict[str, DomesticAbuseNotification]
) -> None:
    following = triage_selectors.next_awaiting(user=worker, meeting=meeting)
    assert following == waiting["new high"]
    page = signed_in(worker).get(reverse("front_door:triage-meeting", args=[meeting.pk]))
    next_url = reverse("front_door:triage-notification", args=[meeting.pk, waiting["new high"].pk])
    assert re.search(
        rf'href="{re.escape(next_url)}">Triage the next notification', page.content.decode()
    )


def test_the_list_puts_high_risk_on_top_with_a_tag_unlike_medium(
    worker: User, waiting: dict[str, DomesticAbuseNotification]
) -> None:
    page = signed_in(worker).get(reverse("front_door:notifications")).content.decode()
    awaiting = page.split('data-testid="awaiting-triage"', 1)[1].split("</table>", 1)[0]
    tags = re.findall(r'<strong class="govuk-tag ([^"]+)" data-risk="(\w+)">([^<]+)<', awaiting)
    assert [risk for _, risk, _ in tags] == ["high", "medium", "medium", "standard"]
    looks = {risk: (css, text) for css, risk, text in tags}
    assert looks["high"] == ("govuk-tag--red", "High risk")
    assert looks["medium"][0] == "govuk-tag--yellow"
    assert looks["standard"][0] == "govuk-tag--grey"
    assert len({css for css, _ in looks.values()}) == 3


def _triage(
    notification: DomesticAbuseNotification, meeting: TriageMeeting, worker: User, marac: bool
) -> Contact:
    outcome = services.triage_notification(
        notification=notification,
        meeting=meeting,
        by=worker,
        expected_version=notification.version,
        safety_planning="IDVA to contact the victim today.",
        marac_referral=marac,
        marac_basis=MaracBasis.VISIBLE_HIGH_RISK if marac else "",
        no_marac_reason="" if marac else "Heard at MARAC last month.",
    )
    assert outcome.children_contact is not None
    return outcome.children_contact


@pytest.mark.parametrize(
    ("risk", "ticks", "marac", "code"),
    [
        (DashRisk.HIGH, 15, True, "FAM-4-01"),
        (DashRisk.MEDIUM, 9, False, "FAM-3-01"),
        (DashRisk.STANDARD, 3, False, "FAM-3-01"),
    ],
)
def test_the_childrens_contact_carries_the_flag_the_risk_and_its_indicator(
    officer: User,
    worker: User,
    stockton: Council,
    meeting: TriageMeeting,
    risk: str,
    ticks: int,
    marac: bool,
    code: str,
) -> None:
    notification = notify(by=officer, council=stockton, dash_risk=risk, dash_ticks=ticks)
    contact = _triage(notification, meeting, worker, marac)
    contact.refresh_from_db()
    assert (contact.domestic_abuse, contact.dash_risk, contact.marac_referral) == (
        True,
        risk,
        marac,
    )
    assert [i.code for i in contact.presenting_indicators.all()] == [code]


def test_the_front_door_sees_the_risk_on_the_contact_the_queue_and_the_decision_page(
    officer: User, worker: User, stockton: Council, meeting: TriageMeeting
) -> None:
    notification = notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=15)
    contact = _triage(notification, meeting, worker, True)
    client = signed_in(worker)
    for url in (
        reverse("front_door:contact", args=[contact.pk]),
        reverse("front_door:queue"),
        reverse("front_door:contact-decide", args=[contact.pk]),
    ):
        page = client.get(url).content.decode()
        assert re.search(
            r'govuk-tag--red" data-testid="domestic-abuse-tag">Domestic abuse: high risk', page
        ), url
        assert "MARAC" in page, url
    decide = client.get(reverse("front_door:contact-decide", args=[contact.pk]))
    assert "FAM-4-01" in decide.context["checked"]
    api = client.get(f"/api/v1/contacts/{contact.pk}").json()
    assert (api["domestic_abuse"], api["dash_risk"], api["marac_referral"]) == (True, "high", True)


def test_a_contact_not_from_a_notification_has_no_flag(worker: User, contact: Contact) -> None:
    page = signed_in(worker).get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    assert "domestic-abuse-tag" not in page


def test_the_data_migration_flags_contacts_triage_made_before(
    officer: User, worker: User, stockton: Council, meeting: TriageMeeting
) -> None:
    notification = notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=15)
    contact = _triage(notification, meeting, worker, True)
    Contact.objects.filter(pk=contact.pk).update(
        domestic_abuse=False, dash_risk="", marac_referral=False
    )
    migration = import_module(
        "continuum.front_door.migrations.0005_carry_domestic_abuse_onto_triage_contacts"
    )
    migration.carry_forward(apps, None)
    contact.refresh_from_db()
    assert (contact.domestic_abuse, contact.dash_risk, contact.marac_referral) == (
        True,
        DashRisk.HIGH,
        True,
    )
    migration.forget(apps, None)
    contact.refresh_from_db()
    assert (contact.domestic_abuse, contact.dash_risk) == (False, "")


def test_the_api_lists_those_awaiting_triage_highest_risk_first(
    worker: User, waiting: dict[str, DomesticAbuseNotification]
) -> None:
    client = signed_in(worker)
    names = {str(n.pk): name for name, n in waiting.items()}
    awaiting = client.get("/api/v1/domestic-abuse-notifications", {"status": "awaiting_triage"})
    assert [names[item["id"]] for item in awaiting.json()["items"]] == [
        "new high",
        "old medium",
        "newer medium",
        "old standard",
    ]
    # Without the filter, the list stays newest first.
    everything = client.get("/api/v1/domestic-abuse-notifications").json()["items"]
    assert [names[item["id"]] for item in everything][0] == "new high"
    assert [names[item["id"]] for item in everything][1] == "newer medium"
