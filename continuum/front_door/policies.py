"""Who may see and do what at the front door. Registered with the one access policy, which
every front-door view and API endpoint asks.

- A council's front-door workers and team managers see every submitted contact of their
  council (and drafts they wrote), screen and decide them; early help practitioners of the
  council read them. A contact about a restricted child the user is not listed for is
  invisible to them.
- A partner (school, health, police, voluntary sector) sees only the contacts they made,
  with the outcome: never other referrers' contacts. While their involvement lasts (until
  28 days after the decision) they follow it: a summary of why, the letter, the status
  notes (``FOLLOW_CONTACT``); after it ends, what they sent and the outcome they were told,
  nothing more. A submitted contact naming a restricted child they are not listed for is
  hidden from them.
- Police see the domestic-abuse notifications their force made and the triage outcomes,
  not the children's contact; in full (names, safety planning) only the officer who made
  it and the force's joint triage team, until ``POLICE_NOTIFICATION_ACCESS_DAYS`` (28) days
  after triage; after that, and for the rest of the force, only its reference and the
  outcome. A notification naming a restricted person is hidden from police not on that
  person's access list, as from the council's staff. Front-door workers and managers of
  the council see and triage the council's notifications.
- Analysts and strategic leads see the front-door summary (numbers only).
- Staff placed in a hub (issue 15; ``hubs.reach``) reach the councils of the agreement in
  force as its row for their agency allows: a party council's front-door workers and team
  managers see, screen, decide (and managers sign off) those councils' contacts as their
  own council's, and take contacts by phone for them; whoever's row shows notifications or
  triage sees (and, at the front door, triages) those councils' notifications; police and
  health placed see contacts read-only where their row shows contacts, and never decide.
  Each contact stays its child's council's. It all ends with the placement or the
  agreement. Restriction hides a record from hub staff as from anyone.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import Involvement
from continuum.accounts.models import Role, User
from continuum.accounts.roles import AGGREGATE_ROLES, FRONT_DOOR_ROLES, REFERRING_ROLES
from continuum.errors import NotPermitted
from continuum.front_door.choices import ContactStatus, NotificationStatus
from continuum.front_door.models import (
    Contact,
    ContactChild,
    ContactDecision,
    DomesticAbuseNotification,
    NotificationChild,
    TriageMeeting,
)
from continuum.hubs.reach import reach_of, reached_councils
from continuum.organisations.models import Council, OrganisationKind
from continuum.people.models import Person

# How long a referrer follows their contact after its decision, when it recorded no
# involvement to say so (the same period as ``services.REFERRER_INVOLVEMENT_AFTER_DECISION``).
REFERRER_FOLLOWS_FOR = timedelta(days=28)


class FrontDoorAction:
    CREATE_CONTACT = "front_door.create_contact"
    EDIT_CONTACT = "front_door.edit_contact"
    SUBMIT_CONTACT = "front_door.submit_contact"
    SCREEN_CONTACT = "front_door.screen_contact"
    DECIDE_CONTACT = "front_door.decide_contact"
    SIGN_OFF_DECISION = "front_door.sign_off_decision"
    VIEW_QUEUE = "front_door.view_queue"
    VIEW_SUMMARY = "front_door.view_summary"
    VIEW_LETTER = "front_door.view_letter"
    # The front door's own view of a contact: screening notes, timeline, decision detail.
    VIEW_SCREENING = "front_door.view_screening"
    RECORD_SHARING_DECISION = "front_door.record_sharing_decision"
    CREATE_NOTIFICATION = "front_door.create_notification"
    # Load the force's daily file of notifications for a council (the object).
    IMPORT_NOTIFICATIONS = "front_door.import_notifications"
    TRIAGE = "front_door.triage"
    VIEW_NOTIFICATIONS = "front_door.view_notifications"
    # Beyond what was sent and the outcome: the summary of why, the outcome letter and the
    # status notes. The front door, and a referrer while their involvement lasts.
    FOLLOW_CONTACT = "front_door.follow_contact"
    # A notification's names, summary and safety planning, not only its reference and
    # outcome.
    VIEW_NOTIFICATION_IN_FULL = "front_door.view_notification_in_full"


def is_police(user: User) -> bool:
    return bool(user.organisation and user.organisation.kind == OrganisationKind.POLICE)


def councils_user_may_refer_to(user: User) -> list[Council]:
    """Council staff refer to their own council (and a front-door worker or manager placed
    in a hub to every council they decide for there); partners to the councils they serve."""
    council = policy.council_of(user)
    if council is not None:
        if user.role not in FRONT_DOOR_ROLES:
            return [council]
        others = reach_of(user).decides - {council.pk}
        return [council, *Council.objects.filter(pk__in=others).order_by("name")]
    if user.organisation is None:
        return []
    return list(user.organisation.serves.order_by("name"))


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    own = Q(created_by=user) | Q(referrer_user=user)
    council = policy.council_of(user)
    # The councils whose contacts a hub placement reaches (a subquery: no query of its own).
    hub = Q(council__in=reached_councils(user, "contacts"))
    if council is not None:
        ours = Q(council=council) | hub
        reach = own | (ours & ~Q(status=ContactStatus.DRAFT))
        # The council's own contacts naming a restricted child stay hidden unless listed.
        # (Only restriction hides a contact: a child whose record another council holds
        # is still this council's front door's business when the contact came here.)
        hidden_child = ContactChild.objects.filter(
            contact=OuterRef("pk"), person__is_restricted=True
        ).exclude(person__access_list__user=user)
        return Contact.objects.filter(reach).exclude(ours & ~own & Q(Exists(hidden_child)))
    if user.role == Role.AUDITOR:
        # A peer auditor reads exactly the contacts sampled for them while their audit
        # programme is open (issue 14: read grants), and never a restricted child's.
        hidden_child = ContactChild.objects.filter(
            contact=OuterRef("pk"), person__is_restricted=True
        ).exclude(person__access_list__user=user)
        granted = policy.granted_ids(user, "front_door.Contact")
        return Contact.objects.filter(pk__in=granted).exclude(
            Q(status=ContactStatus.DRAFT) | Q(Exists(hidden_child))
        )
    if user.role in REFERRING_ROLES:
        # Restriction hides a sent contact from its referrer too (not their own draft).
        # Police or health placed in a hub whose row shows contacts read those councils'
        # submitted contacts too.
        hidden_child = ContactChild.objects.filter(
            contact=OuterRef("pk"), person__is_restricted=True
        ).exclude(person__access_list__user=user)
        return Contact.objects.filter(own | (hub & ~Q(status=ContactStatus.DRAFT))).exclude(
            ~Q(status=ContactStatus.DRAFT) & Q(Exists(hidden_child))
        )
    return Contact.objects.none()


def referrer_involvement_ended(user: User, contact: Contact) -> bool:
    """Has ``user``'s involvement as the referrer of ``contact`` ended?

    Read from the involvements the contact recorded (``front_door.contact:<id>``): ended
    when there were some and none lasts. A contact that recorded none (no child named) ends
    with the same period after its decision that an involvement would have."""
    if contact.status == ContactStatus.DRAFT:
        return False
    source = f"front_door.contact:{contact.pk}"
    involvements = Involvement.objects.filter(user=user, source=source)
    if involvements.exists():
        lasting = Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())
        return not involvements.filter(lasting).exists()
    decided_at = contact.decided_at
    return decided_at is not None and decided_at + REFERRER_FOLLOWS_FOR <= timezone.now()


def decisions_visible_to(user: User) -> QuerySet[ContactDecision]:
    return ContactDecision.objects.filter(contact__in=contacts_visible_to(user))


def _names_someone_hidden(user: User) -> Q:
    """A notification naming a restricted person (victim, alleged perpetrator or child)
    ``user`` is not on the access list of."""
    hidden = Person.objects.filter(is_restricted=True).exclude(access_list__user=user)
    hidden_child = NotificationChild.objects.filter(notification=OuterRef("pk"), person__in=hidden)
    return Q(victim__in=hidden) | Q(alleged_perpetrator__in=hidden) | Q(Exists(hidden_child))


def _hub_notifications(user: User) -> Q:
    """The notifications of the councils whose notifications a hub placement shows."""
    return Q(council__in=reached_councils(user, "notifications"))


def notifications_visible_to(user: User) -> QuerySet[DomesticAbuseNotification]:
    council = policy.council_of(user)
    if council is not None and user.role in FRONT_DOOR_ROLES:
        reach = Q(council=council) | _hub_notifications(user)
    elif is_police(user) and user.role in REFERRING_ROLES:
        reach = Q(created_by__organisation=user.organisation) | _hub_notifications(user)
    elif user.role in REFERRING_ROLES:
        # Health (or another agency) placed in a hub whose row shows notifications.
        reach = _hub_notifications(user)
    else:
        return DomesticAbuseNotification.objects.none()
    # Restriction is honoured for everyone, police included.
    return DomesticAbuseNotification.objects.filter(reach).exclude(_names_someone_hidden(user))


def police_need_lasts() -> timedelta:
    """How long after triage the officer and the force's triage team see a notification in
    full (the setting ``POLICE_NOTIFICATION_ACCESS_DAYS``)."""
    return timedelta(days=settings.POLICE_NOTIFICATION_ACCESS_DAYS)


def is_triage_member(user: User) -> bool:
    """In their force's joint domestic-abuse triage team."""
    return (
        user.organisation_id is not None
        and user.teams.filter(organisation_id=user.organisation_id, joint_triage=True).exists()
    )


