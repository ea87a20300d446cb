"""Audit templates as versioned data: the defaults, the questions asked of a council's cases,
a new version with a partnership lead's changes, and a council's own question.

A version is never changed once programmes may use it, except by a council adding a
question of its own to the current version (shown as the council's everywhere). A new
version is a copy of the current one with the changes; the old one is kept, so programmes
already using it keep their questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_audits import default_templates
from continuum.case_audits.choices import Scale
from continuum.case_audits.models import AuditTemplate, TemplateQuestion, TemplateSection
from continuum.case_audits.policies import CaseAuditAction
from continuum.errors import InvalidState
from continuum.organisations.models import Council

TEXT_MAX = TemplateQuestion._meta.get_field("text").max_length or 300
TITLE_MAX = TemplateSection._meta.get_field("title").max_length or 200


@dataclass(frozen=True)
class SectionQuestions:
    section: TemplateSection
    questions: list[TemplateQuestion]


@dataclass(frozen=True)
class QuestionChange:
    """A question's new wording. ``code`` names the question in the current version."""

    code: str
    text: str
    guidance: str
    scale: str
    comment_required: bool


@dataclass(frozen=True)
class NewQuestion:
    """A shared question added at the end of the section ``section_order``."""

    section_order: int
    text: str
    guidance: str
    scale: str
    comment_required: bool


@dataclass(frozen=True)
class SectionChange:
    order: int
    title: str
    guidance: str


@dataclass(frozen=True)
class TemplateChanges:
    """What a new version changes from the current one, and why (``note``, shown with the
    version)."""

    note: str
    changed: list[QuestionChange] = field(default_factory=list)
    added: list[NewQuestion] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)


# --- the defaults --------------------------------------------------------------------------


@transaction.atomic
def ensure_default_templates() -> list[AuditTemplate]:
    """The current version of each default template, made (as version 1) where missing.
    Running it again changes nothing."""
    models = SimpleNamespace(
        AuditTemplate=AuditTemplate,
        TemplateSection=TemplateSection,
        TemplateQuestion=TemplateQuestion,
    )
    found = []
    for data in default_templates.DEFAULT_TEMPLATES:
        current = AuditTemplate.objects.filter(key=data.key, is_current=True).first()
        if current is None and not AuditTemplate.objects.filter(key=data.key).exists():
            current = default_templates.load(data, models=models, published_on=timezone.localdate())
        if current is not None:
            found.append(current)
    return found


# --- reading -------------------------------------------------------------------------------


def questions_of(
    template: AuditTemplate, council: Council | int | None
) -> QuerySet[TemplateQuestion]:
    """The questions asked of a council's cases under ``template``, in section and question
    order: the shared questions and those the council added (none of another council's).
    ``council=None``: the shared questions only."""
    mine = Q(council__isnull=True)
    if council is not None:
        mine |= Q(council_id=council if isinstance(council, int) else council.pk)
    return (
        TemplateQuestion.objects.filter(mine, section__template=template)
        .select_related("section", "council", "added_by")
        .order_by("section__order", "order", "code")
    )


def questions_for(*, template: AuditTemplate, council: Council | None) -> list[SectionQuestions]:
    """``questions_of`` by section, in order (a section with none of them is listed empty)."""
    by_section: dict[int, list[TemplateQuestion]] = {}
    for question in questions_of(template, council):
        by_section.setdefault(question.section_id, []).append(question)
    return [
        SectionQuestions(section=section, questions=by_section.get(section.pk, []))
        for section in template.sections.order_by("order")
    ]


def all_questions(template: AuditTemplate) -> list[SectionQuestions]:
    """Every question of a version, councils' own included (the template's page)."""
    questions = TemplateQuestion.objects.filter(section__template=template).select_related(
        "council", "added_by"
    )
    by_section: dict[int, list[TemplateQuestion]] = {}
    for question in questions.order_by("section__order", "order", "code"):
        by_section.setdefault(question.section_id, []).append(question)
    return [
        SectionQuestions(section=section, questions=by_section.get(section.pk, []))
        for section in template.sections.order_by("order")
    ]


