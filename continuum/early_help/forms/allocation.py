"""Forms for allocation: holding a locality panel and choosing a lead professional from any
agency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.accounts.models import User
from continuum.early_help.choices import AgencyKind
from continuum.early_help.forms.common import EarlyHelpForm, VersionedForm, lead_label, textarea
from continuum.early_help.lead_professionals import Candidate, CandidateFilters
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


class LeadProfessionalFilterForm(EarlyHelpForm):
    """The picker's filters, sent with GET so the page works without JavaScript."""

    name = forms.CharField(label="Name", required=False, max_length=100)
    locality = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Works in locality",
        help_text="People in a team of the locality.",
    )
    agency = forms.ChoiceField(
        label="Agency",
        required=False,
        choices=[("", "Any agency"), *[c for c in AgencyKind.choices if c[0] != AgencyKind.FAMILY]],
    )
    outside_area = forms.BooleanField(
        label="Include people whose organisation does not serve this council", required=False
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["locality"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Any locality")] + [
            (loc.pk, loc.name) for loc in council.localities.order_by("name")
        ]

    def filters(self) -> CandidateFilters:
        """The filters asked for; none when the form is not valid."""
        if not self.is_valid():
            return CandidateFilters()
        data = self.cleaned_data
        return CandidateFilters(
            name=data["name"].strip(),
            locality_id=data["locality"],
            agency=data["agency"],
            outside_area=data["outside_area"],
        )


class _LeadProfessionalForm(VersionedForm):
    """Choosing a lead professional among the picker's candidates."""

    lead_professional = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Lead professional",
        help_text="From any agency. Each shows their open episodes against the council's "
        "caseload norm.",
        error_messages={
            "required": "Select the lead professional.",
            "invalid_choice": "Select the lead professional from the list.",
        },
    )
    out_of_area_reason = forms.CharField(
        label="If their organisation does not serve this council: why it leads",
        required=False,
        widget=textarea(3),
        max_length=5000,
    )

    def __init__(self, *args: Any, candidates: Sequence[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._users = {c.user.pk: c.user for c in candidates}
        field = self.fields["lead_professional"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(c.user.pk, lead_label(c.user)) for c in candidates]

    def lead(self) -> User:
        return self._users[self.cleaned_data["lead_professional"]]


class AllocateForm(_LeadProfessionalForm):
    allocation_reason = forms.CharField(
        label="Why this lead professional",
        widget=textarea(4),
        max_length=5000,
        error_messages={"required": "Record why this lead professional was chosen."},
    )
    field_order = ["lead_professional", "allocation_reason", "out_of_area_reason"]


class HandoverForm(_LeadProfessionalForm):
    reason = forms.CharField(
        label="Why the episode is handed over",
        help_text="For example, the lead professional is leaving, or another agency now "
        "knows the family better.",
        widget=textarea(4),
        max_length=5000,
        error_messages={
            "required": "Record why the episode is handed to another lead professional."
        },
    )
    field_order = ["lead_professional", "reason", "out_of_area_reason"]
