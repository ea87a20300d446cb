"""The work tray: each role's work, counted, urgent and overdue first.

Every section is read through the app that owns its records, whose selectors start from
``policy.visible``, so a section never lists or counts what the user may not open; each
section is there only if the policy lets the user do that work. Reminders are the user's
own, shown only while they may still see the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.early_help import selectors as early_help
from continuum.early_help.choices import OPEN_EPISODE_STATUSES, ActionStatus, StepUpDecision
from continuum.early_help.models import Assessment, Episode, Plan, PlanAction, StepUp
from continuum.early_help.policies import EarlyHelpAction
from continuum.front_door import selectors as front_door
from continuum.front_door.choices import ContactStatus, DashRisk
from continuum.front_door.overdue import notification_due_date, notification_is_overdue
from continuum.front_door.policies import FrontDoorAction
from continuum.front_door.selectors import notifications as notification_selectors
from continuum.organisations.models import Council
from continuum.people.matching import matches_for_review
from continuum.people.policies import PeopleAction
from continuum.ui.dates import govuk_date
from continuum.work.models import Reminder
from continuum.work.records import title_of, url_of, visible_records

# How far ahead "due" looks for reviews, actions and TAF meetings.
DUE_SOON = timedelta(days=28)
# How long a decided contact's outcome stays in its referrer's tray.
OUTCOMES_FOR = timedelta(days=28)
# Items shown in each section on the home page (the count is always of all of them).
SHOWN = 5
RISK_ORDER: dict[str, int] = {DashRisk.HIGH: 0, DashRisk.MEDIUM: 1, DashRisk.STANDARD: 2}
RISK_TAGS: dict[str, str] = {
    DashRisk.HIGH: "red",
    DashRisk.MEDIUM: "orange",
    DashRisk.STANDARD: "grey",
}


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    detail: str = ""
    due: date | None = None
    overdue: bool = False
    urgent: bool = False
    tag: str = ""
    tag_colour: str = ""
    # Keeps an order the section chose (risk, say) among items neither urgent nor overdue.
    rank: int = 0
    # A reminder's id (its done and dismiss buttons); blank for other work.
    reminder_id: str = ""

    @property
    def sort_key(self) -> tuple[bool, bool, int, date, str]:
        return (not self.urgent, not self.overdue, self.rank, self.due or date.max, self.title)


@dataclass
class WorkSection:
    key: str
    heading: str
    items: list[WorkItem] = field(default_factory=list)
    link: str = ""
    link_text: str = ""
    empty: str = "Nothing to do."

    def __post_init__(self) -> None:
        self.items.sort(key=lambda item: item.sort_key)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)

    @property
    def urgent(self) -> int:
        return sum(1 for item in self.items if item.urgent)

    @property
    def shown(self) -> list[WorkItem]:
        return self.items[:SHOWN]


def family_title(episode: Episode) -> str:
    """How the work tray names an episode: "The Allen family"."""
    return f"The {episode.household.name} family"


# --- the front door ----------------------------------------------------------------------


def urgent_step_ups(*, user: User, today: date) -> WorkSection:
    """Urgent step-ups for significant harm waiting for a manager in the user's council."""
    council = policy.council_of(user)
    step_ups = StepUp.objects.none()
    if council is not None:
        step_ups = StepUp.objects.filter(
            urgent=True,
            decision=StepUpDecision.PENDING,
            episode__in=policy.visible(user, Episode).filter(council=council),
        ).select_related("episode__household")
    return WorkSection(
        "urgent_step_ups",
        "Urgent step-ups",
        [
            WorkItem(
                title=family_title(s.episode),
                url=reverse("early_help:step-up", args=[s.episode_id]),
                detail=f"Risk of significant harm, asked on {govuk_date(s.requested_on)}",
                due=s.requested_on,
                urgent=True,
                tag="Urgent",
                tag_colour="red",
            )
            for s in step_ups
        ],
        empty="No urgent step-ups.",
    )


