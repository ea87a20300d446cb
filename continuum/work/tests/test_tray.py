"""The work tray on each role's home page (issue 12): the work counted, urgent and overdue
first, and only what the user may open; the same items from ``GET /api/v1/work``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help import services as early_help
from continuum.early_help.models import Assessment, Episode, Plan
from continuum.early_help.tests.builders import Family, Place, make_family
from continuum.early_help.tests.support import allocated, assessed, planned
from continuum.front_door.choices import DashRisk, FamilyAgreement, Outcome
from continuum.front_door.tests import triage_support
from continuum.front_door.tests.contacts_support import in_screening, indicator, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import MatchBasis, PossibleMatch
from continuum.tests.builders import a_person
from continuum.work.selectors import WorkSection, tray_for
from continuum.work.tests.conftest import an_episode

pytestmark = pytest.mark.django_db


def section(user: User, key: str) -> WorkSection:
    found = {s.key: s for s in tray_for(user=user)}
    assert key in found, f"no {key} in {list(found)}"
    return found[key]


def keys(user: User) -> list[str]:
    return [s.key for s in tray_for(user=user)]


# --- the front door ------------------------------------------------------------------------


def test_the_front_door_sees_its_queue_overdue_first_and_counted(
    worker: User, hartlepool: Council, stockton: Council, make_user: Any
) -> None:
    fresh = submitted_contact(by=worker, council=stockton)
    late = submitted_contact(
        by=worker, council=stockton, received_at=timezone.now() - timedelta(days=14)
    )
    other_worker = make_user("front_door_worker", council=hartlepool, username="fd.hartlepool")
    submitted_contact(by=other_worker, council=hartlepool)
    queue = section(worker, "queue")
    assert queue.count == 2 and queue.overdue == 1
    assert [item.url for item in queue.items] == [
        reverse("front_door:contact", args=[late.pk]),
        reverse("front_door:contact", args=[fresh.pk]),
    ]
    assert keys(worker)[:3] == ["queue", "domestic_abuse", "possible_matches"]


def test_untriaged_domestic_abuse_notifications_come_highest_risk_first(
    worker: User, officer: User, stockton: Council
) -> None:
    medium = triage_support.notify(by=officer, council=stockton)
    high = triage_support.notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH)
    items = section(worker, "domestic_abuse").items
    assert [i.url for i in items] == [
        reverse("front_door:notification", args=[high.pk]),
        reverse("front_door:notification", args=[medium.pk]),
    ]
    assert items[0].tag == "High risk" and items[0].tag_colour == "red"
    assert items[1].tag_colour != "red"


def test_possible_duplicates_are_in_the_front_doors_work(worker: User, stockton: Council) -> None:
    existing = a_person(stockton, given_name="Elowen", family_name="Quarrington")
    new = a_person(stockton, given_name="Elowen", family_name="Quarrington")
    PossibleMatch.objects.create(
        new_person=new, existing_person=existing, basis=MatchBasis.NHS_NUMBER
    )
    matches = section(worker, "possible_matches")
    assert matches.count == 1 and "Elowen Quarrington" in matches.items[0].title


# --- managers ---------------------------------------------------------------------------


def _step_up(episode: Episode, by: User, *, urgent: bool) -> None:
    early_help.request_step_up(
        episode=episode,
        reason="Disclosure at school.",
        family_agreement=FamilyAgreement.AGREED,
        by=by,
        urgent=urgent,
    )


def test_a_managers_tray_leads_with_an_urgent_step_up(
    manager: User, worker: User, lead: User, place: Place, stockton: Council
) -> None:
    calm = allocated(
        an_episode(place, make_family(stockton, "Ashby"), manager), lead=lead, manager=manager
    )
    urgent = allocated(
        an_episode(place, make_family(stockton, "Brough"), manager), lead=lead, manager=manager
    )
    _step_up(calm, lead, urgent=False)
    _step_up(urgent, lead, urgent=True)
    tray = tray_for(user=manager)
    assert tray[0].key == "step_ups" and tray[0].urgent == 1
    assert [i.title for i in tray[0].items] == ["The Brough family", "The Ashby family"]
    assert tray[0].items[0].tag == "Urgent"
    # The front door is told too: urgent step-ups lead its tray.
    front_door = tray_for(user=worker)
    assert front_door[0].key == "urgent_step_ups"
    assert [i.title for i in front_door[0].items] == ["The Brough family"]
    home = _home(worker)
    assert home.index("Urgent step-ups") < home.index("Contacts in the queue")


def test_a_manager_sees_sign_offs_waiting_and_families_waiting_for_allocation(
    manager: User, worker: User, episode: Episode, stockton: Council, child: Any
) -> None:
    contact = submitted_contact(
        by=worker, council=stockton, children=[child], indicator_codes=(indicator(3).code,)
    )
    contact = in_screening(contact, by=worker)
    from continuum.front_door import services as front_door

    front_door.decide_contact(
        contact=contact,
        by=worker,
        expected_version=contact.version,
        level=1,
        indicator_codes=[indicator(3).code],
        outcome=Outcome.NO_FURTHER_ACTION,
        rationale="Concerns resolved with the family.",
        difference_reason="The school has since met the family.",
    )
    assert section(manager, "sign_offs").count == 1
    waiting = section(manager, "awaiting_allocation")
    assert [i.url for i in waiting.items] == [reverse("early_help:episode", args=[episode.pk])]
    assert "sign_offs" not in keys(worker)


def test_assessments_and_reviews_overdue_in_the_managers_teams(
    manager: User, lead: User, episode: Episode, family: Family, hartlepool_manager: User
) -> None:
    episode = allocated(episode, lead=lead, manager=manager)
    assessment = early_help.start_assessment(episode=episode, by=lead)
    Assessment.objects.filter(pk=assessment.pk).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )
    late = section(manager, "overdue_in_teams")
    assert late.count == 1 and late.overdue == 1
    assert late.items[0].url == reverse("early_help:assessment", args=[episode.pk])
    assert "overdue_in_teams" not in keys(lead)
    # Another council's manager sees none of it.
    assert section(hartlepool_manager, "overdue_in_teams").count == 0


# --- lead professionals and TAF members --------------------------------------------------------


def test_a_lead_professional_sees_assessments_reviews_and_actions_due_overdue_first(
    manager: User, lead: User, episode: Episode, family: Family
) -> None:
    episode = allocated(episode, lead=lead, manager=manager)
    assessment = early_help.start_assessment(episode=episode, by=lead)
    assert section(lead, "assessments_due").count == 1
    assert not section(lead, "assessments_due").overdue
    Assessment.objects.filter(pk=assessment.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    assert section(lead, "assessments_due").overdue == 1
    assert "sign_offs" not in keys(lead)


def test_a_lead_professional_sees_reviews_and_actions_due(
    manager: User, lead: User, episode: Episode, family: Family
) -> None:
    episode = allocated(episode, lead=lead, manager=manager)
    assessed(episode, lead=lead, child=family.child)
    plan = planned(episode, lead=lead, due_in_days=3)
    Plan.objects.filter(pk=plan.pk).update(next_review_due=timezone.localdate() - timedelta(days=2))
    reviews = section(lead, "reviews_due")
    assert reviews.count == 1 and reviews.overdue == 1
    actions = section(lead, "actions_due")
    assert actions.count == 1 and not actions.overdue
    assert actions.items[0].title.startswith("Morning routine chart")
    # The sections of a lead professional's work, in their order.
    work = tray_for(user=lead)
    assert [s.key for s in work][:4] == [
        "assessments_due",
        "reviews_due",
        "actions_due",
        "taf_meetings",
    ]


def test_a_taf_member_sees_the_teams_next_meeting(
    manager: User, lead: User, teacher: User, episode: Episode, family: Family
) -> None:
    episode = allocated(episode, lead=lead, manager=manager)
    assessed(episode, lead=lead, child=family.child)
    plan = planned(episode, lead=lead)
    Plan.objects.filter(pk=plan.pk).update(next_review_due=timezone.localdate() + timedelta(days=7))
    early_help.add_taf_member(episode=episode, user=teacher, by=lead)
    meetings = section(teacher, "taf_meetings")
    assert [i.url for i in meetings.items] == [reverse("early_help:taf", args=[episode.pk])]


# --- referrers ---------------------------------------------------------------------------


def test_a_referrer_sees_the_outcomes_of_their_contacts(
    teacher: User, worker: User, stockton: Council
) -> None:
    contact = submitted_contact(by=teacher, council=stockton)
    assert section(teacher, "contact_outcomes").count == 0
    contact = in_screening(contact, by=worker)
    from continuum.front_door import services as front_door

    front_door.decide_contact(
        contact=contact,
        by=worker,
        expected_version=contact.version,
        level=2,
        indicator_codes=[indicator(2).code],
        outcome=Outcome.EARLY_HELP_SINGLE,
        rationale="School can lead with support from the family hub.",
    )
    outcomes = section(teacher, "contact_outcomes")
    assert outcomes.count == 1 and outcomes.items[0].detail.startswith("Outcome: ")


# --- the page and the API ---------------------------------------------------------------------


def _home(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_leads_with_the_work_and_the_api_gives_the_same(
    worker: User, stockton: Council
) -> None:
    for _ in range(7):
        submitted_contact(by=worker, council=stockton)
    page = _home(worker)
    assert page.index('id="work-heading"') < page.index('id="home-search"')
    assert "Contacts in the queue</a>: <strong>7</strong>" in page
    assert "See all 7" in page
    client = Client()
    client.force_login(worker)
    work = client.get("/api/v1/work").json()
    queue = next(s for s in work["sections"] if s["key"] == "queue")
    assert queue["count"] == 7 and len(queue["items"]) == 7
    whole = client.get(reverse("work:tray")).content.decode()
    assert whole.count(reverse("front_door:queue")) >= 1


def test_roles_with_no_casework_have_no_case_sections(analyst: User) -> None:
    assert keys(analyst) == []
    assert 'id="work-heading"' not in _home(analyst)


def test_an_agreed_urgent_step_up_is_first_in_the_front_doors_queue(
    manager: User, worker: User, lead: User, place: Place, stockton: Council
) -> None:
    late = submitted_contact(
        by=worker, council=stockton, received_at=timezone.now() - timedelta(days=14)
    )
    episode = allocated(
        an_episode(place, make_family(stockton, "Brough"), manager), lead=lead, manager=manager
    )
    _step_up(episode, lead, urgent=True)
    step_up = episode.step_ups.get()
    early_help.decide_step_up(step_up=step_up, manager=manager, agree=True)
    step_up.refresh_from_db()
    queue = section(worker, "queue")
    assert [i.url for i in queue.items] == [
        reverse("front_door:contact", args=[step_up.contact_id]),
        reverse("front_door:contact", args=[late.pk]),
    ]
    assert queue.items[0].urgent and queue.urgent == 1
    # Decided, it is no longer an urgent step-up waiting for a manager.
    assert "urgent_step_ups" not in keys(worker)


def test_every_item_in_each_roles_tray_opens_for_that_user(
    manager: User,
    worker: User,
    lead: User,
    teacher: User,
    officer: User,
    place: Place,
    stockton: Council,
    family: Family,
    episode: Episode,
) -> None:
    """The counts are of what the user may open: every item's link answers 200 to them."""
    submitted_contact(by=teacher, council=stockton)
    submitted_contact(by=worker, council=stockton, received_at=timezone.now() - timedelta(days=9))
    triage_support.notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH)
    episode = allocated(episode, lead=lead, manager=manager)
    assessed(episode, lead=lead, child=family.child)
    plan = planned(episode, lead=lead, due_in_days=2)
    Plan.objects.filter(pk=plan.pk).update(next_review_due=timezone.localdate() + timedelta(days=5))
    early_help.add_taf_member(episode=episode, user=teacher, by=lead)
    other = allocated(
        an_episode(place, make_family(stockton, "Brough"), manager), lead=lead, manager=manager
    )
    early_help.start_assessment(episode=other, by=lead)
    _step_up(other, lead, urgent=True)
    for user in (worker, manager, lead, teacher):
        client = Client()
        client.force_login(user)
        opened = 0
        for work_section in tray_for(user=user):
            for item in work_section.items:
                status = client.get(item.url).status_code
                assert status == 200, (user.username, work_section.key, item.url, status)
                opened += 1
        assert opened, f"{user.username} has no work to open"


def test_a_manager_who_leads_an_episode_also_sees_its_assessment_due(
    manager: User, episode: Episode
) -> None:
    assert "assessments_due" not in keys(manager)
    episode = allocated(episode, lead=manager, manager=manager)
    early_help.start_assessment(episode=episode, by=manager)
    assert section(manager, "assessments_due").count == 1
