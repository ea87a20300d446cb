"""What a family agrees to, read across its members: anyone withdrawing sharing with an
agency stops the family sharing with it; a person's newer record replaces their older."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from continuum.accounts.models import User
from continuum.consent import services
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.consent.selectors import agreement_for, current_records
from continuum.organisations.models import Organisation
from continuum.people.models import Person

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def _own(
    by: User, adult: Person, agencies: list[Organisation], *, days_ago: int = 5
) -> ConsentRecord:
    return services.record_consent(
        by=by,
        person=adult,
        given_by=GivenBy.SELF,
        agrees_to_early_help=True,
        shares_with_taf=False,
        agencies=agencies,
        information_kinds=[InformationKind.FAMILY],
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=timezone.localdate() - days_ago * DAY,
    )


def test_one_parent_withdrawing_sharing_with_an_agency_stops_the_family_sharing_with_it(
    eh_worker: User,
    child: Person,
    mother: Person,
    father: Person,
    school: Organisation,
    police: Organisation,
) -> None:
    _own(eh_worker, mother, [school, police])
    fathers = _own(eh_worker, father, [school])
    family = [child, mother, father]
    assert agreement_for(family).shares_with(school.pk)
    assert agreement_for(family).shares_with(police.pk)

    services.withdraw_consent(
        by=eh_worker,
        consent=fathers,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.PHONE,
        agencies=[school],
    )
    agreement = agreement_for(family)
    assert not agreement.shares_with(school.pk)  # the mother's agreement does not outweigh it
    assert agreement.shares_with(police.pk)
    assert agreement.early_help
    assert [w.consent_id for w in agreement.withdrawals] == [fathers.pk]
    # As it stood the day before the withdrawal, the family still shared with the school.
    assert agreement_for(family, on=timezone.localdate() - DAY).shares_with(school.pk)


def test_a_newer_record_replaces_an_older_one(
    eh_worker: User, mother: Person, school: Organisation, police: Organisation
) -> None:
    older = _own(eh_worker, mother, [school], days_ago=30)
    services.withdraw_consent(
        by=eh_worker,
        consent=older,
        withdrawn_on=timezone.localdate() - 20 * DAY,
        told_how=ObtainedHow.PHONE,
        early_help=True,
    )
    assert not agreement_for([mother]).early_help
    newer = _own(eh_worker, mother, [police], days_ago=2)
    assert current_records([mother]) == [newer]
    agreement = agreement_for([mother])
    assert agreement.early_help  # the new record agreed again
    assert agreement.shares_with(police.pk)
    assert not agreement.shares_with(school.pk)  # no longer named
    # Before the newer record, the older one (less its withdrawal) was their consent.
    before = agreement_for([mother], on=timezone.localdate() - 10 * DAY)
    assert before.shares_with(school.pk) and not before.early_help


def test_withdrawing_sharing_with_the_team_stops_sharing_with_agencies_not_named(
    eh_worker: User, child: Person, mother: Person, school: Organisation, police: Organisation
) -> None:
    record = services.record_consent(
        by=eh_worker,
        person=child,
        given_by=GivenBy.PARENT,
        given_by_person=mother,
        agrees_to_early_help=True,
        shares_with_taf=True,
        agencies=[school],
        information_kinds=[InformationKind.EDUCATION],
        obtained_how=ObtainedHow.SIGNED_FORM,
        obtained_on=timezone.localdate(),
    )
    assert agreement_for([child, mother]).shares_with(police.pk)
    services.withdraw_consent(
        by=eh_worker,
        consent=record,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.IN_PERSON,
        taf_sharing=True,
    )
    agreement = agreement_for([child, mother])
    assert not agreement.shares_with(police.pk)
    assert agreement.shares_with(school.pk)  # named, and not withdrawn
