"""``{% single_sign_on_choices %}``: the sign-in page's buttons, one per organisation whose
identity provider is switched on."""

from __future__ import annotations

from typing import Any

from django import template

from continuum.single_sign_on.services import enabled_providers

register = template.Library()


@register.inclusion_tag("single_sign_on/choices.html", takes_context=True)
def single_sign_on_choices(context: template.Context, next_url: str = "") -> dict[str, Any]:
    return {
        "providers": list(enabled_providers()),
        "next": next_url,
        "csrf_token": context.get("csrf_token"),
    }
