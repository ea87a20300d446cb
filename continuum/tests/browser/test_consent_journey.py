"""Consent in a real browser (issue 13): the lead professional records a parent's consent
to early help and to sharing with the child's school on the child's Consent tab; the
school's safeguarding lead joins the Team Around the Family and reads the child's record;
the parent withdraws sharing with the school, which the lead records; the teacher's very
next request finds nothing. axe-core finds no serious or critical violation on the way."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, cast

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode, TafMember
from continuum.early_help.services import add_taf_member
from continuum.organisations.models import Council, Organisation
from continuum.people.choices import PersonKind
from continuum.testing import factories
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import sign_in
from continuum.tests.builders import a_person

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fill_date(group: Locator, day: date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_familys_consent_and_its_withdrawal_change_who_sees_the_child_at_the_next_request(
    browse: Browse,
    make_user: Callable[..., User],
    stockton: Council,
    school: Organisation,
    teacher: User,
) -> None:
    today = timezone.localdate()
    lead = make_user(Role.EARLY_HELP_PRACTITIONER, council=stockton, username="lead.consent")
    child = a_person(
        stockton,
        given_name="Ottilie",
        family_name="Brackenbury",
        kind=PersonKind.CHILD,
        date_of_birth=date(today.year - 8, 5, 1),
    )
    parent = a_person(
        stockton,
        given_name="Rosalind",
        family_name="Brackenbury",
        kind=PersonKind.ADULT,
        date_of_birth=date(today.year - 36, 2, 3),
    )
    household = factories.HouseholdFactory(council=stockton, name="Brackenbury")
    for member in (child, parent):
        factories.HouseholdMemberFactory(household=household, person=member)
    episode = cast(
        Episode,
        factories.EpisodeFactory(
            council=stockton,
            household=household,
            children=[child],
            status=EpisodeStatus.PLAN,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation,
            allocation_reason="Knows the family.",
            allocated_at=timezone.now(),
        ),
    )
    consent_tab = reverse("consent:person", args=[child.pk])
    child_page = reverse("people:detail", args=[child.pk])

    def record_consent(page: Page) -> None:
        sign_in(page, lead.username)
        page.goto(consent_tab)
        assert_accessible(page, "the child's Consent tab with nothing recorded")
        page.get_by_role("link", name="Record consent").click()
        # A child of 8 is not offered deciding for themselves.
        assert page.get_by_label("Ottilie Brackenbury themselves").count() == 0
        page.get_by_role("button", name="Record consent").click()
        assert page.locator(".govuk-error-summary").is_visible()
        assert_accessible(page, "the consent form with errors")

        page.get_by_label(re.compile(r"^Rosalind Brackenbury")).check()
        page.get_by_label("Early help", exact=True).check()
        page.get_by_label(school.name).check()
        page.get_by_label("Education, attendance and behaviour at school").check()
        page.get_by_label("Signed consent form").check()
        _fill_date(page.get_by_role("group", name="Date consent was obtained"), today)
        page.get_by_role("button", name="Record consent").click()
        page.wait_for_load_state()
        errors = page.locator(".govuk-error-summary")
        assert not errors.is_visible(), errors.inner_text()
        page.wait_for_url(lambda url: "/consent/" in url and not url.endswith("/new"))
        assert page.get_by_text("Rosalind Brackenbury").first.is_visible()
        assert_accessible(page, "the consent record's page")

    browse(record_consent)
    consent = ConsentRecord.objects.get(person=child)
    assert consent.given_by_person == parent and consent.agrees_to_early_help

    # The family agreed to share with the school: its safeguarding lead joins the TAF.
    add_taf_member(episode=episode, user=teacher, by=lead, role_in_taf="School")

    def teacher_reads(page: Page) -> None:
        sign_in(page, teacher.username)
        response = page.goto(child_page)
        assert response is not None and response.status == 200
        assert page.get_by_role("heading", name="Ottilie Brackenbury").is_visible()

    browse(teacher_reads)

    def record_withdrawal(page: Page) -> None:
        sign_in(page, lead.username)
        page.goto(reverse("consent:detail", args=[consent.pk]))
        page.get_by_role("link", name=re.compile("Record a withdrawal")).click()
        page.get_by_label(f"Sharing with {school.name}").check()
        _fill_date(page.get_by_role("group", name="Date consent was withdrawn"), today)
        page.get_by_label("By phone").check()
        assert_accessible(page, "the withdrawal form")
        page.get_by_role("button", name="Record the withdrawal").click()
        page.wait_for_load_state()
        assert page.get_by_text(re.compile("withdr", re.I)).first.is_visible()

    browse(record_withdrawal)
    withdrawal = ConsentWithdrawal.objects.get(consent=consent)
    assert [a.pk for a in withdrawal.agencies.all()] == [school.pk]
    assert TafMember.objects.get(episode=episode, user=teacher).left_on == today

    def teacher_refused(page: Page) -> None:
        sign_in(page, teacher.username)
        response = page.goto(child_page)
        assert response is not None and response.status == 404
        response = page.goto(reverse("early_help:episode", args=[episode.pk]))
        assert response is not None and response.status == 404

    browse(teacher_refused)
