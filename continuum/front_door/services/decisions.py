"""The front door's threshold decision on a contact, and a team manager's sign-off of no
further action where an indicator is at level 3 or 4. A decision stands once signed off
where that is needed: then the contact is decided, the children's chronologies say so and
the referrer keeps sight of the children for long enough to read the outcome. A manager
who does not agree says why, and the contact goes back to the worker to decide again.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access.services import end_involvement
from continuum.accounts.models import Role, User
from continuum.errors import InvalidState, NotPermitted
from continuum.front_door.choices import (
    ALLOWED_TRANSITIONS,
    OUTCOME_LEVELS,
    ContactStatus,
    Outcome,
)
from continuum.front_door.models import Contact, ContactDecision, DecisionNotAgreed
from continuum.front_door.policies import REFERRER_FOLLOWS_FOR
from continuum.front_door.services.common import indicators_from_codes
from continuum.front_door.services.contacts import STALE_CONTACT, record_status
from continuum.front_door.services.telling import (
    tell_managers_sign_off,
    tell_referrer_outcome,
    tell_worker_returned,
)
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council
from continuum.people.choices import ChronologyCategory
from continuum.people.services import record_chronology_event
from continuum.thresholds.models import Indicator
from continuum.thresholds.rules import IndicatorFacts, Suggestion, suggest_level
from continuum.thresholds.selectors import effective_framework
from continuum.timescales.working_days import assessment_due_date

# How long a referrer keeps sight of the children after the decision, to read the outcome.
REFERRER_INVOLVEMENT_AFTER_DECISION = REFERRER_FOLLOWS_FOR

STALE_DECISION = (
    "Someone else changed or decided this contact after you opened it. Nothing was saved: "
    "open the contact again to see their change."
)


def council_indicator_facts(
    indicators: Sequence[Indicator], *, council: Council | None
) -> tuple[list[IndicatorFacts], list[str]]:
    """``indicators`` as they apply in ``council``'s threshold framework (the shared one
    with the council's local variation laid on it: a level changed locally counts at the
    local level), and the codes the council does not use. A contact is decided for its
    child's council, whoever decides it (a hub's worker may be of another council)."""
    if council is None or not indicators:
        facts = [
            IndicatorFacts(code=i.code, title=i.title, level=i.level, domain=i.domain.code)
            for i in indicators
        ]
        return facts, []
    framework = effective_framework(council=council, version=indicators[0].version)
    facts, not_used = [], []
    for indicator in indicators:
        local = framework.find(indicator.code)
        if local is None or not local.in_use:
            not_used.append(indicator.code)
            continue
        facts.append(
            IndicatorFacts(
                code=local.code, title=local.title, level=local.level, domain=local.domain.code
            )
        )
    return facts, not_used


def _finish_decision(contact: Contact, decision: ContactDecision, *, by: User) -> None:
    contact.decided_at = decision.signed_off_at or decision.decided_at
    record_status(contact, to_status=ContactStatus.DECIDED, by=by)
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    source = f"front_door.contact:{contact.pk}"
    ends = timezone.now() + REFERRER_INVOLVEMENT_AFTER_DECISION
    for child in contact.children.all():
        record_chronology_event(
            person=child,
            occurred_on=timezone.localdate(),
            category=ChronologyCategory.DECISION,
            title=f"Front-door decision: {decision.get_outcome_display()} (level {decision.level})",
            detail=decision.rationale,
            source=source,
            recorded_by=by,
        )
    if contact.referrer_user is not None:
        # The referrer keeps sight of the children for long enough to read the outcome.
        # Through the access service, so each change keeps its version.
        for child in contact.children.all():
            end_involvement(user=contact.referrer_user, person=child, source=source, ends_at=ends)
    tell_referrer_outcome(contact)


def check_decision(
    *,
    level: int,
    indicator_codes: Sequence[str],
    outcome: str,
    rationale: str,
    difference_reason: str,
    council: Council | None = None,
) -> tuple[list[Indicator], Suggestion | None, dict[str, list[str]]]:
    """Validate a threshold decision; returns its indicators, the framework's suggestion
    and the errors (empty when the decision may be recorded). Given the contact's
    ``council``, the indicators are read in that council's framework (its variation)."""
    errors: dict[str, list[str]] = {}
    indicators: list[Indicator] = []
    try:
        indicators = indicators_from_codes(indicator_codes, field="indicators")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not indicator_codes:
        errors["indicators"] = ["Select the threshold indicators that justify the decision."]
    if level not in (1, 2, 3, 4):
        errors["level"] = ["Select a level of need from 1 to 4."]
    if outcome not in Outcome.values:
        errors["outcome"] = ["Select the outcome."]
    elif level in (1, 2, 3, 4) and level not in OUTCOME_LEVELS[outcome]:
        allowed = " or ".join(str(v) for v in sorted(OUTCOME_LEVELS[outcome]))
        errors["outcome"] = [
            f"{Outcome(outcome).label} does not fit level {level}: it is for level {allowed}."
        ]
    if not rationale.strip():
        errors["rationale"] = ["Explain the decision (the rationale)."]
    facts, not_used = council_indicator_facts(indicators, council=council)
    if not_used and council is not None:
        errors["indicators"] = [
            f"{council.name} does not use {', '.join(not_used)} in its threshold framework: "
            f"decide by {council.name}'s framework."
        ]
    suggestion = suggest_level(facts) if facts else None
    if (
        suggestion is not None
        and suggestion.level is not None
        and level != suggestion.level
        and not difference_reason.strip()
    ):
        errors["difference_reason"] = [
            f"The framework suggests level {suggestion.level}; explain why you chose level {level}."
        ]
    return indicators, suggestion, errors


