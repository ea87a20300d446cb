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
from continuum.front_door.policies import councils_user_may_refer_to
from continuum.front_door.selectors.contacts import with_people
from continuum.front_door.services.decisions import council_indicator_facts
from continuum.organisations.models import Council
from continuum.thresholds.models import Domain, Indicator
from continuum.thresholds.rules import Suggestion, parameters, suggest_level
from continuum.thresholds.selectors import (
    current_version,
    effective_framework,
    indicators_by_domain,
)


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


def suggestion_for(codes: Iterable[str], council: Council | None = None) -> Suggestion | None:
    """What the framework suggests for the indicators with ``codes`` (None if none of them
    is in the current version): ``council``'s framework (its local variation laid on the
    shared one) when given, as a contact is decided for its council."""
    version = current_version()
    wanted = [c for c in codes if c]
    if version is None or not wanted:
        return None
    indicators = Indicator.objects.filter(version=version, code__in=wanted).select_related("domain")
    facts, _ = council_indicator_facts(list(indicators), council=council)
    return suggest_level(facts) if facts else None


def suggestion_rules(council: Council | None = None) -> dict[str, object]:
    """What the decision page's script needs to suggest a level as indicators are ticked,
    by the same rules as ``suggestion_for``: the rules' parameters and, for each indicator
    of the current framework, its level and domain (in ``council``'s framework when given;
    an indicator the council does not use is left out)."""
    version = current_version()
    if version is None:
        return {**parameters(), "indicators": {}}
    indicators: dict[str, list[object]] = {}
    if council is None:
        for code, level, domain in Indicator.objects.filter(version=version).values_list(
            "code", "level", "domain__code"
        ):
            indicators[code] = [level, domain]
    else:
        for local in effective_framework(council=council, version=version).in_use:
            indicators[local.code] = [local.level, local.domain.code]
    return {**parameters(), "indicators": indicators}


# --- sign-off ------------------------------------------------------------------------------


def awaiting_sign_off(*, user: User) -> QuerySet[Contact]:
    """Contacts of the user's council (and of every council a hub's team manager decides
    for) whose no-further-action decision waits for a team manager's sign-off, oldest
    first."""
    council = policy.council_of(user)
    if council is None:
        return Contact.objects.none()
    councils = [c.pk for c in councils_user_may_refer_to(user)]
    return with_people(
        policy.visible(user, Contact).filter(
            council__in=councils,
            decision__needs_manager_sign_off=True,
            decision__signed_off_at__isnull=True,
        )
    ).order_by("received_at")


def decisions_not_agreed(contact: Contact) -> list[DecisionNotAgreed]:
    """The decisions a team manager did not agree on ``contact``, the latest first, with
    who made them and who did not agree."""
    return list(contact.decisions_not_agreed.select_related("decided_by", "manager"))