def front_door_queue(*, user: User, today: date) -> WorkSection:
    """The open contacts, overdue first; a contact from an urgent step-up (significant
    harm) is urgent, ahead of them all. Placed in a hub, the contacts of every council the
    user decides for there, each naming its council."""
    councils = front_door.queue_councils(user)
    rows = front_door.queue(user=user, councils=councils, today=today).rows if councils else []
    several = len(councils) > 1
    urgent = set(
        StepUp.objects.filter(
            urgent=True, contact__in=[row.contact.pk for row in rows]
        ).values_list("contact_id", flat=True)
    )
    return WorkSection(
        "queue",
        "Contacts in the queue",
        [
            WorkItem(
                title=", ".join(child.full_name for child in row.children) or "Contact",
                url=reverse("front_door:contact", args=[row.contact.pk]),
                detail=(f"{row.contact.council.name}: " if several else "")
                + f"{row.contact.get_status_display()}, decision due {govuk_date(row.due)}",
                due=row.due,
                overdue=row.overdue,
                urgent=row.contact.pk in urgent,
                tag="Step-up" if row.contact.pk in urgent else "",
                tag_colour="red",
            )
            for row in rows
        ],
        link=reverse("front_door:queue"),
        link_text="See the whole queue",
        empty="The queue is empty.",
    )


def domestic_abuse(*, user: User, today: date) -> WorkSection:
    """Untriaged domestic-abuse notifications, highest risk first, then the oldest."""
    waiting = notification_selectors.awaiting_triage(user=user)
    return WorkSection(
        "domestic_abuse",
        "Domestic abuse notifications to triage",
        [
            WorkItem(
                title=f"Notification {notification_selectors.notification_reference_of(n)}",
                url=reverse("front_door:notification", args=[n.pk]),
                detail=_of_another_council(user, n.council)
                + f"{n.get_dash_risk_display()} risk, triage due "
                f"{govuk_date(notification_due_date(n))}",
                due=notification_due_date(n),
                overdue=notification_is_overdue(n, today),
                tag=f"{n.get_dash_risk_display()} risk",
                tag_colour=RISK_TAGS.get(n.dash_risk, "grey"),
                rank=RISK_ORDER.get(n.dash_risk, 3),
            )
            for n in waiting
        ],
        link=reverse("front_door:notifications"),
        link_text="See every notification",
        empty="No notifications are waiting for triage.",
    )


def possible_matches(*, user: User, today: date) -> WorkSection:
    return WorkSection(
        "possible_matches",
        "Possible duplicate records to review",
        [
            WorkItem(
                title=f"A possible match for {match.existing_person.full_name}",
                url=reverse("people:possible-match", kwargs={"match_id": match.pk}),
                detail=f"Found {govuk_date(timezone.localtime(match.found_at).date())}",
                due=timezone.localtime(match.found_at).date(),
            )
            for match in matches_for_review(user=user)
        ],
        link=reverse("people:possible-matches"),
        link_text="See every possible match",
        empty="No possible matches to review.",
    )


# --- managers ------------------------------------------------------------------------------


def _of_another_council(user: User, council: Council) -> str:
    """ "Hartlepool: " before an item of a council other than the user's own (a hub's)."""
    own = policy.council_of(user)
    return f"{council.name}: " if own is not None and council.pk != own.pk else ""


def sign_offs(*, user: User, today: date) -> WorkSection:
    return WorkSection(
        "sign_offs",
        "Decisions waiting for your sign-off",
        [
            WorkItem(
                title=", ".join(c.full_name for c in front_door.children_of(contact)) or "Contact",
                url=reverse("front_door:contact", args=[contact.pk]),
                detail=_of_another_council(user, contact.council)
                + f"Decision due {govuk_date(contact.decision_due_date)}",
                due=contact.decision_due_date,
                overdue=today > contact.decision_due_date,
            )
            for contact in front_door.awaiting_sign_off(user=user)
        ],
        empty="No decisions are waiting for your sign-off.",
    )


def step_ups(*, user: User, today: date) -> WorkSection:
    return WorkSection(
        "step_ups",
        "Step-up requests to decide",
        [
            WorkItem(
                title=family_title(s.episode),
                url=reverse("early_help:step-up", args=[s.episode_id]),
                detail=f"Asked by {s.requested_by} on {govuk_date(s.requested_on)}",
                due=s.requested_on,
                urgent=s.urgent,
                tag="Urgent" if s.urgent else "",
                tag_colour="red" if s.urgent else "",
            )
            for s in early_help.step_ups_to_decide(user=user)
        ],
        empty="No step-ups are waiting for your decision.",
    )


