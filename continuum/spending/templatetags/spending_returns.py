"""Money as £ with thousands separators: ``{{ amount|pounds }}`` (whole pounds unless there
are pence)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


def pounds_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


@register.filter
def pounds(value: Any) -> str:
    return pounds_text(value)
