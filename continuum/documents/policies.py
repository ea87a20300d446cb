"""Who may see, upload and delete documents. Registered with the one access policy.

A document is seen by those who may see the record it is on, as that record's own rules
say, and by no one else:

- on an episode: whoever may see the episode (the council's case staff, its lead
  professional while it is open, its Team Around the Family members while they are
  members); a restricted child hides it as it hides the episode;
- on a person: whoever may see the person in full (the council's case staff, a partner
  while their involvement lasts, an active emergency grant); restriction honoured;
- on a contact: the council's staff who may see the contact; a partner who sent the
  contact sees the documents they themselves uploaded with it, as they see what they sent.

Uploading needs more than seeing: on an episode, those who work on it (its lead
professional, the council's early help staff) and its current TAF members, while it is
open; on a contact, those who follow it (the front door, the council's staff, the referrer
while their involvement lasts); on a person, the council's case staff of the person's
council and practitioners involved with them now (not peer auditors, and not by emergency
access, which is for reading).

Deleting: the uploader within ``DOCUMENT_DELETE_MINUTES`` of uploading, or a team manager
of the record's council at any time; always with a reason, and the row is kept.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import Involvement
from continuum.accounts.models import Role, User
from continuum.accounts.roles import COUNCIL_CASE_ROLES, PRACTITIONER_ROLES
from continuum.documents.models import Document
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode, TafMember
from continuum.early_help.policies import EarlyHelpAction, episodes_visible_to
from continuum.front_door.models import Contact
from continuum.front_door.policies import FrontDoorAction, contacts_visible_to
from continuum.people.models import Person
from continuum.people.policies import PeopleAction, people_visible_to


class DocumentAction:
    # To a record (a person, a contact or an episode): see its documents, upload one.
    VIEW_ON = "documents.view_on"
    UPLOAD = "documents.upload"
    # To a document.
    DELETE = "documents.delete"


def documents_visible_to(user: User) -> QuerySet[Document]:
    """Every document ``user`` may see, deleted ones included (their pages say so)."""
    contacts = contacts_visible_to(user)
    council = policy.council_of(user)
    on_contact = (
        Q(contact__in=contacts.filter(council=council)) if council is not None else Q(pk__in=[])
    ) | Q(contact__in=contacts, uploaded_by=user)
    reach = (
        Q(episode__in=episodes_visible_to(user))
        | Q(person__in=people_visible_to(user))
        | on_contact
    )
    return Document.objects.filter(reach)


def _sees_holder(user: User, holder: Any) -> bool:
    if isinstance(holder, Person):
        return policy.can(user, PeopleAction.VIEW, holder)
    if isinstance(holder, Episode):
        return episodes_visible_to(user).filter(pk=holder.pk).exists()
    if isinstance(holder, Contact):
        return contacts_visible_to(user).filter(pk=holder.pk).exists()
    return False


def _views_on(user: User, holder: Any) -> bool:
    """May ``user`` see the documents on ``holder`` (all of them; on a contact, a partner
    sees only those they uploaded, which the scope says)."""
    return _sees_holder(user, holder)


def _is_current_taf_member(user: User, episode: Episode) -> bool:
    today = timezone.localdate()
    return (
        TafMember.objects.filter(episode=episode, user=user, joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .exists()
    )


def _works_with(user: User, person: Person) -> bool:
    """Council case staff of the person's council, or a practitioner involved with them
    now: not a peer auditor, and not someone reading by emergency access."""
    if user.role not in COUNCIL_CASE_ROLES | PRACTITIONER_ROLES:
        return False
    if not policy.can(user, PeopleAction.VIEW, person):
        return False
    council = policy.council_of(user)
    if council is not None and person.council_id == council.pk:
        return True
    return Involvement.objects.active().filter(user=user, person=person).exists()


def _can_upload(user: User, holder: Any) -> bool:
    if isinstance(holder, Person):
        return _works_with(user, holder)
    if isinstance(holder, Contact):
        return policy.can(user, FrontDoorAction.FOLLOW_CONTACT, holder)
    if isinstance(holder, Episode):
        if policy.can(user, EarlyHelpAction.WORK_EPISODE, holder):
            return True
        return (
            holder.status != EpisodeStatus.CLOSED
            and _sees_holder(user, holder)
            and _is_current_taf_member(user, holder)
        )
    return False


def delete_window() -> timedelta:
    return timedelta(minutes=settings.DOCUMENT_DELETE_MINUTES)


def _council_of_holder(document: Document) -> int | None:
    holder = document.holder
    return getattr(holder, "council_id", None)


def _can_delete(user: User, document: Any) -> bool:
    if not isinstance(document, Document) or document.is_deleted:
        return False
    if not documents_visible_to(user).filter(pk=document.pk).exists():
        return False
    if document.uploaded_by_id == user.pk and timezone.now() < document.uploaded_at + (
        delete_window()
    ):
        return True
    council = policy.council_of(user)
    return (
        user.role == Role.TEAM_MANAGER
        and council is not None
        and _council_of_holder(document) == council.pk
    )


policy.register_scope(Document, documents_visible_to)
policy.register_rule(DocumentAction.VIEW_ON, _views_on)
policy.register_rule(DocumentAction.UPLOAD, _can_upload)
policy.register_rule(DocumentAction.DELETE, _can_delete)
