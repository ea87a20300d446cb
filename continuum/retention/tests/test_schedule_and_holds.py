"""The retention schedule: every council's made with the defaults, changed one rule at a
time by the council's information governance lead with its history and a new version;
bad input (a negative period, an event the kind does not count from) refused with a clear
message, changing nothing. Legal holds placed and lifted with a reason; erasure refused
while a hold stands."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.people.models import Address, Person
from continuum.retention.choices import DEFAULT_SCHEDULE, RecordKind, RunPurpose
from continuum.retention.models import (
    DisposalCertificate,
    LegalHold,
    RetentionRule,
    RetentionSchedule,
)
from continuum.retention.services import (
    ensure_schedule,
    erase_person,
    lift_legal_hold,
    place_legal_hold,
    update_rule,
)
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def test_every_council_has_the_default_schedule(stockton: Council) -> None:
    schedule = ensure_schedule(stockton)
    rules = {r.kind: (r.period_months, r.event) for r in schedule.rules.all()}
    assert rules == {str(k): v for k, v in DEFAULT_SCHEDULE.items()}
    assert rules[RecordKind.EPISODE] == (0, "youngest_child_25")
    assert rules[RecordKind.ACCESS_LOG] == (0, "kept")


def test_changing_a_rule_keeps_its_history_and_a_new_version(
    stockton: Council, ig_lead: User
) -> None:
    ensure_schedule(stockton)
    update_rule(
        council=stockton,
        kind=RecordKind.CONTACT_NFA,
        period_months=84,
        event="decision",
        changed_by=ig_lead,
    )
    schedule = RetentionSchedule.objects.get(council=stockton)
    assert schedule.version == 2
    rule = schedule.rules.get(kind=RecordKind.CONTACT_NFA)
    assert rule.period_months == 84 and rule.changed_by == ig_lead
    versions = list(
        rule.history.order_by("history_date").values_list("period_months", "history_user")
    )
    assert versions == [(72, None), (84, ig_lead.pk)]


@pytest.mark.parametrize(
    ("kind", "months", "event", "field", "message"),
    [
        (RecordKind.CONTACT_NFA, -1, "decision", "period_months", "cannot be negative"),
        (RecordKind.CONTACT_NFA, 72, "closure", "event", "can only count from"),
        (RecordKind.EPISODE, 12, "birthday", "event", "can only count from"),
        (RecordKind.DOCUMENT, 12, "with_record", "period_months", "enter 0"),
        ("letters", 12, "decision", "kind", "Choose a kind"),
        (RecordKind.CONTACT_NFA, 5000, "decision", "period_months", "100 years"),
    ],
)
def test_bad_rules_are_refused_and_change_nothing(
    stockton: Council, ig_lead: User, kind: str, months: int, event: str, field: str, message: str
) -> None:
    ensure_schedule(stockton)
    before = list(RetentionRule.objects.values_list("kind", "period_months", "event"))
    with pytest.raises(ValidationError) as refused:
        update_rule(
            council=stockton, kind=kind, period_months=months, event=event, changed_by=ig_lead
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert list(RetentionRule.objects.values_list("kind", "period_months", "event")) == before
    assert RetentionSchedule.objects.get(council=stockton).version == 1


def test_the_schedule_page_and_its_form(stockton: Council, ig_lead: User, client: Client) -> None:
    client.force_login(ig_lead)
    page = client.get(reverse("retention:schedule"))
    assert page.status_code == 200
    assert "6 years after the front door&#x27;s decision" in page.content.decode()
    assert "Until the youngest child&#x27;s 25th birthday" in page.content.decode()
    url = reverse("retention:edit-rule", args=[RecordKind.CONTACT_NFA])
    refused = client.post(url, {"period_months": "-6", "event": "decision"})
    assert refused.status_code == 200
    assert "The period cannot be negative" in refused.content.decode()
    assert RetentionRule.objects.get(kind=RecordKind.CONTACT_NFA).period_months == 72
    saved = client.post(url, {"period_months": "60", "event": "decision"})
    assert saved.status_code == 302
    assert RetentionRule.objects.get(kind=RecordKind.CONTACT_NFA).period_months == 60
    history = client.get(reverse("retention:schedule")).content.decode()
    assert "History of the schedule" in history and ig_lead.get_full_name() in history


def test_a_non_information_governance_user_may_not_edit_the_schedule(
    stockton: Council, manager: User, client: Client
) -> None:
    ensure_schedule(stockton)
    client.force_login(manager)
    url = reverse("retention:edit-rule", args=[RecordKind.CONTACT_NFA])
    assert client.post(url, {"period_months": "0", "event": "decision"}).status_code == 403
    put = client.put(
        f"/api/v1/retention/schedule/{RecordKind.CONTACT_NFA}",
        {"period_months": 0, "event": "decision"},
        content_type="application/json",
    )
    assert put.status_code == 403
    assert RetentionRule.objects.get(kind=RecordKind.CONTACT_NFA).period_months == 72


def test_the_api_reads_and_changes_the_schedule(
    stockton: Council, ig_lead: User, client: Client
) -> None:
    client.force_login(ig_lead)
    body = client.get("/api/v1/retention/schedule").json()
    assert body["version"] == 1 and len(body["rules"]) == len(DEFAULT_SCHEDULE)
    url = f"/api/v1/retention/schedule/{RecordKind.NOTIFICATION}"
    bad = client.put(url, {"period_months": -1, "event": "nope"}, content_type="application/json")
    assert bad.status_code == 422
    fields = {tuple(e["loc"])[-1] for e in bad.json()["detail"]}
    assert {"period_months", "event"} <= fields
    assert RetentionSchedule.objects.get(council=stockton).version == 1
    good = client.put(
        url, {"period_months": 60, "event": "received"}, content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["period_months"] == 60


def test_a_hold_is_placed_and_lifted_with_reasons(
    stockton: Council, ig_lead: User, child: Person
) -> None:
    with pytest.raises(ValidationError):
        place_legal_hold(person=child, reason="  ", placed_by=ig_lead)
    hold = place_legal_hold(person=child, reason="A claim.", placed_by=ig_lead)
    assert hold.council == stockton and hold.is_active
    with pytest.raises(ValidationError):
        lift_legal_hold(hold=hold, reason="", lifted_by=ig_lead)
    lift_legal_hold(hold=hold, reason="The claim was settled.", lifted_by=ig_lead)
    with pytest.raises(InvalidState, match="already been lifted"):
        lift_legal_hold(hold=hold, reason="Again.", lifted_by=ig_lead)


def test_a_hold_on_a_record_that_does_not_exist_is_refused(
    ig_lead: User, stockton: Council
) -> None:
    with pytest.raises(ValidationError) as refused:
        place_legal_hold(
            record_kind="contact", record_id="not-an-id", reason="x", placed_by=ig_lead
        )
    assert "record_id" in refused.value.message_dict


def test_another_councils_record_cannot_be_held_from_the_page(
    hartlepool: Council, ig_lead: User, client: Client
) -> None:
    theirs: Any = factories.PersonFactory(council=hartlepool)
    client.force_login(ig_lead)
    page = client.post(
        reverse("retention:holds"),
        {"record_kind": "person", "record_id": str(theirs.pk), "reason": "x"},
    )
    assert page.status_code == 200 and "no such record" in page.content.decode()
    assert not LegalHold.objects.exists()


def test_erasure_anonymises_the_person_with_a_certificate(
    stockton: Council, ig_lead: User, child: Person
) -> None:
    Address.objects.create(
        person=child, line_1="1 High Street", town="Stockton", postcode="TS18 1AA"
    )
    born = child.date_of_birth
    certificate = erase_person(
        person=child, reason="Erasure request 12: agreed.", decided_by=ig_lead
    )
    assert isinstance(certificate, DisposalCertificate)
    assert certificate.purpose == RunPurpose.ERASURE and certificate.counts[RecordKind.PERSON] == 1
    child.refresh_from_db()
    assert child.family_name == "Removed" and child.nhs_number is None
    assert child.date_of_birth == (born.replace(day=1) if born else None)
    assert not Address.objects.filter(person=child).exists()
    assert not Person.history.filter(id=child.pk).exists()


def test_erasure_is_refused_while_a_hold_stands(ig_lead: User, child: Person) -> None:
    name = child.family_name
    place_legal_hold(person=child, reason="A claim.", placed_by=ig_lead)
    with pytest.raises(InvalidState, match="legal hold"):
        erase_person(person=child, reason="Erasure request.", decided_by=ig_lead)
    child.refresh_from_db()
    assert child.family_name == name
    assert not DisposalCertificate.objects.exists()


def test_a_hold_on_a_record_of_the_person_does_not_stop_their_erasure(
    ig_lead: User, child: Person, stockton: Council
) -> None:
    contact: Any = factories.ContactFactory(council=stockton, children=[child])
    place_legal_hold(
        record_kind="contact", record_id=str(contact.pk), reason="x", placed_by=ig_lead
    )
    erase_person(person=child, reason="Erasure request.", decided_by=ig_lead)


def test_a_households_name_goes_with_its_last_member(ig_lead: User, stockton: Council) -> None:
    household: Any = factories.HouseholdFactory(council=stockton, name="Quarrington")
    first: Any = factories.HouseholdMemberFactory(
        household=household, person=factories.PersonFactory(council=stockton)
    )
    second: Any = factories.HouseholdMemberFactory(
        household=household, person=factories.PersonFactory(council=stockton)
    )
    erase_person(person=first.person, reason="Erasure request 1.", decided_by=ig_lead)
    household.refresh_from_db()
    assert household.name == "Quarrington"
    erase_person(person=second.person, reason="Erasure request 2.", decided_by=ig_lead)
    household.refresh_from_db()
    assert household.name == "Removed"


def test_erasure_keeps_what_the_consent_indicators_count_and_removes_its_words(
    ig_lead: User, child: Person
) -> None:
    from continuum.consent.models import ConsentRecord, ConsentWithdrawal
    from continuum.testing import factories

    record: Any = factories.ConsentRecordFactory(
        person=child,
        given_by="self",
        competence_judgement="She understood what early help is and chose it herself.",
        notes="Agreed at school with her teacher present.",
    )
    ConsentWithdrawal.objects.create(
        consent=record,
        withdrawn_on=record.obtained_on,
        early_help=True,
        told_how="phone",
        note="Rang to say she no longer wants the family worker.",
        recorded_by=record.recorded_by,
    )
    erase_person(person=child, reason="Erasure request 14: agreed.", decided_by=ig_lead)
    kept = ConsentRecord.objects.get(pk=record.pk)
    assert kept.agrees_to_early_help and kept.obtained_on == record.obtained_on
    assert kept.competence_judgement == "Removed" and kept.notes == "Removed"
    withdrawal = ConsentWithdrawal.objects.get(consent=kept)
    assert withdrawal.early_help and withdrawal.note == "Removed"
    assert not ConsentRecord.history.filter(id=record.pk).exists()
    assert not ConsentWithdrawal.history.filter(consent_id=record.pk).exists()
