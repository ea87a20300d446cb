"""Forms for step-up to social care: asking for it, and the manager's decision."""

from __future__ import annotations

from django import forms

from continuum.early_help.forms.common import EarlyHelpForm, textarea
from continuum.front_door.choices import FamilyAgreement


class StepUpForm(EarlyHelpForm):
    reason = forms.CharField(
        label="Why the family needs social care",
        widget=textarea(6),
        max_length=10000,
        error_messages={"required": "Say why the family needs social care."},
    )
    family_agreement = forms.ChoiceField(
        choices=FamilyAgreement.choices,
        widget=forms.RadioSelect,
        label="Has the family agreed to the referral?",
        error_messages={"required": "Record whether the family agreed to the referral."},
    )
    sharing_justification = forms.CharField(
        label="If the family has not agreed: why sharing without agreement is justified",
        required=False,
        widget=textarea(4),
        max_length=5000,
    )
    urgent = forms.ChoiceField(
        choices=[
            ("yes", "Yes: a child is at risk of significant harm (urgent)"),
            ("no", "No"),
        ],
        widget=forms.RadioSelect,
        required=False,
        label="Is a child at risk of significant harm?",
        help_text="An urgent step-up is sent to the team managers and the front door at once. "
        "Phone the front door too.",
    )


class StepUpDecisionForm(EarlyHelpForm):
    decision = forms.ChoiceField(
        choices=[("agree", "Agree: refer to the front door"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Select whether you agree to the step-up."},
    )
    decision_note = forms.CharField(
        label="Note (needed if you decline)",
        required=False,
        widget=textarea(4),
        max_length=5000,
    )
