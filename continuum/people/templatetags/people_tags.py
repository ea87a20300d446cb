"""Template filters for people's identifiers."""

from __future__ import annotations

from django import template

from continuum.accounts.models import Role

register = template.Library()


@register.filter
def nhs_number(value: str | None) -> str:
    """'9434765919' -> '943 476 5919', the way NHS numbers are written."""
    if not value:
        return ""
    digits = str(value)
    if len(digits) != 10 or not digits.isdigit():
        return digits
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


@register.filter
def role_name(value: str | None) -> str:
    """A role as stored in the access log, by its name: 'front_door_worker' -> 'Front-door
    worker'."""
    try:
        return str(Role(value or "").label)
    except ValueError:
        return str(value or "")
