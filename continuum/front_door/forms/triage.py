"""Forms for a joint triage meeting (when, and who attended from which agency) and for
the triage of one notification. The rules (a reason for no MARAC referral at high risk,
the meeting's council) live in ``front_door.services`` and come back as errors on the
fields they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.front_door.choices import MaracBasis, TriageAgency
from continuum.front_door.forms.common import clock_time, local_datetime
from continuum.organisations.models import Council, Organisation
from continuum.ui.forms import GovukDateField, GovukFormMixin


class MeetingForm(GovukFormMixin, forms.Form):
    # Offered only to hub staff who triage for more than one council; left unanswered, the
    # meeting is their own council's. Any council is parsed: whether the user holds its
    # meetings is the service's rule, refused at this field.
    council = forms.ModelChoiceField(
        label="Which council's notifications is this meeting for?",
        queryset=Council.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
        error_messages={"invalid_choice": "Select a council you hold joint triage meetings for."},
    )
    held_date = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the meeting."},
    )
    held_time = forms.CharField(
        label="Time the meeting started",
        max_length=5,
        help_text="Use the 24-hour clock, for example 09:30",
        error_messages={"required": "Enter the time the meeting started."},
    )

    def __init__(self, *args: Any, councils: Sequence[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        css = self.fields["held_time"].widget.attrs.get("class", "")
        self.fields["held_time"].widget.attrs["class"] = f"{css} govuk-input--width-5".strip()
        self.councils = list(councils)
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        # The radios offer the councils the user triages for, their own first.
        field.widget.choices = [(c.pk, c.name) for c in self.councils]
        if self.councils and "council" not in self.initial:
            self.initial["council"] = self.councils[0].pk

    @property
    def shows_council(self) -> bool:
        """Ask which council only of someone with a choice (or to show why it was refused)."""
        return len(self.councils) > 1 or bool(self.is_bound and self.errors.get("council"))

    @property
    def chosen_council(self) -> Council | None:
        """The council chosen, or ``None`` when none was (then the user's own council)."""
        chosen: Council | None = self.cleaned_data.get("council")
        return chosen

    def clean_held_time(self) -> time:
        return clock_time(self.cleaned_data["held_time"], "the time the meeting started")

    @property
    def held_at(self) -> datetime:
        return local_datetime(self.cleaned_data["held_date"], self.cleaned_data["held_time"])


class AttendanceRowForm(GovukFormMixin, forms.Form):
    """One person at the meeting. Rows without a name are ignored."""

    agency = forms.ChoiceField(label="Agency", choices=TriageAgency.choices)
    name = forms.CharField(label="Name", max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not listed",
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations if organisations is not None else Organisation.objects.none()

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("name", "").strip():
            return None
        return {
            "agency": data["agency"],
            "name": data["name"],
            "organisation": data.get("organisation"),
        }


MAX_ATTENDEES = 20
AttendanceFormSet = forms.formset_factory(
    AttendanceRowForm, extra=0, min_num=6, max_num=MAX_ATTENDEES, absolute_max=MAX_ATTENDEES
)
OneMoreAttendeeFormSet = forms.formset_factory(
    AttendanceRowForm, extra=1, max_num=MAX_ATTENDEES, absolute_max=MAX_ATTENDEES
)

# The first rows of a new meeting: one per agency expected at a joint triage.
EXPECTED_AGENCIES = [
    TriageAgency.POLICE,
    TriageAgency.IDVA,
    TriageAgency.CHILDRENS_SERVICES,
    TriageAgency.HEALTH,
    TriageAgency.EDUCATION,
    TriageAgency.OTHER,
]


class TriageForm(GovukFormMixin, forms.Form):
    safety_planning = forms.CharField(
        label="Safety-planning decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What will be done to keep the victim and the children safe, and by whom.",
    )
    marac_referral = forms.TypedChoiceField(
        label="Is a MARAC referral being made?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a MARAC referral is being made."},
    )
    marac_basis = forms.ChoiceField(
        label="If a referral is made, on what basis?",
        choices=MaracBasis.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    no_marac_reason = forms.CharField(
        label="If no referral is made, why not?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when the notification is high risk.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
