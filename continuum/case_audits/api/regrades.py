"""Blind re-grading over JSON: a programme's re-grades, one re-grade (blind until graded or
revealed: nothing of the decision until then), grading it, seeing the decision without
grading, and the programme's threshold agreement.

A re-grade the user may not see is 404; grading one that is not theirs (a moderator's, say)
is 403; grading after the decision was shown is 409; a missing rationale or a level that is
not a threshold level is 422. Each read of a re-grade with the contact's details writes one
access-log row for each child on the contact.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import Role
from continuum.case_audits import regrades_selectors as selectors
from continuum.case_audits.agreement import ThresholdAgreement, agreement_by_council
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.regrades_selectors import status_of
from continuum.case_audits.services.regrades import grade_blind, reveal_without_grading
from continuum.front_door.selectors import reference_of
from continuum.ui.api import limit_offset, paginated

router = Router(tags=["case audits"])
Pages = limit_offset("RegradePages", default=50, maximum=200)


class RegradeRowOut(Schema):
    id: uuid.UUID
    contact_reference: str
    council: str
    received_on: date
    auditor: str | None
    status: str
    graded_at: datetime | None
    revealed_at: datetime | None

    @staticmethod
    def resolve_contact_reference(regrade: BlindRegrade) -> str:
        return reference_of(regrade.contact)

    @staticmethod
    def resolve_council(regrade: BlindRegrade) -> str:
        return regrade.council.name

    @staticmethod
    def resolve_received_on(regrade: BlindRegrade) -> date:
        return regrade.contact.received_on

    @staticmethod
    def resolve_auditor(regrade: BlindRegrade) -> str | None:
        auditor = regrade.auditor
        return None if auditor is None else auditor.get_full_name() or auditor.username

    @staticmethod
    def resolve_status(regrade: BlindRegrade) -> str:
        return status_of(regrade)


class BlindIndicatorOut(Schema):
    domain: str
    title: str


class BlindContactOut(Schema):
    """What the front door knew when it decided: no names, and nothing of the decision."""

    reference: str
    council: str
    received_on: date
    how_received: str
    referral_source: str
    referrer_agency_kind: str
    referrer_role: str
    concerns: str
    indicators: list[BlindIndicatorOut]
    children_ages: list[int | None]
    adults: list[str] = Field(description="The parents and carers named, by relationship.")
    is_repeat: bool
    domestic_abuse: bool
    dash_risk: str
    marac_referral: bool


class RegradeDecisionOut(Schema):
    front_door_level: int
    front_door_level_label: str
    agreed: bool | None = Field(description="None when the decision was seen without grading.")
    distance: int | None = Field(description="The auditor's level minus the front door's.")


class RegradeOut(Schema):
    id: uuid.UUID
    programme: uuid.UUID
    contact_reference: str
    status: str
    contact: BlindContactOut | None = Field(
        description="For auditors; the partnership's lead sees re-grades by reference."
    )
    level: int | None
    rationale: str
    graded_at: datetime | None
    revealed_at: datetime | None
    decision: RegradeDecisionOut | None = Field(description="Only once graded or revealed.")


class RegradeGradeIn(Schema):
    level: int
    rationale: str


class ThresholdLevelOut(Schema):
    level: int
    label: str


class ThresholdDisagreementOut(Schema):
    regrade: uuid.UUID
    contact_reference: str
    council: str
    front_door_level: int
    auditor_level: int
    distance: int
    rationale: str


class ThresholdAgreementOut(Schema):
    council_id: int | None
    council_name: str
    sampled: int
    graded: int
    revealed_without_grading: int
    outstanding: int
    pairs: int
    agreed: int
    percentage: float | None
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None
    kappa_reading: str
    levels: list[ThresholdLevelOut]
    matrix: list[list[int]] = Field(
        description="Rows: the front door's levels; columns: the auditor's (``levels`` order)."
    )
    disagreements: list[ThresholdDisagreementOut]


class ProgrammeThresholdAgreementOut(Schema):
    councils: list[ThresholdAgreementOut]
    across: ThresholdAgreementOut


def _detail(request: HttpRequest, regrade: BlindRegrade) -> RegradeOut:
    user = user_of(request)
    facts = None
    if user.role == Role.AUDITOR:
        selectors.log_blind_read(request, user=user, regrade=regrade, api=True)
        facts = selectors.blind_contact(regrade.contact)
    decision = selectors.decision_of(regrade)
    decision_out = None
    if decision is not None:
        distance = None if regrade.level is None else regrade.level - decision.level
        decision_out = RegradeDecisionOut(
            front_door_level=decision.level,
            front_door_level_label=decision.get_level_display(),
            agreed=None if distance is None else distance == 0,
            distance=distance,
        )
    return RegradeOut(
        id=regrade.pk,
        programme=regrade.programme_id,
        contact_reference=reference_of(regrade.contact),
        status=status_of(regrade),
        contact=None
        if facts is None
        else BlindContactOut.model_validate(facts, from_attributes=True),
        level=regrade.level,
        rationale=regrade.rationale,
        graded_at=regrade.graded_at,
        revealed_at=regrade.revealed_at,
        decision=decision_out,
    )


def _agreement_out(result: ThresholdAgreement) -> ThresholdAgreementOut:
    a = result.agreement
    return ThresholdAgreementOut(
        council_id=result.council_id,
        council_name=result.council_name,
        sampled=result.sampled,
        graded=result.graded,
        revealed_without_grading=result.revealed_without_grading,
        outstanding=result.outstanding,
        pairs=a.pairs,
        agreed=a.agreed,
        percentage=a.percentage,
        kappa=a.kappa,
        kappa_low=a.kappa_low,
        kappa_high=a.kappa_high,
        kappa_reading=result.kappa_reading,
        levels=[ThresholdLevelOut(level=level, label=label) for level, label in result.levels],
        matrix=[list(row) for row in a.matrix],
        disagreements=[
            ThresholdDisagreementOut(
                regrade=d.regrade_id,
                contact_reference=d.contact_reference,
                council=d.council,
                front_door_level=d.front_door_level,
                auditor_level=d.auditor_level,
                distance=d.distance,
                rationale=d.rationale,
            )
            for d in result.disagreements
        ],
    )


@router.get(
    "/audit-programmes/{uuid:programme_id}/regrades",
    response=list[RegradeRowOut],
    summary="A programme's threshold re-grades",
)
@paginated(Pages)
def list_regrades(request: HttpRequest, programme_id: uuid.UUID) -> QuerySet[BlindRegrade]:
    """An auditor's own (and a moderator's and the partnership lead's: all), by council."""
    user = user_of(request)
    policy.require(user, CaseAuditAction.VIEW_PROGRAMME)
    programme = policy.get_visible_or_404(user, AuditProgramme, programme_id)
    return selectors.regrades_of(user, programme)


