"""Forms for searching the access log and recording a break-glass review."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.ui.forms import GovukFormMixin

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class AccessLogSearchForm(GovukFormMixin, forms.Form):
    """Filters for the access log. Every field is optional; bad values are named."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        required=False,
        strip=True,
        help_text="The username of the person who looked at a record",
    )
    person_id = forms.UUIDField(
        label="Person ID",
        required=False,
        help_text="The ID of the record that was looked at, as shown on the person's page",
        error_messages={
            "invalid": (
                "Enter the person ID in the right format, like 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"
            )
        },
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 27/3/2026",
        error_messages={"invalid": "The date to search from must be a real date, like 27/3/2026"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 28/3/2026",
        error_messages={"invalid": "The date to search to must be a real date, like 28/3/2026"},
    )
    break_glass_only = forms.BooleanField(
        label="Only emergency (break-glass) access", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.fields["person_id"].widget.attrs.update({"spellcheck": "false"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error(
                "date_to",
                "The date to search to must be the same as or after the date to search from",
            )
        return cleaned


class BreakGlassReviewForm(GovukFormMixin, forms.Form):
    KEEP = "keep"
    REVOKE = "revoke"

    outcome = forms.ChoiceField(
        label="What should happen to this access?",
        choices=[
            (KEEP, "It was justified: let it run until it ends"),
            (REVOKE, "End it now: the person loses the record at once"),
        ],
        widget=forms.RadioSelect,
        initial=KEEP,
        required=False,  # left out: let it run
    )
    note = forms.CharField(
        label="What did you find?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=(
            "Say whether the emergency access was justified and what, if anything, "
            "you have done about it"
        ),
        error_messages={"required": "Enter what you found when you reviewed this access"},
    )

    def clean_outcome(self) -> str:
        return str(self.cleaned_data.get("outcome") or self.KEEP)


class UnusualReadingReviewForm(GovukFormMixin, forms.Form):
    outcome = forms.CharField(
        label="What did you find, and what have you done?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=(
            "For example, that the reads were part of a planned audit, or that you have "
            "spoken to the user's manager"
        ),
        error_messages={"required": "Enter what you found and what you have done"},
    )
