"""The demo front door: a month of contacts and domestic-abuse notifications for each
council that keeps every rule the front door's services keep, in plausible proportions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.demo.generator import World, summary_lines
from continuum.front_door import selectors, services
from continuum.front_door.choices import (
    ALLOWED_TRANSITIONS,
    OPEN_STATUSES,
    OUTCOME_LEVELS,
    ContactStatus,
    DashRisk,
    HowReceived,
    NotificationStatus,
    Outcome,
    TriageAgency,
)
from continuum.front_door.models import (
    Contact,
    ContactDecision,
    ContactStatusChange,
    DomesticAbuseNotification,
    TriageOutcome,
)
from continuum.organisations.models import Council
from continuum.people.choices import ChronologyCategory
from continuum.people.models import ChronologyEvent
from continuum.thresholds.rules import IndicatorFacts, suggest_level
from continuum.thresholds.selectors import current_version
from continuum.timescales.working_days import triage_due_date

pytestmark = pytest.mark.django_db

PARTNERS = ["school.middlesbrough", "healthvisitor.redcar", "police.cleveland", "vcs.stockton"]


def end_of(world: World) -> datetime:
    return timezone.make_aware(datetime.combine(world.as_of, time.max))


def the_month(world: World) -> list[Contact]:
    """The submitted contacts received in the detailed front-door step's period before the
    as-of date (a month; four in the small preset, so its months are even: issue 12)."""
    days = max(30, world.preset.front_door_days)
    start = timezone.make_aware(datetime.combine(world.as_of - timedelta(days=days), time.min))
    # The detailed step's own (the history's, which top each month up, keep no versions).
    detailed = Contact.history.values("id")
    return list(
        Contact.objects.filter(received_at__gte=start, pk__in=detailed)
        .exclude(status=ContactStatus.DRAFT)
        .select_related("decision")
    )


def test_every_submitted_contact_has_the_referrers_consent_and_drafts_exist(
    demo_world: World,
) -> None:
    submitted = Contact.objects.exclude(status=ContactStatus.DRAFT)
    assert submitted.count() >= 80
    for contact in submitted:
        assert services.consent_errors(contact) == {}, contact.pk
        assert contact.submitted_at is not None
    agreements = Counter(submitted.values_list("family_agreement", flat=True))
    assert agreements["agreed"] > agreements["declined"] + agreements["not_sought"]
    assert agreements["declined"] and agreements["not_sought"]
    drafts = Contact.objects.filter(status=ContactStatus.DRAFT)
    assert drafts.exists()
    assert not drafts.exclude(submitted_at=None).exists()


def test_every_decision_fits_its_level_and_the_current_framework(demo_world: World) -> None:
    version = current_version()
    assert version is not None
    decisions = ContactDecision.objects.select_related("contact", "signed_off_by")
    assert decisions.count() >= 80
    for decision in decisions.prefetch_related("indicators__domain"):
        indicators = list(decision.indicators.all())
        assert indicators and all(i.version_id == version.pk for i in indicators)
        assert decision.level in OUTCOME_LEVELS[decision.outcome]
        suggestion = suggest_level(
            [IndicatorFacts(i.code, i.title, i.level, i.domain.code) for i in indicators]
        )
        assert decision.suggested_level == suggestion.level
        assert bool(decision.difference_reason) == (decision.level != decision.suggested_level)
        high = any(i.level >= 3 for i in indicators)
        assert decision.needs_manager_sign_off == (
            decision.outcome == Outcome.NO_FURTHER_ACTION and high
        )
        contact = decision.contact
        if decision.awaiting_sign_off:
            assert contact.decided_at is None and contact.status in OPEN_STATUSES
        else:
            assert contact.decided_at == (decision.signed_off_at or decision.decided_at)
            assert contact.status in (ContactStatus.DECIDED, ContactStatus.CLOSED)
        if decision.signed_off_by is not None:
            assert decision.signed_off_by.role == Role.TEAM_MANAGER
        assert (decision.assessment_due_date is not None) == (
            decision.outcome == Outcome.SOCIAL_CARE_ASSESSMENT
        )
    signed = decisions.filter(needs_manager_sign_off=True)
    assert signed.exclude(signed_off_at=None).exists()
    assert signed.filter(signed_off_at=None, contact__council__name="Stockton-on-Tees").exists()
    assert decisions.exclude(difference_reason="").exists()


def test_each_contact_has_a_status_change_for_every_transition(demo_world: World) -> None:
    by_contact: dict[object, list[ContactStatusChange]] = {}
    for change in ContactStatusChange.objects.order_by("changed_at", "id"):
        by_contact.setdefault(change.contact_id, []).append(change)
    for contact in Contact.objects.all():
        changes = by_contact[contact.pk]
        triaged = contact.how_received == HowReceived.DOMESTIC_ABUSE_NOTIFICATION
        first = (ContactStatus.DRAFT, ContactStatus.SUBMITTED) if triaged else ("", "draft")
        assert (changes[0].from_status, changes[0].to_status) == first
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_status == before.to_status
            allowed = ALLOWED_TRANSITIONS[before.to_status]
            assert after.to_status in allowed, (before.to_status, after.to_status)
        assert changes[-1].to_status == contact.status
        assert changes[-1].changed_at <= end_of(demo_world)


def test_the_repeat_flag_is_exactly_the_services_rule(demo_world: World) -> None:
    submitted = list(Contact.objects.exclude(status=ContactStatus.DRAFT))
    for contact in submitted:
        assert contact.is_repeat == bool(services.previous_contacts(contact)), contact.pk
    assert any(c.is_repeat for c in the_month(demo_world))


def test_a_realistic_month_of_sources_outcomes_timeliness_and_repeats(demo_world: World) -> None:
    month = the_month(demo_world)
    sources = Counter(c.referral_source for c in month).most_common()
    assert {sources[0][0], sources[1][0]} == {"6", "2A"}  # police and schools the largest
    decided = [c for c in month if c.decided_at is not None]
    nfa = sum(c.decision.outcome == Outcome.NO_FURTHER_ACTION for c in decided)
    assert 0.15 <= nfa / len(decided) <= 0.28
    outcomes = {c.decision.outcome for c in decided}
    assert outcomes == set(Outcome.values)
    as_of = demo_world.as_of
    on_time = [c for c in decided if not c.is_overdue(as_of)]
    assert len(on_time) > 0.75 * len(decided)  # most within one working day
    assert any(c.is_overdue(as_of) for c in decided)  # some decided late
    assert any(c.is_overdue(as_of) for c in month if c.decided_at is None)  # still open
    repeats = sum(c.is_repeat for c in month)
    assert 0 < repeats < len(month) / 2


def test_stocktons_queue_has_every_open_status_and_overdue_contacts(demo_world: World) -> None:
    worker = User.objects.get(username="frontdoor.stockton")
    stockton = Council.objects.get(name="Stockton-on-Tees")
    queue = selectors.queue(user=worker, council=stockton, today=demo_world.as_of)
    # Every open status the demo makes: a contact is returned to the worker only by a
    # manager not agreeing a decision, which the demo leaves to whoever tries it.
    made = [status for status in OPEN_STATUSES if status != ContactStatus.RETURNED]
    assert all(queue.by_status[status] >= 1 for status in made), queue.by_status
    assert queue.overdue >= 2
    assert any(row.awaiting_sign_off for row in queue.rows)


@pytest.mark.parametrize("username", PARTNERS)
def test_partners_see_the_contacts_they_made_and_their_outcomes(
    demo_world: World, username: str
) -> None:
    user = User.objects.get(username=username)
    made = Contact.objects.filter(referrer_user=user).exclude(status=ContactStatus.DRAFT)
    assert made.count() >= 2
    seen = policy.visible(user, Contact)
    assert set(made) <= set(seen)
    assert not seen.exclude(referrer_user=user).exclude(created_by=user).exists()
    assert seen.filter(decision__isnull=False, decided_at__isnull=False).exists()
    for contact in made:
        for child in contact.children.all():
            assert Involvement.objects.filter(
                user=user,
                person=child,
                reason=InvolvementReason.REFERRER,
                source=f"front_door.contact:{contact.pk}",
            ).exists()


def test_each_child_on_a_contact_has_it_in_their_chronology(demo_world: World) -> None:
    events = set(
        ChronologyEvent.objects.filter(source__startswith="front_door.contact:").values_list(
            "person", "source"
        )
    )
    for contact in Contact.objects.exclude(status=ContactStatus.DRAFT).exclude(
        pk__in=list(demo_world.history_ids)  # the history writes no chronology
    ):
        for child in contact.children.all():
            assert (child.pk, f"front_door.contact:{contact.pk}") in events
    # A decision is its own category, its rationale for council staff only (issue 10).
    titles = set(
        ChronologyEvent.objects.filter(category=ChronologyCategory.DECISION).values_list(
            "title", flat=True
        )
    )
    assert any(t.startswith("Front-door decision: ") for t in titles)


def test_police_notifications_with_joint_triage_in_every_council(demo_world: World) -> None:
    police = User.objects.get(username="police.cleveland")
    notifications = DomesticAbuseNotification.objects.all()
    assert set(notifications.values_list("created_by", flat=True)) == {police.pk}
    assert notifications.values("council").distinct().count() == 4
    assert set(notifications.values_list("dash_risk", flat=True)) == set(DashRisk.values)
    for n in notifications:
        assert n.dash_risk == DashRisk.HIGH or n.dash_ticks < 14
        assert n.child_links.exists()
        assert n.incident_at < n.received_at <= end_of(demo_world)
    assert notifications.filter(repeat_incidents_12_months__gt=0).exists()
    triaged = TriageOutcome.objects.select_related("notification", "meeting", "children_contact")
    assert triaged.count() == notifications.filter(status=NotificationStatus.TRIAGED).count()
    for outcome in triaged:
        n = outcome.notification
        assert outcome.meeting.council_id == n.council_id
        assert outcome.marac_referral or n.dash_risk != DashRisk.HIGH or outcome.no_marac_reason
        contact = outcome.children_contact
        assert contact is not None
        assert set(contact.children.all()) == {link.person for link in n.child_links.all()}
        assert contact.received_at == n.received_at
        # The front door sees the risk on the contact (issue 12, rough edge 1).
        assert (contact.domestic_abuse, contact.dash_risk, contact.marac_referral) == (
            True,
            n.dash_risk,
            outcome.marac_referral,
        )
    high = triaged.filter(notification__dash_risk=DashRisk.HIGH)
    assert high.filter(marac_referral=True).exists()
    agencies = Counter(
        a for o in triaged for a in o.meeting.attendance.values_list("agency", flat=True)
    )
    assert {TriageAgency.POLICE, TriageAgency.IDVA, TriageAgency.CHILDRENS_SERVICES} <= set(
        agencies
    )
    assert agencies[TriageAgency.HEALTH] and agencies[TriageAgency.EDUCATION]
    waiting = notifications.filter(status=NotificationStatus.AWAITING_TRIAGE)
    overdue = [
        n
        for n in waiting
        if demo_world.as_of > triage_due_date(timezone.localtime(n.received_at).date())
    ]
    assert waiting.count() > len(overdue) >= 1


def test_nothing_is_stamped_with_the_clock(demo_world: World) -> None:
    end = end_of(demo_world)
    assert not Contact.objects.filter(created_at__gt=end).exists()
    assert not Contact.history.filter(history_date__gt=end).exists()
    assert not ContactDecision.history.filter(history_date__gt=end).exists()
    assert not ChronologyEvent.objects.filter(
        source__startswith="front_door.", recorded_at__gt=end
    ).exists()
    assert not DomesticAbuseNotification.objects.filter(created_at__gt=end).exists()


@pytest.mark.parametrize(
    "figure", ["no further action", "overdue", "repeats", "Episodes:", "Lead professionals:"]
)
def test_the_summary_prints_the_months_figures_and_the_episodes(
    demo_world: World, figure: str
) -> None:
    text = "\n".join(summary_lines(demo_world, {}))
    assert "front_door.contacts:" in text and "early_help.episodes:" in text
    assert "Sources: police" in text
    assert figure in text
