"""Where documents show on other apps' pages, registered from ``AppConfig.ready``: a tab of
a person's record (``people.tabs``) and of an episode (``early_help.extensions``); a panel on an
episode's summary and on a contact's page (``ui.panels``) listing the newest documents with
a link to them all and to upload one; and the most each upload endpoint takes, which the
input guard reads before the body (``imports.uploads``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import ResolverMatch, reverse

from continuum.access import policy
from continuum.consent.models import ConsentRecord
from continuum.consent.policies import ConsentAction
from continuum.documents import checks, selectors
from continuum.documents.policies import DocumentAction
from continuum.early_help.extensions import EpisodeTab, register_episode_tab
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.imports.uploads import FORM_OVERHEAD, UploadLimit, register_upload_limit
from continuum.people.models import Person
from continuum.people.tabs import PersonTab, register_tab
from continuum.ui.panels import Panel, register_panel

UPLOAD_ENDPOINTS = (
    "documents:person",
    "documents:contact",
    "documents:episode",
    "documents:consent",
    "api:documents-upload",
)
PANEL_LISTS_AT_MOST = 5


def holder_url(holder: Person | Contact | Episode) -> str:
    """The documents page of the record ``holder``."""
    if isinstance(holder, Person):
        return reverse("documents:person", args=[holder.pk])
    if isinstance(holder, Contact):
        return reverse("documents:contact", args=[holder.pk])
    return reverse("documents:episode", args=[holder.pk])


def upload_limit(_: ResolverMatch) -> UploadLimit:
    return UploadLimit(settings.DOCUMENT_MAX_BYTES + FORM_OVERHEAD, checks.too_large_message())


def documents_panel(request: Any, holder: Any) -> Panel | None:
    """The newest documents on ``holder`` and a link to them all and to upload one, for
    those who may see them."""
    user = request.user
    if not policy.can(user, DocumentAction.VIEW_ON, holder):
        return None
    documents = selectors.documents_on(user=user, holder=holder)
    return Panel(
        "documents/_panel.html",
        {
            "documents": list(documents[:PANEL_LISTS_AT_MOST]),
            "count": documents.count(),
            "url": holder_url(holder),
            "may_upload": policy.can(user, DocumentAction.UPLOAD, holder),
        },
    )


def signed_forms_panel(request: Any, consent: ConsentRecord) -> Panel | None:
    """On a consent record's page: its signed forms, and a link to upload one for those who
    may."""
    user = request.user
    if not policy.can(user, DocumentAction.VIEW_ON, consent.person):
        return None
    return Panel(
        "documents/_signed_forms_panel.html",
        {
            "documents": list(selectors.signed_forms_of(user=user, consent=consent)),
            "upload_url": reverse("documents:consent", args=[consent.pk]),
            "may_upload": policy.can(user, ConsentAction.WITHDRAW, consent)
            and policy.can(user, DocumentAction.UPLOAD, consent.person),
        },
    )


def _shown(user: Any, holder: Any) -> bool:
    return policy.can(user, DocumentAction.VIEW_ON, holder)


def register() -> None:
    register_tab(PersonTab("documents", "Documents", "documents:person", _shown))
    register_episode_tab(EpisodeTab("documents", "Documents", "documents:episode", _shown))
    register_panel("early_help.episode", documents_panel)
    register_panel("front_door.contact", documents_panel)
    register_panel("consent.record", signed_forms_panel)
    for name in UPLOAD_ENDPOINTS:
        register_upload_limit(name, upload_limit)
