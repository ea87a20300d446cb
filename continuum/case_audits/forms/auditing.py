"""The auditing forms. They only parse what was chosen and typed; the services check the
rules (the scale, the comments required, the dates, who may be chosen) so that pages and
the API refuse alike, in the same words. A question's grade and comment are fields named
``grade_<question id>`` and ``comment_<question id>``, as the services name them in a
refusal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from continuum.accounts.models import User
from continuum.case_audits.choices import SCALE_OPTIONS, ActionStatus, ConversationWith, Grade
from continuum.case_audits.models import (
    AuditCase,
    AuditProgramme,
    AuditTemplate,
    TemplateQuestion,
)
from continuum.case_audits.services.auditing import Answer, comment_field, grade_field
from continuum.organisations.models import Council
from continuum.ui.forms import GovukDateField, GovukFormMixin


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


def _person(user: User) -> str:
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _person(obj)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{_person(obj)} ({obj.get_role_display()}, {obj.organisation.name})"


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        record_id = obj.episode_id or obj.contact_id
        return f"{obj.council.name}: {obj.get_kind_display()} {str(record_id)[:8].upper()}"


def _text(label: str, *, rows: int = 4, required: bool = False, help_text: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AnswersMixin(forms.Form):
    """A grade (radios on the question's scale) and a comment for each question, the
    overall grade, strengths and areas for improvement."""

    overall_grade = forms.TypedChoiceField(
        label="Overall grade",
        choices=Grade.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    strengths = _text("Strengths")
    areas_for_improvement = _text("Areas for improvement")

    def add_questions(self, questions: Iterable[TemplateQuestion]) -> None:
        self.questions = list(questions)
        for question in self.questions:
            options = SCALE_OPTIONS[question.scale]
            if options:
                self.fields[grade_field(question)] = forms.TypedChoiceField(
                    label=f"{question.code} {question.text}",
                    choices=[(str(v), label) for v, label in options],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                )
            comment = _text(
                "Comment" if question.comment_required else "Comment (optional)", rows=3
            )
            comment.widget.attrs["class"] = "govuk-textarea"
            self.fields[comment_field(question)] = comment

    def answers(self) -> dict[int, Answer]:
        data = self.cleaned_data
        return {
            q.pk: (_int_or_none(data.get(grade_field(q))), data.get(comment_field(q)) or "")
            for q in self.questions
        }

    def sections(self) -> list[dict[str, Any]]:
        """The questions by section, each with its bound fields, for the template."""
        shown: list[dict[str, Any]] = []
        for question in self.questions:
            if not shown or shown[-1]["section"].pk != question.section_id:
                shown.append({"section": question.section, "questions": []})
            grade = grade_field(question)
            shown[-1]["questions"].append(
                {
                    "question": question,
                    "grade": self[grade] if grade in self.fields else None,
                    "comment": self[comment_field(question)],
                }
            )
        return shown


class FindingsForm(GovukFormMixin, AnswersMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args: Any, case: AuditCase, questions: Iterable[TemplateQuestion], **kwargs: Any
    ) -> None:
        if not args or args[0] is None:
            kwargs.setdefault("initial", self.initial_of(case))
        super().__init__(*args, **kwargs)
        self.add_questions(questions)

    @staticmethod
    def initial_of(case: AuditCase) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": case.version,
            "overall_grade": case.overall_grade,
            "strengths": case.strengths,
            "areas_for_improvement": case.areas_for_improvement,
        }
        for finding in case.findings.all():
            initial[f"grade_{finding.question_id}"] = (
                str(finding.grade) if finding.grade is not None else None
            )
            initial[f"comment_{finding.question_id}"] = finding.comment
        return initial


class ConversationForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(
        label="Date of the conversation", help_text="For example, 27 3 2026", required=False
    )
    held_with = forms.ChoiceField(
        label="Who was it with?",
        choices=ConversationWith.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    practitioner = PersonChoiceField(
        label="Practitioner", queryset=User.objects.none(), required=False
    )
    manager = PersonChoiceField(label="Manager", queryset=User.objects.none(), required=False)
    notes = _text("What was discussed", rows=5)

    def __init__(self, *args: Any, practitioners: Any, managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        practitioner = self.fields["practitioner"]
        manager = self.fields["manager"]
        assert isinstance(practitioner, forms.ModelChoiceField)
        assert isinstance(manager, forms.ModelChoiceField)
        practitioner.queryset = practitioners
        manager.queryset = managers


class ModerationForm(GovukFormMixin, forms.Form):
    grade = forms.TypedChoiceField(
        label="Final grade",
        choices=Grade.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = _text(
        "Moderation note",
        help_text="Required if you change the auditor's grade: say why",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionForm(GovukFormMixin, forms.Form):
    council = forms.ModelChoiceField(
        label="Council", queryset=Council.objects.none(), required=False
    )
    case = CaseChoiceField(
        label="The case it came from (optional)",
        queryset=AuditCase.objects.none(),
        required=False,
    )
    description = _text("What is to be done")
    owner = OwnerChoiceField(label="Owner", queryset=User.objects.none(), required=False)
    due_on = GovukDateField(label="Due date", help_text="For example, 27 3 2026", required=False)

    def __init__(self, *args: Any, councils: Any, cases: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("council", councils), ("case", cases), ("owner", owners)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class ActionUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="What is the action now?",
        choices=[
            (ActionStatus.OPEN, "Still open: record progress"),
            (ActionStatus.DONE, "Done"),
            (ActionStatus.CANCELLED, "No longer needed"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    note = _text("Progress note", help_text="Required unless it is done")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ObservationStartForm(GovukFormMixin, forms.Form):
    council = forms.ModelChoiceField(label="Whose front door?", queryset=Council.objects.none())
    template = forms.ModelChoiceField(label="Template", queryset=AuditTemplate.objects.none())

    def __init__(self, *args: Any, councils: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("council", councils), ("template", templates)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class ObservationForm(GovukFormMixin, AnswersMixin):
    observed_on = GovukDateField(
        label="Date observed", help_text="For example, 27 3 2026", required=False
    )
    what_was_observed = _text("What was observed", rows=5)
    programme = forms.ModelChoiceField(
        label="Audit programme (optional)",
        queryset=AuditProgramme.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, questions: Iterable[TemplateQuestion], programmes: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        programme = self.fields["programme"]
        assert isinstance(programme, forms.ModelChoiceField)
        programme.queryset = programmes
        self.add_questions(questions)