@transaction.atomic
def decide_contact(
    *,
    contact: Contact,
    by: User,
    expected_version: int,
    level: int,
    indicator_codes: Sequence[str],
    outcome: str,
    rationale: str,
    difference_reason: str = "",
) -> ContactDecision:
    """Record the threshold decision. One decision per contact; the second is refused.

    Decided for the contact's council (its child's), whoever decides it: the indicators,
    the suggested level and whether no further action needs a manager's sign-off are read
    in ``contact.council``'s threshold framework; the timescales run from the contact's
    receipt (the working-day calendar and Working Together's, the same in every council).
    """
    if ContactDecision.objects.filter(contact=contact).exists():
        raise InvalidState("This contact already has a decision.")
    if ContactStatus.DECIDED not in ALLOWED_TRANSITIONS[contact.status]:
        raise InvalidState(
            f"A contact that is {contact.get_status_display().lower()} cannot be decided: "
            "start screening it first."
        )
    indicators, suggestion, errors = check_decision(
        level=level,
        indicator_codes=indicator_codes,
        outcome=outcome,
        rationale=rationale,
        difference_reason=difference_reason,
        council=contact.council,
    )
    if errors:
        raise ValidationError(errors)
    claim_version(contact, expected_version, message=STALE_DECISION)
    facts, _ = council_indicator_facts(indicators, council=contact.council)
    high_indicator = any(f.level >= 3 for f in facts)
    needs_sign_off = outcome == Outcome.NO_FURTHER_ACTION and high_indicator
    now = timezone.now()
    decision = ContactDecision(
        contact=contact,
        level=level,
        suggested_level=suggestion.level if suggestion else None,
        suggestion_reasons="\n".join(suggestion.reasons) if suggestion else "",
        difference_reason=difference_reason.strip(),
        outcome=outcome,
        rationale=rationale.strip(),
        decided_by=by,
        decided_at=now,
        needs_manager_sign_off=needs_sign_off,
    )
    if needs_sign_off and by.role == Role.TEAM_MANAGER:
        decision.signed_off_by = by
        decision.signed_off_at = now
    if outcome == Outcome.SOCIAL_CARE_ASSESSMENT:
        # Working Together: 45 working days from the referral date, the day the referral
        # reached the front door (not the day of this decision).
        decision.assessment_due_date = assessment_due_date(
            timezone.localtime(contact.received_at).date()
        )
    decision._history_user = by  # type: ignore[attr-defined]
    decision.save()
    decision.indicators.set(indicators)
    if not decision.awaiting_sign_off:
        _finish_decision(contact, decision, by=by)
    else:
        if contact.status == ContactStatus.RETURNED:
            # Decided again after a manager did not agree: back in screening until signed off.
            record_status(
                contact,
                to_status=ContactStatus.IN_SCREENING,
                by=by,
                note="Decided again: waiting for a team manager's sign-off.",
            )
        contact._history_user = by  # type: ignore[attr-defined]
        contact.save()
        tell_managers_sign_off(contact, by=by)
    return decision


@transaction.atomic
def sign_off_decision(
    *, decision: ContactDecision, manager: User, expected_version: int | None = None
) -> ContactDecision:
    """A team manager signs off no further action on a contact with a level 3 or 4 indicator,
    as the contact stood at ``expected_version`` (as it stands now, if not given)."""
    if manager.role != Role.TEAM_MANAGER:
        raise NotPermitted("Only a team manager can sign this off.")
    if not decision.awaiting_sign_off:
        raise InvalidState("This decision is not awaiting sign-off.")
    contact = decision.contact
    version = contact.version if expected_version is None else expected_version
    claim_version(contact, version, what="contact", message=STALE_CONTACT)
    decision.signed_off_by = manager
    decision.signed_off_at = timezone.now()
    decision._history_user = manager  # type: ignore[attr-defined]
    decision.save()
    _finish_decision(contact, decision, by=manager)
    return decision


@transaction.atomic
def not_agree_decision(
    *,
    decision: ContactDecision,
    manager: User,
    reason: str,
    expected_version: int | None = None,
) -> DecisionNotAgreed:
    """A team manager does not agree a decision awaiting their sign-off. The decision as it
    stood and the manager's reason are kept (``DecisionNotAgreed``), the decision is taken
    off the contact (its history is kept) and the contact is returned to the worker, who
    sees the reason on it and decides again."""
    if manager.role != Role.TEAM_MANAGER:
        raise NotPermitted("Only a team manager can sign this off.")
    if not decision.awaiting_sign_off:
        raise InvalidState("This decision is not awaiting sign-off.")
    if not reason.strip():
        raise ValidationError(
            {"reason": ["Say why you do not agree: the worker reads it before deciding again."]}
        )
    contact = decision.contact
    if ContactStatus.RETURNED not in ALLOWED_TRANSITIONS[contact.status]:
        raise InvalidState(
            f"A contact that is {contact.get_status_display().lower()} cannot be returned."
        )
    version = contact.version if expected_version is None else expected_version
    claim_version(contact, version, what="contact", message=STALE_CONTACT)
    returned = DecisionNotAgreed.objects.create(
        contact=contact,
        level=decision.level,
        outcome=decision.outcome,
        indicator_codes=", ".join(i.code for i in decision.indicators.order_by("code")),
        rationale=decision.rationale,
        decided_by=decision.decided_by,
        decided_at=decision.decided_at,
        reason=reason.strip(),
        manager=manager,
    )
    decision._history_user = manager  # type: ignore[attr-defined]
    decision.delete()
    record_status(contact, to_status=ContactStatus.RETURNED, by=manager, note=reason.strip())
    contact._history_user = manager  # type: ignore[attr-defined]
    contact.save()
    tell_worker_returned(contact, worker=returned.decided_by, by=manager)
    return returned
