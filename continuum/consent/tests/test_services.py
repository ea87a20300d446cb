"""Recording consent and its withdrawal: every refusal names its field (or is a conflict)
and saves nothing; each recorded consent and withdrawal adds an entry to the person's
chronology linking to the record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.consent import services
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Organisation
from continuum.people.choices import PersonKind
from continuum.people.models import ChronologyEvent, Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _for_child(by: User, child: Person, parent: Person, **changes: Any) -> ConsentRecord:
    fields: dict[str, Any] = {
        "by": by,
        "person": child,
        "given_by": GivenBy.PARENT,
        "given_by_person": parent,
        "agrees_to_early_help": True,
        "shares_with_taf": True,
        "information_kinds": [InformationKind.FAMILY, InformationKind.EDUCATION],
        "obtained_how": ObtainedHow.SIGNED_FORM,
        "obtained_on": TODAY() - timedelta(days=3),
    }
    fields.update(changes)
    return services.record_consent(**fields)


def _refused(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


def test_recording_consent_adds_a_chronology_entry_linking_to_it(
    eh_worker: User, child: Person, mother: Person, school: Organisation
) -> None:
    record = _for_child(eh_worker, child, mother, agencies=[school])
    event = ChronologyEvent.objects.get(person=child)
    assert event.title == "Consent recorded"
    assert event.source == f"consent.record:{record.pk}"
    assert event.occurred_on == record.obtained_on
    assert "sharing with Stockton Test Primary School" in event.detail
    assert record.history.get().history_user == eh_worker


def test_withdrawing_adds_a_chronology_entry_dated_when_they_withdrew(
    eh_worker: User, child: Person, mother: Person
) -> None:
    record = _for_child(eh_worker, child, mother)
    services.withdraw_consent(
        by=eh_worker,
        consent=record,
        withdrawn_on=TODAY() - timedelta(days=1),
        told_how=ObtainedHow.PHONE,
        taf_sharing=True,
    )
    event = ChronologyEvent.objects.get(person=child, title="Consent withdrawn")
    assert event.occurred_on == TODAY() - timedelta(days=1)
    assert event.detail == "Withdrew sharing with the Team Around the Family."
    assert event.source == f"consent.record:{record.pk}"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"obtained_on": TODAY() + timedelta(days=1)}, "obtained_on"),
        ({"obtained_on": None}, "obtained_on"),
        ({"review_on": TODAY() - timedelta(days=3)}, "review_on"),
        ({"review_on": TODAY() - timedelta(days=10)}, "review_on"),
        ({"given_by": GivenBy.SELF, "given_by_person": None}, "competence_judgement"),
        ({"given_by_person": None}, "given_by_person"),
        ({"given_by": "neighbour"}, "given_by"),
        ({"obtained_how": "telepathy"}, "obtained_how"),
        ({"information_kinds": []}, "information_kinds"),
        ({"information_kinds": ["shoe_size"]}, "information_kinds"),
        (
            {"agrees_to_early_help": False, "shares_with_taf": False},
            "agrees_to_early_help",
        ),
        ({"notes": "x" * 4001}, "notes"),
    ],
    ids=[
        "future-date",
        "no-date",
        "review-on-the-day-obtained",
        "review-before-obtained",
        "child-deciding-without-a-judgement",
        "parent-not-named",
        "unknown-giver",
        "unknown-how",
        "sharing-without-information",
        "unknown-information",
        "nothing-agreed",
        "notes-too-long",
    ],
)
def test_bad_consent_is_refused_at_its_field_and_saves_nothing(
    eh_worker: User, child: Person, mother: Person, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _for_child(eh_worker, child, mother, **changes)
    assert field in refused.value.message_dict
    assert not ConsentRecord.objects.exists()
    assert not ChronologyEvent.objects.exists()


def test_an_adult_gives_their_own_consent_not_a_parent(
    eh_worker: User, mother: Person, father: Person
) -> None:
    problems = _refused(
        services.record_consent,
        by=eh_worker,
        person=father,
        given_by=GivenBy.PARENT,
        given_by_person=mother,
        agrees_to_early_help=True,
        shares_with_taf=False,
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=TODAY(),
    )
    assert problems == {"given_by": ["An adult gives their own consent"]}
    assert not ConsentRecord.objects.exists()


def test_a_young_person_judged_competent_consents_for_themselves(
    eh_worker: User, child: Person
) -> None:
    record = services.record_consent(
        by=eh_worker,
        person=child,
        given_by=GivenBy.SELF,
        competence_judgement="She explained what early help is and that she can stop it.",
        agrees_to_early_help=True,
        shares_with_taf=False,
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=TODAY(),
    )
    assert record.given_by_person is None
    assert record.competence_judgement.startswith("She explained")


def test_a_child_under_twelve_is_not_asked_to_decide_for_themselves(
    eh_worker: User, stockton: Any
) -> None:
    today = TODAY()
    young: Any = factories.PersonFactory(
        council=stockton, kind=PersonKind.CHILD, date_of_birth=date(today.year - 9, 1, 15)
    )
    with pytest.raises(ValidationError) as refused:
        services.record_consent(
            by=eh_worker,
            person=young,
            given_by=GivenBy.SELF,
            competence_judgement="He said he wanted help with his reading.",
            agrees_to_early_help=True,
            shares_with_taf=False,
            obtained_how=ObtainedHow.IN_PERSON,
            obtained_on=today,
        )
    assert "under 12" in refused.value.message_dict["given_by"][0]
    assert not ConsentRecord.objects.exists()


def test_an_agency_not_serving_the_council_is_refused(
    eh_worker: User, child: Person, mother: Person, hartlepool: Any
) -> None:
    elsewhere = factories.OrganisationFactory(name="Hartlepool Youth Club", serves=[hartlepool])
    with pytest.raises(ValidationError) as refused:
        _for_child(eh_worker, child, mother, agencies=[elsewhere])
    assert "Hartlepool Youth Club" in refused.value.message_dict["agencies"][0]
    assert not ConsentRecord.objects.exists()


def test_a_partner_not_involved_may_not_record_consent(
    teacher: User, child: Person, mother: Person
) -> None:
    with pytest.raises(NotPermitted):
        _for_child(teacher, child, mother)
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    ("withdrawn", "field"),
    [
        ({"withdrawn_on": TODAY() + timedelta(days=1), "early_help": True}, "withdrawn_on"),
        ({"withdrawn_on": TODAY() - timedelta(days=30), "early_help": True}, "withdrawn_on"),
        ({"withdrawn_on": None, "early_help": True}, "withdrawn_on"),
        ({}, "early_help"),
        ({"information_kinds": [InformationKind.HEALTH]}, "information_kinds"),
        ({"told_how": "pigeon", "early_help": True}, "told_how"),
    ],
    ids=[
        "future-date",
        "before-it-was-obtained",
        "no-date",
        "nothing-withdrawn",
        "information-not-agreed",
        "unknown-how",
    ],
)
def test_a_bad_withdrawal_is_refused_at_its_field_and_saves_nothing(
    eh_worker: User, child: Person, mother: Person, withdrawn: dict[str, Any], field: str
) -> None:
    record = _for_child(eh_worker, child, mother)
    fields: dict[str, Any] = {"withdrawn_on": TODAY(), "told_how": ObtainedHow.PHONE}
    fields.update(withdrawn)
    with pytest.raises(ValidationError) as refused:
        services.withdraw_consent(by=eh_worker, consent=record, **fields)
    assert field in refused.value.message_dict
    assert not ConsentWithdrawal.objects.exists()
    assert ChronologyEvent.objects.filter(title="Consent withdrawn").count() == 0


def test_withdrawing_what_was_not_agreed_is_refused(
    eh_worker: User, child: Person, mother: Person, school: Organisation, police: Organisation
) -> None:
    record = _for_child(eh_worker, child, mother, shares_with_taf=False, agencies=[school])
    problems = _refused(
        services.withdraw_consent,
        by=eh_worker,
        consent=record,
        withdrawn_on=TODAY(),
        told_how=ObtainedHow.PHONE,
        taf_sharing=True,
        agencies=[police],
    )
    assert set(problems) == {"taf_sharing", "agencies"}
    assert not ConsentWithdrawal.objects.exists()


def test_withdrawing_twice_is_a_conflict_and_records_nothing(
    eh_worker: User, child: Person, mother: Person, school: Organisation
) -> None:
    record = _for_child(eh_worker, child, mother, agencies=[school])
    kwargs: dict[str, Any] = {
        "by": eh_worker,
        "consent": record,
        "withdrawn_on": TODAY(),
        "told_how": ObtainedHow.IN_PERSON,
        "agencies": [school],
    }
    services.withdraw_consent(**kwargs)
    with pytest.raises(InvalidState, match="Stockton Test Primary School was already withdrawn"):
        services.withdraw_consent(**kwargs)
    assert ConsentWithdrawal.objects.count() == 1
    assert ChronologyEvent.objects.filter(title="Consent withdrawn").count() == 1


def test_the_person_kind_rules_cover_an_unborn_child(eh_worker: User, stockton: Any) -> None:
    unborn = factories.PersonFactory(council=stockton, kind=PersonKind.UNBORN, date_of_birth=None)
    problems = _refused(
        services.record_consent,
        by=eh_worker,
        person=unborn,
        given_by=GivenBy.SELF,
        agrees_to_early_help=True,
        shares_with_taf=False,
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=TODAY(),
    )
    assert "given_by" in problems


def test_nothing_more_is_withdrawn_once_everything_was(
    eh_worker: User, child: Person, mother: Person
) -> None:
    record = _for_child(eh_worker, child, mother)
    services.withdraw_consent(
        by=eh_worker,
        consent=record,
        withdrawn_on=TODAY(),
        told_how=ObtainedHow.PHONE,
        early_help=True,
        taf_sharing=True,
    )
    with pytest.raises(InvalidState, match="Everything on this consent record"):
        services.withdraw_consent(
            by=eh_worker,
            consent=record,
            withdrawn_on=TODAY(),
            told_how=ObtainedHow.PHONE,
            information_kinds=[InformationKind.FAMILY],
        )
    assert ConsentWithdrawal.objects.count() == 1
