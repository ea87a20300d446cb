"""Helpers for the early help page tests: a page's address, and a date as a GOV.UK date input
posts it."""

from __future__ import annotations

from datetime import date

from django.urls import reverse


def on(name: str, day: date) -> dict[str, str]:
    """A GOV.UK date input's three boxes, as the browser posts them."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def url(name: str, *args: object) -> str:
    return reverse(f"early_help:{name}", args=args)