# --- checks --------------------------------------------------------------------------------


def _check_wording(
    errors: dict[str, list[str]], *, text: str, scale: str, prefix: str = ""
) -> None:
    if not text.strip():
        errors.setdefault(f"{prefix}text", []).append("Enter the question.")
    elif len(text.strip()) > TEXT_MAX:
        errors.setdefault(f"{prefix}text", []).append(
            f"The question must be {TEXT_MAX} characters or fewer."
        )
    if scale not in Scale.values:
        errors.setdefault(f"{prefix}scale", []).append(
            "Choose how the question is answered: graded, yes/partly/no or a comment only."
        )


def _check_sections(
    errors: dict[str, list[str]], sections: list[SectionChange], orders: set[int]
) -> None:
    for section in sections:
        if section.order not in orders:
            errors.setdefault("section", []).append("Choose a section of this template.")
        if not section.title.strip():
            errors.setdefault("title", []).append("Enter the section's title.")
        elif len(section.title.strip()) > TITLE_MAX:
            errors.setdefault("title", []).append(
                f"The title must be {TITLE_MAX} characters or fewer."
            )


def _check_changes(template: AuditTemplate, changes: TemplateChanges) -> None:
    errors: dict[str, list[str]] = {}
    codes = set(
        TemplateQuestion.objects.filter(section__template=template).values_list("code", flat=True)
    )
    orders = set(template.sections.values_list("order", flat=True))
    if not changes.note.strip():
        errors["note"] = ["Say what this version changes and why."]
    if not (changes.changed or changes.added or changes.removed or changes.sections):
        errors.setdefault("__all__", []).append("Make at least one change for a new version.")
    for change in changes.changed:
        if change.code not in codes:
            errors.setdefault("code", []).append(f"There is no question {change.code}.")
        _check_wording(errors, text=change.text, scale=change.scale)
    for new in changes.added:
        if new.section_order not in orders:
            errors.setdefault("section", []).append("Choose a section of this template.")
        _check_wording(errors, text=new.text, scale=new.scale)
    for code in changes.removed:
        if code not in codes:
            errors.setdefault("code", []).append(f"There is no question {code}.")
    left = codes - set(changes.removed)
    if codes and not left and not changes.added:
        errors.setdefault("code", []).append("A template must keep at least one question.")
    _check_sections(errors, changes.sections, orders)
    if errors:
        raise ValidationError(errors)


# --- a new version -------------------------------------------------------------------------


def _next_shared_code(section: TemplateSection, taken: set[str]) -> str:
    letter = chr(ord("A") + section.order - 1) if section.order <= 26 else f"S{section.order}-"
    number = 1
    while f"{letter}{number}" in taken:
        number += 1
    return f"{letter}{number}"


