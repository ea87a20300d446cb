"""The documents pages: the documents on a person, a contact or an episode with the upload
form, a document's page, its download and deleting it. Each asks the policy; each read of a
document writes the access log (``selectors.log_read``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.consent.models import ConsentRecord
from continuum.consent.policies import ConsentAction
from continuum.documents import checks, selectors, services
from continuum.documents.forms import DeleteForm, SignedFormForm, UploadForm
from continuum.documents.models import Document
from continuum.documents.pages import holder_url
from continuum.documents.policies import DocumentAction
from continuum.documents.storage import documents_storage
from continuum.early_help.models import Episode
from continuum.early_help.views.common import episode_page
from continuum.front_door.models import Contact
from continuum.front_door.selectors import reference_of
from continuum.people.models import Person
from continuum.people.views import render_person_page
from continuum.ui.errors import attempt, form_errors_summary

Holder = Person | Contact | Episode


def holder_name(holder: Holder) -> str:
    if isinstance(holder, Person):
        return f"{holder.full_name}'s record"
    if isinstance(holder, Contact):
        return f"contact {reference_of(holder)}"
    return f"the {holder.household.name} family's early help episode"


def _upload_form(request: AuthenticatedRequest) -> UploadForm:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return UploadForm(data, files, max_size=checks.megabytes(settings.DOCUMENT_MAX_BYTES))


def _handle(request: AuthenticatedRequest, holder: Holder) -> tuple[dict[str, Any], Any]:
    """The list's context, and a redirect when an upload succeeded."""
    user = request.user
    policy.require(user, DocumentAction.VIEW_ON, holder)
    may_upload = policy.can(user, DocumentAction.UPLOAD, holder)
    form = _upload_form(request)
    if request.method == "POST":
        policy.require(user, DocumentAction.UPLOAD, holder, "You may not upload documents here.")
        if form.is_valid():
            data = form.cleaned_data
            document = attempt(
                form,
                lambda: services.upload_document(
                    by=user,
                    holder=holder,
                    kind=data["kind"] or "",
                    title=data["title"] or "",
                    description=data["description"] or "",
                    upload=data["file"],
                ),
            )
            if document is not None:
                return {}, HttpResponseRedirect(
                    reverse("documents:detail", args=[document.pk]), status=303
                )
    context = {
        "documents": selectors.documents_on(user=user, holder=holder),
        "deleted": selectors.deleted_on(user=user, holder=holder),
        "form": form,
        "may_upload": may_upload,
        "upload_url": holder_url(holder),
        "holder_name": holder_name(holder),
        "errors": form_errors_summary(form) if form.is_bound and form.errors else [],
    }
    return context, None


def _status(context: dict[str, Any]) -> int:
    form = context.get("form")
    return 400 if form is not None and form.errors else 200


@requires()
@require_http_methods(["GET", "POST"])
def on_person(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    person = policy.get_visible_or_404(request.user, Person, pk)
    context, done = _handle(request, person)
    if done is not None:
        return done
    response = render_person_page(
        request,
        person,
        template="documents/on_person.html",
        tab="documents",
        action=AccessAction.VIEW_RECORD,
        context=context,
    )
    response.status_code = _status(context)
    return response


@requires()
@require_http_methods(["GET", "POST"])
def on_contact(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    contact = policy.get_visible_or_404(request.user, Contact, pk)
    context, done = _handle(request, contact)
    if done is not None:
        return done
    for child_id in contact.children.values_list("pk", flat=True):
        log_access(
            request=request,
            user=request.user,
            subject_id=child_id,
            action=AccessAction.VIEW_RECORD,
        )
    context["contact"] = contact
    return render(request, "documents/on_contact.html", context, status=_status(context))


@requires()
@require_http_methods(["GET", "POST"])
def on_episode(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    episode = policy.get_visible_or_404(request.user, Episode, pk)
    context, done = _handle(request, episode)
    if done is not None:
        return done
    return episode_page(
        request,
        episode,
        tab="documents",
        template="documents/on_episode.html",
        context=context,
        status=_status(context),
    )


@requires()
@require_http_methods(["GET", "POST"])
def on_consent(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Upload the signed form of a consent record: a consent form document on its person,
    linked to the record and shown on the record's page."""
    consent = policy.get_visible_or_404(request.user, ConsentRecord, pk)
    person = consent.person
    policy.require(
        request.user,
        ConsentAction.WITHDRAW,
        consent,
        "You may not add a signed form to this consent.",
    )
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = SignedFormForm(data, files, max_size=checks.megabytes(settings.DOCUMENT_MAX_BYTES))
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        document = attempt(
            form,
            lambda: services.upload_signed_consent_form(
                by=request.user,
                consent=consent,
                title=cleaned["title"] or "",
                description=cleaned["description"] or "",
                upload=cleaned["file"],
            ),
        )
        if document is not None:
            messages.success(request, "Signed consent form uploaded")
            return HttpResponseRedirect(reverse("consent:detail", args=[consent.pk]), status=303)
    response = render_person_page(
        request,
        person,
        template="documents/on_consent.html",
        tab="consent",
        action=AccessAction.VIEW_RECORD,
        context={
            "consent": consent,
            "form": form,
            "errors": form_errors_summary(form) if form.is_bound and form.errors else [],
            "back_url": reverse("consent:detail", args=[consent.pk]),
        },
    )
    response.status_code = 400 if form.errors else 200
    return response


def _document(request: AuthenticatedRequest, pk: uuid.UUID) -> Document:
    return policy.get_visible_or_404(request.user, Document, pk)


@requires()
@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """A document's page: what it is, who uploaded it, its download (one access-log row
    for each person it concerns)."""
    document = _document(request, pk)
    selectors.log_read(
        request, user=request.user, document=document, action=AccessAction.VIEW_RECORD
    )
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "holder_url": holder_url(document.holder),
            "holder_name": holder_name(document.holder),
            "may_delete": policy.can(request.user, DocumentAction.DELETE, document),
        },
    )


@requires()
@require_http_methods(["GET"])
def download(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponseBase:
    """The file, as an attachment, after asking the policy; one access-log row for each
    person it concerns."""
    document = _document(request, pk)
    if document.is_deleted:
        raise Http404("This document has been deleted.")
    selectors.log_read(
        request, user=request.user, document=document, action=AccessAction.VIEW_RECORD
    )
    return file_response(document)


def file_response(document: Document) -> FileResponse:
    """Streamed from the documents storage, never rendered by the browser."""
    handle = documents_storage().open(document.stored_name, "rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_filename,
        content_type=document.content_type,
    )
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    # Opened by mistake in the browser, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@requires()
@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    document = _document(request, pk)
    policy.require(
        request.user,
        DocumentAction.DELETE,
        document,
        "Only whoever uploaded a document, soon after, or a team manager may delete it.",
    )
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.delete_document(
                by=request.user, document=document, reason=form.cleaned_data["reason"] or ""
            ),
        )
        if done is not None:
            return HttpResponseRedirect(holder_url(document.holder), status=303)
    selectors.log_read(
        request, user=request.user, document=document, action=AccessAction.VIEW_RECORD
    )
    return render(
        request,
        "documents/delete.html",
        {"document": document, "form": form, "holder_url": holder_url(document.holder)},
        status=400 if form.errors else 200,
    )
