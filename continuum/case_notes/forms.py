"""The case note and addendum forms: input only; the services check the rules."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from continuum.case_notes.choices import NoteType
from continuum.case_notes.models import CaseNote
from continuum.people.models import Person
from continuum.ui.forms import GovukDateField, GovukFormMixin
from continuum.ui.times import parse_time


class NoteForm(GovukFormMixin, forms.Form):
    note_type = forms.ChoiceField(
        label="Type of note",
        choices=NoteType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of note."},
    )
    occurred_on = GovukDateField(
        label="Date of the contact or visit",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the contact or visit."},
    )
    occurred_time = forms.CharField(
        label="Time",
        help_text="On the 24-hour clock, for example 14:30",
        max_length=5,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": "Enter the time of the contact or visit."},
    )
    present = forms.CharField(
        label="Who was present (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    children_seen = forms.MultipleChoiceField(
        label="Which children were seen?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    children_seen_alone = forms.MultipleChoiceField(
        label="Which children were seen alone?",
        help_text="A child seen alone must also be ticked as seen.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the note."},
    )
    sensitive = forms.BooleanField(
        label="This note is sensitive",
        required=False,
        help_text="Only the lead professional's organisation and the council's staff will "
        "read it. Others who see the record will see that a sensitive note was made.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, children: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(child.pk), child.full_name) for child in children]
        self.fields["children_seen"].choices = choices  # type: ignore[attr-defined]
        self.fields["children_seen_alone"].choices = choices  # type: ignore[attr-defined]
        if not children:
            del self.fields["children_seen"]
            del self.fields["children_seen_alone"]

    @classmethod
    def initial_for(cls, note: CaseNote) -> dict[str, Any]:
        at = timezone.localtime(note.occurred_at)
        rows = list(note.children_seen.all())
        return {
            "note_type": note.note_type,
            "occurred_on": at.date(),
            "occurred_time": at.strftime("%H:%M"),
            "present": note.present,
            "children_seen": [str(r.child_id) for r in rows if r.seen],
            "children_seen_alone": [str(r.child_id) for r in rows if r.seen_alone],
            "text": note.text,
            "sensitive": note.sensitive,
            "version": note.version,
        }

    def clean_occurred_time(self) -> str:
        text = self.cleaned_data["occurred_time"]
        if parse_time(text) is None:
            raise forms.ValidationError(
                "Enter the time as hours and minutes on the 24-hour clock, like 14:30."
            )
        return text

    def occurred_at(self) -> datetime | None:
        day = self.cleaned_data.get("occurred_on")
        at = parse_time(self.cleaned_data.get("occurred_time", ""))
        if day is None or at is None:
            return None
        return timezone.make_aware(datetime.combine(day, at))

    def children_seen_map(self) -> dict[uuid.UUID, tuple[bool, bool]]:
        seen = set(self.cleaned_data.get("children_seen") or [])
        alone = set(self.cleaned_data.get("children_seen_alone") or [])
        return {uuid.UUID(pk): (pk in seen, pk in alone) for pk in seen | alone}

    def service_fields(self) -> dict[str, Any]:
        return {
            "note_type": self.cleaned_data["note_type"],
            "occurred_at": self.occurred_at(),
            "present": self.cleaned_data.get("present", ""),
            "text": self.cleaned_data["text"],
            "sensitive": self.cleaned_data.get("sensitive", False),
            "children_seen": self.children_seen_map(),
        }


class AddendumForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Addendum",
        help_text="It is shown beneath the note, which is not changed.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the addendum."},
    )


# Where a service's field errors go on the note form.
NOTE_FIELD_NAMES = {"occurred_at": "occurred_on"}