def closures_to_sign_off(*, user: User, today: date) -> WorkSection:
    return WorkSection(
        "closures",
        "Closures to sign off",
        [
            WorkItem(
                title=family_title(asked.episode),
                url=reverse("early_help:closure-sign-off", args=[asked.episode_id, asked.pk]),
                detail=(
                    f"Asked by {asked.requested_by} on "
                    f"{govuk_date(timezone.localtime(asked.requested_at).date())}"
                ),
                due=timezone.localtime(asked.requested_at).date(),
            )
            for asked in early_help.closures_to_sign_off(user=user)
        ],
        empty="No closures are waiting for your sign-off.",
    )


def awaiting_allocation(*, user: User, today: date) -> WorkSection:
    return WorkSection(
        "awaiting_allocation",
        "Families waiting for allocation",
        [
            WorkItem(
                title=family_title(row.episode),
                url=reverse("early_help:episode", args=[row.episode.pk]),
                detail=(
                    f"{row.episode.locality.name}, waiting since {govuk_date(row.waiting_since)}"
                ),
                due=row.waiting_since,
                overdue=row.overdue,
            )
            for row in early_help.awaiting_allocation(user=user, today=today)
        ],
        link=reverse("early_help:waiting-list"),
        link_text="See the waiting list",
        empty="No families are waiting for allocation.",
    )


def _url_with_id(name: str) -> Callable[[object], str]:
    """``reverse(name, args=[pk])`` for any ``pk`` (a UUID), reversed once: the URL of a
    stand-in id split around it."""
    stand_in = "0000abcd-0000-4000-8000-00000000abcd"
    before, after = reverse(name, args=[stand_in]).split(stand_in)
    return lambda pk: f"{before}{uuid.UUID(str(pk))}{after}"


def overdue_in_teams(*, user: User, today: date) -> WorkSection:
    """The assessments and reviews overdue in the manager's teams (the same ones
    ``early_help.overdue`` finds), read as the few columns the tray shows: not the overdue
    actions and the waiting list ``overdue`` also works out, which this section never shows
    (issue 16: they were thousands of rows on every manager's home page)."""
    ids = early_help.team_episodes(user=user).values("pk")
    assessments = (
        Assessment.objects.filter(episode__in=ids, completed_on__isnull=True, due_date__lt=today)
        .order_by("due_date")
        .values_list("episode_id", "due_date", "episode__household__name")
    )
    reviews = (
        Plan.objects.filter(episode__in=ids, next_review_due__lt=today)
        .order_by("next_review_due")
        .values_list("episode_id", "next_review_due", "episode__household__name")
    )
    # One reverse per kind of page, not one per row (hundreds of rows on a busy council).
    assessment_url = _url_with_id("early_help:assessment")
    reviews_url = _url_with_id("early_help:reviews")
    items = [
        WorkItem(
            title=f"The {household} family",
            url=assessment_url(episode_id),
            detail=f"Assessment was due {govuk_date(due)}",
            due=due,
            overdue=True,
        )
        for episode_id, due, household in assessments
    ] + [
        WorkItem(
            title=f"The {household} family",
            url=reviews_url(episode_id),
            detail=f"Review was due {govuk_date(due)}",
            due=due,
            overdue=True,
        )
        for episode_id, due, household in reviews
    ]
    return WorkSection(
        "overdue_in_teams",
        "Assessments and reviews overdue in your teams",
        items,
        link=reverse("early_help:caseloads"),
        link_text="See your teams' caseloads",
        empty="Nothing is overdue in your teams.",
    )


# --- lead professionals and TAF members ---------------------------------------------------------


def assessments_due(*, user: User, today: date) -> WorkSection:
    assessments = Assessment.objects.filter(
        episode__in=early_help.episodes_led_by(user=user), completed_on__isnull=True
    ).select_related("episode__household")
    return WorkSection(
        "assessments_due",
        "Assessments due",
        [
            WorkItem(
                title=family_title(a.episode),
                url=reverse("early_help:assessment", args=[a.episode_id]),
                detail=f"Due {govuk_date(a.due_date)}",
                due=a.due_date,
                overdue=a.due_date < today,
            )
            for a in assessments
        ],
        empty="No assessments are due.",
    )


