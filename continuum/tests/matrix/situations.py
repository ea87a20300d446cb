"""Each row's situation, built with factories: the user (their role and employer), the record
(whose it is, and the user's relationship to it) and whether its child is restricted."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import cast

from django.core.files.base import ContentFile
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.access.services import (
    end_involvements_from,
    end_read_grants_from,
    grant_read,
    record_involvement,
)
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseKind, ProgrammeStatus
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.case_audits.policies import source_of
from continuum.case_notes.choices import NoteType
from continuum.case_notes.models import CaseNote, ChildSeen
from continuum.documents.models import Document
from continuum.documents.storage import documents_storage, random_name
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode, TafMember
from continuum.early_help.services import add_taf_member
from continuum.front_door.choices import ContactStatus, NotificationStatus
from continuum.front_door.models import (
    Contact,
    DomesticAbuseNotification,
    TriageMeeting,
    TriageOutcome,
)
from continuum.organisations.models import Council, Organisation, OrganisationKind, Team
from continuum.people.models import Household, HouseholdMember, Person
from continuum.statutory.models import StatutoryInvolvement
from continuum.testing import factories
from continuum.tests.builders import a_person, a_user, council_staff, partner_agency
from continuum.tests.matrix.rows import SUBJECT, Row

# --- a person's record -----------------------------------------------------------------------


def _employer(row: Row, stockton: Council) -> Organisation:
    if row.employer in ("council", "council_administrator"):
        return factories.council_services(stockton)
    if row.employer == "partnership":
        return factories.safeguarding_partnership()
    return partner_agency(stockton)


def _with_administrator_status(row: Row, user: User) -> User:
    """council_administrator: council staff whose account also has the admin site's
    administrator status (issue 10, finding 6): they have no case access at all."""
    if row.employer == "council_administrator":
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def build_situation(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Person]:
    now = timezone.now()
    user = a_user(username="matrix.user", role=row.role, organisation=_employer(row, stockton))
    _with_administrator_status(row, user)
    person = a_person(
        stockton if row.council == "own" else hartlepool,
        is_restricted=row.restricted != "no",
        **SUBJECT,
    )
    if row.restricted == "listed":
        factories.RestrictedAccessFactory(person=person, user=user)
    day = timedelta(days=1)
    involvement_times = {
        "involved": (now - day, None),
        "involvement_ended": (now - 30 * day, now - day),
        "involvement_future": (now + day, None),
    }
    if row.relationship in involvement_times:
        starts_at, ends_at = involvement_times[row.relationship]
        factories.InvolvementFactory(
            user=user,
            person=person,
            reason=InvolvementReason.TAF_MEMBER,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    elif row.relationship == "left_household_episode_closed":
        _led_until_closed_after_leaving(user, person)
    elif row.relationship == "break_glass":
        factories.BreakGlassGrantFactory(user=user, person=person)
    elif row.relationship == "break_glass_revoked":
        # Revoked by the holding council's information governance lead (issue 10, finding 12).
        factories.BreakGlassGrantFactory(user=user, person=person, revoked_at=now)
    elif row.relationship == "break_glass_expired":
        factories.BreakGlassGrantFactory(
            user=user,
            person=person,
            granted_at=now - timedelta(hours=5),
            expires_at=now - timedelta(hours=1),
        )
    return user, person


def _led_until_closed_after_leaving(user: User, person: Person) -> None:
    """The user led an early help episode for the person's household; the person left the
    household last month, and the episode has since closed, ending every involvement it
    granted (issue 10, finding 9)."""
    now = timezone.now()
    household = cast(
        Household, factories.HouseholdFactory(council=person.council, name="Quarrington")
    )
    HouseholdMember.objects.create(
        household=household, person=person, end_date=timezone.localdate() - timedelta(days=30)
    )
    source = f"early_help.episode:{uuid.uuid4()}"
    factories.InvolvementFactory(
        user=user,
        person=person,
        reason=InvolvementReason.LEAD_PROFESSIONAL,
        source=source,
        starts_at=now - timedelta(days=90),
    )
    end_involvements_from(source=source)


# --- contacts, notifications and early help episodes -----------------------------------------


def matrix_child(row: Row, council: Council, user: User) -> Person:
    child = a_person(council, is_restricted=row.restricted != "no", **SUBJECT)
    if row.restricted == "listed":
        factories.RestrictedAccessFactory(person=child, user=user)
    return child


def matrix_user(row: Row, stockton: Council) -> User:
    employers = {
        "council": lambda: factories.council_services(stockton),
        "partner": lambda: partner_agency(stockton),
        "police": lambda: factories.police_force(stockton),
        "council_administrator": lambda: factories.council_services(stockton),
        "partnership": factories.safeguarding_partnership,
    }
    user = a_user(username="matrix.user", role=row.role, organisation=employers[row.employer]())
    return _with_administrator_status(row, user)


def council_of(row: Row, stockton: Council, hartlepool: Council) -> Council:
    return stockton if row.council == "own" else hartlepool


def build_contact(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Contact]:
    """A contact in screening about one child; made by the user, another partner or a
    front-door colleague at the contact's council."""
    council = council_of(row, stockton, hartlepool)
    user = matrix_user(row, stockton)
    if row.relationship.startswith("made_it"):
        made_by = user
    elif row.employer == "partner":
        school = cast(
            Organisation,
            factories.OrganisationFactory(
                name="Test Primary School (matrix)", kind=OrganisationKind.SCHOOL, serves=[stockton]
            ),
        )
        made_by = a_user(
            username="matrix.referrer", role=Role.PARTNER_PRACTITIONER, organisation=school
        )
    else:
        made_by = council_staff(council, username="matrix.colleague", role=Role.FRONT_DOOR_WORKER)
    status = (
        ContactStatus.DRAFT if row.relationship == "others_draft" else ContactStatus.IN_SCREENING
    )
    child = matrix_child(row, council, user)
    contact = cast(
        Contact,
        factories.ContactFactory(
            council=council, created_by=made_by, status=status, children=[child]
        ),
    )
    if row.relationship == "made_it_involvement_ended":
        # Decided 40 days ago: the referrer's involvement ended 12 days ago.
        now = timezone.now()
        Contact.objects.filter(pk=contact.pk).update(
            status=ContactStatus.DECIDED, decided_at=now - timedelta(days=40)
        )
        factories.InvolvementFactory(
            user=user,
            person=child,
            reason=InvolvementReason.REFERRER,
            source=f"front_door.contact:{contact.pk}",
            starts_at=now - timedelta(days=45),
            ends_at=now - timedelta(days=12),
        )
        contact.refresh_from_db()
    sampled_for_audit(row, user, council, contact=contact, children=[child])
    return user, contact


