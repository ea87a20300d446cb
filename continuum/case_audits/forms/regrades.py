"""The blind re-grade form: the auditor's level and why."""

from __future__ import annotations

from django import forms

from continuum.thresholds.models import Level
from continuum.ui.forms import GovukFormMixin


class BlindGradeForm(GovukFormMixin, forms.Form):
    level = forms.TypedChoiceField(
        label="What threshold level would you give this contact?",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the threshold level you would give this contact",
            "invalid_choice": "Select the threshold level you would give this contact",
        },
    )
    rationale = forms.CharField(
        label="Why this level?",
        help_text="What in the concerns and indicators led you to it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why you would give this level"},
    )
