"""A disposal run removes exactly what the schedule says, nothing more: records not yet
due, of a kind the schedule does not dispose of, another council's, or held, survive; a
hold placed after listing keeps its record; approving twice, approving a cancelled run and
a day in the future are refused and change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_notes.models import CaseNote
from continuum.documents.models import Document
from continuum.documents.storage import documents_storage
from continuum.early_help.models import Episode
from continuum.errors import InvalidState
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.retention.choices import HeldKind, ItemOutcome, RecordKind, RunState
from continuum.retention.models import DisposalCertificate, DisposalItem, DisposalRun
from continuum.retention.services import (
    approve_run,
    cancel_run,
    carry_out,
    list_run,
    place_legal_hold,
    start_run,
)
from continuum.retention.tests.conftest import Records
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def listed(council: Council, by: User) -> DisposalRun:
    run = start_run(council=council, as_of=timezone.localdate(), listed_by=by, background=False)
    return list_run(run_id=run.pk)


def listed_ids(run: DisposalRun) -> set[tuple[str, str]]:
    return set(run.items.values_list("record_kind", "record_id"))


def test_a_run_lists_exactly_what_is_due(
    records: Records, stockton: Council, ig_lead: User
) -> None:
    run = listed(stockton, ig_lead)
    assert run.state == RunState.AWAITING_APPROVAL
    assert listed_ids(run) == {
        (HeldKind.CONTACT, str(records.nfa_due.pk)),
        (HeldKind.EPISODE, str(records.episode_due.pk)),
        (HeldKind.NOTIFICATION, str(records.notification_due.pk)),
    }
    due_on = run.items.get(record_kind=HeldKind.CONTACT).due_on
    assert due_on == records.nfa_due.decision.decided_at.date().replace(year=due_on.year)


def test_carrying_out_removes_what_is_due_and_nothing_else(
    records: Records,
    stockton: Council,
    ig_lead: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    untouched = {c.pk: c.concerns for c in (records.nfa_recent, records.advice_old)}
    run = listed(stockton, ig_lead)
    approve_run(run=run, approved_by=ig_lead)
    with django_capture_on_commit_callbacks(execute=True):
        run = carry_out(run_id=run.pk)
    assert run.state == RunState.COMPLETED

    due = Contact.objects.get(pk=records.nfa_due.pk)
    assert due.concerns == "Removed" and due.referrer_name == "Removed"
    assert due.decision.rationale == "Removed" and due.decision.outcome == "nfa"
    assert not Contact.history.filter(id=due.pk).exists()
    assert not CaseNote.objects.filter(pk=records.note_due.pk).exists()
    assert not CaseNote.history.filter(id=records.note_due.pk).exists()
    assert not Document.objects.filter(pk=records.document_due.pk).exists()
    assert not documents_storage().exists(records.document_due.stored_name)
    episode = Episode.objects.get(pk=records.episode_due.pk)
    assert episode.reason_for_request == "Removed" and episode.end_date is not None
    assert not CaseNote.objects.filter(pk=records.episode_note.pk).exists()
    assert not Document.objects.filter(pk=records.episode_document.pk).exists()
    notification = DomesticAbuseNotification.objects.get(pk=records.notification_due.pk)
    assert notification.summary in ("", "Removed")

    # What was not due survives, word for word.
    for pk, concerns in untouched.items():
        assert Contact.objects.get(pk=pk).concerns == concerns
    assert CaseNote.objects.filter(pk=records.note_recent.pk).exists()
    assert Episode.objects.get(pk=records.episode_recent.pk).reason_for_request.startswith(
        "Support"
    )
    assert (
        DomesticAbuseNotification.objects.get(pk=records.notification_recent.pk).summary
        != "Removed"
    )

    certificate = DisposalCertificate.objects.get(run=run)
    assert certificate.counts[RecordKind.CONTACT_NFA] == 1
    assert certificate.counts[RecordKind.EPISODE] == 1
    assert certificate.counts[RecordKind.NOTIFICATION] == 1
    assert certificate.counts[RecordKind.CASE_NOTE] == 2
    assert certificate.counts[RecordKind.DOCUMENT] == 2
    assert certificate.approved_by == ig_lead and certificate.schedule_version == 1
    # The certificate keeps no word of what was disposed of.
    assert "hungry" not in str(certificate.counts) + str(certificate.schedule)


def test_people_are_anonymised_once_their_records_have_gone(
    records: Records, stockton: Council, ig_lead: User
) -> None:
    child = records.nfa_due.children.get()
    born = child.date_of_birth
    assert born is not None
    run = listed(stockton, ig_lead)
    approve_run(run=run, approved_by=ig_lead)
    carry_out(run_id=run.pk)
    later = start_run(
        council=stockton,
        as_of=timezone.localdate(),
        listed_by=ig_lead,
        background=False,
    )
    # The default keeps people 12 months after their last record went: nothing yet.
    later = list_run(run_id=later.pk)
    assert not later.items.filter(record_kind=HeldKind.PERSON).exists()
    cancel_run(run=later, cancelled_by=ig_lead)
    DisposalItem.objects.filter(outcome=ItemOutcome.DISPOSED).update(
        disposed_at=timezone.now() - timedelta(days=400)
    )
    again = listed(stockton, ig_lead)
    people = set(
        again.items.filter(record_kind=HeldKind.PERSON).values_list("record_id", flat=True)
    )
    assert str(child.pk) in people
    # The recent contact's child still has a record held.
    assert str(records.nfa_recent.children.get().pk) not in people
    approve_run(run=again, approved_by=ig_lead)
    carry_out(run_id=again.pk)
    child.refresh_from_db()
    assert child.family_name == "Removed" and child.given_name == ""
    assert child.nhs_number is None and child.upn is None
    assert child.date_of_birth == born.replace(day=1)
    assert child.council == stockton and child.ethnicity


def test_a_hold_placed_after_listing_keeps_its_record(
    records: Records, stockton: Council, ig_lead: User
) -> None:
    run = listed(stockton, ig_lead)
    approve_run(run=run, approved_by=ig_lead)
    place_legal_hold(
        record_kind=HeldKind.CONTACT,
        record_id=str(records.nfa_due.pk),
        reason="A complaint to the ombudsman about this contact.",
        placed_by=ig_lead,
    )
    person = records.episode_due.children.get()
    place_legal_hold(person=person, reason="A claim by the family.", placed_by=ig_lead)
    run = carry_out(run_id=run.pk)
    assert Contact.objects.get(pk=records.nfa_due.pk).concerns == records.nfa_due.concerns
    assert CaseNote.objects.filter(pk=records.note_due.pk).exists()
    assert Episode.objects.get(pk=records.episode_due.pk).reason_for_request != "Removed"
    assert run.items.get(record_kind=HeldKind.CONTACT).outcome == ItemOutcome.HELD
    certificate = DisposalCertificate.objects.get(run=run)
    assert certificate.kept_on_hold == 2
    assert certificate.counts[RecordKind.NOTIFICATION] == 1


def test_a_held_record_is_not_listed(records: Records, stockton: Council, ig_lead: User) -> None:
    factories.LegalHoldFactory(council=stockton, person=records.nfa_due.children.get())
    run = listed(stockton, ig_lead)
    assert (HeldKind.CONTACT, str(records.nfa_due.pk)) not in listed_ids(run)


def test_approving_twice_is_refused(records: Records, stockton: Council, ig_lead: User) -> None:
    run = listed(stockton, ig_lead)
    approve_run(run=run, approved_by=ig_lead)
    with pytest.raises(InvalidState, match="already been approved"):
        approve_run(run=run, approved_by=ig_lead)


def test_approving_a_cancelled_run_is_refused_and_changes_nothing(
    records: Records, stockton: Council, ig_lead: User
) -> None:
    run = listed(stockton, ig_lead)
    cancel_run(run=run, cancelled_by=ig_lead)
    with pytest.raises(InvalidState, match="cancelled"):
        approve_run(run=run, approved_by=ig_lead)
    run.refresh_from_db()
    assert run.state == RunState.CANCELLED and run.approved_by is None
    assert carry_out(run_id=run.pk).state == RunState.CANCELLED
    assert Contact.objects.get(pk=records.nfa_due.pk).concerns == records.nfa_due.concerns


def test_a_day_in_the_future_is_refused(stockton: Council, ig_lead: User) -> None:
    with pytest.raises(ValidationError) as refused:
        start_run(
            council=stockton,
            as_of=timezone.localdate() + timedelta(days=1),
            listed_by=ig_lead,
            background=False,
        )
    assert "today or in the past" in str(refused.value)
    assert not DisposalRun.objects.exists()


def test_only_one_open_run_per_council(records: Records, stockton: Council, ig_lead: User) -> None:
    listed(stockton, ig_lead)
    with pytest.raises(InvalidState, match="already open"):
        listed(stockton, ig_lead)
    assert DisposalRun.objects.count() == 1


def test_another_councils_records_are_not_listed(
    records: Records, hartlepool: Council, hartlepool_ig_lead: User
) -> None:
    run = listed(hartlepool, hartlepool_ig_lead)
    assert run.items.count() == 0


def test_a_person_with_a_statutory_record_is_kept(stockton: Council, ig_lead: User) -> None:
    person: Any = factories.PersonFactory(council=stockton)
    alone: Any = factories.PersonFactory(council=stockton)
    Person.objects.filter(pk__in=[person.pk, alone.pk]).update(
        created_at=timezone.now() - timedelta(days=800)
    )
    factories.StatutoryInvolvementFactory(person=person, council=stockton)
    run = listed(stockton, ig_lead)
    people = set(run.items.filter(record_kind=HeldKind.PERSON).values_list("record_id", flat=True))
    assert str(alone.pk) in people and str(person.pk) not in people


def test_a_run_that_stops_certifies_what_it_disposed_of(
    records: Records, stockton: Council, ig_lead: User, monkeypatch: Any
) -> None:
    from continuum.retention.services import runs

    real = runs.dispose_record
    seen: list[str] = []

    def failing_on_the_second(kind: str, record_id: str) -> Any:
        seen.append(kind)
        if len(seen) == 2:
            raise RuntimeError("The database went away.")
        return real(kind, record_id)

    monkeypatch.setattr(runs, "dispose_record", failing_on_the_second)
    run = listed(stockton, ig_lead)
    approve_run(run=run, approved_by=ig_lead)
    run = carry_out(run_id=run.pk)
    assert run.state == RunState.FAILED and "certificate" in run.problem
    certificate = DisposalCertificate.objects.get(run=run)
    records_disposed = (RecordKind.CONTACT_NFA, RecordKind.EPISODE, RecordKind.NOTIFICATION)
    assert sum(certificate.counts[kind] for kind in records_disposed) == 1
    assert run.items.filter(outcome=ItemOutcome.DISPOSED).count() == 1
    assert run.items.filter(outcome=ItemOutcome.PENDING).count() == 2