def build_notification(
    row: Row, stockton: Council, hartlepool: Council
) -> tuple[User, DomesticAbuseNotification]:
    """A notification with one child present, awaiting triage (or triaged 40 days ago for
    ``*_triaged_long_ago``); made by the user (``made_it*``), an officer of the user's force,
    of another force, or (for everyone else) of the force serving the notification's
    council; ``triage_team*`` puts the user in their force's joint triage team."""
    council = council_of(row, stockton, hartlepool)
    user = matrix_user(row, stockton)
    if row.relationship != "none" or row.employer != "police":
        force = factories.police_force(stockton, hartlepool)
    else:
        force = cast(
            Organisation,
            factories.OrganisationFactory(
                name="Test Durham Constabulary (matrix)",
                kind=OrganisationKind.POLICE,
                serves=[stockton, hartlepool],
            ),
        )
    if row.relationship.startswith("made_it"):
        made_by = user
    else:
        made_by = a_user(
            username="matrix.officer", role=Role.PARTNER_PRACTITIONER, organisation=force
        )
    notification = cast(
        DomesticAbuseNotification,
        factories.NotificationFactory(
            council=council, created_by=made_by, children=[matrix_child(row, council, user)]
        ),
    )
    if row.relationship.startswith("triage_team"):
        team = cast(
            Team,
            factories.TeamFactory(
                organisation=user.organisation, name="Joint triage (matrix)", joint_triage=True
            ),
        )
        user.teams.add(team)
    if row.relationship.endswith("triaged_long_ago"):
        _triaged(notification, days_ago=40)
    return user, notification


