"""The form for an information-sharing decision; the rules (what a decision to share, or
not to, must say) live in ``front_door.services``."""

from __future__ import annotations

from django import forms

from continuum.front_door.choices import LawfulBasis
from continuum.ui.forms import GovukFormMixin


class SharingDecisionForm(GovukFormMixin, forms.Form):
    shared = forms.TypedChoiceField(
        label="Was the information shared?",
        choices=[("yes", "Yes, it was shared"), ("no", "No, a decision not to share")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the information was shared."},
    )
    what = forms.CharField(label="What information", max_length=300, required=False)
    with_whom = forms.CharField(label="With whom", max_length=200, required=False)
    purpose = forms.CharField(label="For what purpose", max_length=300, required=False)
    lawful_basis = forms.ChoiceField(
        label="Lawful basis (if shared)",
        choices=[("", "Select the lawful basis"), *LawfulBasis.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reason (needed for a decision not to share)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
