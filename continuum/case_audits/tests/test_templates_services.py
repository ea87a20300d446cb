"""Audit templates as versioned data: the defaults, the questions asked of a council's cases,
new versions (the old kept for the programmes using it) and councils' own questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import Scale, TemplateKind
from continuum.case_audits.default_templates import CASE_AUDIT, FRONT_DOOR_OBSERVATION
from continuum.case_audits.models import AuditProgramme, AuditTemplate, TemplateQuestion
from continuum.case_audits.services.templates import (
    NewQuestion,
    QuestionChange,
    SectionChange,
    TemplateChanges,
    add_council_question,
    ensure_default_templates,
    publish_new_version,
    questions_for,
)
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Council
from continuum.testing import factories


def _codes(template: AuditTemplate, council: Council | None) -> list[str]:
    return [
        q.code for item in questions_for(template=template, council=council) for q in item.questions
    ]


def _rows() -> tuple[int, int]:
    return AuditTemplate.objects.count(), TemplateQuestion.objects.count()


# --- the defaults ------------------------------------------------------------------------


def test_the_default_templates_are_there_after_migrating_and_ensuring_them_again_changes_nothing(
    db: Any,
) -> None:
    case_audit = AuditTemplate.objects.get(key="case-audit", is_current=True)
    observation = AuditTemplate.objects.get(key="front-door-observation", is_current=True)
    assert case_audit.kind == TemplateKind.CASE_AUDIT
    assert observation.kind == TemplateKind.FRONT_DOOR_OBSERVATION
    before = _rows()
    found = ensure_default_templates()
    assert {t.pk for t in found} == {case_audit.pk, observation.pk}
    assert _rows() == before


def test_ensure_default_templates_makes_them_where_missing(db: Any) -> None:
    AuditTemplate.objects.filter(key__in=["case-audit", "front-door-observation"]).delete()
    found = ensure_default_templates()
    assert sorted(t.key for t in found) == ["case-audit", "front-door-observation"]
    assert all(t.is_current and t.version == 1 for t in found)


def test_the_case_audit_covers_the_five_areas_with_guidance_on_every_question(db: Any) -> None:
    template = AuditTemplate.objects.get(key="case-audit", is_current=True)
    sections = questions_for(template=template, council=None)
    titles = [item.section.title for item in sections]
    assert titles == [
        "The child's lived experience and voice",
        "The whole-family assessment",
        "The plan, the Team Around the Family and reviews",
        "Management oversight and supervision",
        "Outcomes, closure and step-up or step-down",
    ]
    questions = [q for item in sections for q in item.questions]
    assert 12 <= len(questions) <= 15
    assert all(q.guidance.strip() for q in questions)
    assert {q.scale for q in questions} == set(Scale.values)
    # A comment-only question never needs a grade, and some graded ones need a comment.
    assert any(q.comment_required for q in questions if q.scale == Scale.GRADES)
    assert len(questions) == sum(len(s.questions) for s in CASE_AUDIT.sections)


def test_the_front_door_observation_has_six_questions(db: Any) -> None:
    template = AuditTemplate.objects.get(key="front-door-observation", is_current=True)
    assert len(_codes(template, None)) == 6
    assert len(FRONT_DOOR_OBSERVATION.sections) == 2


# --- a council's own questions ---------------------------------------------------------------


@pytest.fixture
def template(db: Any) -> AuditTemplate:
    return factories.audit_template()


@pytest.fixture
def stockton_manager(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.TEAM_MANAGER, council=stockton, username="manager.stockton")


def _add(template: AuditTemplate, council: Council, by: User, **changes: Any) -> TemplateQuestion:
    fields: dict[str, Any] = {
        "text": "Was the Fairer Start offer considered for the family?",
        "guidance": "Fairer Start is Stockton's offer for families with children under five.",
        "scale": Scale.YES_PARTLY_NO,
        "comment_required": True,
        "reason": "We want to know whether families under five are offered Fairer Start.",
    }
    fields.update(changes)
    return add_council_question(
        template=template,
        section=fields.pop("section", template.sections.get(order=2)),
        council=council,
        by=by,
        **fields,
    )


def test_a_councils_question_is_asked_of_its_cases_only_and_coded_for_it(
    template: AuditTemplate, stockton: Council, hartlepool: Council, stockton_manager: User
) -> None:
    question = _add(template, stockton, stockton_manager)
    assert question.code == "STO-1"
    assert question.council == stockton and question.added_by == stockton_manager
    assert question.added_reason.startswith("We want to know")
    assert _codes(template, stockton) == ["A1", "A2", "B1", "B2", "STO-1"]
    assert _codes(template, hartlepool) == ["A1", "A2", "B1", "B2"]
    assert _codes(template, None) == ["A1", "A2", "B1", "B2"]
    assert _add(template, stockton, stockton_manager).code == "STO-2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"text": ""}, "text"),
        ({"text": "x" * 301}, "text"),
        ({"scale": "stars"}, "scale"),
    ],
)
def test_a_councils_question_is_refused_by_field_and_nothing_is_saved(
    template: AuditTemplate,
    stockton: Council,
    stockton_manager: User,
    changes: dict[str, Any],
    field: str,
) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as refused:
        _add(template, stockton, stockton_manager, **changes)
    assert field in refused.value.message_dict
    assert _rows() == before


def test_a_section_of_another_template_is_refused(
    template: AuditTemplate, stockton: Council, stockton_manager: User
) -> None:
    other = AuditTemplate.objects.get(key="case-audit", is_current=True)
    with pytest.raises(ValidationError) as refused:
        _add(template, stockton, stockton_manager, section=other.sections.first())
    assert "section" in refused.value.message_dict


def test_only_the_councils_own_managers_and_strategic_leads_add_its_questions(
    template: AuditTemplate,
    stockton: Council,
    hartlepool: Council,
    make_user: Callable[..., User],
    partnership_lead: User,
) -> None:
    strategic = make_user(Role.STRATEGIC_LEAD, council=stockton, username="lead.stockton")
    assert _add(template, stockton, strategic).council == stockton
    hartlepool_manager = make_user(Role.TEAM_MANAGER, council=hartlepool, username="m.hpool")
    worker = make_user(Role.EARLY_HELP_PRACTITIONER, council=stockton, username="eh.stockton")
    analyst = make_user(Role.PERFORMANCE_ANALYST, council=stockton, username="pa.stockton")
    for user in (hartlepool_manager, worker, analyst, partnership_lead):
        with pytest.raises(NotPermitted):
            _add(template, stockton, user)


def test_a_question_is_added_only_to_the_current_version(
    template: AuditTemplate, stockton: Council, stockton_manager: User, partnership_lead: User
) -> None:
    publish_new_version(
        template=template,
        by=partnership_lead,
        changes=TemplateChanges(note="B2 removed: it duplicated E3.", removed=["B2"]),
    )
    with pytest.raises(InvalidState):
        _add(template, stockton, stockton_manager)


# --- new versions --------------------------------------------------------------------------


def test_a_new_version_copies_the_current_with_the_changes_and_keeps_the_old_for_its_programmes(
    template: AuditTemplate, stockton: Council, stockton_manager: User, partnership_lead: User
) -> None:
    _add(template, stockton, stockton_manager)
    programme = cast(AuditProgramme, factories.AuditProgrammeFactory(template=template))
    changes = TemplateChanges(
        note="Sharper wording for A1; a question on fathers; B2 folded into the summary.",
        changed=[
            QuestionChange(
                code="A1",
                text="How well does the record show each child's daily life?",
                guidance="New guidance.",
                scale=Scale.GRADES,
                comment_required=True,
            )
        ],
        added=[
            NewQuestion(
                section_order=1,
                text="Were fathers and male carers engaged?",
                guidance="Look for the father's voice.",
                scale=Scale.YES_PARTLY_NO,
                comment_required=False,
            )
        ],
        removed=["B2"],
        sections=[SectionChange(order=2, title="The plan and its reviews", guidance="Plans.")],
    )
    new = publish_new_version(template=template, by=partnership_lead, changes=changes)
    template.refresh_from_db()
    assert (template.is_current, new.is_current, new.version) == (False, True, 2)
    assert new.published_by == partnership_lead and new.change_note.startswith("Sharper")
    assert _codes(new, stockton) == ["A1", "A2", "A3", "B1", "STO-1"]
    a1 = TemplateQuestion.objects.get(section__template=new, code="A1")
    assert (a1.text, a1.comment_required) == (
        "How well does the record show each child's daily life?",
        True,
    )
    assert new.sections.get(order=2).title == "The plan and its reviews"
    carried = TemplateQuestion.objects.get(section__template=new, code="STO-1")
    assert carried.council == stockton and carried.added_reason
    # The old version, and the programme using it, are unchanged.
    programme.refresh_from_db()
    assert programme.template == template
    assert _codes(template, stockton) == ["A1", "A2", "B1", "B2", "STO-1"]
    old_a1 = TemplateQuestion.objects.get(section__template=template, code="A1")
    assert old_a1.text.startswith("How well does the assessment")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (TemplateChanges(note="", removed=["B2"]), "note"),
        (TemplateChanges(note="Nothing"), "__all__"),
        (TemplateChanges(note="x", removed=["Z9"]), "code"),
        (
            TemplateChanges(
                note="x",
                changed=[QuestionChange("A1", "", "", Scale.GRADES, False)],
            ),
            "text",
        ),
        (
            TemplateChanges(
                note="x", added=[NewQuestion(9, "A question?", "", Scale.GRADES, False)]
            ),
            "section",
        ),
        (
            TemplateChanges(
                note="x", added=[NewQuestion(1, "A question?", "", "out_of_ten", False)]
            ),
            "scale",
        ),
        (TemplateChanges(note="x", removed=["A1", "A2", "B1", "B2"]), "code"),
        (TemplateChanges(note="x", sections=[SectionChange(1, " ", "")]), "title"),
    ],
)
def test_bad_changes_are_refused_by_field_and_nothing_is_published(
    template: AuditTemplate, partnership_lead: User, changes: TemplateChanges, field: str
) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as refused:
        publish_new_version(template=template, by=partnership_lead, changes=changes)
    assert field in refused.value.message_dict
    assert _rows() == before
    template.refresh_from_db()
    assert template.is_current


def test_only_the_current_version_is_changed_and_only_by_the_partnerships_lead(
    template: AuditTemplate, partnership_lead: User, stockton_manager: User
) -> None:
    changes = TemplateChanges(note="B2 removed.", removed=["B2"])
    with pytest.raises(NotPermitted):
        publish_new_version(template=template, by=stockton_manager, changes=changes)
    publish_new_version(template=template, by=partnership_lead, changes=changes)
    with pytest.raises(InvalidState):
        publish_new_version(template=template, by=partnership_lead, changes=changes)
    assert AuditTemplate.objects.filter(key=template.key).count() == 2


def test_the_migration_reversed_deletes_the_defaults_and_run_again_makes_them(db: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("continuum.case_audits.migrations.0002_default_templates")
    migration.remove_templates(apps, None)
    assert not AuditTemplate.objects.filter(key__in=["case-audit", "front-door-observation"])
    migration.make_templates(apps, None)
    migration.make_templates(apps, None)
    assert AuditTemplate.objects.filter(key="case-audit").count() == 1
    assert TemplateQuestion.objects.filter(section__template__key="case-audit").count() == 15
