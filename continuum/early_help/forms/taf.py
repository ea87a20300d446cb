"""Forms for the Team Around the Family: adding a member, and a meeting with who attended
from which agency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.accounts.models import User
from continuum.early_help.choices import AgencyKind
from continuum.early_help.forms.common import EarlyHelpForm, lead_label, textarea
from continuum.early_help.selectors import agency_of
from continuum.people.models import Person
from continuum.ui.forms import GovukDateField


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organisation = obj.organisation.name if obj.organisation else "no organisation"
        return f"{obj}, {obj.get_role_display()}, {organisation}"


class TafMemberForm(EarlyHelpForm):
    user = _UserChoice(
        queryset=User.objects.none(),
        label="Practitioner",
        help_text="Anyone working for an organisation that serves the family's council.",
        empty_label="Select the practitioner",
        error_messages={"required": "Select the practitioner joining the TAF."},
    )
    role_in_taf = forms.CharField(
        label="Their role in the TAF (optional)",
        required=False,
        max_length=150,
        help_text="For example, school nurse or family support worker.",
    )
    joined_on = GovukDateField(
        label="Date they join (optional)",
        required=False,
        help_text=(
            "Leave blank if they join today. They see the family's records from this date, "
            "not before. For example, 27 3 2026"
        ),
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]


OTHER_ATTENDEE_ROWS = 3


class TafMeetingForm(EarlyHelpForm):
    held_on = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the meeting."},
    )
    professionals = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Professionals who attended",
    )
    family = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Family members who attended",
    )
    decisions = forms.CharField(
        label="What the meeting decided",
        widget=textarea(6),
        max_length=20000,
        error_messages={"required": "Record what the meeting decided."},
    )

    def __init__(
        self,
        *args: Any,
        professionals: Sequence[User],
        family: Sequence[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._professionals = {str(u.pk): u for u in professionals}
        self._family = {str(p.pk): p for p in family}
        self.fields["professionals"].choices = [  # type: ignore[attr-defined]
            (key, lead_label(u)) for key, u in self._professionals.items()
        ]
        self.fields["family"].choices = [  # type: ignore[attr-defined]
            (key, p.full_name) for key, p in self._family.items()
        ]

    def add_fields(self) -> None:
        for row in range(1, OTHER_ATTENDEE_ROWS + 1):
            self.fields[f"other_{row}_name"] = forms.CharField(
                label=f"Other attendee {row}: name", required=False, max_length=150
            )
            self.fields[f"other_{row}_agency"] = forms.ChoiceField(
                label=f"Other attendee {row}: agency",
                required=False,
                choices=[("", "Select the agency"), *AgencyKind.choices],
            )
        self.order_fields(["held_on", "professionals", "family"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(1, OTHER_ATTENDEE_ROWS + 1):
            name = cleaned.get(f"other_{row}_name", "").strip()
            agency = cleaned.get(f"other_{row}_agency", "")
            if name and not agency:
                self.add_error(f"other_{row}_agency", f"Select the agency {name} came from.")
            if agency and not name:
                self.add_error(f"other_{row}_name", f"Enter the name of other attendee {row}.")
        return cleaned

    def attendees(self) -> list[dict[str, Any]]:
        """The attendees as the service takes them: by person and agency."""
        rows: list[dict[str, Any]] = []
        for key in self.cleaned_data["professionals"]:
            user = self._professionals[key]
            rows.append(
                {
                    "name": str(user),
                    "user": user,
                    "organisation": user.organisation,
                    "agency": agency_of(user.organisation),
                }
            )
        for key in self.cleaned_data["family"]:
            person = self._family[key]
            rows.append({"name": person.full_name, "person": person, "agency": AgencyKind.FAMILY})
        for row in range(1, OTHER_ATTENDEE_ROWS + 1):
            name = self.cleaned_data.get(f"other_{row}_name", "").strip()
            if name:
                rows.append({"name": name, "agency": self.cleaned_data[f"other_{row}_agency"]})
        return rows