@router.get("/regrades/{uuid:regrade_id}", response=RegradeOut, summary="A threshold re-grade")
def get_regrade(request: HttpRequest, regrade_id: uuid.UUID) -> RegradeOut:
    """Blind (``decision`` null) until the auditor grades it or chooses to see the decision."""
    regrade = policy.get_visible_or_404(user_of(request), BlindRegrade, regrade_id)
    return _detail(request, regrade)


@router.post(
    "/regrades/{uuid:regrade_id}/grade", response=RegradeOut, summary="Grade a contact blind"
)
def grade(request: HttpRequest, regrade_id: uuid.UUID, body: RegradeGradeIn) -> RegradeOut:
    """The auditor's level (1 to 4) and why; the decision is shown in the answer."""
    user = user_of(request)
    regrade = policy.get_visible_or_404(user, BlindRegrade, regrade_id)
    done = grade_blind(regrade=regrade, by=user, level=body.level, rationale=body.rationale)
    return _detail(request, done)


@router.post(
    "/regrades/{uuid:regrade_id}/reveal",
    response=RegradeOut,
    summary="See the decision without grading",
)
def reveal(request: HttpRequest, regrade_id: uuid.UUID) -> RegradeOut:
    """The contact is then left out of the agreement."""
    user = user_of(request)
    regrade = policy.get_visible_or_404(user, BlindRegrade, regrade_id)
    return _detail(request, reveal_without_grading(regrade=regrade, by=user))


@router.get(
    "/audit-programmes/{uuid:programme_id}/agreement",
    response=ProgrammeThresholdAgreementOut,
    summary="A programme's threshold agreement",
)
def get_agreement(request: HttpRequest, programme_id: uuid.UUID) -> ProgrammeThresholdAgreementOut:
    """Per council and across: percentage agreement, linearly weighted kappa with its 95%
    interval (null when not defined), the matrix and the disagreements."""
    user = user_of(request)
    policy.require(user, CaseAuditAction.VIEW_CONSISTENCY)
    programme = policy.get_visible_or_404(user, AuditProgramme, programme_id)
    policy.require(user, CaseAuditAction.VIEW_CONSISTENCY, programme)
    results = [_agreement_out(r) for r in agreement_by_council(programme=programme)]
    return ProgrammeThresholdAgreementOut(councils=results[:-1], across=results[-1])
