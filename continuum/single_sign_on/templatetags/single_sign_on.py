"""``{% single_sign_on_choices %}``: the sign-in page's buttons, one per organisation whose
identity provider is switched on."""

from __future__ import annotations

from typing import Any

from django import template

from continuum.single_sign_on.services import enabled_providers
from continuum.ui.csp import allow_form_action

register = template.Library()


@register.inclusion_tag("single_sign_on/choices.html", takes_context=True)
def single_sign_on_choices(context: template.Context, next_url: str = "") -> dict[str, Any]:
    providers = list(enabled_providers())
    request = getattr(context, "request", None)
    if providers and request is not None:
        # Each button's form is redirected to its provider: the page's Content Security
        # Policy must allow it (form-action applies to redirects).
        allow_form_action(request, [provider.origin for provider in providers])
    return {
        "providers": providers,
        "next": next_url,
        "csrf_token": context.get("csrf_token"),
    }
