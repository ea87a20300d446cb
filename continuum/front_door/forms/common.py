"""What the domestic-abuse forms share: times typed on the 24-hour clock, local date and
time, and a form's typed values kept for another round."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.ui.times import parse_time


def clock_time(text: str, label: str) -> time:
    """What was typed for ``label`` as a time on the 24-hour clock, or a field error."""
    value = parse_time(text)
    if value is None:
        raise ValidationError(
            f"Enter {label} as hours and minutes on the 24-hour clock, like 21:30."
        )
    return value


def local_datetime(day: date, at: time) -> datetime:
    """``day`` at ``at``, local time (Europe/London)."""
    return timezone.make_aware(datetime.combine(day, at))


def as_typed(form: forms.Form) -> dict[str, Any]:
    """What was typed into a bound form, as initial values for an unbound copy."""
    return {name: form[name].value() for name in form.fields}