def _in_full(user: User) -> Q:
    """Which visible notifications ``user`` reads in full (names, dates of birth, the
    summary, safety planning): the council's front door all of the council's; police the
    ones they need, while they need them."""
    if policy.council_of(user) is not None and user.role in FRONT_DOOR_ROLES:
        return Q(pk__isnull=False)
    # Staff placed in a hub read its councils' notifications in full while placed, as the
    # agreement allows (the agreement is the need; it ends with the placement).
    hub = _hub_notifications(user)
    if not is_police(user):
        return hub
    needs = Q(created_by=user)
    if is_triage_member(user):
        needs |= Q(created_by__organisation=user.organisation)
    still_needed = Q(status=NotificationStatus.AWAITING_TRIAGE) | Q(
        triage__recorded_at__gt=timezone.now() - police_need_lasts()
    )
    return (needs & still_needed) | hub


def with_in_full(
    user: User, notifications: QuerySet[DomesticAbuseNotification]
) -> QuerySet[DomesticAbuseNotification]:
    """``notifications`` each marked ``in_full``: may ``user`` read it in full, or only its
    reference and outcome?"""
    return notifications.annotate(
        in_full=Case(When(_in_full(user), then=Value(True)), default=Value(False))
    )


def _reads_notification_in_full(user: User, notification: Any) -> bool:
    return (
        notification is not None
        and notifications_visible_to(user).filter(_in_full(user), pk=notification.pk).exists()
    )


