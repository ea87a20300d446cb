"""Forms for closing an episode, with each need's outcome and score, and for the six-month
follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from continuum.early_help.choices import ActionStatus, ClosureReason, NeedOutcome, SustainedResult
from continuum.early_help.forms.common import (
    EarlyHelpForm,
    VersionedForm,
    score_field,
    short_description,
    textarea,
)
from continuum.early_help.models import Need, PlanAction
from continuum.ui.forms import GovukDateField


class ClosureForm(VersionedForm):
    reason = forms.ChoiceField(
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        label="Reason for closing",
        error_messages={"required": "Select the reason for closing."},
    )
    closed_on = GovukDateField(
        label="Date of closure",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of closure."},
    )
    summary = forms.CharField(
        label="Closing summary (optional)", required=False, widget=textarea(5), max_length=20000
    )

    def __init__(
        self,
        *args: Any,
        needs: Sequence[Need],
        open_actions: Sequence[PlanAction],
        ask_early: bool = False,
        **kwargs: Any,
    ) -> None:
        self.needs = list(needs)
        self.open_actions = list(open_actions)
        self.ask_early = ask_early
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        for need in self.needs:
            short = short_description(need)
            self.fields[f"outcome_{need.pk}"] = forms.ChoiceField(
                choices=NeedOutcome.choices,
                widget=forms.RadioSelect,
                label=f"Outcome: {short}",
                error_messages={
                    "required": f"Select whether the outcome was achieved for: {short}."
                },
            )
            self.fields[f"score_{need.pk}"] = score_field(
                f"Score at closure: {short}",
                required_message=f"Enter the score at closure, from 1 to 10, for: {short}.",
            )
        if self.open_actions:
            self.fields["open_actions_become"] = forms.ChoiceField(
                choices=[
                    (ActionStatus.CANCELLED, "Cancelled"),
                    (ActionStatus.CARRIED_FORWARD, "Carried forward to another service"),
                ],
                widget=forms.RadioSelect,
                required=False,
                label="What happens to the actions still open?",
            )
            self.fields["open_actions_resolution"] = forms.CharField(
                label="Note on the open actions",
                help_text="Who takes them on, or why they are no longer needed.",
                required=False,
                widget=textarea(3),
                max_length=5000,
            )

        if self.ask_early:
            self.fields["early_closure_confirmed"] = forms.BooleanField(
                label="Yes, close the episode this soon after the plan started",
                required=False,
            )

    def early_closure_confirmed(self) -> bool:
        return bool(self.cleaned_data.get("early_closure_confirmed"))

    def need_outcomes(self) -> dict[int, str]:
        return {n.pk: self.cleaned_data[f"outcome_{n.pk}"] for n in self.needs}

    def closure_scores(self) -> dict[int, int]:
        return {n.pk: self.cleaned_data[f"score_{n.pk}"] for n in self.needs}


class SustainedCheckForm(EarlyHelpForm):
    result = forms.ChoiceField(
        choices=SustainedResult.choices,
        widget=forms.RadioSelect,
        label="Was the outcome sustained six months after closure?",
        error_messages={"required": "Select whether the outcome was sustained."},
    )
    checked_on = GovukDateField(
        label="Date checked",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the follow-up was checked."},
    )


class ClosureSignOffForm(VersionedForm):
    decision = forms.ChoiceField(
        choices=[("agreed", "Agreed: close the episode"), ("not_agreed", "Not agreed")],
        widget=forms.RadioSelect,
        label="Do you agree to close the episode?",
        error_messages={"required": "Select whether you agree to close the episode."},
    )
    decision_reason = forms.CharField(
        label="If not agreed: why, and what the worker should do",
        required=False,
        widget=textarea(4),
        max_length=5000,
    )