def _triaged(notification: DomesticAbuseNotification, *, days_ago: int) -> None:
    """Triaged ``days_ago`` days ago by the council's front door (beyond the period police
    read it in full)."""
    at = timezone.now() - timedelta(days=days_ago)
    chair = council_staff(
        notification.council, username="matrix.triage.chair", role=Role.FRONT_DOOR_WORKER
    )
    meeting = TriageMeeting.objects.create(
        council=notification.council, held_at=at, chaired_by=chair
    )
    TriageOutcome.objects.create(
        notification=notification,
        meeting=meeting,
        safety_planning="Safety plan agreed with the IDVA (matrix).",
        marac_referral=False,
        no_marac_reason="Standard risk.",
        recorded_by=chair,
        recorded_at=at,
    )
    DomesticAbuseNotification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.TRIAGED
    )


def build_episode(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Episode, Person]:
    """An episode allocated yesterday, about one child, led by the user or by an early help
    practitioner of the episode's council; closed today for lead_professional_closed."""
    council = council_of(row, stockton, hartlepool)
    user = matrix_user(row, stockton)
    child = matrix_child(row, council, user)
    today = timezone.localdate()
    leads = row.relationship.startswith("lead_professional")
    lead = (
        user
        if leads
        else council_staff(council, username="matrix.lead", role=Role.EARLY_HELP_PRACTITIONER)
    )
    closed = row.relationship == "lead_professional_closed"
    episode = cast(
        Episode,
        factories.EpisodeFactory(
            council=council,
            children=[child],
            status=EpisodeStatus.CLOSED if closed else EpisodeStatus.ALLOCATED,
            end_date=today if closed else None,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation,
            allocation_reason="Knows the family well from the youth project.",
            allocated_at=timezone.now() - timedelta(days=1),
        ),
    )
    if row.relationship in ("taf_member", "taf_member_left"):
        assert user.organisation is not None
        TafMember.objects.create(
            episode=episode,
            user=user,
            organisation=user.organisation,
            joined_on=today - timedelta(days=30),
            left_on=today - timedelta(days=1) if row.relationship == "taf_member_left" else None,
        )
    elif row.relationship == "taf_member_future":
        # Added today, joining next week: no access until then (finding 13).
        add_taf_member(
            episode=episode,
            user=user,
            by=lead,
            joined_on=today + timedelta(days=7),
        )
    sampled_for_audit(row, user, council, episode=episode, children=[child])
    return user, episode, child


def build_referral(
    row: Row, stockton: Council, hartlepool: Council
) -> tuple[User, StatutoryInvolvement, Person]:
    """A referral to children's social care opened a week ago for the child; for
    "involved", the user is also in the child's Team Around the Family (an active
    involvement), which shows them the child's record but not its statutory involvement."""
    council = council_of(row, stockton, hartlepool)
    user = matrix_user(row, stockton)
    child = matrix_child(row, council, user)
    if row.relationship == "involved":
        factories.InvolvementFactory(user=user, person=child, reason=InvolvementReason.TAF_MEMBER)
    referral = cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(council=council, person=child),
    )
    return user, referral, child


def build_case_note(
    row: Row, stockton: Council, hartlepool: Council, *, sensitive: bool
) -> tuple[User, Episode | Contact, CaseNote]:
    """A home-visit note written an hour ago on the episode's situation
    (``build_episode``) by its lead professional (the user, when they lead it); or, for
    ``on_contact`` and ``on_contact_made_it``, a phone-call note on the contact's
    situation (``build_contact``: made by someone else, or by the user) by a front-door
    worker of the contact's council."""
    if row.relationship.startswith("on_contact"):
        made_it = row.relationship.endswith("made_it")
        contact_row = replace(row, record="contact", relationship="made_it" if made_it else "none")
        user, contact = build_contact(contact_row, stockton, hartlepool)
        author = council_staff(
            contact.council, username="matrix.notes", role=Role.FRONT_DOOR_WORKER
        )
        child = contact.child_links.get().person
        note = _matrix_note(author, sensitive, contact=contact, note_type=NoteType.PHONE_CALL)
        ChildSeen.objects.create(note=note, child=child)
        return user, contact, note
    user, episode, child = build_episode(row, stockton, hartlepool)
    lead = episode.lead_professional
    assert lead is not None
    note = _matrix_note(lead, sensitive, episode=episode, note_type=NoteType.HOME_VISIT)
    ChildSeen.objects.create(note=note, child=child, seen=True, seen_alone=False)
    return user, episode, note


