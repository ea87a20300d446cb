"""Letting one page's forms lead to another origin, as the Content Security Policy's
form-action sees it (it applies to where a form's redirects go, too). A page names the
origins on its request; the security headers middleware (continuum/web) adds them."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

FORM_ACTION_ATTRIBUTE = "continuum_csp_form_action"


def allow_form_action(request: HttpRequest, origins: Iterable[str]) -> None:
    """Let this request's page submit forms that end at ``origins`` (scheme://host[:port])."""
    allowed = set(getattr(request, FORM_ACTION_ATTRIBUTE, ()))
    allowed.update(origins)
    setattr(request, FORM_ACTION_ATTRIBUTE, allowed)


def form_action_origins(request: HttpRequest) -> list[str]:
    return sorted(getattr(request, FORM_ACTION_ATTRIBUTE, ()))
