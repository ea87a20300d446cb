"""The audit templates' pages and API: who sees them, publishing a new version one change at a
time, a council's own question shown as the council's, and bad input refused at its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import Scale
from continuum.case_audits.models import AuditTemplate, TemplateQuestion
from continuum.case_audits.services.templates import add_council_question
from continuum.organisations.models import Council
from continuum.testing import factories


@pytest.fixture
def template(db: Any) -> AuditTemplate:
    return factories.audit_template()


@pytest.fixture
def stockton_manager(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.TEAM_MANAGER, council=stockton, username="manager.stockton")


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _council_question(template: AuditTemplate, council: Council, by: User) -> TemplateQuestion:
    return add_council_question(
        template=template,
        section=template.sections.get(order=1),
        council=council,
        by=by,
        text="Was the Fairer Start offer considered?",
        guidance="Stockton's offer for families with children under five.",
        scale=Scale.YES_PARTLY_NO,
        comment_required=False,
        reason="To learn whether families under five are offered Fairer Start.",
    )


@pytest.mark.parametrize(
    "role",
    [
        Role.AUDITOR,
        Role.TEAM_MANAGER,
        Role.STRATEGIC_LEAD,
        Role.PERFORMANCE_ANALYST,
    ],
)
def test_auditors_and_council_readers_see_the_templates_and_a_councils_question_as_its_own(
    client: Client,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
    template: AuditTemplate,
    stockton_manager: User,
    role: str,
) -> None:
    _council_question(template, stockton, stockton_manager)
    user = make_user(role, council=hartlepool, username="reader")
    _signed_in(client, user)
    listing = client.get(reverse("case_audits:templates"))
    assert listing.status_code == 200
    assert "Early help case audit" in listing.content.decode()
    page = client.get(reverse("case_audits:template", args=[template.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Stockton-on-Tees's own question" in html
    assert "To learn whether families under five are offered Fairer Start." in html
    assert "Guidance for A1." in html
    assert "A comment is required." in html
    api = client.get(f"/api/v1/audit-templates/{template.pk}")
    assert api.status_code == 200
    questions = [q for s in api.json()["sections"] for q in s["questions"]]
    assert [q["council"] for q in questions if q["code"] == "STO-1"] == ["Stockton-on-Tees"]
    assert client.get("/api/v1/audit-templates").json()["count"] >= 1


def test_the_partnerships_lead_sees_them(
    client: Client, partnership_lead: User, template: AuditTemplate
) -> None:
    _signed_in(client, partnership_lead)
    page = client.get(reverse("case_audits:template", args=[template.pk]))
    assert page.status_code == 200
    assert "Publish a new version" in page.content.decode()


@pytest.mark.parametrize(
    "role", [Role.FRONT_DOOR_WORKER, Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER]
)
def test_case_workers_and_partners_do_not_see_templates(
    client: Client, make_user: Callable[..., User], template: AuditTemplate, role: str
) -> None:
    _signed_in(client, make_user(role, username="someone"))
    assert client.get(reverse("case_audits:templates")).status_code == 403
    assert client.get(reverse("case_audits:template", args=[template.pk])).status_code == 403
    assert client.get("/api/v1/audit-templates").status_code == 403
    assert client.get(f"/api/v1/audit-templates/{template.pk}").status_code == 403


def test_the_lead_changes_one_question_and_the_new_version_is_published(
    client: Client, partnership_lead: User, template: AuditTemplate
) -> None:
    _signed_in(client, partnership_lead)
    url = reverse("case_audits:template-new-version", args=[template.pk])
    form = client.get(url, {"question": "B1"})
    assert "Is the plan SMART and reviewed on time?" in form.content.decode()
    response = client.post(
        url,
        {
            "change": "change",
            "question": "B1",
            "text": "Is the plan SMART, and is it reviewed on time?",
            "guidance": "Each action: who, what, by when.",
            "scale": Scale.GRADES,
            "comment_required": "yes",
            "note": "B1 reworded after the spring audit.",
        },
    )
    new = AuditTemplate.objects.get(key=template.key, is_current=True)
    assert response.status_code == 302 and response["Location"] == reverse(
        "case_audits:template", args=[new.pk]
    )
    assert new.version == 2
    assert (
        TemplateQuestion.objects.get(section__template=new, code="B1").text
        == "Is the plan SMART, and is it reviewed on time?"
    )
    page = client.get(reverse("case_audits:template", args=[new.pk]))
    assert "B1 reworded after the spring audit." in page.content.decode()
    old = client.get(reverse("case_audits:template", args=[template.pk])).content.decode()
    assert "This is an earlier version" in old


def test_the_lead_adds_and_removes_questions(
    client: Client, partnership_lead: User, template: AuditTemplate
) -> None:
    _signed_in(client, partnership_lead)
    url = reverse("case_audits:template-new-version", args=[template.pk])
    client.post(
        url,
        {
            "change": "add",
            "section": "1",
            "text": "Were fathers engaged?",
            "scale": Scale.YES_PARTLY_NO,
            "comment_required": "no",
            "note": "A question on fathers.",
        },
    )
    second = AuditTemplate.objects.get(key=template.key, is_current=True)
    assert TemplateQuestion.objects.get(section__template=second, code="A3").text == (
        "Were fathers engaged?"
    )
    url = reverse("case_audits:template-new-version", args=[second.pk])
    client.post(url, {"change": "remove", "question": "B2", "note": "B2 duplicated A3."})
    third = AuditTemplate.objects.get(key=template.key, is_current=True)
    assert third.version == 3
    assert not TemplateQuestion.objects.filter(section__template=third, code="B2").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"change": "change", "question": "B1", "text": "", "scale": "grades"}, "text"),
        ({"change": "remove", "question": "B1"}, "note"),
        ({"change": "remove"}, "question"),
        ({"change": "add", "text": "Q?", "scale": "grades", "comment_required": "no"}, "section"),
        ({"question": "B1", "note": "x"}, "change"),
    ],
)
def test_a_bad_change_is_shown_at_its_field_and_nothing_is_published(
    client: Client,
    partnership_lead: User,
    template: AuditTemplate,
    data: dict[str, str],
    field: str,
) -> None:
    _signed_in(client, partnership_lead)
    before = AuditTemplate.objects.count(), TemplateQuestion.objects.count()
    response = client.post(reverse("case_audits:template-new-version", args=[template.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert "There is a problem" in response.content.decode()
    assert (AuditTemplate.objects.count(), TemplateQuestion.objects.count()) == before


def test_only_the_lead_publishes_and_only_the_current_version(
    client: Client, stockton_manager: User, partnership_lead: User, template: AuditTemplate
) -> None:
    url = reverse("case_audits:template-new-version", args=[template.pk])
    _signed_in(client, stockton_manager)
    assert client.get(url).status_code == 403
    _signed_in(client, partnership_lead)
    client.post(url, {"change": "remove", "question": "B2", "note": "Removed."})
    response = client.post(url, {"change": "remove", "question": "B1", "note": "Removed."})
    assert response.status_code == 200
    assert "no longer current" in response.content.decode()
    assert AuditTemplate.objects.filter(key=template.key).count() == 2


def test_a_councils_manager_adds_its_question_on_the_page(
    client: Client, stockton_manager: User, template: AuditTemplate
) -> None:
    _signed_in(client, stockton_manager)
    detail = client.get(reverse("case_audits:template", args=[template.pk])).content.decode()
    assert "Add a question for Stockton-on-Tees" in detail
    url = reverse("case_audits:council-question-add", args=[template.pk])
    bad = client.post(
        url, {"section": "2", "text": "Q?", "scale": "grades", "comment_required": "no"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors.get("reason")
    assert not TemplateQuestion.objects.filter(council__isnull=False).exists()
    response = client.post(
        url,
        {
            "section": "2",
            "text": "Was Encompass information used in the plan?",
            "scale": Scale.YES_PARTLY_NO,
            "comment_required": "yes",
            "reason": "Encompass notifications should shape plans.",
        },
    )
    assert response.status_code == 302
    question = TemplateQuestion.objects.get(council__isnull=False)
    assert (question.code, question.section.order) == ("STO-1", 2)


def test_the_api_adds_a_councils_question_and_refuses_by_field(
    client: Client,
    stockton_manager: User,
    hartlepool: Council,
    make_user: Callable[..., User],
    template: AuditTemplate,
) -> None:
    _signed_in(client, stockton_manager)
    url = f"/api/v1/audit-templates/{template.pk}/council-questions"
    section = template.sections.get(order=1).pk
    body = {"section": section, "text": "Q?", "scale": "grades", "reason": ""}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422
    assert any(e["loc"][-1] == "reason" for e in refused.json()["detail"])
    other = AuditTemplate.objects.get(key="case-audit", is_current=True).sections.first()
    assert other is not None
    wrong = client.post(
        url, {**body, "section": other.pk, "reason": "r"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert not TemplateQuestion.objects.filter(council__isnull=False).exists()
    made = client.post(url, {**body, "reason": "Because."}, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["council"] == "Stockton-on-Tees" and made.json()["code"] == "STO-1"
    auditor = make_user(Role.AUDITOR, council=hartlepool, username="auditor.hpool")
    _signed_in(client, auditor)
    assert (
        client.post(url, {**body, "reason": "r"}, content_type="application/json").status_code
        == 403
    )