def reviews_due(*, user: User, today: date) -> WorkSection:
    plans = Plan.objects.filter(
        episode__in=early_help.episodes_led_by(user=user),
        next_review_due__lte=today + DUE_SOON,
    ).select_related("episode__household")
    return WorkSection(
        "reviews_due",
        "Reviews due",
        [
            WorkItem(
                title=family_title(p.episode),
                url=reverse("early_help:reviews", args=[p.episode_id]),
                detail=f"Review due {govuk_date(p.next_review_due)}",
                due=p.next_review_due,
                overdue=p.next_review_due < today,
            )
            for p in plans
        ],
        empty="No reviews are due in the next four weeks.",
    )


def actions_due(*, user: User, today: date) -> WorkSection:
    actions = PlanAction.objects.filter(
        owner_user=user,
        status=ActionStatus.OPEN,
        due_date__lte=today + DUE_SOON,
        outcome__plan__episode__in=policy.visible(user, Episode).filter(
            status__in=OPEN_EPISODE_STATUSES
        ),
    ).select_related("outcome__plan__episode__household")
    return WorkSection(
        "actions_due",
        "Plan actions due to you",
        [
            WorkItem(
                title=action.description[:120],
                url=reverse("early_help:plan", args=[action.outcome.plan.episode_id]),
                detail=(
                    f"{family_title(action.outcome.plan.episode)}, "
                    f"due {govuk_date(action.due_date)}"
                ),
                due=action.due_date,
                overdue=action.due_date < today,
            )
            for action in actions
        ],
        empty="No plan actions are due to you in the next four weeks.",
    )


def taf_meetings(*, user: User, today: date) -> WorkSection:
    """The Team Around the Family's next review meetings of the user's TAFs."""
    episodes = [member.episode for member in early_help.tafs_of(user=user)]
    plans = Plan.objects.filter(
        episode__in=[e.pk for e in episodes if e.status in OPEN_EPISODE_STATUSES],
        next_review_due__lte=today + DUE_SOON,
    ).select_related("episode__household")
    return WorkSection(
        "taf_meetings",
        "Team Around the Family meetings coming up",
        [
            WorkItem(
                title=family_title(p.episode),
                url=reverse("early_help:taf", args=[p.episode_id]),
                detail=f"Review meeting due {govuk_date(p.next_review_due)}",
                due=p.next_review_due,
                overdue=p.next_review_due < today,
            )
            for p in plans
        ],
        empty="No TAF meetings in the next four weeks.",
    )


# --- referrers ---------------------------------------------------------------------------------


def contact_outcomes(*, user: User, today: date) -> WorkSection:
    """The outcomes of the user's own contacts decided in the last four weeks."""
    since = timezone.now() - OUTCOMES_FOR
    contacts = (
        front_door.contacts_made_by(user=user)
        .filter(Q(status=ContactStatus.DECIDED) & Q(decided_at__gte=since))
        .select_related("decision")
    )
    items = []
    for contact in contacts:
        decision = getattr(contact, "decision", None)
        outcome = decision.get_outcome_display() if decision else "Decided"
        items.append(
            WorkItem(
                title=f"Contact received {govuk_date(contact.received_on)}",
                url=reverse("front_door:contact", args=[contact.pk]),
                detail=f"Outcome: {outcome}",
                due=timezone.localtime(contact.decided_at).date() if contact.decided_at else None,
            )
        )
    # Newest outcome first.
    items.sort(key=lambda item: item.due or date.min, reverse=True)
    section = WorkSection(
        "contact_outcomes",
        "Outcomes of your contacts",
        link=reverse("front_door:my-contacts"),
        link_text="See all your contacts",
        empty="None of your contacts has been decided in the last four weeks.",
    )
    section.items = items
    return section


# --- reminders -----------------------------------------------------------------------------------


def reminders(*, user: User, today: date) -> WorkSection:
    """The user's open reminders on records they may still see."""
    mine = list(
        policy.visible(user, Reminder).filter(done_at__isnull=True, dismissed_at__isnull=True)
    )
    seen = visible_records(user, [(r.record_kind, r.record_id) for r in mine])
    items = []
    for reminder in mine:
        record = seen.get((reminder.record_kind, str(reminder.record_id)))
        if record is None:
            continue  # a record the user can no longer see: never revealed
        items.append(reminder_item(reminder, record, today))
    return WorkSection(
        "reminders",
        "Your reminders",
        items,
        empty="You have no reminders. Set one from a person's record.",
    )


