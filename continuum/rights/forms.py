"""The register's forms. They only parse: the services check everything, so pages and the
API refuse alike."""

from __future__ import annotations

from django import forms

from continuum.rights.choices import (
    CLOSING_STATES,
    IdentityCheck,
    RedactionDecision,
    RequesterKind,
    RequestKind,
    RequestState,
)
from continuum.ui.forms import GovukDateField, GovukFormMixin


class FindPersonForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name", help_text="As recorded: first and last name", required=False
    )
    date_of_birth = GovukDateField(
        label="Date of birth", help_text="For example, 27 3 2012", required=False
    )

    def clean_full_name(self) -> str:
        value = str(self.cleaned_data.get("full_name") or "").strip()
        if not value:
            raise forms.ValidationError("Enter their full name")
        return value

    def clean_date_of_birth(self) -> object:
        value = self.cleaned_data.get("date_of_birth")
        if value is None:
            raise forms.ValidationError("Enter their date of birth")
        return value


class RequestForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of request is it?",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    requester_name = forms.CharField(label="Who asked? (their name)", required=False)
    requester_kind = forms.ChoiceField(
        label="Who are they?",
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    received_on = GovukDateField(
        label="Date received", help_text="For example, 27 3 2026", required=False
    )
    details = forms.CharField(
        label="What did they ask for? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IdentityForm(GovukFormMixin, forms.Form):
    method = forms.ChoiceField(
        label="How was their identity checked?",
        choices=IdentityCheck.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    detail = forms.CharField(label="Details (optional)", required=False, max_length=300)


class ExtendForm(GovukFormMixin, forms.Form):
    # Parsed by the view; the service says what may be chosen, in the same words as the API.
    months = forms.CharField(
        label="Extend by",
        widget=forms.RadioSelect(choices=[("1", "1 month"), ("2", "2 months")]),
        required=False,
    )
    reason = forms.CharField(
        label="Why does it need longer?",
        help_text="For example, the request is complex, or one of several from the same person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def months_asked(self) -> int | None:
        raw = str(self.cleaned_data.get("months") or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 4 else None


class CloseForm(GovukFormMixin, forms.Form):
    state = forms.ChoiceField(
        label="How did the request end?",
        choices=[(s.value, s.label) for s in RequestState if s in CLOSING_STATES],
        widget=forms.RadioSelect,
        required=False,
    )
    outcome = forms.CharField(
        label="Outcome",
        help_text="What was done, or why it was refused",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CorrectionForm(GovukFormMixin, forms.Form):
    correction = forms.CharField(
        label="What was corrected?",
        help_text="Make the correction on the person's record first; its history keeps what it was",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for the decision", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=RedactionDecision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
