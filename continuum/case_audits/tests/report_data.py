"""A programme to report on, built straight from the models (the services that make these
records are other parts of issue 14): Stockton-on-Tees' and Hartlepool's cases, findings,
moderation, blind re-grades, actions and front-door observations, with counts chosen so
the report's figures can be checked by hand.

Overall grades (moderated where moderated, else the auditor's):
- Stockton-on-Tees: 17 sampled - 1 withdrawn, 2 not yet audited (one with a draft finding),
  14 audited: 6 good (5 of them graded requires improvement by the auditor and moderated
  up to good), 5 requires improvement, 3 inadequate. 5 moderated, 5 changed.
- Hartlepool: 12 sampled, all audited and moderated: 7 good, 5 requires improvement (the
  auditor said good; the moderator changed it). 12 moderated, 5 changed.

Questions: A1 (graded): Stockton 10 requires improvement and 4 inadequate, Hartlepool 12
good. A2 (yes/partly/no): Stockton 14 no, Hartlepool 12 yes. B1 (graded): everyone good.
H1 (Hartlepool's own, graded): 12 outstanding.

Re-grades (front door's level, auditor's level): Stockton 8 pairs (6 agree), Hartlepool 6
(6 agree); one more of Stockton's revealed without grading (not counted).

Actions: Stockton 6 open (2 overdue), 5 done; Hartlepool 5 open, 5 done, 5 cancelled.
Observations (submitted): Stockton 6 good, Hartlepool 5 requires improvement (and one of
Stockton's not submitted: not counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_audits.choices import (
    ActionStatus,
    CaseStatus,
    Grade,
    ProgrammeStatus,
    Scale,
    TemplateKind,
)
from continuum.case_audits.models import (
    AuditAction,
    AuditCase,
    AuditProgramme,
    BlindRegrade,
    Finding,
    FrontDoorObservation,
    ObservationFinding,
    TemplateQuestion,
)
from continuum.front_door.choices import Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council
from continuum.testing import factories

GOOD, RI, INADEQUATE, OUTSTANDING = (
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
    Grade.OUTSTANDING,
)
YES, NO = 1, 3

STOCKTON_PAIRS = [(1, 1), (2, 2), (2, 2), (3, 3), (3, 3), (4, 4), (2, 3), (3, 2)]
HARTLEPOOL_PAIRS = [(1, 1), (2, 2), (2, 2), (3, 3), (4, 4), (4, 4)]


@dataclass
class Reported:
    programme: AuditProgramme
    stockton: Council
    hartlepool: Council
    council_question: TemplateQuestion


def _question(programme: AuditProgramme, code: str) -> TemplateQuestion:
    return TemplateQuestion.objects.get(section__template=programme.template, code=code)


def _case(
    programme: AuditProgramme,
    council: Council,
    auditor: User,
    *,
    status: str,
    grade: int | None = None,
    moderated: int | None = None,
    answers: dict[str, int] | None = None,
) -> AuditCase:
    now = timezone.now()
    case = cast(
        AuditCase,
        factories.AuditCaseFactory(
            programme=programme,
            council=council,
            auditor=auditor,
            status=status,
            overall_grade=grade,
            moderated_grade=moderated,
            moderated_at=now if moderated else None,
            submitted_at=now if grade else None,
            strengths="Strengths written." if grade else "",
            areas_for_improvement="Areas written." if grade == INADEQUATE else "",
        ),
    )
    for code, answer in (answers or {}).items():
        question = _question(programme, code)
        if question.council_id not in (None, council.pk):
            continue
        Finding.objects.create(case=case, question=question, grade=answer, recorded_by=auditor)
    return case


def _regrade(
    programme: AuditProgramme, council: Council, auditor: User, pair: tuple[int, int]
) -> None:
    contact = cast(Contact, factories.ContactFactory(council=council))
    ContactDecision.objects.create(
        contact=contact,
        level=pair[0],
        outcome=Outcome.EARLY_HELP_SINGLE,
        rationale="The decision.",
        decided_by=auditor,
    )
    now = timezone.now()
    BlindRegrade.objects.create(
        programme=programme,
        contact=contact,
        council=council,
        auditor=auditor,
        level=pair[1],
        rationale="Blind.",
        graded_at=now,
        revealed_at=now,
    )


def build(
    *,
    stockton: Council,
    hartlepool: Council,
    lead: User,
    stockton_auditor: User,
    hartlepool_auditor: User,
    owner: User,
) -> Reported:
    programme = cast(
        AuditProgramme,
        factories.AuditProgrammeFactory(
            councils=[stockton, hartlepool], created_by=lead, status=ProgrammeStatus.OPEN
        ),
    )
    assessment = _question(programme, "A1").section
    council_question = TemplateQuestion.objects.create(
        section=assessment,
        order=9,
        code="H1",
        text="Is the Encompass notification recorded?",
        scale=Scale.GRADES,
        council=hartlepool,
        added_reason="Hartlepool's own initiative.",
    )
    # Stockton's cases, audited by Hartlepool's auditor.
    audit = hartlepool_auditor
    weak = {"A2": NO, "B1": GOOD}
    for _ in range(5):  # the auditor said requires improvement; moderated to good
        _case(
            programme,
            stockton,
            audit,
            status=CaseStatus.MODERATED,
            grade=RI,
            moderated=GOOD,
            answers={"A1": RI, **weak},
        )
    _case(
        programme,
        stockton,
        audit,
        status=CaseStatus.SUBMITTED,
        grade=GOOD,
        answers={"A1": RI, **weak},
    )
    for n in range(5):
        answer = RI if n < 4 else INADEQUATE
        _case(
            programme,
            stockton,
            audit,
            status=CaseStatus.SUBMITTED,
            grade=RI,
            answers={"A1": answer, **weak},
        )
    for _ in range(3):
        _case(
            programme,
            stockton,
            audit,
            status=CaseStatus.SUBMITTED,
            grade=INADEQUATE,
            answers={"A1": INADEQUATE, **weak},
        )
    _case(programme, stockton, audit, status=CaseStatus.WITHDRAWN)
    _case(programme, stockton, audit, status=CaseStatus.ASSIGNED)
    # A draft: not counted until submitted.
    _case(
        programme,
        stockton,
        audit,
        status=CaseStatus.IN_PROGRESS,
        answers={"A1": INADEQUATE, "A2": NO},
    )
    # Hartlepool's cases, audited by Stockton's auditor, all moderated.
    audit = stockton_auditor
    strong = {"A1": GOOD, "A2": YES, "B1": GOOD, "H1": OUTSTANDING}
    for _ in range(7):
        _case(
            programme,
            hartlepool,
            audit,
            status=CaseStatus.MODERATED,
            grade=GOOD,
            moderated=GOOD,
            answers=strong,
        )
    for _ in range(5):
        _case(
            programme,
            hartlepool,
            audit,
            status=CaseStatus.MODERATED,
            grade=GOOD,
            moderated=RI,
            answers=strong,
        )
    # Blind re-grades.
    for pair in STOCKTON_PAIRS:
        _regrade(programme, stockton, hartlepool_auditor, pair)
    for pair in HARTLEPOOL_PAIRS:
        _regrade(programme, hartlepool, stockton_auditor, pair)
    revealed = cast(Contact, factories.ContactFactory(council=stockton))
    BlindRegrade.objects.create(
        programme=programme,
        contact=revealed,
        council=stockton,
        auditor=hartlepool_auditor,
        revealed_at=timezone.now(),
    )
    # Actions.
    today = timezone.localdate()
    plan = [
        (stockton, ActionStatus.OPEN, -3, 2),
        (stockton, ActionStatus.OPEN, 20, 4),
        (stockton, ActionStatus.DONE, -10, 5),
        (hartlepool, ActionStatus.OPEN, 30, 5),
        (hartlepool, ActionStatus.DONE, -30, 5),
        (hartlepool, ActionStatus.CANCELLED, 5, 5),
    ]
    for council, status, days, count in plan:
        for _ in range(count):
            AuditAction.objects.create(
                programme=programme,
                council=council,
                description="An action.",
                owner=owner,
                due_on=today + timedelta(days=days),
                status=status,
                created_by=lead,
            )
    # Front-door observations.
    observation_template = factories.audit_template(
        key="front-door", kind=TemplateKind.FRONT_DOOR_OBSERVATION
    )
    asked = TemplateQuestion.objects.get(section__template=observation_template, code="A1")
    for council, grade, count, submitted in [
        (stockton, GOOD, 6, True),
        (hartlepool, RI, 5, True),
        (stockton, INADEQUATE, 1, False),
    ]:
        for _ in range(count):
            observation = FrontDoorObservation.objects.create(
                programme=programme,
                council=council,
                template=observation_template,
                observed_on=today,
                observer=lead,
                what_was_observed="The front door at work.",
                overall_grade=grade,
                submitted_at=timezone.now() if submitted else None,
            )
            ObservationFinding.objects.create(observation=observation, question=asked, grade=grade)
    return Reported(programme, stockton, hartlepool, council_question)
