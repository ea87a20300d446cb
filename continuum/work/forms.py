"""The form to set a reminder on a record."""

from __future__ import annotations

from django import forms

from continuum.ui.forms import GovukDateField, GovukFormMixin


class ReminderForm(GovukFormMixin, forms.Form):
    due_on = GovukDateField(
        label="When is it due?",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date the reminder is due."},
    )
    text = forms.CharField(
        label="What do you want to be reminded of?",
        help_text="Only you see your reminders.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what the reminder is for.",
            "max_length": "The reminder must be 500 characters or fewer.",
        },
    )