def meetings_visible_to(user: User) -> QuerySet[TriageMeeting]:
    council = policy.council_of(user)
    hub = Q(council__in=reached_councils(user, "triage"))
    if council is not None and user.role in FRONT_DOOR_ROLES:
        return TriageMeeting.objects.filter(Q(council=council) | hub)
    if user.role in REFERRING_ROLES:
        # Police or health placed in a hub whose row shows joint triage.
        return TriageMeeting.objects.filter(hub)
    return TriageMeeting.objects.none()


def decides_for(user: User, council_id: int | None) -> bool:
    """Does ``user`` screen and decide contacts of ``council_id``: their own council's
    front door, or a hub's front-door staff for a council of its agreement in force?"""
    council = policy.council_of(user)
    if council is None or user.role not in FRONT_DOOR_ROLES or council_id is None:
        return False
    return council_id == council.pk or council_id in reach_of(user).decides


def triages_for(user: User, council_id: int | None) -> bool:
    """Does ``user`` triage notifications of ``council_id``: the council's own front door,
    or a hub's front-door staff whose row includes triage of that council?"""
    council = policy.council_of(user)
    if council is None or user.role not in FRONT_DOOR_ROLES or council_id is None:
        return False
    return council_id == council.pk or council_id in reach_of(user).triage


def councils_triaged_for(user: User) -> list[Council]:
    """The councils whose joint triage meetings ``user`` holds: their own council's front
    door's, first, then (placed in a hub whose row includes triage) the councils of the
    agreement in force, by name. Empty for anyone not at a council's front door."""
    council = policy.council_of(user)
    if council is None or user.role not in FRONT_DOOR_ROLES:
        return []
    others = reach_of(user).triage - {council.pk}
    return [council, *Council.objects.filter(pk__in=others).order_by("name")]


def require_on_contact(user: User, action: str, contact: Contact, doing: str) -> None:
    """``policy.require`` for screening, deciding or signing off ``contact``, refused with
    a message that names the contact's council (worked out only when refused)."""
    if not policy.can(user, action, contact):
        raise NotPermitted(not_yours_to(user, doing, contact))


def not_yours_to(user: User, doing: str, contact: Contact) -> str:
    """Why ``user`` may not ``doing`` (screen, decide, sign off) a contact they can see: it
    names the contact's council, whose contacts they do not decide, or says a team
    manager signs off."""
    name = contact.council.name
    if decides_for(user, contact.council_id):
        return f"Only a team manager may {doing} this contact's decision."
    return (
        f"You may not {doing} this contact: it is {name}'s, and you do not decide "
        f"{name}'s contacts. Only {name}'s front door, or a hub's front-door staff under an "
        f"agreement in force that includes {name}, may."
    )


def _own(user: User, contact: Contact) -> bool:
    return user.pk in (contact.created_by_id, contact.referrer_user_id)


def _screens(user: User, contact: Any) -> bool:
    return (
        contact is not None
        and decides_for(user, contact.council_id)
        and contacts_visible_to(user).filter(pk=contact.pk).exists()
    )


def _can_create_contact(user: User, _: Any) -> bool:
    if user.role not in REFERRING_ROLES:
        return False
    return policy.council_of(user) is not None or bool(councils_user_may_refer_to(user))


