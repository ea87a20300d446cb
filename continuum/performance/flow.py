"""The continuum flow: where the children who came to the front door, or into early help
opened by a partner, in a period went next.

A cohort is every child named on a contact the front door received in the chosen months,
and every child on an early help episode a partner agency opened in them (one council, or
several together). Each child is counted once, from their first starting point in those
months (a contact, or a partner-opened episode; a contact on the same day comes first), and
followed for a fixed time (12 months unless told otherwise, and never past today) through
the stages of the continuum:

    contact -> front-door outcome -> early help (by the lead professional's agency)
    -> how early help ended (closure reason, step-up, or still open)
    -> referral to social care (child in need) -> child protection plan -> looked after
    -> stepped down to early help

    early help opened by a partner -> early help (by the lead professional's agency) -> ...

A child's path is the stages they reached, in that order; a link counts the children whose
path goes from one stage straight to the next. So a child whose contact ended in no further
action but who was referred to social care within the follow-up goes from "No further
action" straight to "Referred to social care".

The whole cohort costs five queries, whatever its size: the cohort's contacts, their early
help episodes and the partner-opened ones, agreed step-ups, statutory involvement and
step-down episodes. The rest is arithmetic on those rows in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.early_help.choices import ClosureReason, EpisodeOrigin, StepUpDecision
from continuum.early_help.models import Episode, StepUp
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import ContactChild
from continuum.organisations.models import Council, OrganisationKind
from continuum.performance import disclosure
from continuum.performance.tables import Table
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.ui.dates import govuk_date

FOLLOW_UP_DAYS = 365


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    column: int
    # A colour family for the chart (see ``flow_chart``).
    tone: str


# Every stage the flow can show, in the order the chart stacks them in each column.
STAGES: tuple[Stage, ...] = (
    Stage("contact", "Children with a contact", 0, "front_door"),
    # Partner-opened early help: a starting point of its own, beside the front door.
    Stage("partner_episode", "Early help opened by a partner", 0, "partner"),
    # The front-door outcome of the child's first contact in the period.
    Stage("nfa", "No further action", 1, "neutral"),
    Stage("advice", "Advice or signposting", 1, "neutral"),
    Stage("early_help", "Early help", 1, "early_help"),
    Stage("social_care", "Social care assessment or strategy discussion", 1, "statutory"),
    Stage("not_decided", "Not decided yet", 1, "neutral"),
    # Early help, by the lead professional's agency.
    Stage("lead_council", "Led by the council", 2, "early_help"),
    Stage("lead_school", "Led by a school", 2, "partner"),
    Stage("lead_early_years", "Led by early years", 2, "partner"),
    Stage("lead_health", "Led by health", 2, "partner"),
    Stage("lead_police", "Led by the police", 2, "partner"),
    Stage("lead_voluntary", "Led by a voluntary or community organisation", 2, "partner"),
    Stage("lead_housing", "Led by housing", 2, "partner"),
    Stage("lead_other", "Led by another agency", 2, "partner"),
    Stage("awaiting_allocation", "Waiting for a lead professional", 2, "neutral"),
    Stage("no_episode", "No early help episode opened", 2, "neutral"),
    # How early help ended (within the follow-up).
    Stage("closed_needs_met", "Closed: needs met", 3, "early_help"),
    Stage("closed_stepped_down", "Closed: stepped down to universal services", 3, "early_help"),
    Stage("closed_declined", "Closed: family declined or disengaged", 3, "neutral"),
    Stage("closed_moved_away", "Closed: moved away", 3, "neutral"),
    Stage("closed_other", "Closed: other reason", 3, "neutral"),
    Stage("still_open", "Still in early help", 3, "early_help"),
    Stage("stepped_up", "Stepped up to social care", 3, "statutory"),
    # Statutory involvement (the deepest stages reached, in order).
    Stage("child_in_need", "Referred to social care (child in need)", 4, "statutory"),
    Stage("child_protection", "Child protection plan", 5, "statutory"),
    Stage("looked_after", "Looked after", 6, "statutory"),
    Stage("step_down", "Stepped down to early help", 7, "early_help"),
)
_ORDER = {stage.key: index for index, stage in enumerate(STAGES)}

_OUTCOME_STAGE: dict[str, str] = {
    Outcome.NO_FURTHER_ACTION: "nfa",
    Outcome.INFORMATION_AND_ADVICE: "advice",
    Outcome.SIGNPOSTING: "advice",
    Outcome.EARLY_HELP_SINGLE: "early_help",
    Outcome.EARLY_HELP_MULTI: "early_help",
    Outcome.SOCIAL_CARE_ASSESSMENT: "social_care",
    Outcome.STRATEGY_DISCUSSION: "social_care",
}
_LEAD_STAGE: dict[str, str] = {
    OrganisationKind.COUNCIL_CHILDRENS_SERVICES: "lead_council",
    OrganisationKind.SCHOOL: "lead_school",
    OrganisationKind.EARLY_YEARS: "lead_early_years",
    OrganisationKind.NHS_TRUST: "lead_health",
    OrganisationKind.GP_PRACTICE: "lead_health",
    OrganisationKind.POLICE: "lead_police",
    OrganisationKind.VOLUNTARY: "lead_voluntary",
    OrganisationKind.HOUSING: "lead_housing",
    OrganisationKind.OTHER: "lead_other",
}
_CLOSURE_STAGE: dict[str, str] = {
    ClosureReason.NEEDS_MET: "closed_needs_met",
    ClosureReason.STEPPED_UP: "stepped_up",
    ClosureReason.STEPPED_DOWN: "closed_stepped_down",
    ClosureReason.DECLINED: "closed_declined",
    ClosureReason.MOVED_AWAY: "closed_moved_away",
    ClosureReason.OTHER: "closed_other",
}


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    column: int
    tone: str
    value: int  # children whose path reaches this stage


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    value: int  # children going straight from source to target


@dataclass
class Flow:
    councils: list[Council]
    first: date  # first day of the cohort's first month
    last: date  # last day of the cohort's last month
    as_of: date
    follow_up_days: int
    children: int
    nodes: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # Disclosure control (``protected``): the stages and links not shown.
    hidden_nodes: frozenset[str] = frozenset()
    hidden_links: frozenset[tuple[str, str]] = frozenset()

    def protected(self) -> Flow:
        """The flow as it may be published (``disclosure``): a stage or link of 1 to 4
        children is suppressed, and so is whatever would give it away - a stage's children
        are the sum of the links arriving at it. The chart leaves them out; the tables show
        the marker."""
        counts: dict[tuple[str, ...], Sequence[float | None]] = {
            ("node", n.key): (n.value,) for n in self.nodes
        }
        counts |= {("link", lk.source, lk.target): (lk.value,) for lk in self.links}
        groups = [
            (
                ("node", n.key),
                [("link", lk.source, n.key) for lk in self.links if lk.target == n.key],
            )
            for n in self.nodes
        ]
        hidden = disclosure.suppress_counts(counts, [g for g in groups if g[1]])
        return replace(
            self,
            hidden_nodes=frozenset(k[1] for k in hidden if k[0] == "node"),
            hidden_links=frozenset((k[1], k[2]) for k in hidden if k[0] == "link"),
        )

    def shown(self) -> Flow:
        """Only the stages and links that are not suppressed (what the chart draws)."""
        return replace(
            self,
            nodes=[n for n in self.nodes if n.key not in self.hidden_nodes],
            links=[
                lk
                for lk in self.links
                if (lk.source, lk.target) not in self.hidden_links
                and lk.source not in self.hidden_nodes
                and lk.target not in self.hidden_nodes
            ],
        )

    @property
    def children_text(self) -> str:
        """How many children, as a page may say it."""
        starts = {n.key for n in self.nodes if n.column == 0}
        if disclosure.is_small(self.children) or starts & self.hidden_nodes:
            return "fewer than 5"
        return f"{self.children:,}"

    def node(self, key: str) -> Node | None:
        return next((node for node in self.nodes if node.key == key), None)

    def link(self, source: str, target: str) -> int:
        """Children going straight from ``source`` to ``target`` (0 if none)."""
        return next(
            (lk.value for lk in self.links if lk.source == source and lk.target == target), 0
        )

    @property
    def follow_up_complete(self) -> bool:
        """Has every child in the cohort had the full follow-up by ``as_of``?"""
        return self.last + timedelta(days=self.follow_up_days) <= self.as_of

    def table(self) -> Table:
        """The chart's table alternative: every link, in the chart's order."""
        labels = {node.key: node.label for node in self.nodes}
        councils = ", ".join(c.name for c in self.councils)
        return Table(
            caption=f"Where the {self.children_text} children went next",
            columns=["Stage", "To", "Children"],
            numeric=[False, False, True],
            rows=[
                [
                    labels[lk.source],
                    labels[lk.target],
                    disclosure.MARKER if (lk.source, lk.target) in self.hidden_links else lk.value,
                ]
                for lk in self.links
            ],
            notes=[
                f"Councils: {councils}.",
                f"Children with a contact received, or on early help opened by a partner, "
                f"{govuk_date(self.first)} to {govuk_date(self.last)}, each counted once from "
                f"their "
                f"first starting point; followed for {self.follow_up_days} days after it, to "
                f"{govuk_date(self.as_of)} at most.",
            ],
        )


@dataclass
class _Child:
    contact_id: object  # None for a child who started on a partner-opened episode
    received_on: date  # the contact's receipt, or the partner-opened episode's start
    outcome: str | None
    # The partner-opened episode the child started on (its row, as ``episode_of`` holds).
    partner_episode: tuple[object, ...] | None = None


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _cohort_links(councils: Sequence[Council], first: date, last: date) -> QuerySet[ContactChild]:
    """The children named on contacts received (and submitted) in ``first``..``last``. (A
    contact's children are children or unborn children: never adults.)"""
    return ContactChild.objects.filter(
        contact__council__in=councils,
        contact__received_at__gte=_aware(first),
        contact__received_at__lt=_aware(last + timedelta(days=1)),
    ).exclude(contact__status=ContactStatus.DRAFT)


Rows = dict[object, tuple[object, ...]]


def _read_episodes(
    councils: Sequence[Council], first: date, last: date, cohort: dict[tuple[int, object], _Child]
) -> tuple[Q, dict[tuple[object, object], tuple[object, ...]], Rows]:
    """One query: the episodes opened from the cohort's contacts (by contact and child, and
    by contact) and those partners opened from ``first`` to ``last``, whose children join
    ``cohort`` unless they came to the front door earlier in the period. Answers the
    filter that found them (for the step-ups) too."""
    from_contacts = Q(
        episode__front_door_decision__contact__council__in=councils,
        episode__front_door_decision__contact__received_at__gte=_aware(first),
        episode__front_door_decision__contact__received_at__lt=_aware(last + timedelta(days=1)),
    )
    by_partners = Q(
        episode__origin=EpisodeOrigin.PARTNER,
        episode__council__in=councils,
        episode__start_date__gte=first,
        episode__start_date__lte=last,
    )
    episode_of: dict[tuple[object, object], tuple[object, ...]] = {}
    any_episode_of: dict[object, tuple[object, ...]] = {}
    for row in (
        Episode.children.through.objects.filter(from_contacts | by_partners)
        .order_by("episode__start_date", "episode_id")
        .values_list(
            "person_id",
            "episode__front_door_decision__contact_id",
            "episode_id",
            "episode__lead_professional_organisation__kind",
            "episode__allocated_at__date",
            "episode__closure__reason",
            "episode__closure__closed_on",
            "episode__origin",
            "episode__council_id",
            "episode__start_date",
        )
    ):
        person_id, contact_id, _, _, _, _, _, origin, council_id, start = row
        if origin == EpisodeOrigin.PARTNER:
            # A child starts here unless they came to the front door first in the period.
            key = (council_id, person_id)
            known = cohort.get(key)
            if known is None or (known.partner_episode is None and start < known.received_on):
                cohort[key] = _Child(None, start, None, partner_episode=row[:7])
            continue
        episode_of[(contact_id, person_id)] = row[:7]
        any_episode_of.setdefault(contact_id, row[:7])

    return from_contacts | by_partners, episode_of, any_episode_of


def compute_flow(
    *,
    councils: Sequence[Council],
    first: date,
    last: date,
    as_of: date | None = None,
    follow_up_days: int = FOLLOW_UP_DAYS,
) -> Flow:
    """The flow of the children with a contact received, or on early help a partner
    opened, from ``first`` to ``last`` (inclusive) in ``councils``, followed for
    ``follow_up_days`` (to ``as_of`` at most)."""
    as_of = as_of or timezone.localdate()
    council_ids = [c.pk for c in councils]
    horizon = min(last + timedelta(days=follow_up_days), as_of)

    # 1. The cohort: each child's first contact in the period, with its outcome.
    cohort: dict[tuple[int, object], _Child] = {}
    rows = (
        _cohort_links(councils, first, last)
        .order_by("contact__received_at", "contact_id")
        .values_list(
            "contact__council_id",
            "person_id",
            "contact_id",
            "contact__received_at__date",
            "contact__decision__outcome",
        )
    )
    for council_id, person_id, contact_id, received_on, outcome in rows:
        key = (council_id, person_id)
        if key not in cohort:
            cohort[key] = _Child(contact_id, received_on, outcome)

    # 2. Early help episodes opened from the cohort's contacts, and those partners opened in
    # the period (whose children join the cohort), with the children on them.
    episodes, episode_of, any_episode_of = _read_episodes(councils, first, last, cohort)

    # 3. Agreed step-ups from those episodes (an episode may step up before it closes).
    stepped_up_on: dict[object, date] = {}
    for episode_id, requested_on, decided_on in StepUp.objects.filter(
        episodes, decision=StepUpDecision.AGREED
    ).values_list("episode_id", "requested_on", "decided_at__date"):
        day = decided_on or requested_on
        if episode_id not in stepped_up_on or day < stepped_up_on[episode_id]:
            stepped_up_on[episode_id] = day

    # 4. Statutory involvement from the cohort's first month on, kept for the cohort's
    # children. (Filtering by council, kind and date uses the table's index; matching the
    # cohort here rather than in SQL keeps the plan simple whatever the statistics say.)
    statutory: dict[tuple[int, object], list[tuple[str, date, object]]] = {}
    for council_id, person_id, kind, start, contact_id in (
        StatutoryInvolvement.objects.filter(
            council__in=councils,
            kind__in=[
                InvolvementKind.REFERRAL,
                InvolvementKind.CHILD_PROTECTION_PLAN,
                InvolvementKind.LOOKED_AFTER,
            ],
            start_date__gte=first - timedelta(days=7),
            start_date__lte=horizon,
        )
        .order_by("start_date")
        .values_list("council_id", "person_id", "kind", "start_date", "contact_id")
    ):
        if (council_id, person_id) in cohort:
            statutory.setdefault((council_id, person_id), []).append((kind, start, contact_id))

    # 5. Step-downs from social care to early help for the cohort's children.
    step_downs: dict[tuple[int, object], list[date]] = {}
    for council_id, person_id, start in Episode.children.through.objects.filter(
        episode__origin=EpisodeOrigin.STEP_DOWN,
        episode__council_id__in=council_ids,
        episode__start_date__gte=first,
        episode__start_date__lte=horizon,
    ).values_list("episode__council_id", "person_id", "episode__start_date"):
        if (council_id, person_id) in cohort:
            step_downs.setdefault((council_id, person_id), []).append(start)

    # Each child's path, then the links between consecutive stages.
    link_counts: Counter[tuple[str, str]] = Counter()
    node_counts: Counter[str] = Counter()
    for who, child in cohort.items():
        end = min(child.received_on + timedelta(days=follow_up_days), as_of)
        path = _path(
            child,
            end,
            child.partner_episode
            or episode_of.get((child.contact_id, who[1]))
            or any_episode_of.get(child.contact_id),
            stepped_up_on,
            statutory.get(who, []),
            step_downs.get(who, []),
        )
        node_counts.update(path)
        link_counts.update(zip(path, path[1:], strict=False))

    nodes = [
        Node(stage.key, stage.label, stage.column, stage.tone, node_counts[stage.key])
        for stage in STAGES
        if node_counts[stage.key]
    ]
    links = [
        Link(source, target, value)
        for (source, target), value in sorted(
            link_counts.items(), key=lambda item: (_ORDER[item[0][0]], _ORDER[item[0][1]])
        )
    ]
    return Flow(
        councils=list(councils),
        first=first,
        last=last,
        as_of=as_of,
        follow_up_days=follow_up_days,
        children=len(cohort),
        nodes=nodes,
        links=links,
    )


def _path(
    child: _Child,
    end: date,
    episode: tuple[object, ...] | None,
    stepped_up_on: dict[object, date],
    statutory: Iterable[tuple[str, date, object]],
    step_downs: Iterable[date],
) -> list[str]:
    """The stages one child reached by ``end``, in order."""
    if child.partner_episode is not None:
        path = ["partner_episode", *_early_help_path(episode, end, stepped_up_on)]
    else:
        path = ["contact", _OUTCOME_STAGE.get(child.outcome or "", "not_decided")]
        if path[-1] == "early_help":
            path += _early_help_path(episode, end, stepped_up_on)

    # Social care: a referral from this contact, or any starting after it within the
    # follow-up; then the first child protection plan and period of care after it.
    referral: date | None = None
    for kind, start, contact_id in statutory:
        if referral is None:
            from_this_contact = contact_id is not None and contact_id == child.contact_id
            if kind == InvolvementKind.REFERRAL and (
                from_this_contact or child.received_on <= start <= end
            ):
                referral = start
                path.append("child_in_need")
            continue
        if start > end:
            break
        if kind == InvolvementKind.CHILD_PROTECTION_PLAN and "child_protection" not in path:
            if "looked_after" not in path:
                path.append("child_protection")
        elif kind == InvolvementKind.LOOKED_AFTER and "looked_after" not in path:
            path.append("looked_after")
    if referral is not None and any(referral <= day <= end for day in step_downs):
        path.append("step_down")
    return path


def _early_help_path(
    episode: tuple[object, ...] | None, end: date, stepped_up_on: dict[object, date]
) -> list[str]:
    if episode is None:
        return ["no_episode"]
    _, _, episode_id, lead_kind, allocated, closure_reason, closed_on = episode
    if lead_kind and isinstance(allocated, date) and allocated <= end:
        lead = _LEAD_STAGE.get(str(lead_kind), "lead_other")
    else:
        lead = "awaiting_allocation"
    step_up = stepped_up_on.get(episode_id)
    if step_up is not None and step_up <= end:
        ending = "stepped_up"
    elif closure_reason and isinstance(closed_on, date) and closed_on <= end:
        ending = _CLOSURE_STAGE.get(str(closure_reason), "closed_other")
    else:
        ending = "still_open"
    return [lead, ending]
