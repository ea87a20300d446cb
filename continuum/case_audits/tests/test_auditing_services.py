"""Recording findings, submitting, the conversation and moderation: what an auditor and a
moderator may do to a case once its programme is open, and what is refused (saving
nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import (
    CaseStatus,
    ConversationWith,
    Grade,
    ProgrammeStatus,
)
from continuum.case_audits.models import AuditCase, AuditConversation, Finding, TemplateQuestion
from continuum.case_audits.services.auditing import (
    questions_for_case,
    record_conversation,
    record_findings,
    submit_case,
)
from continuum.case_audits.services.moderation import moderate_case
from continuum.case_audits.tests.auditing_setup import (
    case_for,
    full_answers,
    open_programme,
    question,
)
from continuum.errors import ConcurrentChange, NotPermitted
from continuum.organisations.models import Council


@pytest.fixture
def case(redcar_auditor: User, middlesbrough_auditor: User, stockton: Council) -> AuditCase:
    programme = open_programme(moderators=[middlesbrough_auditor])
    return case_for(programme, redcar_auditor, council=stockton)


def submitted(case: AuditCase, auditor: User, grade: int = Grade.GOOD) -> AuditCase:
    record_findings(
        case=case,
        by=auditor,
        answers=full_answers(case),
        overall_grade=grade,
        strengths="A clear assessment.",
        areas_for_improvement="SMART outcomes.",
    )
    return submit_case(case=case, by=auditor)


def test_questions_are_the_shared_ones_and_the_councils_own(
    case: AuditCase, hartlepool: Council
) -> None:
    a1 = question(case, "A1")
    TemplateQuestion.objects.create(
        section=a1.section, order=9, code="A9", text="Stockton's own", council=case.council
    )
    TemplateQuestion.objects.create(
        section=a1.section, order=8, code="A8", text="Hartlepool's own", council=hartlepool
    )
    assert [q.code for q in questions_for_case(case)] == ["A1", "A2", "A9", "B1", "B2"]


def test_saving_progress_with_gaps(case: AuditCase, redcar_auditor: User) -> None:
    record_findings(
        case=case, by=redcar_auditor, answers={question(case, "A1").pk: (Grade.GOOD, "")}
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert Finding.objects.get(case=case).grade == Grade.GOOD


def test_a_grade_without_its_required_comment_is_refused_and_saves_nothing(
    case: AuditCase, redcar_auditor: User
) -> None:
    a1, a2 = question(case, "A1"), question(case, "A2")
    with pytest.raises(ValidationError) as refused:
        record_findings(
            case=case,
            by=redcar_auditor,
            answers={a1.pk: (Grade.GOOD, ""), a2.pk: (1, "  ")},
            strengths="Kept",
        )
    assert refused.value.message_dict == {
        f"comment_{a2.pk}": ["A2: a comment is required for this question"]
    }
    case.refresh_from_db()
    assert Finding.objects.count() == 0
    assert case.status == CaseStatus.ASSIGNED and case.strengths == "" and case.version == 1


@pytest.mark.parametrize(("code", "grade"), [("A1", 5), ("A1", 0), ("A2", 4), ("B2", 1)])
def test_a_grade_outside_the_questions_scale_is_refused(
    case: AuditCase, redcar_auditor: User, code: str, grade: int
) -> None:
    asked = question(case, code)
    with pytest.raises(ValidationError) as refused:
        record_findings(case=case, by=redcar_auditor, answers={asked.pk: (grade, "Why")})
    assert f"grade_{asked.pk}" in refused.value.message_dict
    assert Finding.objects.count() == 0


def test_a_question_not_asked_of_the_case_is_refused(
    case: AuditCase, redcar_auditor: User, hartlepool: Council
) -> None:
    a1 = question(case, "A1")
    theirs = TemplateQuestion.objects.create(
        section=a1.section, order=8, code="A8", text="Hartlepool's own", council=hartlepool
    )
    with pytest.raises(ValidationError) as refused:
        record_findings(case=case, by=redcar_auditor, answers={theirs.pk: (Grade.GOOD, "")})
    assert "answers" in refused.value.message_dict
    assert Finding.objects.count() == 0


def test_submitting_names_every_gap(case: AuditCase, redcar_auditor: User) -> None:
    a1, a2, b1 = question(case, "A1"), question(case, "A2"), question(case, "B1")
    record_findings(case=case, by=redcar_auditor, answers={a1.pk: (Grade.GOOD, "")})
    with pytest.raises(ValidationError) as refused:
        submit_case(case=case, by=redcar_auditor)
    errors = refused.value.message_dict
    assert errors[f"grade_{a2.pk}"] == ["A2: choose a grade"]
    assert errors[f"comment_{a2.pk}"] == ["A2: a comment is required for this question"]
    assert errors[f"grade_{b1.pk}"] == ["B1: choose a grade"]
    assert errors[f"comment_{b1.pk}"] == ["B1: a comment is required for this question"]
    assert {"overall_grade", "strengths", "areas_for_improvement"} <= set(errors)
    assert f"grade_{a1.pk}" not in errors
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.submitted_at is None


def test_submitting_then_nothing_changes(case: AuditCase, redcar_auditor: User) -> None:
    submitted(case, redcar_auditor)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.submitted_at is not None
    with pytest.raises(NotPermitted):
        record_findings(
            case=case, by=redcar_auditor, answers={question(case, "A1").pk: (Grade.INADEQUATE, "")}
        )
    with pytest.raises(NotPermitted):
        submit_case(case=case, by=redcar_auditor)
    assert Finding.objects.get(case=case, question=question(case, "A1")).grade == Grade.GOOD


def test_only_the_cases_auditor_records_findings(
    case: AuditCase, middlesbrough_auditor: User, partnership_lead: User
) -> None:
    for someone in (middlesbrough_auditor, partnership_lead):
        with pytest.raises(NotPermitted):
            record_findings(case=case, by=someone, answers={})


def test_nothing_is_recorded_after_the_programme_closes(
    case: AuditCase, redcar_auditor: User
) -> None:
    case.programme.status = ProgrammeStatus.CLOSED
    case.programme.save()
    with pytest.raises(NotPermitted):
        record_findings(case=case, by=redcar_auditor, answers={})


def test_a_stale_version_is_refused(case: AuditCase, redcar_auditor: User) -> None:
    a1 = question(case, "A1")
    record_findings(case=case, by=redcar_auditor, answers={a1.pk: (Grade.GOOD, "")}, version=1)
    stale = AuditCase.objects.get(pk=case.pk)
    with pytest.raises(ConcurrentChange):
        record_findings(
            case=stale, by=redcar_auditor, answers={a1.pk: (Grade.INADEQUATE, "")}, version=1
        )
    assert Finding.objects.get(case=case).grade == Grade.GOOD


# --- the conversation ---------------------------------------------------------------------


def test_the_conversation_with_the_lead_professional_and_manager(
    case: AuditCase, redcar_auditor: User, make_user: Callable[..., User], stockton: Council
) -> None:
    lead = make_user(Role.EARLY_HELP_PRACTITIONER, council=stockton)
    assert case.episode is not None
    case.episode.lead_professional = lead
    case.episode.save()
    manager = make_user(Role.TEAM_MANAGER, council=stockton)
    conversation = record_conversation(
        case=case,
        by=redcar_auditor,
        held_on=timezone.localdate(),
        held_with=ConversationWith.BOTH,
        practitioner=lead,
        manager=manager,
        notes="Talked through the plan.",
    )
    assert conversation.practitioner == lead and conversation.manager == manager


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_on": timezone.localdate() + timedelta(days=1)}, "held_on"),
        ({"held_on": timezone.localdate() - timedelta(days=30)}, "held_on"),
        ({"notes": " "}, "notes"),
        ({"manager": None}, "manager"),
        ({"manager": "hartlepool"}, "manager"),
    ],
)
def test_a_conversation_with_bad_input_saves_nothing(
    case: AuditCase,
    redcar_auditor: User,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
    change: dict[str, Any],
    field: str,
) -> None:
    fields: dict[str, Any] = {
        "held_on": timezone.localdate(),
        "held_with": ConversationWith.MANAGER,
        "manager": make_user(Role.TEAM_MANAGER, council=stockton),
        "notes": "Talked.",
    }
    if change.get("manager") == "hartlepool":
        change = {"manager": make_user(Role.TEAM_MANAGER, council=hartlepool)}
    fields |= change
    with pytest.raises(ValidationError) as refused:
        record_conversation(case=case, by=redcar_auditor, **fields)
    assert field in refused.value.message_dict
    assert AuditConversation.objects.count() == 0


# --- moderation ---------------------------------------------------------------------------


def test_a_moderator_agrees_the_grade(
    case: AuditCase, redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    submitted(case, redcar_auditor)
    moderate_case(case=case, by=middlesbrough_auditor, grade=Grade.GOOD, note="")
    case.refresh_from_db()
    assert case.status == CaseStatus.MODERATED
    assert case.moderated_grade == Grade.GOOD and case.moderator == middlesbrough_auditor
    assert case.moderated_at is not None


def test_changing_the_grade_needs_a_note(
    case: AuditCase, redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    submitted(case, redcar_auditor)
    with pytest.raises(ValidationError) as refused:
        moderate_case(case=case, by=middlesbrough_auditor, grade=Grade.REQUIRES_IMPROVEMENT)
    assert "note" in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.moderated_grade is None
    moderate_case(
        case=case,
        by=middlesbrough_auditor,
        grade=Grade.REQUIRES_IMPROVEMENT,
        note="The plan's outcomes are not measurable, so not yet good.",
    )
    case.refresh_from_db()
    assert case.moderated_grade == Grade.REQUIRES_IMPROVEMENT


def test_a_moderator_never_moderates_a_case_they_audited(
    redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    programme = open_programme(moderators=[redcar_auditor, middlesbrough_auditor])
    own = case_for(programme, redcar_auditor)
    submitted(own, redcar_auditor)
    with pytest.raises(NotPermitted):
        moderate_case(case=own, by=redcar_auditor, grade=Grade.GOOD)
    own.refresh_from_db()
    assert own.status == CaseStatus.SUBMITTED


def test_a_case_not_submitted_cannot_be_moderated(
    case: AuditCase, middlesbrough_auditor: User
) -> None:
    with pytest.raises(NotPermitted):
        moderate_case(case=case, by=middlesbrough_auditor, grade=Grade.GOOD)


def test_someone_not_a_moderator_cannot_moderate(
    case: AuditCase, redcar_auditor: User, stockton_auditor: User
) -> None:
    submitted(case, redcar_auditor)
    with pytest.raises(NotPermitted):
        moderate_case(case=case, by=stockton_auditor, grade=Grade.GOOD)
