"""Statutory involvement over JSON (``/api/v1/statutory``): a child's referrals with their
parts and Working Together timescales, and recording what follows the front door's
decision, as the pages do. Each read of a child's record writes one access-log row."""

from __future__ import annotations

import uuid
from datetime import date

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access, log_search
from continuum.front_door.models import ContactDecision
from continuum.people.models import Person
from continuum.statutory import selectors, services
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.statutory.policies import StatutoryAction
from continuum.ui.api import MAX_INTEGER, MessageOut

router = Router(tags=["statutory involvement"])


# --- schemas ---------------------------------------------------------------------------------


class RecordOut(Schema):
    id: uuid.UUID
    kind: str
    start_date: date
    end_date: date | None
    strategy_discussion_date: date | None
    icpc_target_date: date | None
    icpc_not_required: bool
    enquiry_id: uuid.UUID | None


class TimescaleOut(Schema):
    kind: str = Field(description="assessment (45 working days) or icpc (15 working days).")
    record_id: uuid.UUID
    counted_from: date
    due: date
    met_on: date | None
    status: str = Field(description="Due, In time, Late or Overdue.")
    working_days_remaining: int
    working_days_late: int


class ReferralOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    start_date: date
    end_date: date | None
    contact_id: uuid.UUID | None
    parts: list[RecordOut]
    timescales: list[TimescaleOut]


class BreachOut(Schema):
    person_id: uuid.UUID
    referral_id: uuid.UUID
    timescale: TimescaleOut


class BreachesOut(Schema):
    items: list[BreachOut]
    count: int


class Section47In(Schema):
    start_date: date
    strategy_discussion_date: date | None = Field(
        None, description="Without it, the conference is due 15 working days after the start."
    )
    icpc_not_required: bool = False


class ConferenceIn(Schema):
    held_on: date
    plan_made: bool
    abuse_category: str = Field("", description="NEG, PHY, EMO, SAB or MUL, if a plan was made.")


class AssessmentIn(Schema):
    start_date: date
    authorised_date: date | None = None


class AuthorisationIn(Schema):
    authorised_date: date


def _out(summary: selectors.ReferralSummary) -> ReferralOut:
    referral = summary.referral
    return ReferralOut(
        id=referral.pk,
        person_id=referral.person_id,
        start_date=referral.start_date,
        end_date=referral.end_date,
        contact_id=referral.contact_id,
        parts=[RecordOut.from_orm(p) for p in summary.parts],
        timescales=[_timescale(t) for t in summary.timescales],
    )


def _timescale(t: selectors.Timescale) -> TimescaleOut:
    return TimescaleOut(
        kind=t.kind,
        record_id=t.record.pk,
        counted_from=t.deadline.counted_from,
        due=t.deadline.due,
        met_on=t.deadline.met_on,
        status=t.status,
        working_days_remaining=t.deadline.working_days_remaining,
        working_days_late=t.deadline.working_days_late,
    )


def _read(request: HttpRequest, person_id: uuid.UUID) -> None:
    log_access(
        request=request, user=user_of(request), subject_id=person_id, action=AccessAction.API_READ
    )


def _referral(request: HttpRequest, referral_id: uuid.UUID) -> StatutoryInvolvement:
    return selectors.get_referral(user=user_of(request), pk=referral_id)


def _part(request: HttpRequest, pk: uuid.UUID, kind: str) -> StatutoryInvolvement:
    found = policy.get_visible_or_404(user_of(request), StatutoryInvolvement, str(pk))
    if found.kind != kind:
        raise Http404
    return found


def _summary(request: HttpRequest, referral: StatutoryInvolvement) -> ReferralOut:
    return _out(selectors.summary_of(user=user_of(request), referral=referral))


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/referrals",
    response=list[ReferralOut],
    summary="A child's referrals to social care, with their timescales",
)
def person_referrals(request: HttpRequest, person_id: uuid.UUID) -> list[ReferralOut]:
    user = user_of(request)
    person = policy.get_visible_or_404(user, Person, person_id)
    policy.require(user, StatutoryAction.VIEW, person)
    found = selectors.referrals_of(user=user, person=person)
    _read(request, person.pk)
    return [_out(s) for s in found]


