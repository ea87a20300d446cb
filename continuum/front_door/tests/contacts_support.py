"""Helpers for the contact tests: details a referrer would give, indicators from the seeded
framework, a contact taken through the workflow by the services, and for the pages: a
signed-in client, what a referrer types and the errors a form shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any, cast

from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, FamilyAgreement, HowReceived
from continuum.front_door.models import (
    Contact,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    SharingDecision,
)
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from continuum.thresholds.models import Indicator


def indicator(level: int) -> Indicator:
    """An indicator of the current framework version at ``level`` (seeded by migration)."""
    found = Indicator.objects.filter(version__is_current=True, level=level).order_by("code").first()
    assert found is not None, f"The seeded framework has no level {level} indicator"
    return found


def details(**overrides: Any) -> services.ContactDetails:
    """A phone contact from a school, received an hour ago, with the family's agreement."""
    received_at = timezone.now() - timedelta(hours=1)
    base = services.ContactDetails(
        received_at=received_at,
        how_received=HowReceived.PHONE,
        referral_source="2A",
        referrer_name="Priya Patel",
        referrer_organisation_name="Test Primary School",
        referrer_role="Designated safeguarding lead",
        referrer_phone="01642 000000",
        concerns="Arrives hungry most days; younger sibling often collected late.",
        referrer_view_of_level=2,
        family_agreement=FamilyAgreement.AGREED,
        agreement_obtained_by="Priya Patel",
        agreement_obtained_on=timezone.localdate(),
    )
    return replace(base, **overrides)


def no_consent(**overrides: Any) -> services.ContactDetails:
    return details(
        family_agreement="", agreement_obtained_by="", agreement_obtained_on=None, **overrides
    )


def submitted_contact(
    *,
    by: User,
    council: Council,
    children: list[Person] | None = None,
    indicator_codes: tuple[str, ...] = (),
    **overrides: Any,
) -> Contact:
    """A contact ``by`` recorded and submitted, about ``children`` (one new child of the
    council unless given)."""
    if children is None:
        children = [cast(Person, factories.PersonFactory(council=council))]
    return services.record_contact(
        recorded_by=by,
        council=council,
        details=details(**overrides),
        children=children,
        indicator_codes=indicator_codes,
        submit=True,
    )


def in_screening(contact: Contact, *, by: User) -> Contact:
    contact.refresh_from_db()
    services.change_status(
        contact=contact,
        to_status=ContactStatus.IN_SCREENING,
        by=by,
        expected_version=contact.version,
    )
    contact.refresh_from_db()
    return contact


def contact_counts() -> tuple[int, ...]:
    """How many contacts, children on them, status changes, decisions and sharing decisions
    there are: what a refused request must leave as it was."""
    return (
        Contact.objects.count(),
        ContactChild.objects.count(),
        ContactStatusChange.objects.count(),
        ContactDecision.objects.count(),
        SharingDecision.objects.count(),
    )


def signed_in(user: User) -> Client:
    """A client of its own, signed in as ``user`` (for tests with two people at once)."""
    client = Client()
    client.force_login(user)
    return client


def form_errors(response: Any) -> dict[str, list[str]]:
    """The errors of the page's ``form``, by field."""
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def flow_token(response: Any) -> str:
    """The token of the contact being recorded, from the redirect that starts it."""
    location = str(response.url)
    return location.split("/record/")[1].split("/")[0]


def contact_form(*, council: Council, **overrides: Any) -> dict[str, Any]:
    """What a referrer types into the contact page: a phone contact an hour ago from a
    school, with the family's agreement."""
    received = timezone.localtime() - timedelta(hours=1)
    today = timezone.localdate()
    data: dict[str, Any] = {
        "council": council.pk,
        "received_on_day": received.day,
        "received_on_month": received.month,
        "received_on_year": received.year,
        "received_time": f"{received:%H:%M}",
        "how_received": HowReceived.PHONE,
        "referral_source": "2A",
        "referrer_name": "Sam Okafor",
        "referrer_organisation_name": "Test Primary School",
        "referrer_role": "Head teacher",
        "referrer_phone": "01642 000000",
        "referrer_email": "",
        "referrer_address": "",
        "concerns": "Arrives hungry most days; often collected late.",
        "referrer_view_of_level": "2",
        "family_agreement": FamilyAgreement.AGREED,
        "agreement_obtained_by": "Sam Okafor",
        "agreement_obtained_on_day": today.day,
        "agreement_obtained_on_month": today.month,
        "agreement_obtained_on_year": today.year,
        "lawful_basis": "",
        "not_agreed_reason": "",
        "sharing_justification": "",
        "action": "draft",
    }
    data.update(overrides)
    return data
