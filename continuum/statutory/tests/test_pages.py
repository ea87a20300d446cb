"""The statutory pages: the council's timescales, recording a referral from the front
door's decision, a section 47 enquiry refused and then recorded, and the child's tab."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.front_door.models import ContactDecision
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory import services
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.testing import factories
from continuum.timescales.working_days import assessment_due_date

pytestmark = pytest.mark.django_db


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def date_parts(name: str, days_ago: int) -> dict[str, str]:
    day = timezone.localdate() - timedelta(days=days_ago)
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def test_a_worker_records_the_referral_and_an_enquiry_from_the_pages(
    client: Client, worker: User, decision: ContactDecision
) -> None:
    signed_in(client, worker)
    page = client.get(reverse("statutory:timescales"))
    assert page.status_code == 200
    assert "Record the referral" in page.content.decode()
    answer = client.post(reverse("statutory:refer", args=[decision.pk]))
    referral = StatutoryInvolvement.objects.get(kind=InvolvementKind.REFERRAL)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("statutory:referral", args=[referral.pk])

    url = reverse("statutory:section-47", args=[referral.pk])
    refused = client.post(
        url, {**date_parts("strategy_discussion_date", 1), **date_parts("start_date", 2)}
    )
    assert refused.status_code == 200
    assert "The strategy discussion must be on or before the enquiry&#x27;s start." in (
        refused.content.decode()
    )
    assert not StatutoryInvolvement.objects.filter(kind=InvolvementKind.SECTION_47).exists()
    done = client.post(
        url, {**date_parts("strategy_discussion_date", 2), **date_parts("start_date", 1)}
    )
    assert done.status_code == 302
    assert StatutoryInvolvement.objects.filter(kind=InvolvementKind.SECTION_47).count() == 1


def test_the_childs_tab_shows_the_timescales_and_logs_one_read(
    client: Client, eh_worker: User, referral: StatutoryInvolvement
) -> None:
    signed_in(client, eh_worker)
    before = AccessLogEntry.objects.count()
    page = client.get(reverse("statutory:person", args=[referral.person_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Assessment within 45 working days of the referral" in text
    assert AccessLogEntry.objects.count() == before + 1
    # The early help practitioner reads; they may not record.
    assert "Record an assessment" not in text
    assert client.get(reverse("statutory:assessment", args=[referral.pk])).status_code == 403


def test_a_partner_sees_no_statutory_tab_or_page(
    client: Client, teacher: User, referral: StatutoryInvolvement
) -> None:
    signed_in(client, teacher)
    assert client.get(reverse("statutory:timescales")).status_code == 403
    assert client.get(reverse("statutory:referral", args=[referral.pk])).status_code == 403


def test_the_queue_and_waiting_list_flag_an_overdue_assessment(
    client: Client, manager: User, stockton: Council, child: Person
) -> None:
    referral = cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(
            council=stockton, person=child, start_date=timezone.localdate() - timedelta(days=100)
        ),
    )
    services.record_assessment(
        referral=referral, by=manager, start_date=timezone.localdate() - timedelta(days=90)
    )
    signed_in(client, manager)
    due = assessment_due_date(referral.start_date)
    for name in ("front_door:queue", "early_help:waiting-list", "early_help:caseloads"):
        text = client.get(reverse(name)).content.decode()
        assert "Overdue" in text and f"earliest due {due:%-d %B %Y}" in text, name
