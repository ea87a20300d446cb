"""Services' refusals on pages, translated once.

A service refuses with Django's ``ValidationError`` (bad input, keyed by field), or with
``ConcurrentChange`` or ``InvalidState`` from ``continuum.errors``. A page shows a field's
error at that field and everything else above the form, in the GOV.UK error summary; a
page without a form lists them with ``error_summary``. ``NotPermitted`` is not handled
here: Django answers it with the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from continuum.errors import Refusal

T = TypeVar("T")
# What a page shows as its form's errors.
Refused = (ValidationError, Refusal)


def errors_by_field(error: ValidationError | Refusal) -> dict[str, list[str]]:
    """A refusal's messages keyed by the field they name (``__all__`` for none)."""
    if isinstance(error, Refusal):
        return {NON_FIELD_ERRORS: [error.message]}
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: list(error.messages)}


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError | Refusal,
    *,
    field_names: Mapping[str, str] | None = None,
) -> None:
    """Show a service's refusal on ``form``: each message at the field it names (renamed
    through ``field_names`` where the form calls the field otherwise), or above the form."""
    names = field_names or {}
    for key, messages in errors_by_field(error).items():
        name = names.get(key, key)
        form.add_error(name if name in form.fields else None, messages)


def attempt(
    form: forms.BaseForm,
    call: Callable[[], T],
    *,
    field_names: Mapping[str, str] | None = None,
) -> T | None:
    """Run one service call; if it refuses, put the refusal on ``form`` and return None."""
    try:
        return call()
    except Refused as error:
        add_service_errors(form, error, field_names=field_names)
        return None


def error_summary(
    error: ValidationError | Refusal, *, href: str = "#main-content"
) -> list[dict[str, Any]]:
    """The GOV.UK error summary's items (``ui/error_summary.html``'s ``errors``) for a
    refusal on a page without a form to show it: each message linking to ``href``."""
    return [
        {"text": message, "href": href}
        for messages in errors_by_field(error).values()
        for message in messages
    ]


def form_errors_summary(
    form: forms.BaseForm | None, formsets: Iterable[Any] = ()
) -> list[dict[str, Any]]:
    """Every error of a page's bound ``form`` and ``formsets``, each linking to its field,
    as the error summary's items (for pages whose forms are not the one ``form`` the
    summary lists itself)."""
    errors: list[dict[str, Any]] = []

    def add(one: forms.BaseForm) -> None:
        for message in one.non_field_errors():
            errors.append({"href": "#main-content", "text": message})
        for field in one:
            for message in field.errors:
                errors.append({"href": f"#{field.auto_id}", "text": message})

    if form is not None and form.is_bound:
        add(form)
    for formset in formsets:
        if not formset.is_bound:
            continue
        for message in formset.non_form_errors():
            errors.append({"href": f"#{formset.prefix}", "text": message})
        for row in formset.forms:
            add(row)
    return errors
