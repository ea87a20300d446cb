"""Forms for allocation: holding a locality panel and choosing a lead professional from any
agency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.accounts.models import User
from continuum.early_help.forms.common import EarlyHelpForm, VersionedForm, lead_label, textarea
from continuum.organisations.models import Council, Locality, Organisation
from continuum.ui.forms import GovukDateField


class PanelForm(EarlyHelpForm):
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.none(),
        empty_label="Select the locality",
        error_messages={"required": "Select the locality whose waiting list the panel hears."},
    )
    held_on = GovukDateField(
        label="Date of the panel",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the panel."},
    )
    agencies_present = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Agencies present",
        error_messages={"required": "Select the agencies present at the panel."},
    )

    def __init__(
        self, *args: Any, council: Council, organisations: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = council.localities.order_by("name")  # type: ignore[attr-defined]
        self.fields["agencies_present"].queryset = organisations  # type: ignore[attr-defined]


class AllocateForm(VersionedForm):
    lead_professional = forms.TypedChoiceField(
        coerce=int,
        label="Lead professional",
        help_text="From any agency. Each name shows the organisation they work for.",
        error_messages={"required": "Select the lead professional."},
    )
    allocation_reason = forms.CharField(
        label="Why this lead professional",
        widget=textarea(4),
        max_length=5000,
        error_messages={"required": "Record why this lead professional was chosen."},
    )
    out_of_area_reason = forms.CharField(
        label="If their organisation does not serve this council: why it leads",
        required=False,
        widget=textarea(3),
        max_length=5000,
    )

    def __init__(
        self,
        *args: Any,
        council: Council,
        serving: Sequence[User],
        not_serving: Sequence[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._users = {u.pk: u for u in [*serving, *not_serving]}
        field = self.fields["lead_professional"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", "Select the lead professional"),
            (
                f"Organisations serving {council.name}",
                [(u.pk, lead_label(u)) for u in serving],
            ),
            (
                f"Organisations not serving {council.name} (record why)",
                [(u.pk, lead_label(u)) for u in not_serving],
            ),
        ]

    def lead(self) -> User:
        return self._users[self.cleaned_data["lead_professional"]]
