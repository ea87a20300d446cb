"""The auditing endpoints: the same rules and refusals as the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseStatus, Grade, TemplateKind
from continuum.case_audits.models import AuditAction, AuditCase, Finding, FrontDoorObservation
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
    return case_for(
        open_programme(moderators=[middlesbrough_auditor]), redcar_auditor, council=stockton
    )


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(f"/api/v1{url}", body, content_type="application/json")


def answers(case: AuditCase) -> list[dict[str, Any]]:
    return [{"question": q, "grade": g, "comment": c} for q, (g, c) in full_answers(case).items()]


def test_an_audit_over_the_api(
    case: AuditCase, redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    auditor = as_user(redcar_auditor)
    a2 = question(case, "A2")
    bad = [{"question": a2.pk, "grade": 1, "comment": ""}]
    response = send(auditor, "put", f"/audit-cases/{case.pk}/findings", {"answers": bad})
    assert response.status_code == 422
    assert "A2: a comment is required for this question" in response.content.decode()
    assert Finding.objects.count() == 0
    response = send(
        auditor,
        "put",
        f"/audit-cases/{case.pk}/findings",
        {
            "answers": answers(case),
            "overall_grade": Grade.GOOD,
            "strengths": "S",
            "areas_for_improvement": "A",
            "version": 1,
        },
    )
    assert response.status_code == 200 and response.json()["status"] == CaseStatus.IN_PROGRESS
    assert send(auditor, "post", f"/audit-cases/{case.pk}/submit", {}).status_code == 200
    again = send(auditor, "put", f"/audit-cases/{case.pk}/findings", {"answers": []})
    assert again.status_code == 403
    moderator = as_user(middlesbrough_auditor)
    changed = send(
        moderator, "post", f"/audit-cases/{case.pk}/moderation", {"grade": Grade.INADEQUATE}
    )
    assert changed.status_code == 422
    agreed = send(moderator, "post", f"/audit-cases/{case.pk}/moderation", {"grade": Grade.GOOD})
    assert agreed.status_code == 200 and agreed.json()["moderated_grade"] == Grade.GOOD


def test_a_case_is_not_found_for_others(
    case: AuditCase, stockton_auditor: User, manager: User
) -> None:
    for someone in (stockton_auditor, manager):
        assert as_user(someone).get(f"/api/v1/audit-cases/{case.pk}").status_code == 404
    assert Client().get(f"/api/v1/audit-cases/{case.pk}").status_code == 401


def test_actions_over_the_api(
    case: AuditCase,
    partnership_lead: User,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool_manager: User,
) -> None:
    case.programme.created_by = partnership_lead
    case.programme.save()
    owner = make_user(Role.TEAM_MANAGER, council=stockton, username="owner.api")
    lead = as_user(partnership_lead)
    url = f"/audit-programmes/{case.programme_id}/actions"
    body = {
        "council": stockton.pk,
        "description": "Outcomes",
        "owner": hartlepool_manager.pk,
        "due_on": str(timezone.localdate() + timedelta(days=3)),
    }
    response = send(lead, "post", url, body)
    assert response.status_code == 422 and AuditAction.objects.count() == 0
    response = send(lead, "post", url, body | {"owner": owner.pk})
    assert response.status_code == 201
    action_id = response.json()["id"]
    listed = lead.get(f"/api/v1{url}").json()
    assert listed["count"] == 1
    done = send(as_user(owner), "post", f"/audit-actions/{action_id}/updates", {"status": "done"})
    assert done.status_code == 201 and done.json()["status"] == "done"
    again = send(
        as_user(owner),
        "post",
        f"/audit-actions/{action_id}/updates",
        {"status": "open", "note": "x"},
    )
    assert again.status_code == 409
    assert as_user(hartlepool_manager).get(f"/api/v1/audit-actions/{action_id}").status_code == 404


def test_observations_over_the_api(
    redcar_auditor: User, redcar: Council, stockton: Council, eh_worker: User
) -> None:
    template = factories.audit_template(key="front-door", kind=TemplateKind.FRONT_DOOR_OBSERVATION)
    codes = {q.code: q.pk for section in template.sections.all() for q in section.questions.all()}
    body = {
        "council": redcar.pk,
        "template": template.pk,
        "observed_on": str(timezone.localdate()),
        "what_was_observed": "Screening",
        "answers": [
            {"question": codes["A1"], "grade": 2},
            {"question": codes["A2"], "grade": 1, "comment": "Yes"},
            {"question": codes["B1"], "grade": 2, "comment": "Yes"},
        ],
        "overall_grade": 2,
        "strengths": "S",
        "areas_for_improvement": "A",
    }
    auditor = as_user(redcar_auditor)
    assert send(auditor, "post", "/front-door-observations", body).status_code == 403
    response = send(auditor, "post", "/front-door-observations", body | {"council": stockton.pk})
    assert response.status_code == 201
    assert FrontDoorObservation.objects.count() == 1
    assert auditor.get("/api/v1/front-door-observations").json()["count"] == 1
    other = as_user(eh_worker)
    assert other.get("/api/v1/front-door-observations").json()["count"] == 0
    assert other.get(f"/api/v1/front-door-observations/{response.json()['id']}").status_code == 404