@transaction.atomic
def publish_new_version(
    *, template: AuditTemplate, by: User, changes: TemplateChanges
) -> AuditTemplate:
    """Publish the next version of ``template`` (the current one): a copy with
    ``changes``, made current; the old version is kept for the programmes using it."""
    policy.require(by, CaseAuditAction.RUN_PROGRAMMES, message="Only the partnership's lead.")
    current = AuditTemplate.objects.select_for_update().get(pk=template.pk)
    if not current.is_current:
        raise InvalidState(
            f"Version {current.version} is no longer current: change the current version."
        )
    _check_changes(current, changes)
    latest = AuditTemplate.objects.filter(key=current.key).aggregate(n=Max("version"))["n"]
    AuditTemplate.objects.filter(pk=current.pk).update(is_current=False)
    new = AuditTemplate.objects.create(
        key=current.key,
        version=(latest or current.version) + 1,
        kind=current.kind,
        title=current.title,
        description=current.description,
        published_on=timezone.localdate(),
        is_current=True,
        change_note=changes.note.strip(),
        published_by=by,
    )
    section_changes = {change.order: change for change in changes.sections}
    question_changes = {change.code: change for change in changes.changed}
    removed = set(changes.removed)
    taken = set(
        TemplateQuestion.objects.filter(section__template=current).values_list("code", flat=True)
    )
    for old_section in current.sections.order_by("order"):
        edit = section_changes.get(old_section.order)
        section = TemplateSection.objects.create(
            template=new,
            order=old_section.order,
            title=edit.title.strip() if edit else old_section.title,
            guidance=edit.guidance.strip() if edit else old_section.guidance,
        )
        order = 0
        for old in old_section.questions.order_by("order", "code"):
            if old.code in removed:
                continue
            order += 1
            _copy_question(old, section=section, order=order, change=question_changes.get(old.code))
        for added in (a for a in changes.added if a.section_order == old_section.order):
            order += 1
            code = _next_shared_code(section, taken)
            taken.add(code)
            TemplateQuestion.objects.create(
                section=section,
                order=order,
                code=code,
                text=added.text.strip(),
                guidance=added.guidance.strip(),
                scale=added.scale,
                comment_required=added.comment_required,
            )
    return new


def _copy_question(
    old: TemplateQuestion, *, section: TemplateSection, order: int, change: QuestionChange | None
) -> None:
    TemplateQuestion.objects.create(
        section=section,
        order=order,
        code=old.code,
        text=change.text.strip() if change else old.text,
        guidance=change.guidance.strip() if change else old.guidance,
        scale=change.scale if change else old.scale,
        comment_required=change.comment_required if change else old.comment_required,
        council=old.council,
        added_reason=old.added_reason,
        added_by=old.added_by,
    )


# --- a council's own question --------------------------------------------------------------


def council_prefix(council: Council) -> str:
    """The start of a council's own questions' codes: its name's first three letters
    (Stockton-on-Tees: "STO")."""
    letters = [c for c in council.name.upper() if c.isalpha()]
    return "".join(letters[:3]) or "C"


@transaction.atomic
def add_council_question(
    *,
    template: AuditTemplate,
    section: TemplateSection,
    council: Council,
    by: User,
    text: str,
    guidance: str,
    scale: str,
    comment_required: bool,
    reason: str,
) -> TemplateQuestion:
    """Add ``council``'s own question to ``section`` of the current version of a template,
    asked of that council's cases only and shown as the council's, with ``reason``."""
    policy.require(
        by,
        CaseAuditAction.ADD_COUNCIL_QUESTION,
        council,
        message="Only the council's team managers and strategic leads add its questions.",
    )
    current = AuditTemplate.objects.select_for_update().get(pk=template.pk)
    if not current.is_current:
        raise InvalidState(
            f"Version {current.version} is no longer current: add the question to the current "
            "version."
        )
    errors: dict[str, list[str]] = {}
    if section.template_id != current.pk:
        errors["section"] = ["Choose a section of this template."]
    _check_wording(errors, text=text, scale=scale)
    if not reason.strip():
        errors["reason"] = ["Say why the council asks this question of its cases."]
    if errors:
        raise ValidationError(errors)
    prefix = council_prefix(council)
    taken = set(
        TemplateQuestion.objects.filter(section__template=current).values_list("code", flat=True)
    )
    number = 1
    while f"{prefix}-{number}" in taken:
        number += 1
    last = section.questions.aggregate(n=Max("order"))["n"] or 0
    return TemplateQuestion.objects.create(
        section=section,
        order=last + 1,
        code=f"{prefix}-{number}",
        text=text.strip(),
        guidance=guidance.strip(),
        scale=scale,
        comment_required=comment_required,
        council=council,
        added_reason=reason.strip(),
        added_by=by,
    )
