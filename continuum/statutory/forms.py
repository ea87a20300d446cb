"""The forms of the statutory pages: input parsing only; the services decide."""

from __future__ import annotations

from django import forms

from continuum.statutory.choices import AbuseCategory
from continuum.ui.forms import GovukDateField, GovukFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


class Section47Form(GovukFormMixin, forms.Form):
    strategy_discussion_date = GovukDateField(
        label="Date of the strategy discussion",
        required=False,
        help_text="Leave empty if none was recorded: the conference is then due 15 working "
        "days after the enquiry's start.",
    )
    start_date = GovukDateField(label="Date the section 47 enquiry started")
    icpc_not_required = forms.BooleanField(
        label="No initial child protection conference is needed", required=False
    )


class ConferenceForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(label="Date of the initial child protection conference")
    plan_made = forms.ChoiceField(
        label="Did the conference make a child protection plan?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    abuse_category = forms.ChoiceField(
        label="Category of abuse (if a plan was made)",
        choices=[("", "Not applicable"), *AbuseCategory.choices],
        required=False,
    )


class AssessmentForm(GovukFormMixin, forms.Form):
    start_date = GovukDateField(label="Date the assessment started")
    authorised_date = GovukDateField(
        label="Date the assessment was authorised",
        required=False,
        help_text="Leave empty while the assessment is still going on.",
    )


class AuthoriseForm(GovukFormMixin, forms.Form):
    authorised_date = GovukDateField(label="Date the assessment was authorised")
