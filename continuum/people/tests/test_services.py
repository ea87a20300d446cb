"""Changing the shared record: validation, optimistic locking, names kept searchable,
history with its author, and the access facts the policy reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from continuum.access import policy
from continuum.access import services as access_services
from continuum.access.models import BreakGlassGrant, Involvement, InvolvementReason
from continuum.accounts.models import Role
from continuum.errors import ConcurrentChange
from continuum.organisations.models import Council
from continuum.people import services
from continuum.people.choices import ChronologyCategory, PersonKind, RelationshipKind
from continuum.people.models import NameKey, Person, Relationship
from continuum.people.tests.builders import a_person

pytestmark = pytest.mark.django_db


def new_child(worker: Any, council: Council, **fields: Any) -> Person:
    details: dict[str, Any] = {
        "kind": PersonKind.CHILD,
        "given_name": "Jon",
        "family_name": "Smith",
        "date_of_birth": date(2019, 3, 27),
    }
    details.update(fields)
    return services.create_person(created_by=worker, council=council, **details)


def test_create_person_normalises_identifiers_and_keeps_names_searchable(
    worker: Any, stockton: Council
) -> None:
    person = new_child(
        worker,
        stockton,
        nhs_number="943 476 5919",
        upn="d801200012001",
        aliases=[{"given_name": "Johnny", "family_name": ""}],
        address={"line_1": "1 High Street", "town": "Stockton", "postcode": "ts181ld"},
    )
    person.refresh_from_db()
    assert person.nhs_number == "9434765919"
    assert person.upn == "D801200012001"
    assert person.addresses.get().postcode == "TS18 1LD"
    assert person.created_by == worker
    keys = set(NameKey.objects.filter(person=person).values_list("key", flat=True))
    assert "M:SM0" in keys  # Smith, as it sounds
    assert "M:JN" in keys  # Jon
    assert "M:JN" in keys and any(k.startswith("N:JAN") for k in keys)


def test_create_person_writes_record_created_and_history_with_its_author(
    worker: Any, stockton: Council
) -> None:
    person = new_child(worker, stockton)
    event = person.chronology.get()
    assert event.title == "Record created"
    assert event.category == ChronologyCategory.RECORD
    assert event.recorded_by == worker
    created = person.history.get()
    assert created.history_type == "+"
    assert created.history_user == worker


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nhs_number", "943 476 5918"),
        ("upn", "E801200012001"),
        ("date_of_birth", date.today() + timedelta(days=1)),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    worker: Any, stockton: Council, field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(worker, stockton, **{field: value})
    assert field in caught.value.message_dict
    assert not Person.objects.exists()
    assert not NameKey.objects.exists()


def test_a_bad_postcode_saves_nothing(worker: Any, stockton: Council) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(
            worker,
            stockton,
            address={"line_1": "1 High St", "town": "Stockton", "postcode": "TS18"},
        )
    assert "postcode" in caught.value.message_dict
    assert not Person.objects.exists()


def test_an_unborn_child_needs_an_expected_date_and_no_date_of_birth(
    worker: Any, stockton: Council
) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(worker, stockton, kind=PersonKind.UNBORN)
    assert "expected_date_of_birth" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        new_child(
            worker,
            stockton,
            kind=PersonKind.UNBORN,
            expected_date_of_birth=date.today() + timedelta(days=60),
        )
    assert "date_of_birth" in caught.value.message_dict
    unborn = new_child(
        worker,
        stockton,
        kind=PersonKind.UNBORN,
        date_of_birth=None,
        expected_date_of_birth=date.today() + timedelta(days=60),
    )
    assert unborn.kind == PersonKind.UNBORN


def test_a_second_record_with_the_same_nhs_number_is_refused(
    worker: Any, stockton: Council
) -> None:
    new_child(worker, stockton, nhs_number="9434765919")
    with pytest.raises(ValidationError) as caught:
        new_child(worker, stockton, given_name="Jane", nhs_number="9434765919")
    assert "already exists" in caught.value.message_dict["nhs_number"][0]
    assert Person.objects.count() == 1


def test_council_staff_cannot_create_a_person_in_another_council(
    worker: Any, hartlepool: Council
) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(worker, hartlepool)
    assert "council" in caught.value.message_dict
    assert not Person.objects.exists()


def test_a_partner_who_creates_a_person_is_involved_and_sees_them(
    make_user: Callable[..., Any], stockton: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    person = new_child(partner, stockton)
    involvement = Involvement.objects.get(user=partner, person=person)
    assert involvement.reason == InvolvementReason.OTHER
    assert involvement.source == "people.create"
    assert policy.visible(partner, Person).filter(pk=person.pk).exists()


def test_a_partner_sees_a_person_they_created_only_for_30_days(
    make_user: Callable[..., Any], stockton: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    person = new_child(partner, stockton)
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert policy.visible(partner, Person).filter(pk=person.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert not policy.visible(partner, Person).filter(pk=person.pk).exists()


def test_council_staff_who_create_a_person_need_no_involvement(
    worker: Any, stockton: Council
) -> None:
    new_child(worker, stockton)
    assert not Involvement.objects.exists()


def test_update_person_with_the_current_version_saves_and_moves_the_version_on(
    worker: Any, stockton: Council
) -> None:
    person = new_child(worker, stockton)
    updated = services.update_person(
        person=person, changed_by=worker, expected_version=1, family_name="Smyth"
    )
    assert updated.version == 2
    assert Person.objects.get(pk=person.pk).family_name == "Smyth"
    assert person.history.latest().history_user == worker
    assert "M:SM0" in set(NameKey.objects.filter(person=person).values_list("key", flat=True))


def test_a_stale_version_is_refused_never_silently_overwritten(
    worker: Any, stockton: Council
) -> None:
    person = new_child(worker, stockton)
    services.update_person(
        person=person, changed_by=worker, expected_version=1, given_name="Jonathan"
    )
    with pytest.raises(ConcurrentChange) as caught:
        services.update_person(
            person=person, changed_by=worker, expected_version=1, given_name="John"
        )
    assert "changed by someone else" in str(caught.value)
    person.refresh_from_db()
    assert person.given_name == "Jonathan"
    assert person.version == 2


def test_update_person_validates_and_saves_nothing_on_bad_input(
    worker: Any, stockton: Council
) -> None:
    person = new_child(worker, stockton)
    with pytest.raises(ValidationError) as caught:
        services.update_person(
            person=person, changed_by=worker, expected_version=1, nhs_number="1234567890"
        )
    assert "nhs_number" in caught.value.message_dict
    person.refresh_from_db()
    assert person.nhs_number is None and person.version == 1


def test_update_person_refuses_fields_it_does_not_know() -> None:
    person = a_person()
    with pytest.raises(TypeError):
        services.update_person(
            person=person, changed_by=None, expected_version=1, is_restricted=True
        )


def test_relationships_refuse_self_and_duplicates(stockton: Council) -> None:
    parent, child = a_person(council=stockton), a_person(council=stockton)
    services.add_relationship(
        from_person=parent, to_person=child, kind=RelationshipKind.PARENT, recorded_by=None
    )
    with pytest.raises(ValidationError, match="themself"):
        services.add_relationship(
            from_person=child, to_person=child, kind=RelationshipKind.SIBLING, recorded_by=None
        )
    with pytest.raises(ValidationError, match="already recorded"):
        services.add_relationship(
            from_person=parent, to_person=child, kind=RelationshipKind.PARENT, recorded_by=None
        )
    assert Relationship.objects.count() == 1


def test_a_sibling_relationship_is_recorded_once_whichever_way_round(stockton: Council) -> None:
    a, b = a_person(council=stockton), a_person(council=stockton)
    services.add_relationship(
        from_person=a, to_person=b, kind=RelationshipKind.SIBLING, recorded_by=None
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.add_relationship(
            from_person=b, to_person=a, kind=RelationshipKind.SIBLING, recorded_by=None
        )


def test_a_new_current_address_ends_the_previous_one(stockton: Council) -> None:
    person = a_person(council=stockton)
    first = services.add_address(
        person=person,
        added_by=None,
        line_1="1 High Street",
        town="Stockton",
        postcode="TS18 1LD",
        start_date=date(2020, 1, 1),
    )
    services.add_address(
        person=person,
        added_by=None,
        line_1="2 Low Road",
        town="Stockton",
        postcode="TS19 0AA",
        start_date=date(2023, 5, 1),
    )
    first.refresh_from_db()
    assert first.end_date == date(2023, 5, 1)
    assert person.addresses.filter(end_date__isnull=True).get().line_1 == "2 Low Road"


def test_household_membership_is_recorded_once_with_a_chronology_event(
    stockton: Council,
) -> None:
    person = a_person(council=stockton)
    household = services.create_household(council=stockton, name="Smith", created_by=None)
    services.add_household_member(household=household, person=person, added_by=None)
    assert person.chronology.get().title == "Joined the Smith household"
    with pytest.raises(ValidationError, match="already a member"):
        services.add_household_member(household=household, person=person, added_by=None)


def test_chronology_events_cannot_be_in_the_future(stockton: Council) -> None:
    person = a_person(council=stockton)
    with pytest.raises(ValidationError) as caught:
        services.record_chronology_event(
            person=person,
            occurred_on=date.today() + timedelta(days=2),
            category=ChronologyCategory.HEALTH,
            title="Appointment",
            recorded_by=None,
        )
    assert "occurred_on" in caught.value.message_dict


# --- access facts -------------------------------------------------------------------------


def test_involvement_gives_a_partner_sight_while_it_lasts(
    make_user: Callable[..., Any], stockton: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    person = a_person(council=stockton)
    first = access_services.record_involvement(
        user=partner,
        person=person,
        reason=InvolvementReason.REFERRER,
        source="front_door.contact:1",
    )
    again = access_services.record_involvement(
        user=partner,
        person=person,
        reason=InvolvementReason.REFERRER,
        source="front_door.contact:1",
    )
    assert first.pk == again.pk
    assert policy.visible(partner, Person).filter(pk=person.pk).exists()
    assert (
        access_services.end_involvement(user=partner, person=person, source="front_door.contact:1")
        == 1
    )
    assert not policy.visible(partner, Person).filter(pk=person.pk).exists()


def test_grant_restricted_access_puts_a_user_on_the_list_once(
    worker: Any, make_user: Callable[..., Any], stockton: Council
) -> None:
    person = a_person(council=stockton, is_restricted=True)
    assert not policy.visible(worker, Person).filter(pk=person.pk).exists()
    access_services.grant_restricted_access(
        person=person, user=worker, reason="Allocated worker", granted_by=None
    )
    assert policy.visible(worker, Person).filter(pk=person.pk).exists()
    with pytest.raises(ValidationError, match="already"):
        access_services.grant_restricted_access(
            person=person, user=worker, reason="Again", granted_by=None
        )


def test_break_glass_needs_a_real_reason_and_expires(
    worker: Any, make_user: Callable[..., Any], stockton: Council, hartlepool: Council
) -> None:
    elsewhere = a_person(council=hartlepool)
    with pytest.raises(ValidationError) as caught:
        services.break_glass(user=worker, person=elsewhere, reason="urgent")
    assert "reason" in caught.value.message_dict
    assert not BreakGlassGrant.objects.exists()
    grant = services.break_glass(
        user=worker,
        person=elsewhere,
        reason="Child found alone at A&E, no adult with them",
        hours=2,
    )
    assert grant.expires_at - grant.granted_at == timedelta(hours=2)
    assert policy.visible(worker, Person).filter(pk=elsewhere.pk).exists()


def test_break_glass_is_refused_for_restricted_records_and_other_roles(
    worker: Any, make_user: Callable[..., Any], stockton: Council, hartlepool: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    restricted = a_person(council=hartlepool, is_restricted=True)
    ordinary = a_person(council=hartlepool)
    reason = "Child found alone at A&E, no adult with them"
    with pytest.raises(PermissionDenied):
        services.break_glass(user=worker, person=restricted, reason=reason)
    with pytest.raises(PermissionDenied):
        services.break_glass(user=partner, person=ordinary, reason=reason)
    assert not BreakGlassGrant.objects.exists()


def test_involvement_ending_before_it_started_is_clamped(
    make_user: Callable[..., Any], stockton: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    person = a_person(council=stockton)
    starts = timezone.now()
    access_services.record_involvement(
        user=partner,
        person=person,
        reason=InvolvementReason.TAF_MEMBER,
        source="s",
        starts_at=starts,
    )
    access_services.end_involvement(
        user=partner, person=person, source="s", ends_at=starts - timedelta(days=1)
    )
    assert Involvement.objects.get().ends_at == starts
