"""Forms for the threshold pages: filtering indicators by level, and choosing indicators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from continuum.thresholds.models import Level
from continuum.thresholds.selectors import EffectiveIndicator
from continuum.ui.forms import GovukFormMixin


class LevelFilterForm(GovukFormMixin, forms.Form):
    level = forms.TypedChoiceField(
        label="Show indicators at",
        choices=[("", "All levels"), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select a level from 1 to 4, or all levels."},
    )


class SuggestLevelForm(GovukFormMixin, forms.Form):
    """The indicators a practitioner picks; choices are the codes in use in the framework."""

    indicators = forms.MultipleChoiceField(
        label="Indicators that describe the child's situation",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one indicator that describes the child's situation.",
            "invalid_choice": "Select indicators from this framework only.",
        },
    )

    def __init__(self, *args: Any, indicators: Sequence[EffectiveIndicator], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["indicators"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(i.code, f"{i.code} {i.title}") for i in indicators if i.in_use]
