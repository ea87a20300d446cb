"""What the front-door step plans before it writes anything: the families it may hear
about, the referrers, the contacts and the police notifications, and small helpers."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from continuum.accounts.models import User
from continuum.demo.generator.world import DemoPerson
from continuum.front_door.choices import (
    ContactStatus,
)
from continuum.front_door.models import (
    Contact,
    ContactDecision,
    DomesticAbuseNotification,
)
from continuum.organisations.models import Organisation
from continuum.people.models import Household


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def phone_number(rng: random.Random) -> str:
    """A number from Ofcom's ranges kept for drama (never a real line)."""
    if rng.random() < 0.5:
        return f"01632 960{rng.randint(0, 999):03d}"
    return f"07700 900{rng.randint(0, 999):03d}"


def email_for(name: str, organisation: str) -> str:
    user = ".".join(name.lower().replace("'", "").split()[-2:]) or "referrer"
    domain = "".join(ch for ch in organisation.lower() if ch.isalnum())[:24] or "referrer"
    return f"{user}@{domain}.example.org"


def first_names(people: Sequence[DemoPerson]) -> str:
    names = [p.person.given_name for p in people]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- what is planned before anything is written ------------------------------------------


@dataclass(eq=False)  # compared by identity: each is one record
class Family:
    """A household the front door may hear about: its children and adults."""

    key: str
    household: Household
    children: list[DemoPerson]
    adults: list[DemoPerson]

    def children_on(self, day: date) -> list[DemoPerson]:
        return [
            c
            for c in self.children
            if c.person.date_of_birth is not None
            and c.person.date_of_birth < day
            and (c.age_on(day) or 0) < 18
        ]


@dataclass
class Referrer:
    name: str
    role: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(eq=False)  # compared by identity: each is one record
class Notification:
    """A police domestic-abuse notification, planned, and what joint triage made of it."""

    family: Family
    victim: DemoPerson
    perpetrator: DemoPerson | None
    perpetrator_description: str
    children: list[tuple[DemoPerson, bool]]
    incident_at: datetime
    received_at: datetime
    risk: str
    ticks: int
    repeats: int
    officer: str
    collar: str
    summary: str
    hold_back: bool = False  # missed by the joint triage meetings: still waiting, overdue
    miss_first: bool = False  # missed at the first meeting, triaged (late) at the next
    no_marac_exception: bool = False  # high risk, no MARAC referral, with the reason
    triaged_at: datetime | None = None
    chair: User | None = None
    contact: Planned | None = None
    row: DomesticAbuseNotification | None = None


@dataclass
class StepUpReferral:
    """An early help step-up a manager agreed: it reaches the front door as a contact
    carrying the family, the reason and the consent the lead professional recorded."""

    requester: User
    manager: User
    reason: str
    family_agreement: str
    sharing_justification: str
    requested_on: date


@dataclass(eq=False)  # compared by identity: each is one record
class Planned:
    """One contact, planned: who it is about, where it came from and how it goes."""

    family: Family
    children: list[DemoPerson]
    received_at: datetime
    source: str
    earlier: bool = False
    partner: User | None = None  # a partner demo sign-in who made it themselves
    notification: Notification | None = None
    step_up: StepUpReferral | None = None
    draft: bool = False
    outcome: str = ""
    severity: float = 0.0
    # Where the contact stays at the as-of date, if not where its timeline takes it.
    stays: str = ""
    awaiting: bool = False
    late_days: int = 0
    sign_off: bool = False  # no further action with a level 3 indicator
    hold_sign_off: bool = False  # ... still waiting for the manager
    is_repeat: bool = False
    created_by: User | None = None
    # Worked out while writing.
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    events: list[tuple[str, datetime, User, str]] = field(default_factory=list)
    row: Contact | None = None
    decision: ContactDecision | None = None

    @property
    def key(self) -> str:
        return self.family.key

    @property
    def received_on(self) -> date:
        return local(self.received_at).date()

    @property
    def status(self) -> str:
        return self.events[-1][0] if self.events else ContactStatus.DRAFT
