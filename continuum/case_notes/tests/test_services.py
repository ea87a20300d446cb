"""Recording, changing and adding to case notes: the edit window, addenda, versions, who
reads a sensitive note, and input refused whole with nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_notes import selectors, services
from continuum.case_notes.choices import NoteType
from continuum.case_notes.models import Addendum, CaseNote, ChildSeen
from continuum.case_notes.policies import CaseNoteAction
from continuum.early_help.models import Episode, TafMember
from continuum.errors import InvalidState, NotPermitted
from continuum.front_door.models import Contact
from continuum.people.models import ChronologyEvent, Person

pytestmark = pytest.mark.django_db


def home_visit(episode: Episode, by: User, children: list[Person], **changes: object) -> CaseNote:
    fields: dict[str, object] = {
        "note_type": NoteType.HOME_VISIT,
        "occurred_at": timezone.now() - timedelta(hours=2),
        "present": "Mum, Maisie and Alfie",
        "text": "Maisie showed me her reading book; the home was warm and tidy.",
        "children_seen": {children[0].pk: (True, True), children[1].pk: (True, False)},
    }
    fields.update(changes)
    return services.record_note(by=by, episode=episode, **fields)  # type: ignore[arg-type]


def test_a_note_records_each_child_seen_and_a_chronology_entry_linking_to_it(
    episode: Episode, lead: User, children: list[Person]
) -> None:
    note = home_visit(episode, lead, children)
    seen = {row.child_id: (row.seen, row.seen_alone) for row in note.children_seen.all()}
    assert seen == {children[0].pk: (True, True), children[1].pk: (True, False)}
    assert note.author_organisation == lead.organisation
    events = ChronologyEvent.objects.filter(source=f"case_notes.note:{note.pk}")
    assert {event.person_id for event in events} == {child.pk for child in children}
    assert {event.title for event in events} == {"Case note: home visit"}
    # The note's content stays on the note, behind its own rules.
    assert {event.detail for event in events} == {""}


def test_a_child_not_listed_is_recorded_as_not_seen(
    episode: Episode, lead: User, children: list[Person]
) -> None:
    note = home_visit(episode, lead, children, children_seen={children[0].pk: (True, False)})
    assert note.children_seen.get(child=children[1]).seen is False


def test_bad_input_is_refused_whole_naming_each_field_and_saves_nothing(
    episode: Episode, lead: User, children: list[Person], child: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        home_visit(
            episode,
            lead,
            children,
            note_type="coffee",
            occurred_at=timezone.now() + timedelta(hours=1),
            text="   ",
            children_seen={children[1].pk: (False, True), child.pk: (True, False)},
        )
    errors = refused.value.message_dict
    assert set(errors) == {"note_type", "occurred_at", "text", "children_seen"}
    assert any("seen alone" in message for message in errors["children_seen"])
    assert not CaseNote.objects.exists() and not ChildSeen.objects.exists()
    assert not ChronologyEvent.objects.filter(source__startswith="case_notes.").exists()


def test_seen_alone_without_seen_is_refused(
    episode: Episode, lead: User, children: list[Person]
) -> None:
    with pytest.raises(ValidationError) as refused:
        home_visit(episode, lead, children, children_seen={children[0].pk: (False, True)})
    assert "children_seen" in refused.value.message_dict
    assert not CaseNote.objects.exists()


def test_the_author_changes_a_note_within_the_window_and_every_version_is_kept(
    episode: Episode, lead: User, children: list[Person]
) -> None:
    note = home_visit(episode, lead, children)
    services.edit_note(
        note=note,
        by=lead,
        expected_version=note.version,
        note_type=NoteType.VISIT_ELSEWHERE,
        occurred_at=note.occurred_at,
        present=note.present,
        text="Met at the children's centre; Maisie showed me her reading book.",
        children_seen={children[0].pk: (True, False)},
    )
    versions = selectors.versions_of(note)
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].text.startswith("Maisie showed")
    assert versions[1].text.startswith("Met at the children's centre")
    assert set(versions[1].changed) == {"Type of note", "Note"}
    assert versions[1].who == lead
    assert note.children_seen.get(child=children[0]).seen_alone is False
    assert (
        ChronologyEvent.objects.filter(source=f"case_notes.note:{note.pk}")
        .values_list("title", flat=True)
        .distinct()
        .get()
        == "Case note: visit elsewhere"
    )


def test_after_the_window_only_an_addendum_can_be_added(
    episode: Episode, lead: User, children: list[Person], settings: object
) -> None:
    note = home_visit(episode, lead, children)
    CaseNote.objects.filter(pk=note.pk).update(recorded_at=timezone.now() - timedelta(minutes=61))
    note.refresh_from_db()
    with pytest.raises(InvalidState):
        services.edit_note(
            note=note,
            by=lead,
            expected_version=note.version,
            note_type=note.note_type,
            occurred_at=note.occurred_at,
            text="Changed later",
        )
    note.refresh_from_db()
    assert note.text.startswith("Maisie showed") and note.history.count() == 1
    addendum = services.add_addendum(note=note, by=lead, text="Mum rang to say thank you.")
    note.refresh_from_db()
    assert list(note.addenda.all()) == [addendum]
    assert note.text.startswith("Maisie showed") and note.history.count() == 1


def test_the_window_is_a_setting(
    episode: Episode, lead: User, children: list[Person], settings: object
) -> None:
    settings.CASE_NOTE_EDIT_MINUTES = 5  # type: ignore[attr-defined]
    note = home_visit(episode, lead, children)
    assert not services.within_edit_window(note, timezone.now() + timedelta(minutes=6))
    assert services.within_edit_window(note, timezone.now() + timedelta(minutes=4))


def test_only_the_author_changes_a_note(
    episode: Episode, lead: User, eh_worker: User, children: list[Person]
) -> None:
    note = home_visit(episode, lead, children)
    with pytest.raises(NotPermitted):
        services.edit_note(
            note=note,
            by=eh_worker,
            expected_version=note.version,
            note_type=note.note_type,
            occurred_at=note.occurred_at,
            text="Not mine to change",
        )


def test_an_empty_addendum_is_refused(episode: Episode, lead: User, children: list[Person]) -> None:
    note = home_visit(episode, lead, children)
    with pytest.raises(ValidationError) as refused:
        services.add_addendum(note=note, by=lead, text=" ")
    assert "text" in refused.value.message_dict
    assert not Addendum.objects.exists()


def test_a_taf_member_writes_notes_and_a_former_member_does_not(
    episode: Episode, taf_partner: User, children: list[Person]
) -> None:
    home_visit(episode, taf_partner, children, note_type=NoteType.PHONE_CALL)
    TafMember.objects.filter(user=taf_partner).update(left_on=timezone.localdate())
    assert not policy.can(taf_partner, CaseNoteAction.WRITE, episode)
    assert not policy.visible(taf_partner, CaseNote).exists()
    with pytest.raises(NotPermitted):
        home_visit(episode, taf_partner, children)


def test_a_sensitive_note_is_read_by_the_leads_organisation_and_the_council_only(
    episode: Episode,
    lead: User,
    lead_colleague: User,
    taf_partner: User,
    eh_worker: User,
    children: list[Person],
) -> None:
    TafMember.objects.create(
        episode=episode,
        user=lead_colleague,
        organisation=lead_colleague.organisation,  # type: ignore[misc]
        joined_on=timezone.localdate(),
    )
    note = home_visit(episode, taf_partner, children, sensitive=True)
    readers = {
        user.username: policy.can(user, CaseNoteAction.READ_CONTENT, note)
        for user in (lead, lead_colleague, eh_worker, taf_partner)
    }
    # Its author reads it; so do the lead's organisation and the council's staff.
    assert readers == {
        "lead.trust": True,
        "colleague.trust": True,
        eh_worker.username: True,
        "taf.partner": True,
    }
    second = home_visit(episode, lead, children, sensitive=True)
    assert not policy.can(taf_partner, CaseNoteAction.READ_CONTENT, second)
    shown = selectors.shown(taf_partner, second)
    # They see that it exists, but none of its content.
    assert policy.visible(taf_partner, CaseNote).filter(pk=second.pk).exists()
    assert not shown.readable and shown.children_seen == [] and shown.addenda == []
    assert not policy.can(taf_partner, CaseNoteAction.ADD_ADDENDUM, second)


def test_notes_on_a_contact_are_for_the_front_door_of_its_council(
    contact: Contact,
    worker: User,
    eh_worker: User,
    hartlepool_manager: User,
    teacher: User,
    child: Person,
) -> None:
    Contact.objects.filter(pk=contact.pk).update(created_by=teacher)
    note = services.record_note(
        by=worker,
        contact=contact,
        note_type=NoteType.PHONE_CALL,
        occurred_at=timezone.now() - timedelta(minutes=30),
        text="Rang the school's designated safeguarding lead to check attendance.",
        children_seen={},
    )
    assert policy.visible(eh_worker, CaseNote).filter(pk=note.pk).exists()
    assert not policy.can(eh_worker, CaseNoteAction.WRITE, contact)
    assert not policy.visible(hartlepool_manager, CaseNote).exists()
    # The referrer sees their contact, never the front door's notes on it.
    assert policy.visible(teacher, Contact).filter(pk=contact.pk).exists()
    assert not policy.visible(teacher, CaseNote).exists()
    event = ChronologyEvent.objects.get(source=f"case_notes.note:{note.pk}")
    assert event.person == child and event.category == "contact"
