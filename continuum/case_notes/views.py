"""Case note pages: the notes on an episode (a tab of the episode) and on a contact, adding
a note, a note with its addenda and versions, changing it within the edit window, and
adding an addendum. Every page reads the children's records through the note: one
access-log row for each child of the episode or contact."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires, user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.case_notes import selectors, services
from continuum.case_notes.forms import NOTE_FIELD_NAMES, AddendumForm, NoteForm
from continuum.case_notes.models import CaseNote
from continuum.case_notes.policies import CaseNoteAction, contacts_noted_by, record_of
from continuum.early_help.models import Episode
from continuum.early_help.views.common import episode_page
from continuum.front_door.models import Contact
from continuum.ui.errors import attempt


def log_read(request: HttpRequest, subjects: list[Any]) -> None:
    """A page of notes reads the children's case record: one access-log row each."""
    user = user_of(request)
    for subject_id in subjects:
        log_access(
            request=request, user=user, subject_id=subject_id, action=AccessAction.VIEW_RECORD
        )


def _contact(request: HttpRequest, pk: uuid.UUID) -> Contact:
    """A contact whose notes the user sees (its own council's staff); 404 otherwise, as if
    it did not exist."""
    try:
        return contacts_noted_by(user_of(request)).get(pk=pk)
    except (Contact.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def note_url(note: CaseNote) -> str:
    return reverse("case_notes:note", args=[note.pk])


def list_url(note: CaseNote) -> str:
    if note.episode_id is not None:
        return reverse("case_notes:episode-notes", args=[note.episode_id])
    return reverse("case_notes:contact-notes", args=[note.contact_id])


# --- lists ------------------------------------------------------------------------------------


@requires()
@require_http_methods(["GET"])
def episode_notes(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    episode = policy.get_visible_or_404(user, Episode, pk)
    return episode_page(
        request,
        episode,
        tab="notes",
        template="case_notes/episode_notes.html",
        context={
            "notes": selectors.shown_notes(user, selectors.notes_on(user=user, episode=episode)),
            "can_write_note": policy.can(user, CaseNoteAction.WRITE, episode),
        },
    )


@requires()
@require_http_methods(["GET"])
def contact_notes(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    contact = _contact(request, pk)
    log_read(request, list(contact.child_links.values_list("person_id", flat=True)))
    return render(
        request,
        "case_notes/contact_notes.html",
        {
            "contact": contact,
            "notes": selectors.shown_notes(user, selectors.notes_on(user=user, contact=contact)),
            "can_write_note": policy.can(user, CaseNoteAction.WRITE, contact),
        },
    )


# --- adding a note ----------------------------------------------------------------------------


def _note_form_page(
    request: HttpRequest,
    *,
    form: NoteForm,
    title: str,
    back_url: str,
    record: Episode | Contact,
    submit: str,
) -> HttpResponse:
    return render(
        request,
        "case_notes/note_form.html",
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "submit": submit,
            "episode": record if isinstance(record, Episode) else None,
            "contact": record if isinstance(record, Contact) else None,
        },
    )


def _new_note(request: HttpRequest, record: Episode | Contact, back_url: str) -> HttpResponse:
    user = user_of(request)
    policy.require(user, CaseNoteAction.WRITE, record, "You may not write notes on this record.")
    children = services.children_of(record)
    form = NoteForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        on = {"episode": record} if isinstance(record, Episode) else {"contact": record}
        note = attempt(
            form,
            lambda: services.record_note(by=user, **on, **form.service_fields()),
            field_names=NOTE_FIELD_NAMES,
        )
        if note is not None:
            messages.success(request, "The case note has been recorded.")
            return redirect(note_url(note))
    # The form names the children: a read of their records.
    log_read(request, [child.pk for child in children])
    return _note_form_page(
        request,
        form=form,
        title="Add a case note",
        back_url=back_url,
        record=record,
        submit="Save note",
    )


@requires(CaseNoteAction.WRITE)
@require_http_methods(["GET", "POST"])
def episode_note_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = policy.get_visible_or_404(user_of(request), Episode, pk)
    return _new_note(request, episode, reverse("case_notes:episode-notes", args=[pk]))


@requires(CaseNoteAction.WRITE)
@require_http_methods(["GET", "POST"])
def contact_note_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    contact = _contact(request, pk)
    return _new_note(request, contact, reverse("case_notes:contact-notes", args=[pk]))


# --- one note ---------------------------------------------------------------------------------


def _note(request: HttpRequest, pk: uuid.UUID) -> CaseNote:
    return policy.get_visible_or_404(user_of(request), CaseNote, pk)


@requires()
@require_http_methods(["GET"])
def note(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    found = _note(request, pk)
    log_read(request, selectors.subjects_of(found))
    shown = selectors.shown(user, found)
    return render(
        request,
        "case_notes/note.html",
        {
            "shown": shown,
            "note": found,
            "episode": found.episode,
            "contact": found.contact,
            "back_url": list_url(found),
            "versions": selectors.versions_of(found) if shown.readable else [],
            "can_edit": policy.can(user, CaseNoteAction.EDIT, found)
            and services.within_edit_window(found),
            "editable_until": services.editable_until(found),
            "can_add_addendum": policy.can(user, CaseNoteAction.ADD_ADDENDUM, found),
        },
    )


@requires()
@require_http_methods(["GET", "POST"])
def note_change(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    found = _note(request, pk)
    policy.require(user, CaseNoteAction.EDIT, found, "Only the note's author may change it.")
    record = record_of(found)
    children = services.children_of(record)
    if not services.within_edit_window(found):
        messages.error(
            request,
            services.WINDOW_CLOSED.format(minutes=services.edit_minutes()),
        )
        return redirect(note_url(found))
    form = NoteForm(request.POST or None, children=children, initial=NoteForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        changed = attempt(
            form,
            lambda: services.edit_note(
                note=found,
                by=user,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.service_fields(),
            ),
            field_names=NOTE_FIELD_NAMES,
        )
        if changed is not None:
            messages.success(
                request, "The case note has been changed. The earlier version is kept."
            )
            return redirect(note_url(found))
    log_read(request, selectors.subjects_of(found))
    return _note_form_page(
        request,
        form=form,
        title="Change the case note",
        back_url=note_url(found),
        record=record,
        submit="Save changes",
    )


@requires()
@require_http_methods(["GET", "POST"])
def note_addendum(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    found = _note(request, pk)
    policy.require(
        user, CaseNoteAction.ADD_ADDENDUM, found, "You may not add an addendum to this note."
    )
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = attempt(
            form,
            lambda: services.add_addendum(note=found, by=user, text=form.cleaned_data["text"]),
        )
        if added is not None:
            messages.success(request, "The addendum has been added beneath the note.")
            return redirect(note_url(found))
    log_read(request, selectors.subjects_of(found))
    return render(
        request,
        "case_notes/addendum_form.html",
        {
            "form": form,
            "note": found,
            "episode": found.episode,
            "back_url": note_url(found),
        },
    )