@router.get(
    "/timescales",
    response=BreachesOut,
    summary="Your council's breached timescales, overdue first",
)
def breaches(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_INTEGER),
) -> BreachesOut:
    """Assessments past 45 working days from the referral and initial conferences past 15
    from the strategy discussion, overdue now or met late in the last year, overdue first.
    One access-log row for the list, with the children it showed."""
    user = user_of(request)
    policy.require(user, StatutoryAction.VIEW)
    found = selectors.breaches(user=user)
    page = found[offset : offset + limit]
    log_search(
        request=request,
        user=user,
        terms={"list": "social care timescales breached", "limit": limit, "offset": offset},
        result_count=len(found),
        shown_ids=list(dict.fromkeys(t.record.person_id for t in page)),
    )
    return BreachesOut(
        items=[
            BreachOut(
                person_id=t.record.person_id,
                referral_id=t.record.referral_id or t.record.pk,
                timescale=_timescale(t),
            )
            for t in page
        ],
        count=len(found),
    )


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="Read a referral")
def get_referral(request: HttpRequest, referral_id: uuid.UUID) -> ReferralOut:
    referral = _referral(request, referral_id)
    _read(request, referral.person_id)
    return _summary(request, referral)


@router.post(
    "/decisions/{decision_id}/referrals",
    response={201: list[ReferralOut], 409: MessageOut},
    summary="Record the referral a front-door decision asked for",
)
def refer(request: HttpRequest, decision_id: int) -> Status[list[ReferralOut]]:
    user = user_of(request)
    decision = policy.get_visible_or_404(user, ContactDecision, decision_id)
    made = services.refer_from_decision(decision=decision, by=user)
    return Status(201, [_summary(request, r) for r in made])


@router.post(
    "/referrals/{referral_id}/section-47",
    response={201: ReferralOut, 409: MessageOut},
    summary="Record a strategy discussion and section 47 enquiry",
)
def section_47(
    request: HttpRequest, referral_id: uuid.UUID, payload: Section47In
) -> Status[ReferralOut]:
    referral = _referral(request, referral_id)
    services.record_section_47(referral=referral, by=user_of(request), **payload.dict())
    return Status(201, _summary(request, referral))


@router.post(
    "/referrals/{referral_id}/assessments",
    response={201: ReferralOut, 409: MessageOut},
    summary="Record a social work assessment",
)
def assessment(
    request: HttpRequest, referral_id: uuid.UUID, payload: AssessmentIn
) -> Status[ReferralOut]:
    referral = _referral(request, referral_id)
    services.record_assessment(referral=referral, by=user_of(request), **payload.dict())
    return Status(201, _summary(request, referral))


@router.post(
    "/enquiries/{enquiry_id}/conference",
    response={201: ReferralOut, 409: MessageOut},
    summary="Record the initial child protection conference",
)
def conference(
    request: HttpRequest, enquiry_id: uuid.UUID, payload: ConferenceIn
) -> Status[ReferralOut]:
    enquiry = _part(request, enquiry_id, InvolvementKind.SECTION_47)
    services.record_initial_conference(enquiry=enquiry, by=user_of(request), **payload.dict())
    assert enquiry.referral is not None
    return Status(201, _summary(request, enquiry.referral))


@router.post(
    "/assessments/{assessment_id}/authorisation",
    response={200: ReferralOut, 409: MessageOut},
    summary="Record the date an assessment was authorised",
)
def authorisation(
    request: HttpRequest, assessment_id: uuid.UUID, payload: AuthorisationIn
) -> Status[ReferralOut]:
    found = _part(request, assessment_id, InvolvementKind.ASSESSMENT)
    services.authorise_assessment(
        assessment=found, by=user_of(request), authorised_date=payload.authorised_date
    )
    assert found.referral is not None
    return Status(200, _summary(request, found.referral))