def _matrix_note(author: User, sensitive: bool, **on: object) -> CaseNote:
    return CaseNote.objects.create(
        **on,
        occurred_at=timezone.now() - timedelta(hours=2),
        present="Mum and the child",
        text="Matrix note: the routines at home are settling.",
        sensitive=sensitive,
        author=author,
        author_organisation=author.organisation,
    )


# --- documents (issue 12) --------------------------------------------------------------------


def build_document(
    row: Row, stockton: Council, hartlepool: Council
) -> tuple[User, Document, Person | Contact | Episode]:
    """A document (a small PDF, stored) on the episode, person or contact the row's
    relationship names (``episode_taf_member``: the episode of ``build_episode`` with the
    relationship ``taf_member``). Uploaded by a front-door colleague at the record's
    council; on a contact the user made, by the user, with it."""
    where, _, relationship = row.relationship.partition("_")
    inner = replace(row, relationship=relationship)
    holder: Person | Contact | Episode
    if where == "episode":
        user, holder, _child = build_episode(inner, stockton, hartlepool)
    elif where == "person":
        user, holder = build_situation(inner, stockton, hartlepool)
    else:
        user, holder = build_contact(inner, stockton, hartlepool)
    council = holder.council
    if where == "contact" and relationship.startswith("made_it"):
        uploader = user
    else:
        uploader = council_staff(council, username="matrix.uploader", role=Role.FRONT_DOOR_WORKER)
    stored_name = documents_storage().save(random_name(), ContentFile(MATRIX_PDF))
    document = cast(
        Document,
        factories.DocumentFactory(
            **{where: holder},
            uploaded_by=uploader,
            uploaded_at=timezone.now() - timedelta(days=2),
            size=len(MATRIX_PDF),
            stored_name=stored_name,
        ),
    )
    return user, document, holder


MATRIX_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- peer auditors (issue 14) ------------------------------------------------------------------


def sampled_for_audit(
    row: Row,
    user: User,
    council: Council,
    *,
    contact: Contact | None = None,
    episode: Episode | None = None,
    children: list[Person],
) -> None:
    """A peer auditor's relationship to the record: ``audit_sampled`` gives the record to
    the user in an open audit programme (a read grant on it and involvements with its
    children, from the programme), ``audit_ended`` then closes the programme (ending them)."""
    if row.role != Role.AUDITOR or not row.relationship.startswith("audit_"):
        return
    _give_for_audit(user, council, contact=contact, episode=episode, children=children)
    if row.relationship == "audit_ended":
        programme = AuditProgramme.objects.get(cases__auditor=user)
        source = source_of(programme)
        end_read_grants_from(source=source)
        end_involvements_from(source=source)
        AuditProgramme.objects.filter(pk=programme.pk).update(
            status=ProgrammeStatus.CLOSED, closed_at=timezone.now()
        )


def _give_for_audit(
    user: User,
    council: Council,
    *,
    contact: Contact | None,
    episode: Episode | None,
    children: list[Person],
) -> None:
    programme = cast(
        AuditProgramme,
        factories.AuditProgrammeFactory(
            councils=[council],
            case_kind=CaseKind.CONTACT if contact is not None else CaseKind.EPISODE,
            status=ProgrammeStatus.OPEN,
            opened_at=timezone.now(),
        ),
    )
    AuditCase.objects.create(
        programme=programme, council=council, contact=contact, episode=episode, auditor=user
    )
    source = source_of(programme)
    record = contact if contact is not None else episode
    assert record is not None
    grant_read(
        user=user,
        record_label="front_door.Contact" if contact is not None else "early_help.Episode",
        record_id=record.pk,
        reason="Peer audit (matrix)",
        source=source,
    )
    for child in children:
        record_involvement(
            user=user, person=child, reason=InvolvementReason.PEER_AUDITOR, source=source
        )
