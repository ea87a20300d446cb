"""Actions followed up until done, and front-door practice observations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import ActionStatus, Grade, TemplateKind
from continuum.case_audits.models import (
    ActionUpdate,
    AuditAction,
    AuditProgramme,
    FrontDoorObservation,
    ObservationFinding,
    TemplateQuestion,
)
from continuum.case_audits.services.actions import add_action, update_action
from continuum.case_audits.services.observations import record_observation
from continuum.case_audits.tests.auditing_setup import open_programme
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Council
from continuum.testing import factories


@pytest.fixture
def programme_open(middlesbrough_auditor: User, partnership_lead: User) -> AuditProgramme:
    return open_programme(moderators=[middlesbrough_auditor], created_by=partnership_lead)


@pytest.fixture
def owner(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.TEAM_MANAGER, council=stockton, username="owner.stockton")


def an_action(programme: AuditProgramme, by: User, council: Council, owner: User) -> AuditAction:
    return add_action(
        programme=programme,
        by=by,
        council=council,
        description="Make every plan's outcomes measurable.",
        owner=owner,
        due_on=timezone.localdate() + timedelta(days=30),
    )


def test_an_action_followed_up_until_done(
    programme_open: AuditProgramme, partnership_lead: User, owner: User, stockton: Council
) -> None:
    action = an_action(programme_open, partnership_lead, stockton, owner)
    update_action(action=action, by=owner, note="Training booked for March.", status="open")
    update_action(action=action, by=owner, note="", status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_on == timezone.localdate()
    assert [u.status for u in action.updates.all()] == [ActionStatus.OPEN, ActionStatus.DONE]
    with pytest.raises(InvalidState):
        update_action(action=action, by=owner, note="Again", status=ActionStatus.OPEN)


def test_a_moderator_adds_an_action(
    programme_open: AuditProgramme, middlesbrough_auditor: User, owner: User, stockton: Council
) -> None:
    action = an_action(programme_open, middlesbrough_auditor, stockton, owner)
    assert action.created_by == middlesbrough_auditor


def test_cancelling_needs_a_note(
    programme_open: AuditProgramme, partnership_lead: User, owner: User, stockton: Council
) -> None:
    action = an_action(programme_open, partnership_lead, stockton, owner)
    with pytest.raises(ValidationError) as refused:
        update_action(action=action, by=owner, note=" ", status=ActionStatus.CANCELLED)
    assert "note" in refused.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and ActionUpdate.objects.count() == 0


def test_only_the_owner_or_the_lead_updates(
    programme_open: AuditProgramme,
    partnership_lead: User,
    owner: User,
    stockton: Council,
    make_user: Callable[..., User],
) -> None:
    action = an_action(programme_open, partnership_lead, stockton, owner)
    other = make_user(Role.TEAM_MANAGER, council=stockton, username="other.manager")
    with pytest.raises(NotPermitted):
        update_action(action=action, by=other, note="Mine now", status=ActionStatus.DONE)
    assert ActionUpdate.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner": "hartlepool"}, "owner"),
        ({"owner": "partner"}, "owner"),
        ({"due_on": timezone.localdate() - timedelta(days=1)}, "due_on"),
        ({"description": "  "}, "description"),
        ({"council": "redcar"}, "council"),
    ],
)
def test_an_action_with_bad_input_saves_nothing(
    programme_open: AuditProgramme,
    partnership_lead: User,
    owner: User,
    stockton: Council,
    hartlepool: Council,
    redcar: Council,
    make_user: Callable[..., User],
    change: dict[str, Any],
    field: str,
) -> None:
    fields: dict[str, Any] = {
        "council": stockton,
        "description": "Measurable outcomes.",
        "owner": owner,
        "due_on": timezone.localdate() + timedelta(days=10),
    }
    if change.get("owner") == "hartlepool":
        change = {"owner": make_user(Role.TEAM_MANAGER, council=hartlepool)}
    elif change.get("owner") == "partner":
        change = {"owner": make_user(Role.PARTNER_PRACTITIONER, council=stockton)}
    elif change.get("council") == "redcar":
        change = {"council": redcar}
    fields |= change
    with pytest.raises(ValidationError) as refused:
        add_action(programme=programme_open, by=partnership_lead, **fields)
    assert field in refused.value.message_dict
    assert AuditAction.objects.count() == 0


def test_an_auditor_who_does_not_moderate_adds_no_action(
    programme_open: AuditProgramme, redcar_auditor: User, owner: User, stockton: Council
) -> None:
    with pytest.raises(NotPermitted):
        an_action(programme_open, redcar_auditor, stockton, owner)
    assert AuditAction.objects.count() == 0


# --- front-door observations ----------------------------------------------------------------


@pytest.fixture
def observation_template() -> Any:
    return factories.audit_template(key="front-door", kind=TemplateKind.FRONT_DOOR_OBSERVATION)


def observation_answers(template: Any) -> dict[int, tuple[int | None, str]]:
    q = {t.code: t.pk for t in TemplateQuestion.objects.filter(section__template=template)}
    return {
        q["A1"]: (Grade.GOOD, ""),
        q["A2"]: (1, "Threshold discussed with the referrer."),
        q["B1"]: (Grade.GOOD, "Decisions recorded on the day."),
    }


def observe(by: User, council: Council, template: Any, **change: Any) -> FrontDoorObservation:
    fields: dict[str, Any] = {
        "observed_on": timezone.localdate(),
        "what_was_observed": "A morning of screening: six contacts.",
        "answers": observation_answers(template),
        "overall_grade": Grade.GOOD,
        "strengths": "Calm, consistent.",
        "areas_for_improvement": "Recording the child's voice.",
    } | change
    return record_observation(by=by, council=council, template=template, **fields)


def test_an_observation_of_another_councils_front_door(
    redcar_auditor: User, stockton: Council, observation_template: Any
) -> None:
    observation = observe(redcar_auditor, stockton, observation_template)
    assert observation.submitted_at is not None
    assert ObservationFinding.objects.filter(observation=observation).count() == 3


def test_an_auditor_never_observes_their_own_council(
    redcar_auditor: User, redcar: Council, observation_template: Any
) -> None:
    with pytest.raises(NotPermitted):
        observe(redcar_auditor, redcar, observation_template)
    assert FrontDoorObservation.objects.count() == 0


def test_an_observation_without_a_required_comment_saves_nothing(
    redcar_auditor: User, stockton: Council, observation_template: Any
) -> None:
    answers = observation_answers(observation_template)
    a2 = next(iter(k for k, v in answers.items() if v[0] == 1))
    answers[a2] = (1, "")
    with pytest.raises(ValidationError) as refused:
        observe(redcar_auditor, stockton, observation_template, answers=answers)
    assert refused.value.message_dict[f"comment_{a2}"] == [
        "A2: a comment is required for this question"
    ]
    assert FrontDoorObservation.objects.count() == 0
    assert ObservationFinding.objects.count() == 0


def test_an_observation_needs_a_front_door_template(
    redcar_auditor: User, stockton: Council
) -> None:
    case_template = factories.audit_template()
    with pytest.raises(ValidationError) as refused:
        observe(redcar_auditor, stockton, case_template, answers={})
    assert "template" in refused.value.message_dict
    assert FrontDoorObservation.objects.count() == 0


def test_a_team_manager_does_not_observe(
    manager: User, hartlepool: Council, observation_template: Any
) -> None:
    with pytest.raises(NotPermitted):
        observe(manager, hartlepool, observation_template)
