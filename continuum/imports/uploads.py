"""The endpoints that take a file (a multipart form), and the most each may be sent.

The input guard (``web.middleware.InputGuardMiddleware``) asks here before anything reads
a request's body: a body larger than the file the endpoint takes (and room for the form
around it) is refused with a clear message, so a 200 MB file is never read; these
endpoints, and only these, may send the API a multipart form.

Apps above that take files of their own (documents) register their endpoints' limits here
from their ``ready()`` (``register_upload_limit``), so the guard reads them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.urls import Resolver404, ResolverMatch, resolve

from continuum.imports.registry import importer, importers, largest_upload
from continuum.imports.services import megabytes, too_large_message

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024
# The URL names of the endpoints that take a file: the API's (by kind) and the page's.
API_UPLOAD = "api:imports-upload"
PAGE_UPLOAD = "imports:new"


@dataclass(frozen=True)
class UploadLimit:
    max_bytes: int
    message: str


# The other apps' upload endpoints, by URL name: each answers its limit for the request.
_registered: dict[str, Callable[[ResolverMatch], UploadLimit]] = {}


def register_upload_limit(view_name: str, limit: Callable[[ResolverMatch], UploadLimit]) -> None:
    """Let the endpoint named ``view_name`` take a multipart form, of at most ``limit``."""
    _registered[view_name] = limit


def upload_limit(request: HttpRequest) -> UploadLimit | None:
    """The limit of the upload endpoint ``request`` is for; None for any other request."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name in _registered:
        return _registered[match.view_name](match)
    if match.view_name == API_UPLOAD:
        try:
            found = importer(str(match.kwargs.get("kind", "")))
        except Http404:
            return UploadLimit(FORM_OVERHEAD, "There is no kind of import called that.")
        return UploadLimit(found.max_bytes + FORM_OVERHEAD, too_large_message(found))
    if match.view_name == PAGE_UPLOAD:
        largest = largest_upload()
        kinds = ", ".join(f"{found.label} {megabytes(found.max_bytes)}" for found in importers())
        return UploadLimit(
            largest + FORM_OVERHEAD,
            f"The file is too large. The most each kind of file may be: {kinds}.",
        )
    return None