def reminder_item(reminder: Reminder, record: object, today: date) -> WorkItem:
    return WorkItem(
        title=reminder.text,
        url=url_of(reminder.record_kind, reminder.record_id),
        detail=f"{title_of(reminder.record_kind, record)}, due {govuk_date(reminder.due_on)}",
        due=reminder.due_on,
        overdue=reminder.due_on < today,
        tag="Due today" if reminder.due_on == today else "",
        tag_colour="yellow",
        reminder_id=str(reminder.pk),
    )


def open_reminders_on(
    *, user: User, record_kind: str, record_id: uuid.UUID | str
) -> list[Reminder]:
    return list(
        policy.visible(user, Reminder)
        .filter(
            record_kind=record_kind,
            record_id=record_id,
            done_at__isnull=True,
            dismissed_at__isnull=True,
        )
        .order_by("due_on", "created_at")
    )


# --- the tray ------------------------------------------------------------------------------------


def _front_door_sections(user: User, today: date) -> list[WorkSection]:
    sections = [front_door_queue(user=user, today=today)]
    if policy.can(user, FrontDoorAction.VIEW_NOTIFICATIONS):
        sections.append(domestic_abuse(user=user, today=today))
    if policy.can(user, PeopleAction.REVIEW_MATCHES):
        sections.append(possible_matches(user=user, today=today))
    return sections


def _manager_sections(user: User, today: date) -> list[WorkSection]:
    sections = [sign_offs(user=user, today=today)]
    if policy.can(user, EarlyHelpAction.DECIDE_STEP_UP):
        sections.append(step_ups(user=user, today=today))
    if policy.can(user, EarlyHelpAction.SIGN_OFF_CLOSURE):
        sections.append(closures_to_sign_off(user=user, today=today))
    if policy.can(user, EarlyHelpAction.ALLOCATE):
        sections.append(awaiting_allocation(user=user, today=today))
    if policy.can(user, EarlyHelpAction.VIEW_CASELOADS):
        sections.append(overdue_in_teams(user=user, today=today))
    from continuum.work import consent  # its sections are built from this module's

    if policy.can(user, EarlyHelpAction.DECIDE_CONSENT_REVIEW):
        sections.append(consent.consent_reviews_due(user=user, today=today))
    # A manager may lead episodes too: then their own assessments, reviews and actions.
    if early_help.episodes_led_by(user=user).exists():
        sections += [
            assessments_due(user=user, today=today),
            reviews_due(user=user, today=today),
            actions_due(user=user, today=today),
            consent.consent_checks_due(user=user, today=today),
        ]
    return sections


def _practitioner_sections(user: User, today: date) -> list[WorkSection]:
    sections = [
        assessments_due(user=user, today=today),
        reviews_due(user=user, today=today),
        actions_due(user=user, today=today),
        taf_meetings(user=user, today=today),
    ]
    from continuum.work import consent  # its sections are built from this module's

    sections.append(consent.consent_checks_due(user=user, today=today))
    if policy.can(user, FrontDoorAction.CREATE_CONTACT):
        sections.append(contact_outcomes(user=user, today=today))
    return sections


def tray_for(*, user: User, today: date | None = None) -> list[WorkSection]:
    """The user's work, section by section: a section with urgent work first, then the
    role's sections in order, then their reminders."""
    day = today or timezone.localdate()
    sections: list[WorkSection] = []
    if user.role == Role.FRONT_DOOR_WORKER and policy.can(user, FrontDoorAction.VIEW_QUEUE):
        urgent = urgent_step_ups(user=user, today=day)
        if urgent.count:
            sections.append(urgent)
        sections += _front_door_sections(user, day)
    elif user.role == Role.TEAM_MANAGER and policy.can(user, FrontDoorAction.VIEW_QUEUE):
        sections += _manager_sections(user, day)
    elif user.role in (Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER) and policy.can(
        user, EarlyHelpAction.WORK_EPISODE
    ):
        sections += _practitioner_sections(user, day)
    from continuum.work.case_audits import case_audit_sections

    sections += case_audit_sections(user=user, today=day)
    if policy.can(user, PeopleAction.SEARCH) or policy.visible(user, Reminder).exists():
        sections.append(reminders(user=user, today=day))
    sections.sort(key=lambda section: section.urgent == 0)
    return sections
