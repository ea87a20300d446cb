"""The retention pages' forms: input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.retention.choices import EVENTS_FOR_KIND, HeldKind, RetentionEvent
from continuum.ui.forms import GovukDateField, GovukFormMixin


class RuleForm(GovukFormMixin, forms.Form):
    period_months = forms.IntegerField(
        label="Period, in months",
        help_text="How long after the event the records are kept: for example 72 for 6 years.",
        error_messages={
            "required": "Enter the period in months, for example 72 for 6 years.",
            "invalid": "Enter the period as a whole number of months, like 72.",
        },
    )
    event = forms.ChoiceField(
        label="Counted from",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the event the period counts from."},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(RetentionEvent.choices)
        event = self.fields["event"]
        assert isinstance(event, forms.ChoiceField)
        event.choices = [(e, labels[e]) for e in EVENTS_FOR_KIND[kind]]


class HoldForm(GovukFormMixin, forms.Form):
    record_kind = forms.ChoiceField(
        label="What to hold",
        choices=HeldKind.choices,
        widget=forms.RadioSelect,
        help_text="A person holds every record about them.",
        error_messages={"required": "Choose what to hold: a person or one record."},
    )
    record_id = forms.CharField(
        label="Its ID",
        max_length=64,
        help_text="As the record's page or the access log shows it.",
        error_messages={"required": "Enter the ID of the person or record to hold."},
    )
    reason = forms.CharField(
        label="Why the records must be kept",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, a claim or an inquiry: say who asked and the reference.",
        error_messages={"required": "Enter why the records must be kept."},
    )


class LiftForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why the hold is lifted",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the hold is lifted."},
    )


class RunForm(GovukFormMixin, forms.Form):
    as_of = GovukDateField(
        label="Dispose as of",
        help_text="What was due on this day is listed. Today or earlier, for example 31 3 2026.",
        error_messages={"required": "Enter the date to dispose as of, for example 31 3 2026."},
    )
