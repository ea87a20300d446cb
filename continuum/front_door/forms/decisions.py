"""Forms for screening and deciding a contact: the screening moves, a request for
information and the threshold decision. The rules (transitions, the decision) live in
``front_door.services``, whose errors are shown on the fields they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from continuum.front_door.choices import ContactStatus, Outcome
from continuum.thresholds.models import Level
from continuum.ui.forms import VersionForm

SCREENING_MOVES = {
    "start": ContactStatus.IN_SCREENING,
    "resume": ContactStatus.IN_SCREENING,
    "close": ContactStatus.CLOSED,
}


class StatusChangeForm(VersionForm):
    move = forms.ChoiceField(choices=[(key, key) for key in SCREENING_MOVES])

    def to_status(self) -> str:
        return SCREENING_MOVES[self.cleaned_data["move"]]


class RequestInformationForm(VersionForm):
    note = forms.CharField(
        label="What information is the front door waiting for, and from whom?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say what information the front door is waiting for."},
    )


class SignOffForm(VersionForm):
    """A team manager's answer on a decision awaiting their sign-off. Whether a reason is
    needed is the service's rule (``not_agree_decision``)."""

    AGREED, NOT_AGREED = "agreed", "not_agreed"

    answer = forms.ChoiceField(
        label="Do you agree with this decision?",
        choices=[
            (AGREED, "Yes, sign off the decision"),
            (NOT_AGREED, "No, return the contact to the worker"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you agree with the decision.",
            "invalid_choice": "Select whether you agree with the decision.",
        },
    )
    reason = forms.CharField(
        label="If you do not agree, why not?",
        help_text="Needed to return the contact: the worker reads it before deciding again.",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecisionForm(VersionForm):
    level = forms.TypedChoiceField(
        label="Level of need",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a level of need from 1 to 4."},
    )
    indicators = forms.MultipleChoiceField(
        label="Indicators that justify the decision",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select indicators from the threshold framework."},
    )
    difference_reason = forms.CharField(
        label="If your level differs from the framework's suggestion, why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome."},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why this level and outcome. The referrer is told a summary of it.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Explain the decision (the rationale)."},
    )

    def __init__(self, *args: Any, indicator_codes: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicators = self.fields["indicators"]
        assert isinstance(indicators, forms.MultipleChoiceField)
        indicators.choices = [(code, code) for code in indicator_codes]

    def selected_codes(self) -> list[str]:
        """The indicators ticked, valid or not (to recompute the suggestion on the page)."""
        if self.is_bound:
            return [str(c) for c in self.data.getlist("indicators")]  # type: ignore[attr-defined]
        return list(self.initial.get("indicators", []))
