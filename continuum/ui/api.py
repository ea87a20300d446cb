"""What the JSON API's endpoints share, and the one translation of refusals into answers.

``install_error_handlers`` registers django-ninja exception handlers on the one
``NinjaAPI`` (``continuum.api``), so no endpoint catches a service's refusal:

- Django's ``ValidationError`` -> 422 in django-ninja's own shape, each entry naming its
  field in ``loc`` (in the request body, unless the endpoint says otherwise with
  ``fields_at``);
- ``ConcurrentChange`` and ``InvalidState`` -> 409 ``{"detail": message}``;
- ``NotPermitted`` (and any other ``PermissionDenied``) -> 403 ``{"detail": message}``;
- a rate limit reached (``ui.rate_limits``) -> 429 ``{"detail": message}`` saying how long
  to wait, with django-ninja's ``Retry-After`` header.

Input an endpoint checks itself (a query filter, an id in the body) is refused with
``invalid``, a 422 of the same shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial, wraps
from typing import Any, TypeVar, cast, get_type_hints

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.decorators import decorate_view
from ninja.errors import Throttled, ValidationError
from ninja.pagination import LimitOffsetPagination, PaginationBase, paginate
from pydantic import BeforeValidator, create_model

from continuum.errors import Refusal

Loc = Sequence[str | int]
# Where a request body is, in django-ninja's ``loc``: every body parameter is ``payload``.
BODY: tuple[str, ...] = ("body", "payload")
F = TypeVar("F", bound=Callable[..., Any])
# The largest whole number a database integer holds (PostgreSQL's bigint, SQLite's
# INTEGER): no id, version, offset or count is beyond it, so none is accepted.
MAX_INTEGER = 2**63 - 1
MIN_INTEGER = -(2**63)


class MessageOut(Schema):
    detail: str


def limit_offset(
    name: str, *, default: int, maximum: int, max_offset: int | None = None
) -> type[LimitOffsetPagination]:
    """django-ninja's limit/offset pagination (``{"items", "count"}``) for a list whose
    page is ``default`` long unless asked, at most ``maximum``; a larger ``limit`` (or an
    ``offset`` past ``max_offset``, or past what a database integer holds) is refused with
    422 naming it. ``name`` names its query
    parameters in the OpenAPI document. Use it as ``@paginated(pages)`` with
    ``response=list[ItemOut]``."""
    page = create_model(
        name,
        __base__=Schema,
        __doc__="Which page of the list: up to ``limit`` items, after the first ``offset``.",
        limit=(int, Field(default, ge=1, le=maximum)),
        offset=(int, Field(0, ge=0, le=MAX_INTEGER if max_offset is None else max_offset)),
    )

    class Pages(LimitOffsetPagination):
        Input = page  # type: ignore[assignment]

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(max_limit=maximum, **kwargs)

    return Pages


class WholeList(PaginationBase):
    """A short list (one episode's TAF members, say) answered whole, in the same shape as
    a page: every item, and the count."""

    class Input(Schema):
        pass

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        items = list(queryset)
        return {"items": items, "count": len(items)}


def paginated(pagination: type[PaginationBase]) -> Callable[[F], F]:
    """django-ninja's ``paginate`` with ``pagination``. ninja reads the annotations of the
    endpoint it wraps in its own module, where names an endpoint's module imported are
    unknown (every module postpones its annotations), so they are resolved here first.
    Put it below the router's decorator."""

    def decorate(view: F) -> F:
        view.__annotations__ = get_type_hints(view, include_extras=True)
        return cast(F, paginate(pagination)(view))

    return decorate


def _blank_is_absent(value: Any) -> Any:
    return None if value == "" else value


# For a query filter: left empty (``?status=``) it filters nothing, as if left out.
BlankIsAbsent = BeforeValidator(_blank_is_absent)


def record_id(text: str) -> int | None:
    """``text`` as a record's id, or None if it is not one (not digits, or too large for a
    database integer)."""
    if not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INTEGER else None


def invalid(errors: Iterable[tuple[Loc, str]]) -> ValidationError:
    """A 422 whose ``detail`` entries each name a field in ``loc``."""
    return ValidationError(
        [{"loc": list(loc), "msg": message, "type": "value_error"} for loc, message in errors]
    )


def invalid_field(name: str, message: str) -> ValidationError:
    """A 422 naming one field of the request body."""
    return invalid([((*BODY, name), message)])


@dataclass(frozen=True)
class FieldLocations:
    """Where an endpoint's service errors point: under ``under``, or at the location
    ``renamed`` gives the service's name for a field."""

    under: Loc = BODY
    renamed: Mapping[str, Loc] = field(default_factory=dict)

    def of(self, key: str) -> list[str | int]:
        """``new_children.0.nhs_number`` -> [*under, "new_children", 0, "nhs_number"]."""
        if key == NON_FIELD_ERRORS:
            return list(self.under)
        first, _, rest = key.partition(".")
        parts: list[str | int] = [int(p) if p.isdigit() else p for p in rest.split(".") if p]
        if first in self.renamed:
            return [*self.renamed[first], *parts]
        return [*self.under, first, *parts]


_DEFAULT_LOCATIONS = FieldLocations()
_LOCATIONS_ATTRIBUTE = "continuum_field_locations"


def fields_at(*, under: Loc = BODY, **renamed: str | Loc) -> Callable[[F], F]:
    """Declare where this endpoint's service errors point, when not at the body field of
    the same name: ``@fields_at(presenting_indicators="indicator_codes")`` (another body
    field), ``@fields_at(person=("path", "person_id"))`` (anywhere), or
    ``@fields_at(under=("contact",))`` (the fields of the record, not of the request).
    Put it below the router's decorator."""
    locations = FieldLocations(
        under=under,
        renamed={
            key: (*BODY, value) if isinstance(value, str) else tuple(value)
            for key, value in renamed.items()
        },
    )

    def note_locations(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            setattr(request, _LOCATIONS_ATTRIBUTE, locations)
            return run(request, *args, **kwargs)

        return wrapped

    return decorate_view(note_locations)


def _field_errors(request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI) -> HttpResponse:
    locations: FieldLocations = getattr(request, _LOCATIONS_ATTRIBUTE, _DEFAULT_LOCATIONS)
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    detail = [
        {"loc": locations.of(key), "msg": message, "type": "value_error"}
        for key, messages in by_field.items()
        for message in messages
    ]
    return api.create_response(request, {"detail": detail}, status=422)


def _refused(request: HttpRequest, exc: Refusal, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=409)


def _forbidden(request: HttpRequest, exc: PermissionDenied, api: NinjaAPI) -> HttpResponse:
    message = str(exc) or "You may not do this."
    return api.create_response(request, {"detail": message}, status=403)


def _too_many(request: HttpRequest, exc: Throttled, api: NinjaAPI) -> HttpResponse:
    seconds = max(1, math.ceil(exc.wait)) if exc.wait is not None else None
    wait = f"wait {seconds} second{'s' if seconds != 1 else ''}" if seconds else "wait"
    message = f"Too many requests: {wait} and try again."
    return api.create_response(request, {"detail": message}, status=429)


def install_error_handlers(api: NinjaAPI) -> None:
    """Translate every refusal a service or the policy raises into the API's answer."""
    api.add_exception_handler(DjangoValidationError, partial(_field_errors, api=api))
    api.add_exception_handler(Refusal, partial(_refused, api=api))
    api.add_exception_handler(PermissionDenied, partial(_forbidden, api=api))
    api.add_exception_handler(Throttled, partial(_too_many, api=api))
