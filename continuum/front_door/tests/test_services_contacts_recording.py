"""The rules of recording a contact: what it must name, consent before submission, drafts
and their edits, decisions not to share, and which contacts are repeats."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.errors import ConcurrentChange
from continuum.front_door import services
from continuum.front_door.choices import (
    ContactStatus,
    FamilyAgreement,
    LawfulBasis,
    NotSoughtReason,
)
from continuum.front_door.models import Contact, SharingDecision
from continuum.front_door.tests.contacts_support import (
    contact_counts,
    details,
    indicator,
    no_consent,
    submitted_contact,
)
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories

# --- recording ---------------------------------------------------------------------------


def test_a_contact_is_recorded_as_a_draft_naming_its_children(
    worker: User, stockton: Council, child: Person
) -> None:
    contact = services.record_contact(
        recorded_by=worker,
        council=stockton,
        details=details(),
        children=[child],
        indicator_codes=[indicator(2).code],
    )
    assert contact.status == ContactStatus.DRAFT
    assert list(contact.children.all()) == [child]
    assert [i.code for i in contact.presenting_indicators.all()] == [indicator(2).code]
    assert contact.referrer_user is None  # a front-door worker taking a phone call


def test_a_team_manager_taking_a_call_is_not_the_referrer(
    manager: User, stockton: Council, child: Person
) -> None:
    contact = services.record_contact(
        recorded_by=manager, council=stockton, details=details(), children=[child], submit=True
    )
    assert contact.referrer_user is None
    assert contact.created_by == manager


def test_a_contact_without_a_child_is_refused_and_nothing_saved(
    worker: User, stockton: Council
) -> None:
    before = contact_counts()
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=worker, council=stockton, details=details(), children=[]
        )
    assert "children" in refused.value.message_dict
    assert contact_counts() == before


def test_an_adult_named_as_a_child_is_refused_and_nothing_saved(
    worker: User, stockton: Council
) -> None:
    parent = cast(
        Person,
        factories.PersonFactory(
            council=stockton,
            kind=PersonKind.ADULT,
            given_name="Dana",
            family_name="Holt",
            date_of_birth=timezone.localdate() - timedelta(days=35 * 365),
            upn=None,
        ),
    )
    before = contact_counts()
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=worker, council=stockton, details=details(), children=[parent]
        )
    assert "Dana Holt is recorded as an adult" in refused.value.message_dict["children"][0]
    assert contact_counts() == before


def test_a_received_time_in_the_future_is_refused(
    worker: User, stockton: Council, child: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=worker,
            council=stockton,
            details=details(received_at=timezone.now() + timedelta(hours=2)),
            children=[child],
        )
    assert refused.value.message_dict["received_at"] == [
        "The time received must be now or in the past."
    ]
    assert Contact.objects.count() == 0


def test_an_unknown_referral_source_code_is_refused_naming_the_code(
    worker: User, stockton: Council, child: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=worker,
            council=stockton,
            details=details(referral_source="2Z"),
            children=[child],
        )
    assert "'2Z'" in refused.value.message_dict["referral_source"][0]
    assert Contact.objects.count() == 0


def test_an_unknown_indicator_code_is_refused(
    worker: User, stockton: Council, child: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=worker,
            council=stockton,
            details=details(),
            children=[child],
            indicator_codes=["NOPE-9"],
        )
    assert "NOPE-9" in refused.value.message_dict["presenting_indicators"][0]


def test_a_partner_cannot_refer_to_a_council_their_organisation_does_not_serve(
    teacher: User, hartlepool: Council
) -> None:
    other_child = factories.PersonFactory.create(council=hartlepool)
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=teacher, council=hartlepool, details=details(), children=[other_child]
        )
    assert "council" in refused.value.message_dict


# --- consent, obtained by the referrer ---------------------------------------------------


def test_a_draft_without_consent_can_be_saved_but_not_submitted(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=no_consent(), children=[child]
    )
    with pytest.raises(ValidationError) as refused:
        services.submit_contact(contact=draft, by=teacher, expected_version=draft.version)
    assert "family_agreement" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.status == ContactStatus.DRAFT
    assert draft.submitted_at is None


def test_submitting_a_new_contact_without_consent_saves_nothing(
    teacher: User, stockton: Council, child: Person
) -> None:
    before = contact_counts()
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=teacher,
            council=stockton,
            details=no_consent(),
            children=[child],
            submit=True,
        )
    assert "family_agreement" in refused.value.message_dict
    assert contact_counts() == before


def test_declined_agreement_needs_a_lawful_basis_reason_and_justification(
    teacher: User, stockton: Council, child: Person
) -> None:
    declined = details(
        family_agreement=FamilyAgreement.DECLINED,
        agreement_obtained_by="",
        agreement_obtained_on=None,
    )
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=teacher, council=stockton, details=declined, children=[child], submit=True
        )
    assert set(refused.value.message_dict) == {
        "lawful_basis",
        "not_agreed_reason",
        "sharing_justification",
    }
    contact = services.record_contact(
        recorded_by=teacher,
        council=stockton,
        details=details(
            family_agreement=FamilyAgreement.DECLINED,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            not_agreed_reason=NotSoughtReason.SIGNIFICANT_HARM,
            sharing_justification="Bruising seen today; asking the parents would put her at risk.",
        ),
        children=[child],
        submit=True,
    )
    assert contact.status == ContactStatus.SUBMITTED


def test_agreement_needs_who_obtained_it_and_when(
    teacher: User, stockton: Council, child: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=teacher,
            council=stockton,
            details=details(agreement_obtained_by=" ", agreement_obtained_on=None),
            children=[child],
            submit=True,
        )
    assert set(refused.value.message_dict) == {"agreement_obtained_by", "agreement_obtained_on"}


def test_editing_a_draft_can_change_its_children_and_submit_it(
    teacher: User, stockton: Council, child: Person
) -> None:
    sibling = factories.PersonFactory.create(council=stockton)
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=no_consent(), children=[child]
    )
    contact = services.update_draft(
        contact=draft,
        by=teacher,
        expected_version=draft.version,
        details=details(),
        children=[sibling],
        submit=True,
    )
    assert contact.status == ContactStatus.SUBMITTED
    assert list(contact.children.all()) == [sibling]


def test_a_refused_submit_of_an_edited_draft_keeps_the_draft_as_it_was(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=no_consent(), children=[child]
    )
    with pytest.raises(ValidationError):
        services.update_draft(
            contact=draft,
            by=teacher,
            expected_version=draft.version,
            details=no_consent(concerns="Changed words"),
            submit=True,
        )
    draft.refresh_from_db()
    assert draft.status == ContactStatus.DRAFT
    assert draft.concerns != "Changed words"
    assert draft.version == 1


def test_editing_a_stale_draft_is_refused(teacher: User, stockton: Council, child: Person) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=no_consent(), children=[child]
    )
    services.update_draft(
        contact=draft, by=teacher, expected_version=1, details=no_consent(concerns="First")
    )
    stale = Contact.objects.get(pk=draft.pk)
    stale.version = 1
    with pytest.raises(ConcurrentChange):
        services.update_draft(
            contact=stale, by=teacher, expected_version=1, details=no_consent(concerns="Second")
        )
    draft.refresh_from_db()
    assert draft.concerns == "First"


def test_a_decision_not_to_share_is_recorded_with_its_reason(
    teacher: User, stockton: Council, child: Person
) -> None:
    contact = submitted_contact(by=teacher, council=stockton, children=[child])
    with pytest.raises(ValidationError) as refused:
        services.record_sharing_decision(
            contact=contact,
            by=teacher,
            shared=False,
            what="Attendance records",
            with_whom="Mother's new partner's employer",
            purpose="Asked for by the employer",
        )
    assert "reason" in refused.value.message_dict
    services.record_sharing_decision(
        contact=contact,
        by=teacher,
        shared=False,
        what="Attendance records",
        with_whom="Mother's new partner's employer",
        purpose="Asked for by the employer",
        reason="No lawful basis and not in the child's interest.",
    )
    decision = SharingDecision.objects.get(contact=contact)
    assert decision.shared is False
    assert decision.recorded_by == teacher


# --- repeat contacts ---------------------------------------------------------------------


def test_a_child_with_a_contact_in_the_previous_12_months_is_flagged_as_a_repeat(
    worker: User, stockton: Council, child: Person
) -> None:
    london = timezone.get_current_timezone()
    with time_machine.travel(datetime(2025, 6, 2, 9, 0, tzinfo=london)):
        first = submitted_contact(by=worker, council=stockton, children=[child])
    with time_machine.travel(datetime(2026, 5, 20, 9, 0, tzinfo=london)):
        second = submitted_contact(by=worker, council=stockton, children=[child])
    with time_machine.travel(datetime(2027, 6, 1, 9, 0, tzinfo=london)):
        third = submitted_contact(by=worker, council=stockton, children=[child])
    assert not first.is_repeat
    assert second.is_repeat
    assert services.previous_contacts(second) == [first]
    assert not third.is_repeat  # the one before was more than 12 months earlier


def test_a_draft_does_not_make_a_later_contact_a_repeat(
    worker: User, stockton: Council, child: Person
) -> None:
    services.record_contact(
        recorded_by=worker,
        council=stockton,
        details=details(received_at=timezone.now() - timedelta(days=30)),
        children=[child],
    )
    contact = submitted_contact(by=worker, council=stockton, children=[child])
    assert not contact.is_repeat
