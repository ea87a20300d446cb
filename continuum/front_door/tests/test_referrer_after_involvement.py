"""A referrer after their involvement ends (issue 10, finding 8).

While the involvement lasts (until 28 days after the decision) the referrer follows their
contact: the outcome with a summary of why, the outcome letter, the status notes. After it
ends they see what they sent and the outcome they were told (level, outcome, date), nothing
more: no decision rationale, no letter, no later notes. A contact naming a restricted child
they are not listed for is hidden from them altogether.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import Involvement
from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.front_door.tests.contacts_support import indicator, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person

RATIONALE = "Attendance has fallen since the move and mum asked for help with routines."
NOTE = "Spoke to the health visitor, who knows the family well."


@pytest.fixture
def decided(teacher: User, worker: User, stockton: Council, child: Person) -> Contact:
    contact = submitted_contact(
        by=teacher, council=stockton, children=[child], indicator_codes=(indicator(2).code,)
    )
    services.change_status(
        contact=contact,
        to_status=ContactStatus.IN_SCREENING,
        by=worker,
        expected_version=contact.version,
        note=NOTE,
    )
    contact.refresh_from_db()
    services.decide_contact(
        contact=contact,
        by=worker,
        expected_version=contact.version,
        level=2,
        indicator_codes=[indicator(2).code],
        outcome="eh_single",
        rationale=RATIONALE,
    )
    contact.refresh_from_db()
    return contact


def involvement_ended(contact: Contact) -> None:
    Involvement.objects.filter(source=f"front_door.contact:{contact.pk}").update(
        starts_at=timezone.now() - timedelta(days=40), ends_at=timezone.now() - timedelta(days=1)
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_while_involved_the_referrer_reads_why_and_the_letter(
    decided: Contact, teacher: User
) -> None:
    page = signed_in(teacher).get(f"/front-door/contacts/{decided.pk}/")
    assert page.status_code == 200
    assert RATIONALE in page.content.decode()
    assert signed_in(teacher).get(f"/front-door/contacts/{decided.pk}/letter").status_code == 200


def test_after_the_involvement_ends_the_page_shows_what_they_sent_and_the_outcome_only(
    decided: Contact, teacher: User
) -> None:
    involvement_ended(decided)
    page = signed_in(teacher).get(f"/front-door/contacts/{decided.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Early help, single agency" in html  # the outcome they were told
    assert decided.concerns in html  # what they sent
    assert RATIONALE not in html
    assert f"/front-door/contacts/{decided.pk}/letter" not in html
    letter = signed_in(teacher).get(f"/front-door/contacts/{decided.pk}/letter")
    assert letter.status_code in (403, 404)


def test_after_the_involvement_ends_the_api_gives_no_later_notes(
    decided: Contact, teacher: User
) -> None:
    during = signed_in(teacher).get(f"/api/v1/contacts/{decided.pk}").json()
    assert during["status_history"]
    involvement_ended(decided)
    answer = signed_in(teacher).get(f"/api/v1/contacts/{decided.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["outcome"] == "eh_single"
    assert body["level"] == 2
    assert body["decision"] is None
    assert body["status_history"] == []
    assert RATIONALE not in answer.content.decode()


def test_the_front_door_still_reads_everything(decided: Contact, worker: User) -> None:
    involvement_ended(decided)
    body = signed_in(worker).get(f"/api/v1/contacts/{decided.pk}").json()
    assert body["decision"]["rationale"] == RATIONALE
    assert body["status_history"]


def test_a_restricted_child_hides_the_contact_from_the_referrer(
    decided: Contact, teacher: User, child: Person
) -> None:
    Person.objects.filter(pk=child.pk).update(is_restricted=True)
    assert not policy.visible(teacher, Contact).filter(pk=decided.pk).exists()
    assert signed_in(teacher).get(f"/front-door/contacts/{decided.pk}/").status_code == 404
    assert signed_in(teacher).get(f"/api/v1/contacts/{decided.pk}").status_code == 404
    listed = signed_in(teacher).get("/api/v1/contacts").json()
    assert listed["count"] == 0
