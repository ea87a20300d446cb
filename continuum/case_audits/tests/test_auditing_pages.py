"""The auditing pages: the case page for its auditor and its other readers, saving,
submitting, the conversation, moderation, actions and observations; and who each refuses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import (
    ActionStatus,
    CaseStatus,
    Grade,
    ProgrammeStatus,
    TemplateKind,
)
from continuum.case_audits.models import AuditAction, AuditCase, Finding, FrontDoorObservation
from continuum.case_audits.services.actions import add_action
from continuum.case_audits.services.auditing import record_findings, submit_case
from continuum.case_audits.tests.auditing_setup import (
    case_for,
    full_answers,
    open_programme,
    question,
)
from continuum.organisations.models import Council
from continuum.testing import factories


@pytest.fixture
def case(redcar_auditor: User, middlesbrough_auditor: User, stockton: Council) -> AuditCase:
    programme = open_programme(moderators=[middlesbrough_auditor])
    return case_for(programme, redcar_auditor, council=stockton)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(case: AuditCase, **change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": case.version,
        "overall_grade": Grade.GOOD,
        "strengths": "Clear assessment.",
        "areas_for_improvement": "SMART outcomes.",
    }
    for question_id, (grade, comment) in full_answers(case).items():
        if grade is not None:
            data[f"grade_{question_id}"] = grade
        data[f"comment_{question_id}"] = comment
    return data | change


def submitted(case: AuditCase, auditor: User) -> None:
    record_findings(
        case=case,
        by=auditor,
        answers=full_answers(case),
        overall_grade=Grade.GOOD,
        strengths="Clear.",
        areas_for_improvement="SMART.",
    )
    submit_case(case=case, by=auditor)


def test_the_auditor_sees_the_audit_form_without_the_childs_name(
    case: AuditCase, redcar_auditor: User
) -> None:
    response = signed_in(redcar_auditor).get(reverse("case_audits:case", args=[case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Guidance for A1" in page and "govuk-details" in page
    assert f'name="grade_{question(case, "A1").pk}"' in page
    assert reverse("early_help:episode", args=[case.episode_id]) in page
    assert case.episode is not None
    child = case.episode.children.get()
    assert child.family_name not in page and child.given_name not in page


def test_saving_and_submitting_in_the_browser(case: AuditCase, redcar_auditor: User) -> None:
    client = signed_in(redcar_auditor)
    url = reverse("case_audits:case", args=[case.pk])
    response = client.post(url, form_data(case, overall_grade=""))
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and Finding.objects.count() == 4
    response = client.post(reverse("case_audits:case-submit", args=[case.pk]), form_data(case))
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_missing_required_comment_shows_at_the_field_and_saves_nothing(
    case: AuditCase, redcar_auditor: User
) -> None:
    a2 = question(case, "A2")
    response = signed_in(redcar_auditor).post(
        reverse("case_audits:case", args=[case.pk]), form_data(case, **{f"comment_{a2.pk}": ""})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A2: a comment is required for this question" in page
    assert f'href="#id_comment_{a2.pk}"' in page
    assert Finding.objects.count() == 0


def test_submitting_incomplete_names_each_gap(case: AuditCase, redcar_auditor: User) -> None:
    b1 = question(case, "B1")
    data = form_data(case, **{f"comment_{b1.pk}": ""})
    del data[f"grade_{b1.pk}"]
    response = signed_in(redcar_auditor).post(
        reverse("case_audits:case-submit", args=[case.pk]), data
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "B1: choose a grade" in page
    assert "B1: a comment is required for this question" in page
    case.refresh_from_db()
    assert case.status != CaseStatus.SUBMITTED


def test_other_readers_see_the_audit_read_only(
    case: AuditCase,
    redcar_auditor: User,
    middlesbrough_auditor: User,
    partnership_lead: User,
    manager: User,
) -> None:
    url = reverse("case_audits:case", args=[case.pk])
    assert signed_in(manager).get(url).status_code == 404  # not yet submitted
    submitted(case, redcar_auditor)
    for reader in (middlesbrough_auditor, partnership_lead, manager):
        response = signed_in(reader).get(url)
        assert response.status_code == 200
        assert 'name="grade_' not in response.content.decode()
        assert "Clear." in response.content.decode()
        assert signed_in(reader).post(url, form_data(case)).status_code in (403, 404)


@pytest.mark.parametrize("name", ["case", "case-submit", "conversation-add", "moderate"])
def test_case_pages_are_not_found_for_those_the_policy_refuses(
    case: AuditCase,
    stockton_auditor: User,
    hartlepool_manager: User,
    eh_worker: User,
    name: str,
) -> None:
    url = reverse(f"case_audits:{name}", args=[case.pk])
    for someone in (stockton_auditor, hartlepool_manager, eh_worker):
        client = signed_in(someone)
        response = client.post(url, {}) if name != "case" else client.get(url)
        assert response.status_code in (403, 404)


def test_after_the_programme_closes_the_auditor_sees_nothing(
    case: AuditCase, redcar_auditor: User
) -> None:
    case.programme.status = ProgrammeStatus.CLOSED
    case.programme.save()
    client = signed_in(redcar_auditor)
    assert client.get(reverse("case_audits:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("case_audits:actions")).status_code == 200


def test_after_submitting_nothing_changes_from_the_page(
    case: AuditCase, redcar_auditor: User
) -> None:
    submitted(case, redcar_auditor)
    client = signed_in(redcar_auditor)
    data = form_data(case, overall_grade=Grade.INADEQUATE)
    assert client.post(reverse("case_audits:case", args=[case.pk]), data).status_code == 403
    case.refresh_from_db()
    assert case.overall_grade == Grade.GOOD


def test_the_conversation_from_the_case_page(
    case: AuditCase, redcar_auditor: User, make_user: Callable[..., User], stockton: Council
) -> None:
    manager = make_user(Role.TEAM_MANAGER, council=stockton, username="m.conv")
    client = signed_in(redcar_auditor)
    url = reverse("case_audits:conversation-add", args=[case.pk])
    today = timezone.localdate()
    date_parts = {
        "held_on_day": today.day,
        "held_on_month": today.month,
        "held_on_year": today.year,
    }
    response = client.post(url, {**date_parts, "held_with": "manager", "notes": ""})
    assert response.status_code == 400 and "Enter what was discussed" in response.content.decode()
    response = client.post(
        url, {**date_parts, "held_with": "manager", "manager": manager.pk, "notes": "Plan."}
    )
    assert response.status_code == 303, response.context["conversation_form"].errors
    assert case.conversations.get().manager == manager


def test_moderation_pages(
    case: AuditCase, redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    submitted(case, redcar_auditor)
    client = signed_in(middlesbrough_auditor)
    listing = client.get(reverse("case_audits:moderation", args=[case.programme_id]))
    assert listing.status_code == 200 and "Good" in listing.content.decode()
    url = reverse("case_audits:moderate", args=[case.pk])
    response = client.post(url, {"grade": Grade.INADEQUATE, "note": "", "version": case.version})
    assert response.status_code == 400
    assert "Say why you changed" in response.content.decode()
    response = client.post(url, {"grade": Grade.GOOD, "note": "", "version": case.version})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == CaseStatus.MODERATED and case.moderated_grade == Grade.GOOD
    assert signed_in(redcar_auditor).get(url).status_code in (403, 404)


def test_actions_pages(
    case: AuditCase,
    partnership_lead: User,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool_manager: User,
) -> None:
    case.programme.created_by = partnership_lead
    case.programme.save()
    owner = make_user(Role.TEAM_MANAGER, council=stockton, username="owner.pages")
    lead = signed_in(partnership_lead)
    add_url = reverse("case_audits:action-add", args=[case.programme_id])
    due = timezone.localdate() + timedelta(days=14)
    fields = {
        "council": stockton.pk,
        "description": "Measurable outcomes",
        "owner": hartlepool_manager.pk,
        "due_on_day": due.day,
        "due_on_month": due.month,
        "due_on_year": due.year,
    }
    response = lead.post(add_url, fields)
    assert response.status_code == 400 and AuditAction.objects.count() == 0
    response = lead.post(add_url, fields | {"owner": owner.pk})
    assert response.status_code == 303, response.context["form"].errors
    action = AuditAction.objects.get()
    listing = lead.get(reverse("case_audits:programme-actions", args=[case.programme_id]))
    assert "Measurable outcomes" in listing.content.decode()
    owner_client = signed_in(owner)
    assert (
        "Measurable outcomes" in owner_client.get(reverse("case_audits:actions")).content.decode()
    )
    response = owner_client.post(
        reverse("case_audits:action", args=[action.pk]),
        {"status": ActionStatus.DONE, "note": "", "version": action.version},
    )
    assert response.status_code == 303
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert (
        signed_in(hartlepool_manager)
        .get(reverse("case_audits:action", args=[action.pk]))
        .status_code
        == 404
    )
    assert signed_in(hartlepool_manager).get(add_url).status_code in (403, 404)


def test_an_overdue_action_is_tagged(
    case: AuditCase, partnership_lead: User, make_user: Callable[..., User], stockton: Council
) -> None:
    case.programme.created_by = partnership_lead
    case.programme.save()
    owner = make_user(Role.TEAM_MANAGER, council=stockton, username="owner.late")
    action = add_action(
        programme=case.programme,
        by=partnership_lead,
        council=stockton,
        description="Late",
        owner=owner,
        due_on=timezone.localdate(),
    )
    AuditAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    page = signed_in(owner).get(reverse("case_audits:actions")).content.decode()
    assert "Overdue" in page


def test_observation_pages(
    redcar_auditor: User, stockton: Council, redcar: Council, manager: User, eh_worker: User
) -> None:
    template = factories.audit_template(key="front-door", kind=TemplateKind.FRONT_DOOR_OBSERVATION)
    client = signed_in(redcar_auditor)
    start = client.get(reverse("case_audits:observation-new"))
    assert start.status_code == 200
    assert (
        redcar.name not in start.content.decode().split('id="id_council"')[1].split("</select>")[0]
    )
    url = reverse("case_audits:observation-new") + f"?council={stockton.pk}&template={template.pk}"
    assert client.get(url).status_code == 200
    own = reverse("case_audits:observation-new") + f"?council={redcar.pk}&template={template.pk}"
    assert client.get(own).status_code == 400
    questions = {q.code: q.pk for q in template.sections.all()[0].questions.all()} | {
        q.code: q.pk for q in template.sections.all()[1].questions.all()
    }
    today = timezone.localdate()
    data = {
        "observed_on_day": today.day,
        "observed_on_month": today.month,
        "observed_on_year": today.year,
        "what_was_observed": "Screening.",
        f"grade_{questions['A1']}": Grade.GOOD,
        f"grade_{questions['A2']}": 1,
        f"comment_{questions['A2']}": "",
        f"grade_{questions['B1']}": Grade.GOOD,
        f"comment_{questions['B1']}": "On the day.",
        "overall_grade": Grade.GOOD,
        "strengths": "Calm.",
        "areas_for_improvement": "Voice.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "A2: a comment is required for this question" in response.content.decode()
    assert FrontDoorObservation.objects.count() == 0
    response = client.post(url, data | {f"comment_{questions['A2']}": "Discussed."})
    assert response.status_code == 303
    observation = FrontDoorObservation.objects.get()
    detail = reverse("case_audits:observation", args=[observation.pk])
    assert signed_in(manager).get(detail).status_code == 200
    assert signed_in(eh_worker).get(detail).status_code == 404
    assert signed_in(eh_worker).get(reverse("case_audits:observations")).status_code == 403
    assert signed_in(manager).get(reverse("case_audits:observation-new")).status_code == 403


@pytest.mark.parametrize("name", ["actions", "observations", "observation-new"])
def test_pages_without_a_role_are_refused(make_user: Callable[..., User], name: str) -> None:
    assert Client().get(reverse(f"case_audits:{name}")).status_code == 302
    nobody = make_user("", username="no.role")
    assert signed_in(nobody).get(reverse(f"case_audits:{name}")).status_code == 403
