"""Who may read and write case notes. Registered with the one access policy.

- **Seeing a note** follows the record it is on: a note on an early help episode is seen by
  whoever sees the episode (the council's case staff, the lead professional while it is
  open, Team Around the Family members while they are members, a partner who opened it
  while it is open; never anyone a restricted child hides it from); a note on a front-door
  contact by the staff of the contact's council who see the contact (front door, managers,
  early help) - never by the referrer, whose view of their contact is what they sent and
  the outcome. When that access ends, so does the note's.
- **A sensitive note** is read in full only by the staff of the lead professional's
  organisation (for an episode) and the council's own case staff (the council that holds
  the episode or, for a contact, whose front door it came to), and by its author. Everyone
  else who sees the record sees that a sensitive note exists - its date and time, its type
  and the organisation of its author - but not its content: not the text, who was present,
  which children were seen, its author's name, its addenda or its versions.
- **Writing a note** on an episode: those who work on it (the lead professional, the
  council's early help practitioners and team managers: ``early_help.work_episode``) and
  the Team Around the Family's current members, while it is open. On a contact: the front
  door of its council (``front_door.screen_contact``).
- **Changing a note**: its author only, while they may still write on the record, and only
  for ``settings.CASE_NOTE_EDIT_MINUTES`` after it was recorded (the service refuses later
  changes as a state, 409). **An addendum**: anyone who may write notes on the record and
  read the note.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import FRONT_DOOR_ROLES, LEAD_PROFESSIONAL_ROLES
from continuum.case_notes.models import CaseNote
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode, TafMember
from continuum.early_help.policies import EarlyHelpAction
from continuum.front_door.models import Contact
from continuum.front_door.policies import FrontDoorAction


class CaseNoteAction:
    # Asked with an episode or a contact (or nothing: could the user ever write notes).
    WRITE = "case_notes.write"
    # Asked with a note: its content, not only that it exists.
    READ_CONTENT = "case_notes.read_content"
    EDIT = "case_notes.edit"
    ADD_ADDENDUM = "case_notes.add_addendum"


def contacts_noted_by(user: User) -> QuerySet[Contact]:
    """The contacts whose notes ``user`` sees: their own council's, that they see."""
    council = policy.council_of(user)
    if user.role == Role.AUDITOR:
        # A peer auditor reads the notes of the contacts sampled for them (issue 14).
        return policy.visible(user, Contact)
    if council is None:
        return Contact.objects.none()
    return policy.visible(user, Contact).filter(council=council)


def notes_visible_to(user: User) -> QuerySet[CaseNote]:
    episodes = policy.visible(user, Episode).values("pk")
    contacts = contacts_noted_by(user).values("pk")
    return CaseNote.objects.filter(Q(episode__in=episodes) | Q(contact__in=contacts))


def reads_content_of(user: User, note: CaseNote) -> bool:
    """For a note ``user`` sees: may they read its content? (No query for an episode's note
    when its episode is loaded.)"""
    if not note.sensitive or note.author_id == user.pk:
        return True
    council = policy.council_of(user)
    if note.episode_id is not None:
        episode = note.episode
        assert episode is not None
        if council is not None and episode.council_id == council.pk:
            return True
        lead_organisation = episode.lead_professional_organisation_id
        return lead_organisation is not None and user.organisation_id == lead_organisation
    contact = note.contact
    return contact is not None and council is not None and contact.council_id == council.pk


def _sees(user: User, note: Any) -> bool:
    return isinstance(note, CaseNote) and notes_visible_to(user).filter(pk=note.pk).exists()


def _can_read_content(user: User, note: Any) -> bool:
    return _sees(user, note) and reads_content_of(user, note)


def _current_taf_member(user: User, episode: Episode) -> bool:
    today = timezone.localdate()
    return (
        TafMember.objects.filter(episode=episode, user=user, joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .exists()
    )


def _can_write(user: User, record: Any) -> bool:
    if record is None:
        return user.role in LEAD_PROFESSIONAL_ROLES | FRONT_DOOR_ROLES
    if isinstance(record, Episode):
        if policy.can(user, EarlyHelpAction.WORK_EPISODE, record):
            return True
        return (
            record.status != EpisodeStatus.CLOSED
            and policy.visible(user, Episode).filter(pk=record.pk).exists()
            and _current_taf_member(user, record)
        )
    if isinstance(record, Contact):
        return policy.can(user, FrontDoorAction.SCREEN_CONTACT, record)
    return False


def record_of(note: CaseNote) -> Episode | Contact:
    """The episode or contact the note is on."""
    record = note.episode if note.episode_id is not None else note.contact
    assert record is not None
    return record


def _can_edit(user: User, note: Any) -> bool:
    return (
        isinstance(note, CaseNote)
        and note.author_id == user.pk
        and _sees(user, note)
        and _can_write(user, record_of(note))
    )


def _can_add_addendum(user: User, note: Any) -> bool:
    return _can_read_content(user, note) and _can_write(user, record_of(note))


policy.register_scope(CaseNote, notes_visible_to)
policy.register_rule(CaseNoteAction.WRITE, _can_write)
policy.register_rule(CaseNoteAction.READ_CONTENT, _can_read_content)
policy.register_rule(CaseNoteAction.EDIT, _can_edit)
policy.register_rule(CaseNoteAction.ADD_ADDENDUM, _can_add_addendum)
