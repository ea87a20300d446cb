"""Gives every request an id, returned as X-Request-ID and written to the access log.

For as long as the request runs the id is also in ``continuum.logs.request_id``, so every
log line written while answering it carries the id (continuum/logs.py).
"""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from continuum import logs


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4()  # type: ignore[attr-defined]
        token = logs.request_id.set(str(request.request_id))  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = str(request.request_id)  # type: ignore[attr-defined]
        return response
