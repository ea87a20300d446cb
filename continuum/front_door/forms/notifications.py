"""Forms for entering a police domestic-abuse notification (the incident, the victim, the
alleged perpetrator and the children) and for filtering the notifications list. They
parse what was typed; the rules (14 or more ticks is high risk, no future incidents, at
least one child) live in ``front_door.services`` and come back as errors on the fields
they name.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from continuum.front_door.choices import DashRisk, NotificationStatus
from continuum.front_door.forms.common import clock_time, local_datetime
from continuum.front_door.intake import NewPerson
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.identifiers import (
    is_valid_nhs_number,
    normalise_nhs_number,
)
from continuum.ui.forms import GovukDateField, GovukFormMixin


def _clean_nhs_number(value: str) -> str:
    text = normalise_nhs_number((value or "").strip())
    if text and not is_valid_nhs_number(text):
        raise ValidationError("Enter a valid NHS number: 10 digits with a correct check digit.")
    return text


# --- a police notification -------------------------------------------------------------------


class NotificationForm(GovukFormMixin, forms.Form):
    council = forms.ModelChoiceField(
        label="Council area",
        queryset=Council.objects.none(),
        empty_label=None,
        help_text="The council whose front door will triage this notification.",
    )
    incident_date = GovukDateField(
        label="Date of the incident",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the incident."},
    )
    incident_time = forms.CharField(
        label="Time of the incident",
        max_length=5,
        help_text="Use the 24-hour clock, for example 21:30",
        error_messages={"required": "Enter the time of the incident."},
    )

    victim_given_name = forms.CharField(label="First name", max_length=100, required=False)
    victim_family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the victim's last name."},
    )
    victim_date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 14 6 1990"
    )
    victim_nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=20, required=False
    )

    perpetrator_given_name = forms.CharField(label="First name", max_length=100, required=False)
    perpetrator_family_name = forms.CharField(label="Last name", max_length=100, required=False)
    perpetrator_date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 2 11 1988"
    )
    perpetrator_nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=20, required=False
    )
    alleged_perpetrator_description = forms.CharField(
        label="Description, if the alleged perpetrator is not identified",
        max_length=200,
        required=False,
        help_text="Leave the name empty and describe them, for example 'unknown male, about 30'.",
    )

    dash_risk = forms.ChoiceField(
        label="DASH risk level",
        choices=DashRisk.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the DASH risk level."},
    )
    dash_ticks = forms.IntegerField(
        label="Number of DASH ticks",
        help_text="From 0 to 27. 14 or more ticks is visible high risk.",
        error_messages={
            "required": "Enter the number of DASH ticks.",
            "invalid": "Enter the number of DASH ticks as a whole number, like 9.",
        },
    )
    repeat_incidents_12_months = forms.IntegerField(
        label="Repeat incidents in the last 12 months",
        initial=0,
        error_messages={
            "required": "Enter the number of repeat incidents in the last 12 months.",
            "invalid": "Enter the number of repeat incidents as a whole number, like 2.",
        },
    )
    reporting_officer = forms.CharField(
        label="Reporting officer",
        max_length=150,
        error_messages={"required": "Enter the reporting officer."},
    )
    reporting_officer_number = forms.CharField(label="Collar number", max_length=20, required=False)
    summary = forms.CharField(
        label="Summary of the incident",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
        for name in ("incident_time", "dash_ticks", "repeat_incidents_12_months"):
            css = self.fields[name].widget.attrs.get("class", "")
            self.fields[name].widget.attrs["class"] = f"{css} govuk-input--width-5".strip()
        self.fields["dash_ticks"].widget.attrs["inputmode"] = "numeric"
        self.fields["repeat_incidents_12_months"].widget.attrs["inputmode"] = "numeric"

    def clean_incident_time(self) -> time:
        return clock_time(self.cleaned_data["incident_time"], "the time of the incident")

    def clean_victim_nhs_number(self) -> str:
        return _clean_nhs_number(self.cleaned_data["victim_nhs_number"])

    def clean_perpetrator_nhs_number(self) -> str:
        return _clean_nhs_number(self.cleaned_data["perpetrator_nhs_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = any(
            data.get(f"perpetrator_{part}")
            for part in ("given_name", "family_name", "date_of_birth", "nhs_number")
        )
        if named and not data.get("perpetrator_family_name"):
            self.add_error("perpetrator_family_name", "Enter the alleged perpetrator's last name.")
        if not named and not data.get("alleged_perpetrator_description", "").strip():
            self.add_error(
                "alleged_perpetrator_description",
                "Enter the alleged perpetrator's name, or describe them if they are not "
                "identified.",
            )
        return data

    @property
    def incident_at(self) -> datetime:
        return local_datetime(
            self.cleaned_data["incident_date"], self.cleaned_data["incident_time"]
        )

    def victim(self) -> NewPerson:
        return self._person("victim")

    def perpetrator(self) -> NewPerson | None:
        if not self.cleaned_data.get("perpetrator_family_name"):
            return None
        return self._person("perpetrator")

    def _person(self, prefix: str) -> NewPerson:
        data = self.cleaned_data
        return NewPerson(
            given_name=data[f"{prefix}_given_name"].strip(),
            family_name=data[f"{prefix}_family_name"].strip(),
            date_of_birth=data[f"{prefix}_date_of_birth"],
            nhs_number=data[f"{prefix}_nhs_number"],
            kind=PersonKind.ADULT,
        )


class ChildRowForm(GovukFormMixin, forms.Form):
    """One child in the household or present at the incident. Empty rows are ignored."""

    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 3 9 2017"
    )
    nhs_number = forms.CharField(label="NHS number (optional)", max_length=20, required=False)
    present = forms.BooleanField(label="Present at the incident", required=False)

    def clean_nhs_number(self) -> str:
        return _clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_filled(data) and not data.get("family_name", "").strip():
            self.add_error("family_name", "Enter the child's last name.")
        return data

    @staticmethod
    def is_filled(data: dict[str, Any]) -> bool:
        return any(
            data.get(name) for name in ("given_name", "family_name", "date_of_birth", "nhs_number")
        )

    def child(self) -> NewPerson:
        data = self.cleaned_data
        return NewPerson(
            given_name=data["given_name"].strip(),
            family_name=data["family_name"].strip(),
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
            kind=PersonKind.CHILD,
        )


MAX_CHILDREN = 12
ChildFormSet = forms.formset_factory(
    ChildRowForm, extra=4, max_num=MAX_CHILDREN, absolute_max=MAX_CHILDREN
)
# The same rows as typed so far, and one more (the "Add another child" button, no script).
OneMoreChildFormSet = forms.formset_factory(
    ChildRowForm, extra=1, max_num=MAX_CHILDREN, absolute_max=MAX_CHILDREN
)


def filled_child_forms(formset: Any) -> list[ChildRowForm]:
    return [f for f in formset.forms if ChildRowForm.is_filled(f.cleaned_data)]


# --- the notifications list ------------------------------------------------------------------


class NotificationFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Triage status",
        required=False,
        choices=[("", "Any status"), *NotificationStatus.choices],
    )
    risk = forms.ChoiceField(
        label="DASH risk level",
        required=False,
        choices=[("", "Any risk level"), *DashRisk.choices],
    )
    overdue = forms.BooleanField(label="Only overdue", required=False)
