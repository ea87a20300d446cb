"""The work tray page, setting a reminder on a record, marking one done or dismissing it,
and the reminders tab of a person's record."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.models import AccessAction
from continuum.people.models import Person
from continuum.people.views import render_person_page
from continuum.ui.errors import attempt
from continuum.work import selectors, services
from continuum.work.forms import ReminderForm
from continuum.work.models import RecordKind, Reminder
from continuum.work.policies import WorkAction
from continuum.work.records import title_of, url_of, visible_record

# The record kinds as URLs spell them.
KIND_OF_SLUG = {
    "person": RecordKind.PERSON,
    "contact": RecordKind.CONTACT,
    "episode": RecordKind.EPISODE,
}


@requires(WorkAction.VIEW)
@require_http_methods(["GET"])
def tray(request: AuthenticatedRequest) -> HttpResponse:
    """Every item of the user's work (the home page shows the first few of each)."""
    return render(
        request, "work/tray.html", {"work": selectors.tray_for(user=request.user), "all": True}
    )


def _visible_reminder(request: AuthenticatedRequest, pk: uuid.UUID) -> Reminder:
    """The user's reminder, only while they may see its record (404 otherwise)."""
    reminder = policy.get_visible_or_404(request.user, Reminder, pk)
    if visible_record(request.user, reminder.record_kind, reminder.record_id) is None:
        raise Http404
    return reminder


def _back(request: AuthenticatedRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@requires(WorkAction.VIEW)
@require_http_methods(["GET", "POST"])
def reminder_new(request: AuthenticatedRequest, kind: str, record_id: uuid.UUID) -> HttpResponse:
    record_kind = KIND_OF_SLUG.get(kind)
    record = visible_record(request.user, record_kind, record_id) if record_kind else None
    if record_kind is None or record is None:
        raise Http404
    policy.require(request.user, WorkAction.SET_REMINDER, record)
    back_url = url_of(record_kind, record_id)
    form = ReminderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            form,
            lambda: services.set_reminder(
                user=request.user,
                record_kind=record_kind,
                record_id=record_id,
                due_on=data["due_on"],
                text=data["text"],
            ),
            field_names={"record_id": "text", "record_kind": "text"},
        )
        if made is not None:
            messages.success(request, "Reminder set. It is in your work on your home page.")
            return redirect(back_url)
    return render(
        request,
        "work/reminder_form.html",
        {
            "form": form,
            "back_url": back_url,
            "record_title": title_of(record_kind, record),
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@requires(WorkAction.VIEW)
@require_http_methods(["POST"])
def reminder_done(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    reminder = _visible_reminder(request, pk)
    if reminder.is_open:
        services.complete_reminder(reminder=reminder)
        messages.success(request, "Reminder marked as done.")
    return _back(request, reverse("web:home"))


@requires(WorkAction.VIEW)
@require_http_methods(["POST"])
def reminder_dismiss(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    reminder = _visible_reminder(request, pk)
    if reminder.is_open:
        services.dismiss_reminder(reminder=reminder)
        messages.success(request, "Reminder dismissed.")
    return _back(request, reverse("web:home"))


@requires()
@require_http_methods(["GET"])
def person_reminders(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The user's own reminders on this person, a tab of their record (one access-log row)."""
    person = policy.get_visible_or_404(request.user, Person, pk)
    return render_person_page(
        request,
        person,
        template="work/person_reminders.html",
        tab="reminders",
        action=AccessAction.VIEW_RECORD,
        context={
            "reminders": selectors.open_reminders_on(
                user=request.user, record_kind=RecordKind.PERSON, record_id=person.pk
            ),
            "today": timezone.localdate(),
        },
    )
