"""The Annex A page's form: the period (the council is the user's own)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from continuum.ui.forms import GovukDateField, GovukFormMixin


class AnnexAForm(GovukFormMixin, forms.Form):
    first = GovukDateField(
        label="First day of the period",
        help_text="For example, 1 4 2025",
        error_messages={"required": "Enter the first day of the period"},
    )
    last = GovukDateField(
        label="Last day of the period",
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter the last day of the period"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first: date | None = data.get("first")
        last: date | None = data.get("last")
        if first and last and first > last:
            self.add_error("last", "The last day of the period must be on or after its first day")
        return data
