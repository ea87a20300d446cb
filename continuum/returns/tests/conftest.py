"""A small world for Annex A, built by hand with factories: Stockton's children A, B and C
with contacts, an early help assessment and statutory records in the year from 1 April
2025, records just outside it, and Hartlepool's child H whose records must never appear in
Stockton's return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import pytest
from django.utils import timezone

from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Assessment, Episode
from continuum.front_door.choices import ContactStatus, ReferralSource
from continuum.front_door.models import Contact
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.choices import Ethnicity, Sex
from continuum.people.models import Person
from continuum.statutory.choices import (
    AbuseCategory,
    InvolvementKind,
    PrimaryNeed,
    ReferralClosure,
)
from continuum.statutory.models import CensusChild, ProtectionPlanReview, StatutoryInvolvement
from continuum.testing import factories

FIRST = date(2025, 4, 1)
LAST = date(2026, 3, 31)
# A partner organisation whose name would run as a formula in a spreadsheet.
HOSTILE_NAME = '=HYPERLINK("http://evil.example/","Click me")'


@dataclass
class World:
    stockton: Council
    hartlepool: Council
    a: Person
    b: Person
    c: Person
    h: Person
    lead_organisation: Organisation
    referral_a: StatutoryInvolvement
    referral_b: StatutoryInvolvement
    plan_a: StatutoryInvolvement


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _contact(council: Council, received: date, children: list[Person], **fields: Any) -> Contact:
    return cast(
        Contact,
        factories.ContactFactory(
            council=council, received_at=_at(received), children=children, **fields
        ),
    )


def _record(person: Person, kind: str, start: date, **fields: Any) -> StatutoryInvolvement:
    return StatutoryInvolvement.objects.create(
        person=person, council=person.council, kind=kind, start_date=start, **fields
    )


def _early_help(council: Council, child: Person, started: date, completed: date | None,
                lead: Organisation | None) -> Episode:  # fmt: skip
    episode = cast(
        Episode,
        factories.EpisodeFactory(
            council=council,
            children=[child],
            status=EpisodeStatus.ASSESSMENT,
            start_date=started,
            lead_professional_organisation=lead,
        ),
    )
    Assessment.objects.create(
        episode=episode, started_on=started, due_date=started, completed_on=completed
    )
    return episode


@pytest.fixture
def world(stockton: Council, hartlepool: Council) -> World:
    a = cast(
        Person,
        factories.PersonFactory(
            council=stockton,
            family_name="Abbott",
            sex=Sex.MALE,
            ethnicity=Ethnicity.WBRI,
            date_of_birth=date(2015, 6, 10),
            disabilities=["NONE"],
        ),
    )
    b = cast(
        Person,
        factories.PersonFactory(
            council=stockton,
            family_name="Brown",
            sex=Sex.FEMALE,
            ethnicity=Ethnicity.BAFR,
            date_of_birth=date(2012, 1, 20),
            disabilities=["AUT", "LD"],
        ),
    )
    c = cast(
        Person,
        factories.PersonFactory(council=stockton, sex=Sex.UNKNOWN, date_of_birth=date(2019, 3, 3)),
    )
    h = cast(Person, factories.PersonFactory(council=hartlepool, date_of_birth=date(2014, 2, 2)))
    CensusChild.objects.create(person=a, council=stockton, la_child_id="STK0001")
    # An LA child ID as an imported return might carry it: it must not run as a formula.
    CensusChild.objects.create(person=c, council=stockton, la_child_id="@SUM(A1)")

    # Contacts: one naming A and B in the period; a draft, one the day before the period
    # and one to Hartlepool (by a partner serving both) that are not Stockton's contacts.
    _contact(stockton, date(2025, 5, 1), [a, b], referral_source=ReferralSource.SCHOOLS)
    _contact(stockton, date(2025, 6, 1), [c], status=ContactStatus.DRAFT)
    _contact(stockton, date(2025, 3, 31), [c])
    _contact(hartlepool, date(2025, 7, 1), [h])

    # Early help: A's assessment in the period (led by the partner with the hostile name);
    # C's finished before it; H's is Hartlepool's.
    lead = cast(
        Organisation,
        factories.OrganisationFactory(
            name=HOSTILE_NAME, kind=OrganisationKind.VOLUNTARY, serves=[stockton]
        ),
    )
    _early_help(stockton, a, date(2025, 6, 2), date(2025, 7, 1), lead)
    _early_help(stockton, c, date(2025, 1, 6), date(2025, 3, 3), None)
    _early_help(hartlepool, h, date(2025, 6, 2), None, None)

    # A: an old referral with a plan (2020), a referral with no further action before the
    # period, then a referral in it: assessment, strategy discussion and section 47,
    # conference and a child protection plan still open at the end of the period.
    old = _record(a, InvolvementKind.REFERRAL, date(2020, 1, 10), end_date=date(2021, 1, 10))
    _record(
        a,
        InvolvementKind.CHILD_PROTECTION_PLAN,
        date(2020, 2, 1),
        end_date=date(2020, 12, 1),
        referral=old,
        abuse_category=AbuseCategory.PHYSICAL,
    )
    _record(
        a,
        InvolvementKind.REFERRAL,
        date(2024, 9, 2),
        end_date=date(2024, 9, 2),
        referral_nfa=True,
        referral_source=ReferralSource.POLICE,
        closure_reason=ReferralClosure.NO_FURTHER_ACTION,
    )
    referral_a = _record(
        a,
        InvolvementKind.REFERRAL,
        date(2025, 5, 2),
        referral_source=ReferralSource.SCHOOLS,
        primary_need=PrimaryNeed.ABUSE_OR_NEGLECT,
    )
    _record(
        a,
        InvolvementKind.ASSESSMENT,
        date(2025, 5, 2),
        end_date=date(2025, 6, 10),
        referral=referral_a,
        factors=["16A"],
    )
    enquiry = _record(
        a,
        InvolvementKind.SECTION_47,
        date(2025, 5, 5),
        end_date=date(2025, 5, 20),
        referral=referral_a,
        strategy_discussion_date=date(2025, 5, 3),
    )
    _record(
        a,
        InvolvementKind.INITIAL_CONFERENCE,
        date(2025, 5, 23),
        end_date=date(2025, 5, 23),
        referral=referral_a,
        enquiry=enquiry,
    )
    plan_a = _record(
        a,
        InvolvementKind.CHILD_PROTECTION_PLAN,
        date(2025, 5, 23),
        end_date=date(2026, 6, 1),
        referral=referral_a,
        abuse_category=AbuseCategory.NEGLECT,
        latest_abuse_category=AbuseCategory.EMOTIONAL,
    )
    for day in (date(2025, 8, 20), date(2025, 11, 20), date(2026, 5, 1)):
        ProtectionPlanReview.objects.create(plan=plan_a, review_date=day)

    # B: referred by the police, an enquiry needing no conference, assessed, closed with a
    # step-down to early help.
    referral_b = _record(
        b,
        InvolvementKind.REFERRAL,
        date(2025, 10, 1),
        end_date=date(2025, 11, 3),
        referral_source=ReferralSource.POLICE,
        primary_need=PrimaryNeed.FAMILY_DYSFUNCTION,
        closure_reason=ReferralClosure.STEP_DOWN,
    )
    _record(
        b,
        InvolvementKind.SECTION_47,
        date(2025, 10, 2),
        end_date=date(2025, 10, 15),
        referral=referral_b,
        icpc_not_required=True,
    )
    _record(
        b,
        InvolvementKind.ASSESSMENT,
        date(2025, 10, 1),
        end_date=date(2025, 10, 20),
        referral=referral_b,
    )

    # C: a child in need since before the period, on a plan; a referral after the period.
    referral_c = _record(
        c,
        InvolvementKind.REFERRAL,
        date(2024, 1, 8),
        primary_need=PrimaryNeed.PARENT_DISABILITY,
    )
    _record(c, InvolvementKind.CHILD_IN_NEED_PLAN, date(2024, 2, 1), referral=referral_c)
    _record(c, InvolvementKind.REFERRAL, date(2026, 4, 2))

    # H: Hartlepool's referral, plan and enquiry in the period.
    referral_h = _record(h, InvolvementKind.REFERRAL, date(2025, 6, 2))
    _record(h, InvolvementKind.SECTION_47, date(2025, 6, 3), referral=referral_h)
    _record(h, InvolvementKind.CHILD_PROTECTION_PLAN, date(2025, 6, 20), referral=referral_h)
    return World(stockton, hartlepool, a, b, c, h, lead, referral_a, referral_b, plan_a)
