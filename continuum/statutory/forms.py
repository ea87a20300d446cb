"""The forms of the statutory pages: input parsing only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.organisations.models import Council
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


class CensusExportForm(GovukFormMixin, forms.Form):
    """Which council's children in need census, for which census year."""

    council = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        to_field_name="dfe_la_code",
        empty_label=None,
        error_messages={
            "required": "Choose the council",
            "invalid_choice": "Choose a council whose census you may export",
        },
    )
    year = forms.TypedChoiceField(
        label="Census year",
        help_text="The year ending 31 March: 2026 is 1 April 2025 to 31 March 2026.",
        coerce=int,
        error_messages={
            "required": "Choose the census year",
            "invalid_choice": "Choose a census year from the list",
        },
    )

    def __init__(self, *args: Any, councils: QuerySet[Council], years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = councils
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [
            (year, f"{year - 1} to {year} (census year {year})") for year in years
        ]
