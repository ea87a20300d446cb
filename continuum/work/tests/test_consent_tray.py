"""The work tray's consent sections (issue 13): a team manager's reviews of early help going
on without the family's agreement, overdue first; a lead professional's families whose
consent is due to be checked again. Only what the user may open is listed or counted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.consent.choices import GivenBy, ObtainedHow
from continuum.consent.services import record_consent, withdraw_consent
from continuum.early_help.models import ConsentReview, Episode
from continuum.early_help.tests.builders import Family, agree_to_early_help
from continuum.early_help.tests.support import allocated
from continuum.work.selectors import WorkSection, tray_for

pytestmark = pytest.mark.django_db


def section(user: User, key: str) -> WorkSection:
    found = {s.key: s for s in tray_for(user=user)}
    assert key in found, f"no {key} in {list(found)}"
    return found[key]


def test_a_manager_sees_the_reviews_due_overdue_first(
    manager: User,
    eh_worker: User,
    hartlepool_manager: User,
    lead: User,
    episode: Episode,
    family: Family,
) -> None:
    allocated(episode, lead=lead, manager=manager)
    parent_consent, _ = agree_to_early_help(family, eh_worker)
    assert section(manager, "consent_reviews").count == 0
    withdraw_consent(
        by=eh_worker,
        consent=parent_consent,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.PHONE,
        early_help=True,
    )
    review = ConsentReview.objects.get()
    reviews = section(manager, "consent_reviews")
    assert reviews.count == 1 and reviews.overdue == 0
    assert reviews.items[0].url == reverse(
        "early_help:consent-review", args=[episode.pk, review.pk]
    )
    ConsentReview.objects.filter(pk=review.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    assert section(manager, "consent_reviews").overdue == 1
    # Another council's manager has no such work; a lead professional decides no review.
    assert section(hartlepool_manager, "consent_reviews").count == 0
    assert "consent_reviews" not in [s.key for s in tray_for(user=lead)]


def test_a_lead_professional_sees_families_whose_consent_is_due_to_be_checked(
    manager: User, eh_worker: User, lead: User, episode: Episode, family: Family
) -> None:
    allocated(episode, lead=lead, manager=manager)
    today = timezone.localdate()
    record_consent(
        by=eh_worker,
        person=family.parent,
        given_by=GivenBy.SELF,
        agrees_to_early_help=True,
        shares_with_taf=False,
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=today - timedelta(days=200),
        review_on=today + timedelta(days=10),
    )
    checks = section(lead, "consent_checks")
    assert checks.count == 1 and checks.overdue == 0
    assert checks.items[0].url == reverse("early_help:consent", args=[episode.pk])
    assert checks.items[0].due == today + timedelta(days=10)
    # Not yet due: nothing; and nobody else's episodes.
    record_consent(
        by=eh_worker,
        person=family.parent,
        given_by=GivenBy.SELF,
        agrees_to_early_help=True,
        shares_with_taf=False,
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=today,
        review_on=today + timedelta(days=180),
    )
    assert section(lead, "consent_checks").count == 0
    assert section(eh_worker, "consent_checks").count == 0


def test_the_consent_checks_cost_the_same_reads_however_many_episodes_are_led(
    lead: User, stockton: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from continuum.early_help.choices import EpisodeStatus
    from continuum.people.choices import PersonKind
    from continuum.testing import factories
    from continuum.work.consent import consent_checks_due

    today = timezone.localdate()

    def led_episode() -> None:
        household = factories.HouseholdFactory(council=stockton)
        child = factories.PersonFactory(council=stockton, kind=PersonKind.CHILD)
        adult = factories.PersonFactory(council=stockton, kind=PersonKind.ADULT)
        for person in (child, adult):
            factories.HouseholdMemberFactory(household=household, person=person)
        factories.EpisodeFactory(
            council=stockton,
            household=household,
            children=[child],
            status=EpisodeStatus.PLAN,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation,
        )
        factories.ConsentRecordFactory(person=adult, review_on=today - timedelta(days=1))

    def reads() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            checks = consent_checks_due(user=lead, today=today)
        return len(queries), checks.count

    led_episode()
    one, found = reads()
    assert found == 1
    for _ in range(4):
        led_episode()
    five, found = reads()
    assert found == 5
    assert five == one
