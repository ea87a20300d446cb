"""What the joint triage pages share: the signed-in user, the link to a contact's page
and the error summary's entries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from continuum.accounts.models import User
from continuum.front_door.models import Contact


def user_of(request: HttpRequest) -> User:
    """The signed-in user with a role (``requires`` let nobody else in)."""
    return cast(User, request.user)


def contact_url(contact: Contact | None) -> str | None:
    """The contact page (built by the contact pages), or None if it is not there."""
    if contact is None:
        return None
    try:
        return reverse("front_door:contact", args=[contact.pk])
    except NoReverseMatch:
        return None


def summary_errors(form: Any, formsets: Iterable[Any] = ()) -> list[dict[str, str]]:
    """Every error on the page, each linking to its field, for the error summary."""
    errors: list[dict[str, str]] = []

    def add(one: Any) -> None:
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
