"""Reading threshold decisions for the front-door pages: whether the outcome may be told,
the indicators to choose from with the framework's suggestion, and the decisions waiting
for a team manager's sign-off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, ContactDecision, DecisionNotAgreed
from continuum.front_door.selectors.contacts import with_people
from continuum.thresholds.models import Domain, Indicator
from continuum.thresholds.rules import IndicatorFacts, Suggestion, parameters, suggest_level
from continuum.thresholds.selectors import current_version, indicators_by_domain


def outcome_is_final(contact: Contact) -> bool:
    """The referrer may be told the outcome: decided, and signed off where that is needed."""
    return contact.status in (ContactStatus.DECIDED, ContactStatus.CLOSED)


def standing_decision(contact: Contact) -> ContactDecision | None:
    """The contact's decision once it stands (recorded, and signed off where that is
    needed), when its level and outcome are told; None before."""
    decision: ContactDecision | None = getattr(contact, "decision", None)
    return decision if decision is not None and contact.decided_at is not None else None


# --- the indicators to choose from ------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorGroup:
    domain: Domain
    indicators: list[Indicator]


def indicator_groups() -> list[IndicatorGroup]:
    """The current framework's indicators, grouped by domain (empty when none is current)."""
    version = current_version()
    if version is None:
        return []
    return [
        IndicatorGroup(domain=group.domain, indicators=group.indicators)
        for group in indicators_by_domain(version=version)
        if group.indicators
    ]


def indicator_codes() -> list[str]:
    version = current_version()
    if version is None:
        return []
    return list(
        Indicator.objects.filter(version=version).order_by("code").values_list("code", flat=True)
    )


def suggestion_for(codes: Iterable[str]) -> Suggestion | None:
    """What the shared framework suggests for the indicators with ``codes`` (None if none
    of them is in the current version)."""
    version = current_version()
    wanted = [c for c in codes if c]
    if version is None or not wanted:
        return None
    indicators = Indicator.objects.filter(version=version, code__in=wanted).select_related("domain")
    facts = [
        IndicatorFacts(code=i.code, title=i.title, level=i.level, domain=i.domain.code)
        for i in indicators
    ]
    return suggest_level(facts) if facts else None


def suggestion_rules() -> dict[str, object]:
    """What the decision page's script needs to suggest a level as indicators are ticked,
    by the same rules as ``suggestion_for``: the rules' parameters and, for each indicator
    of the current framework, its level and domain."""
    version = current_version()
    indicators = (
        Indicator.objects.filter(version=version).values_list("code", "level", "domain__code")
        if version is not None
        else []
    )
    return {
        **parameters(),
        "indicators": {code: [level, domain] for code, level, domain in indicators},
    }


# --- sign-off ------------------------------------------------------------------------------


def awaiting_sign_off(*, user: User) -> QuerySet[Contact]:
    """Contacts of the user's council whose no-further-action decision waits for a team
    manager's sign-off, oldest first."""
    council = policy.council_of(user)
    if council is None:
        return Contact.objects.none()
    return with_people(
        policy.visible(user, Contact).filter(
            council=council,
            decision__needs_manager_sign_off=True,
            decision__signed_off_at__isnull=True,
        )
    ).order_by("received_at")


def decisions_not_agreed(contact: Contact) -> list[DecisionNotAgreed]:
    """The decisions a team manager did not agree on ``contact``, the latest first, with
    who made them and who did not agree."""
    return list(contact.decisions_not_agreed.select_related("decided_by", "manager"))
