"""Recording what follows the front door's decision (Working Together 2023): the referral
to children's social care, the strategy discussion and section 47 enquiry, the initial
child protection conference (and the plan it made), the assessment and its authorisation.

Each service checks the policy, refuses bad input with ``ValidationError`` keyed by field
(nothing saved) and writes in one transaction. Dates are local dates in England, never in
the future.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.front_door.models import ContactDecision
from continuum.people.choices import ChronologyCategory
from continuum.people.services import record_chronology_event
from continuum.statutory.choices import (
    REFERRAL_OUTCOMES,
    AbuseCategory,
    InvolvementKind,
    RecordSource,
)
from continuum.statutory.models import StatutoryInvolvement
from continuum.statutory.policies import StatutoryAction
from continuum.timescales.working_together import icpc_due_date
from continuum.ui.dates import govuk_date


def referral_date_of(decision: ContactDecision) -> date:
    """The referral date of a front-door referral: the local day the contact reached the
    front door (the assessment's 45 working days count from it, not from the decision)."""
    return timezone.localtime(decision.contact.received_at).date()


def _not_future(errors: dict[str, list[str]], field: str, day: date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field, []).append(f"The {what} must be today or in the past.")


def _check_referral(referral: StatutoryInvolvement) -> None:
    if referral.kind != InvolvementKind.REFERRAL:
        raise ValidationError({"referral": ["Choose a referral to children's social care."]})
    if referral.end_date is not None:
        raise InvalidState("This referral is closed: nothing more can be recorded on it.")


def _chronology(record: StatutoryInvolvement, title: str, *, on: date, by: User) -> None:
    record_chronology_event(
        person=record.person,
        occurred_on=on,
        category=ChronologyCategory.SOCIAL_CARE,
        title=title,
        source=f"statutory.involvement:{record.pk}",
        recorded_by=by,
    )


def _part_of(referral: StatutoryInvolvement, kind: str, **details: Any) -> StatutoryInvolvement:
    """A new record of ``kind`` on the referral: the same child and council."""
    return StatutoryInvolvement(
        person=referral.person,
        council_id=referral.council_id,
        kind=kind,
        referral=referral,
        **details,
    )


def _save_recorded(
    record: StatutoryInvolvement, title: str, *, on: date, by: User
) -> StatutoryInvolvement:
    """Check and save a record made in Continuum, and put it on the child's chronology."""
    record.source = RecordSource.RECORDED
    record.full_clean()
    record.save()
    _chronology(record, title, on=on, by=by)
    return record


@transaction.atomic
def refer_from_decision(*, decision: ContactDecision, by: User) -> list[StatutoryInvolvement]:
    """Open the referral to children's social care a front-door decision asked for: one
    child in need episode per child on the contact, from the referral date (the day the
    contact was received), linked to the contact. A child already referred from this
    contact keeps their referral; when every child has one, it is refused."""
    policy.require(user=by, action=StatutoryAction.RECORD, obj=decision)
    if decision.outcome not in REFERRAL_OUTCOMES:
        raise ValidationError(
            {"decision": ["This front-door decision did not refer to children's social care."]}
        )
    contact = decision.contact
    if decision.awaiting_sign_off or contact.decided_at is None:
        raise ValidationError({"decision": ["The front-door decision is not final yet."]})
    already = set(
        StatutoryInvolvement.objects.filter(
            contact=contact, kind=InvolvementKind.REFERRAL
        ).values_list("person_id", flat=True)
    )
    children = [child for child in contact.children.all() if child.pk not in already]
    if not children:
        raise InvalidState("The referral from this contact is already recorded.")
    start = referral_date_of(decision)
    made = []
    for child in children:
        referral = StatutoryInvolvement(
            person=child,
            council_id=contact.council_id,
            kind=InvolvementKind.REFERRAL,
            start_date=start,
            referral_source=contact.referral_source,
            contact=contact,
        )
        made.append(_save_recorded(referral, "Referred to children's social care", on=start, by=by))
    return made


@transaction.atomic
def record_section_47(
    *,
    referral: StatutoryInvolvement,
    by: User,
    start_date: date,
    strategy_discussion_date: date | None,
    icpc_not_required: bool = False,
) -> StatutoryInvolvement:
    """Record a section 47 enquiry on a referral: the strategy discussion that started it,
    its start and whether no initial conference is needed. The conference's target date
    is 15 working days after the strategy discussion (after the start without one)."""
    policy.require(user=by, action=StatutoryAction.RECORD, obj=referral)
    _check_referral(referral)
    errors: dict[str, list[str]] = {}
    _not_future(errors, "strategy_discussion_date", strategy_discussion_date, "strategy discussion")
    _not_future(errors, "start_date", start_date, "enquiry's start")
    if strategy_discussion_date is not None and strategy_discussion_date > start_date:
        errors.setdefault("strategy_discussion_date", []).append(
            "The strategy discussion must be on or before the enquiry's start."
        )
    if strategy_discussion_date is not None and strategy_discussion_date < referral.start_date:
        errors.setdefault("strategy_discussion_date", []).append(
            f"The strategy discussion must be on or after the referral "
            f"({govuk_date(referral.start_date)})."
        )
    if start_date < referral.start_date:
        errors.setdefault("start_date", []).append(
            f"The enquiry must start on or after the referral ({govuk_date(referral.start_date)})."
        )
    if errors:
        raise ValidationError(errors)
    enquiry = _part_of(
        referral,
        InvolvementKind.SECTION_47,
        start_date=start_date,
        strategy_discussion_date=strategy_discussion_date,
        icpc_target_date=None
        if icpc_not_required
        else icpc_due_date(strategy_discussion_date, start_date),
        icpc_not_required=icpc_not_required,
    )
    return _save_recorded(enquiry, "Section 47 enquiry started", on=start_date, by=by)


@transaction.atomic
def record_initial_conference(
    *,
    enquiry: StatutoryInvolvement,
    by: User,
    held_on: date,
    plan_made: bool,
    abuse_category: str = "",
) -> StatutoryInvolvement:
    """Record the initial child protection conference that followed a section 47 enquiry,
    and whether it made a child protection plan (with its category of abuse)."""
    policy.require(user=by, action=StatutoryAction.RECORD, obj=enquiry)
    if enquiry.kind != InvolvementKind.SECTION_47:
        raise ValidationError({"enquiry": ["Choose a section 47 enquiry."]})
    if enquiry.icpc_not_required:
        raise InvalidState("This enquiry was recorded as needing no initial conference.")
    if StatutoryInvolvement.objects.filter(
        enquiry=enquiry, kind=InvolvementKind.INITIAL_CONFERENCE
    ).exists():
        raise InvalidState("The initial conference for this enquiry is already recorded.")
    referral = enquiry.referral
    assert referral is not None  # a section 47 enquiry always belongs to a referral
    _check_referral(referral)
    errors: dict[str, list[str]] = {}
    _not_future(errors, "held_on", held_on, "conference date")
    after = enquiry.strategy_discussion_date
    if after is not None and held_on <= after:
        errors.setdefault("held_on", []).append(
            f"The conference must be after the strategy discussion ({govuk_date(after)})."
        )
    elif held_on < enquiry.start_date:
        errors.setdefault("held_on", []).append(
            f"The conference must be on or after the enquiry's start "
            f"({govuk_date(enquiry.start_date)})."
        )
    if plan_made and abuse_category not in AbuseCategory.values:
        errors["abuse_category"] = ["Select the category of abuse of the plan."]
    if errors:
        raise ValidationError(errors)
    conference = _save_recorded(
        _part_of(
            referral,
            InvolvementKind.INITIAL_CONFERENCE,
            enquiry=enquiry,
            start_date=held_on,
            end_date=held_on,
        ),
        "Initial child protection conference held",
        on=held_on,
        by=by,
    )
    if plan_made:
        previous = StatutoryInvolvement.objects.filter(
            person=enquiry.person, kind=InvolvementKind.CHILD_PROTECTION_PLAN
        ).count()
        plan = _part_of(
            referral,
            InvolvementKind.CHILD_PROTECTION_PLAN,
            start_date=held_on,
            abuse_category=abuse_category,
            latest_abuse_category=abuse_category,
            previous_plans=previous,
        )
        _save_recorded(plan, "Child protection plan made", on=held_on, by=by)
    return conference


@transaction.atomic
def record_assessment(
    *,
    referral: StatutoryInvolvement,
    by: User,
    start_date: date,
    authorised_date: date | None = None,
) -> StatutoryInvolvement:
    """Record a social work assessment on a referral: its start and, when it is done, the
    date it was authorised (due 45 working days after the referral date)."""
    policy.require(user=by, action=StatutoryAction.RECORD, obj=referral)
    _check_referral(referral)
    errors: dict[str, list[str]] = {}
    _not_future(errors, "start_date", start_date, "assessment's start")
    _not_future(errors, "authorised_date", authorised_date, "authorisation date")
    if start_date < referral.start_date:
        errors.setdefault("start_date", []).append(
            "The assessment must start on or after the referral "
            f"({govuk_date(referral.start_date)})."
        )
    if authorised_date is not None and authorised_date < start_date:
        errors.setdefault("authorised_date", []).append(
            "The assessment must be authorised on or after its start."
        )
    if errors:
        raise ValidationError(errors)
    assessment = _part_of(
        referral, InvolvementKind.ASSESSMENT, start_date=start_date, end_date=authorised_date
    )
    _save_recorded(assessment, "Social work assessment started", on=start_date, by=by)
    if authorised_date is not None:
        _chronology(assessment, "Social work assessment authorised", on=authorised_date, by=by)
    return assessment


@transaction.atomic
def authorise_assessment(
    *, assessment: StatutoryInvolvement, by: User, authorised_date: date
) -> StatutoryInvolvement:
    """Record the date an open assessment was authorised."""
    policy.require(user=by, action=StatutoryAction.RECORD, obj=assessment)
    if assessment.kind != InvolvementKind.ASSESSMENT:
        raise ValidationError({"assessment": ["Choose a social work assessment."]})
    if assessment.end_date is not None:
        raise InvalidState("This assessment is already authorised.")
    errors: dict[str, list[str]] = {}
    _not_future(errors, "authorised_date", authorised_date, "authorisation date")
    if authorised_date < assessment.start_date:
        errors.setdefault("authorised_date", []).append(
            "The assessment must be authorised on or after its start "
            f"({govuk_date(assessment.start_date)})."
        )
    if errors:
        raise ValidationError(errors)
    assessment.end_date = authorised_date
    assessment.save(update_fields=["end_date"])
    _chronology(assessment, "Social work assessment authorised", on=authorised_date, by=by)
    return assessment
