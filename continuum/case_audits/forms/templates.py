"""The templates pages' forms: input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.case_audits.choices import Scale
from continuum.case_audits.models import AuditTemplate, TemplateQuestion
from continuum.ui.forms import GovukFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


class _Wording(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="The question",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The question must be 300 characters or fewer."},
    )
    guidance = forms.CharField(
        label="Guidance for the auditor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What good and poor practice look like in the record, and where to look.",
    )
    scale = forms.ChoiceField(
        label="How it is answered",
        required=False,
        choices=Scale.choices,
        widget=forms.RadioSelect,
    )
    comment_required = forms.ChoiceField(
        label="Must the auditor write a comment?",
        required=False,
        choices=YES_NO,
        widget=forms.RadioSelect,
    )

    def _sections(self, template: AuditTemplate) -> list[tuple[str, str]]:
        return [(str(s.order), s.title) for s in template.sections.order_by("order")]


class NewVersionForm(_Wording):
    """One change a submission: change, add or remove a shared question. Each publishes
    the next version, with a note of what changed and why."""

    CHANGE, ADD, REMOVE = "change", "add", "remove"
    change = forms.ChoiceField(
        label="What do you want to change?",
        choices=[
            (CHANGE, "Change a question's wording, guidance or scale"),
            (ADD, "Add a question"),
            (REMOVE, "Remove a question"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to change."},
    )
    question = forms.ChoiceField(
        label="Which question (to change or remove)", required=False, choices=[]
    )
    section = forms.ChoiceField(label="Which section (to add to)", required=False, choices=[])
    note = forms.CharField(
        label="What this version changes, and why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the version, so auditors and councils know what changed.",
        error_messages={"required": "Say what this version changes and why."},
    )
    field_order = [
        "change",
        "question",
        "section",
        "text",
        "guidance",
        "scale",
        "comment_required",
        "note",
    ]

    def __init__(self, *args: Any, template: AuditTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared = TemplateQuestion.objects.filter(
            section__template=template, council__isnull=True
        ).order_by("section__order", "order", "code")
        question = self.fields["question"]
        assert isinstance(question, forms.ChoiceField)
        question.choices = [("", "Choose a question")] + [
            (q.code, f"{q.code} {q.text}") for q in shared
        ]
        section = self.fields["section"]
        assert isinstance(section, forms.ChoiceField)
        section.choices = [("", "Choose a section")] + self._sections(template)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        change = data.get("change")
        if change in (self.CHANGE, self.REMOVE) and not data.get("question"):
            self.add_error("question", "Choose the question.")
        if change == self.ADD and not data.get("section"):
            self.add_error("section", "Choose the section to add the question to.")
        if change in (self.CHANGE, self.ADD):
            if not (data.get("text") or "").strip():
                self.add_error("text", "Enter the question.")
            if not data.get("scale"):
                self.add_error("scale", "Choose how the question is answered.")
            if not data.get("comment_required"):
                self.add_error("comment_required", "Say whether a comment is required.")
        return data


class CouncilQuestionForm(_Wording):
    section = forms.ChoiceField(
        label="Section",
        choices=[],
        error_messages={"required": "Choose the section to add the question to."},
    )
    reason = forms.CharField(
        label="Why your council asks this of its cases",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the question wherever the template is shown.",
        error_messages={"required": "Say why the council asks this question of its cases."},
    )
    field_order = ["section", "text", "guidance", "scale", "comment_required", "reason"]

    def __init__(self, *args: Any, template: AuditTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section = self.fields["section"]
        assert isinstance(section, forms.ChoiceField)
        section.choices = self._sections(template)
        for name, message in (
            ("text", "Enter the question."),
            ("scale", "Choose how the question is answered."),
            ("comment_required", "Say whether a comment is required."),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
