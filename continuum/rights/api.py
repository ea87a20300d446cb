"""The register under /api/v1/rights-requests: list (overdue first, filtered by state and
kind), log a request, read one, and record its progress (start, identity check, extension,
correction, closure). The same policy as the pages: the council's information governance
lead runs the register; its case staff log requests about people they may see and read
those they logged. A request about a person the requester may not see is 404, as if the
person did not exist, and the attempt is kept for the lead."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.rights import selectors, services
from continuum.rights.choices import AttemptVia, RequestKind, RequestState
from continuum.rights.models import RightsRequest
from continuum.rights.policies import RightsAction
from continuum.ui.api import BlankIsAbsent, limit_offset, paginated

router = Router(tags=["rights requests"])
Pages = limit_offset("RightsRequestPages", default=50, maximum=200)


class RightsRequestOut(Schema):
    id: uuid.UUID
    kind: RequestKind
    person: uuid.UUID = Field(description="The person it is about, by id.")
    requester_name: str
    requester_kind: str
    details: str
    received_on: date
    due_on: date
    overdue: bool
    extended_on: date | None
    extension_reason: str
    identity_checked_at: datetime | None
    identity_check: str
    state: RequestState
    outcome: str
    closed_on: date | None
    correction: str
    handled_by: str | None
    logged_at: datetime

    @staticmethod
    def resolve_person(item: RightsRequest) -> uuid.UUID:
        return item.person_id

    @staticmethod
    def resolve_overdue(item: RightsRequest) -> bool:
        return item.is_overdue()

    @staticmethod
    def resolve_handled_by(item: RightsRequest) -> str | None:
        return item.handled_by.username if item.handled_by else None


class RightsRegisterFilters(Schema):
    state: Annotated[str | None, BlankIsAbsent] = Field(
        None, description="A state, or 'open' for received and in progress."
    )
    kind: Annotated[RequestKind | None, BlankIsAbsent] = None


class RightsRequestIn(Schema):
    person: str = Field(description="The id of the person it is about.")
    kind: str
    requester_name: str
    requester_kind: str = Field(description="self, parent_or_carer or representative.")
    received_on: date | None = None
    details: str = ""


class RightsIdentityIn(Schema):
    method: str
    detail: str = ""


class RightsExtensionIn(Schema):
    months: int | None = Field(None, description="1 or 2.")
    reason: str = ""


class RightsCorrectionIn(Schema):
    correction: str


class RightsClosureIn(Schema):
    state: str = Field(description="completed, refused or withdrawn.")
    outcome: str = ""


@router.get("", response=list[RightsRequestOut], summary="The register")
@paginated(Pages)
def list_requests(
    request: HttpRequest, filters: Query[RightsRegisterFilters]
) -> QuerySet[RightsRequest]:
    """Overdue first, then open by due date, then closed."""
    return selectors.register(
        user=user_of(request), state=filters.state or "", kind=filters.kind or ""
    ).select_related("handled_by")


@router.post("", response={201: RightsRequestOut}, summary="Log a request")
def create(request: HttpRequest, payload: RightsRequestIn) -> Status:
    user = user_of(request)
    policy.require(
        user, RightsAction.LOG, message="You may not log requests under data protection law."
    )
    person = services.person_for_request(
        by=user, person_id=payload.person, kind=payload.kind, via=AttemptVia.API
    )
    logged = services.log_request(
        by=user,
        person=person,
        kind=payload.kind,
        requester_name=payload.requester_name,
        requester_kind=payload.requester_kind,
        received_on=payload.received_on,
        details=payload.details,
    )
    return Status(201, logged)


def _request(request: HttpRequest, request_id: uuid.UUID) -> RightsRequest:
    return policy.get_visible_or_404(user_of(request), RightsRequest, request_id)


@router.get("/{uuid:request_id}", response=RightsRequestOut, summary="A request")
def detail(request: HttpRequest, request_id: uuid.UUID) -> RightsRequest:
    return _request(request, request_id)


@router.post("/{uuid:request_id}/start", response=RightsRequestOut, summary="Start work")
def start(request: HttpRequest, request_id: uuid.UUID) -> RightsRequest:
    return services.start_work(by=user_of(request), request=_request(request, request_id))


@router.post(
    "/{uuid:request_id}/identity-check",
    response=RightsRequestOut,
    summary="Record the identity check",
)
def identity_check(
    request: HttpRequest, request_id: uuid.UUID, payload: RightsIdentityIn
) -> RightsRequest:
    return services.record_identity_check(
        by=user_of(request),
        request=_request(request, request_id),
        method=payload.method,
        detail=payload.detail,
    )


@router.post(
    "/{uuid:request_id}/extension", response=RightsRequestOut, summary="Extend the due date once"
)
def extension(
    request: HttpRequest, request_id: uuid.UUID, payload: RightsExtensionIn
) -> RightsRequest:
    return services.extend_due_date(
        by=user_of(request),
        request=_request(request, request_id),
        months=payload.months,
        reason=payload.reason,
    )


@router.post(
    "/{uuid:request_id}/correction", response=RightsRequestOut, summary="Record what was corrected"
)
def correction(
    request: HttpRequest, request_id: uuid.UUID, payload: RightsCorrectionIn
) -> RightsRequest:
    return services.record_correction(
        by=user_of(request), request=_request(request, request_id), correction=payload.correction
    )


@router.post("/{uuid:request_id}/closure", response=RightsRequestOut, summary="Close the request")
def closure(request: HttpRequest, request_id: uuid.UUID, payload: RightsClosureIn) -> RightsRequest:
    return services.close_request(
        by=user_of(request),
        request=_request(request, request_id),
        state=payload.state,
        outcome=payload.outcome,
    )
