"""Each row's situation, built with factories: the user (their role and employer), the record
(whose it is, and the user's relationship to it) and whether its child is restricted."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role, User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode, TafMember
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.builders import a_person, a_user, council_staff, partner_agency
from continuum.tests.matrix.rows import SUBJECT, Row

# --- a person's record -----------------------------------------------------------------------


def _employer(row: Row, stockton: Council) -> Organisation:
    if row.employer == "council":
        return factories.council_services(stockton)
    return partner_agency(stockton)


def build_situation(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Person]:
    now = timezone.now()
    user = a_user(username="matrix.user", role=row.role, organisation=_employer(row, stockton))
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
    }
    return a_user(username="matrix.user", role=row.role, organisation=employers[row.employer]())


def council_of(row: Row, stockton: Council, hartlepool: Council) -> Council:
    return stockton if row.council == "own" else hartlepool


def build_contact(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Contact]:
    """A contact in screening about one child; made by the user, another partner or a
    front-door colleague at the contact's council."""
    council = council_of(row, stockton, hartlepool)
    user = matrix_user(row, stockton)
    if row.relationship == "made_it":
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
    contact = factories.ContactFactory(
        council=council,
        created_by=made_by,
        status=status,
        children=[matrix_child(row, council, user)],
    )
    return user, cast(Contact, contact)


def build_notification(
    row: Row, stockton: Council, hartlepool: Council
) -> tuple[User, DomesticAbuseNotification]:
    """A notification awaiting triage with one child present; made by an officer of the
    user's force, of another force, or (for everyone else) of the force serving the
    notification's council."""
    council = council_of(row, stockton, hartlepool)
    user = matrix_user(row, stockton)
    if row.relationship == "force_made_it" or row.employer != "police":
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
    officer = a_user(username="matrix.officer", role=Role.PARTNER_PRACTITIONER, organisation=force)
    notification = factories.NotificationFactory(
        council=council, created_by=officer, children=[matrix_child(row, council, user)]
    )
    return user, cast(DomesticAbuseNotification, notification)


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
    return user, episode, child
