"""The statutory involvement record: what it refuses, and who may see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def referral(council: Council, **fields: Any) -> StatutoryInvolvement:
    return cast(
        StatutoryInvolvement, factories.StatutoryInvolvementFactory(council=council, **fields)
    )


def test_a_plan_belongs_to_a_referral_and_ends_after_it_starts(stockton: Council) -> None:
    episode = referral(stockton, start_date=date(2026, 1, 5))
    plan = StatutoryInvolvement(
        person=episode.person,
        council=stockton,
        kind=InvolvementKind.CHILD_PROTECTION_PLAN,
        referral=episode,
        start_date=date(2026, 2, 1),
        end_date=date(2026, 1, 1),
        abuse_category="NEG",
    )
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert error.value.message_dict["end_date"] == [
        "The end date must be on or after the start date."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_a_part_without_its_referral_is_refused(stockton: Council) -> None:
    child = cast(Person, factories.PersonFactory(council=stockton))
    orphan = StatutoryInvolvement(
        person=child,
        council=stockton,
        kind=InvolvementKind.LOOKED_AFTER,
        start_date=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        orphan.full_clean()
    assert "referral" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        orphan.save()
    assert not StatutoryInvolvement.objects.exists()


def test_only_an_assessment_has_factors_and_they_must_be_census_codes(stockton: Council) -> None:
    episode = referral(stockton)
    assessment = StatutoryInvolvement(
        person=episode.person,
        council=stockton,
        kind=InvolvementKind.ASSESSMENT,
        referral=episode,
        start_date=episode.start_date,
        factors=["3A", "99Z"],
    )
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert error.value.message_dict["factors"] == ["Unknown assessment factor codes: 99Z."]
    assessment.factors = ["3A", "16A"]
    assessment.full_clean()
    episode.factors = ["3A"]
    with pytest.raises(ValidationError) as error:
        episode.full_clean()
    assert error.value.message_dict["factors"] == ["Only on a record of: Social work assessment."]


def test_open_on_a_day_counts_the_start_and_not_the_end(stockton: Council) -> None:
    episode = referral(stockton, start_date=date(2026, 3, 1), end_date=date(2026, 3, 31))
    assert not episode.is_open_on(date(2026, 2, 28))
    assert episode.is_open_on(date(2026, 3, 1))
    assert episode.is_open_on(date(2026, 3, 30))
    assert not episode.is_open_on(date(2026, 3, 31))


@pytest.mark.parametrize(
    ("role", "sees_ours"),
    [
        (Role.FRONT_DOOR_WORKER, True),
        (Role.TEAM_MANAGER, True),
        (Role.PARTNER_PRACTITIONER, False),
        (Role.PERFORMANCE_ANALYST, False),
        (Role.AUDITOR, False),
    ],
)
def test_council_staff_see_their_councils_records_and_partners_none(
    stockton: Council,
    hartlepool: Council,
    make_user: Callable[..., User],
    role: Role,
    sees_ours: bool,
) -> None:
    ours = referral(stockton)
    theirs = referral(hartlepool)
    visible = list(policy.visible(make_user(role, council=stockton), StatutoryInvolvement))
    assert theirs not in visible
    assert visible == ([ours] if sees_ours else [])


def test_a_restricted_childs_record_needs_the_access_list(stockton: Council, worker: User) -> None:
    hidden = referral(
        stockton, person=factories.PersonFactory(council=stockton, is_restricted=True)
    )
    assert not policy.visible(worker, StatutoryInvolvement).exists()
    factories.RestrictedAccessFactory(person=hidden.person, user=worker)
    assert list(policy.visible(worker, StatutoryInvolvement)) == [hidden]
