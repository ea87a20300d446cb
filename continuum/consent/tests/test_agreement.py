"""A family's agreement: recorded, read across the family, withdrawn (and not twice)."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.consent import services
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.consent.selectors import agreement_for
from continuum.errors import InvalidState
from continuum.organisations.models import Organisation
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(child: Person) -> Person:
    return cast(Person, factories.PersonFactory(council=child.council, kind=PersonKind.ADULT))


def _agree(by: User, child: Person, parent: Person, school: Organisation) -> ConsentRecord:
    return services.record_consent(
        by=by,
        person=child,
        given_by=GivenBy.PARENT,
        given_by_person=parent,
        agrees_to_early_help=True,
        shares_with_taf=False,
        agencies=[school],
        information_kinds=[InformationKind.EDUCATION, InformationKind.FAMILY],
        obtained_how=ObtainedHow.SIGNED_FORM,
        obtained_on=timezone.localdate(),
    )


def test_agreement_then_withdrawal_changes_what_the_family_agrees_to(
    eh_worker: User, child: Person, parent: Person, school: Organisation, police: Organisation
) -> None:
    assert not agreement_for([child, parent]).recorded
    consent = _agree(eh_worker, child, parent, school)
    agreement = agreement_for([child, parent])
    assert agreement.early_help
    assert agreement.shares_with(school.pk)
    assert not agreement.shares_with(police.pk)

    services.withdraw_consent(
        by=eh_worker,
        consent=consent,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.PHONE,
        agencies=[school],
    )
    agreement = agreement_for([child, parent])
    assert agreement.early_help
    assert not agreement.shares_with(school.pk)


def test_withdrawing_twice_is_refused_and_records_nothing(
    eh_worker: User, child: Person, parent: Person, school: Organisation
) -> None:
    consent = _agree(eh_worker, child, parent, school)
    kwargs = {
        "by": eh_worker,
        "consent": consent,
        "withdrawn_on": timezone.localdate(),
        "told_how": ObtainedHow.IN_PERSON,
        "early_help": True,
    }
    services.withdraw_consent(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(InvalidState, match="already withdrawn"):
        services.withdraw_consent(**kwargs)  # type: ignore[arg-type]
    assert ConsentWithdrawal.objects.filter(consent=consent).count() == 1
    assert not agreement_for([child]).early_help


def test_consent_dated_in_the_future_is_refused(
    eh_worker: User, child: Person, parent: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.record_consent(
            by=eh_worker,
            person=child,
            given_by=GivenBy.PARENT,
            given_by_person=parent,
            agrees_to_early_help=True,
            shares_with_taf=False,
            obtained_how=ObtainedHow.IN_PERSON,
            obtained_on=timezone.localdate() + timedelta(days=1),
        )
    assert "obtained_on" in refused.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_a_child_deciding_for_themselves_needs_the_practitioners_judgement(
    eh_worker: User, child: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.record_consent(
            by=eh_worker,
            person=child,
            given_by=GivenBy.SELF,
            agrees_to_early_help=True,
            shares_with_taf=False,
            obtained_how=ObtainedHow.IN_PERSON,
            obtained_on=timezone.localdate(),
        )
    assert "competence_judgement" in refused.value.message_dict
