"""The statutory app's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.organisations.models import Council
from continuum.ui.forms import GovukFormMixin


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