def _can_edit_contact(user: User, contact: Any) -> bool:
    return contact is not None and contact.status == ContactStatus.DRAFT and _own(user, contact)


def _follows(user: User, contact: Any) -> bool:
    """The front door, or the referrer while their involvement lasts (and the contact is
    still theirs to see)."""
    if contact is None:
        return False
    if _screens(user, contact) or _sees_screening(user, contact):
        return True
    return (
        _own(user, contact)
        and contacts_visible_to(user).filter(pk=contact.pk).exists()
        and not referrer_involvement_ended(user, contact)
    )


def _can_view_letter(user: User, contact: Any) -> bool:
    return contact is not None and (_screens(user, contact) or _follows(user, contact))


def _sees_screening(user: User, contact: Any) -> bool:
    """Council staff of the contact's council (front door, managers, early help) who may
    see it, and a peer auditor the contact was sampled for while their programme is open
    (auditing a front-door decision needs the screening and the decision; issue 14); a
    partner sees only what they referred and its outcome."""
    if contact is None:
        return False
    if user.role == Role.AUDITOR:
        return contacts_visible_to(user).filter(pk=contact.pk).exists()
    council = policy.council_of(user)
    return (
        council is not None
        and (contact.council_id == council.pk or decides_for(user, contact.council_id))
        and contacts_visible_to(user).filter(pk=contact.pk).exists()
    )


def _can_record_sharing_decision(user: User, contact: Any) -> bool:
    return _can_edit_contact(user, contact) or _screens(user, contact)


def _can_view_queue(user: User, _: Any) -> bool:
    return user.role in FRONT_DOOR_ROLES and policy.council_of(user) is not None


def _can_view_summary(user: User, _: Any) -> bool:
    return _can_view_queue(user, None) or user.role in AGGREGATE_ROLES


def _can_sign_off(user: User, contact: Any) -> bool:
    return user.role == Role.TEAM_MANAGER and _screens(user, contact)


def _can_triage(user: User, obj: Any) -> bool:
    """The front door triages: with a notification (or a council), the council's own front
    door or hub front-door staff whose row includes that council's triage."""
    if not _can_view_queue(user, None):
        return False
    if isinstance(obj, DomesticAbuseNotification):
        return (
            triages_for(user, obj.council_id)
            and notifications_visible_to(user).filter(pk=obj.pk).exists()
        )
    if isinstance(obj, Council):
        return triages_for(user, obj.pk)
    return True


def _can_create_notification(user: User, _: Any) -> bool:
    return (is_police(user) and user.role in REFERRING_ROLES) or _can_view_queue(user, None)


def can_import_notifications(user: User, council: Any) -> bool:
    """Whoever may enter a notification for the council may load the force's file for it."""
    if not _can_create_notification(user, None):
        return False
    return council is None or council in councils_user_may_refer_to(user)


def _can_view_notifications(user: User, _: Any) -> bool:
    return _can_create_notification(user, None)


policy.register_scope(Contact, contacts_visible_to)
policy.register_scope(ContactDecision, decisions_visible_to)
policy.register_scope(DomesticAbuseNotification, notifications_visible_to)
policy.register_scope(TriageMeeting, meetings_visible_to)
policy.register_rule(FrontDoorAction.CREATE_CONTACT, _can_create_contact)
policy.register_rule(FrontDoorAction.EDIT_CONTACT, _can_edit_contact)
policy.register_rule(FrontDoorAction.SUBMIT_CONTACT, _can_edit_contact)
policy.register_rule(FrontDoorAction.SCREEN_CONTACT, _screens)
policy.register_rule(FrontDoorAction.DECIDE_CONTACT, _screens)
policy.register_rule(FrontDoorAction.SIGN_OFF_DECISION, _can_sign_off)
policy.register_rule(FrontDoorAction.VIEW_QUEUE, _can_view_queue)
policy.register_rule(FrontDoorAction.VIEW_SUMMARY, _can_view_summary)
policy.register_rule(FrontDoorAction.VIEW_LETTER, _can_view_letter)
policy.register_rule(FrontDoorAction.VIEW_SCREENING, _sees_screening)
policy.register_rule(FrontDoorAction.RECORD_SHARING_DECISION, _can_record_sharing_decision)
policy.register_rule(FrontDoorAction.CREATE_NOTIFICATION, _can_create_notification)
policy.register_rule(FrontDoorAction.TRIAGE, _can_triage)
policy.register_rule(FrontDoorAction.VIEW_NOTIFICATIONS, _can_view_notifications)
policy.register_rule(FrontDoorAction.FOLLOW_CONTACT, _follows)
policy.register_rule(FrontDoorAction.VIEW_NOTIFICATION_IN_FULL, _reads_notification_in_full)
