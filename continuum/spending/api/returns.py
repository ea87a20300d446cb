"""/api/v1/spending/returns, /classification, /mappings (the returns part).

- ``GET /spending/returns`` (the returns you see), ``POST`` (start one for your council);
  ``GET``/``PUT /spending/returns/{id}`` (the whole form against the version you saw);
  ``POST .../submit``, ``.../sign-off``, ``.../send-back``.
- ``GET /spending/classification``: the current version's categories and section 251 lines.
- ``GET``/``PUT /spending/mappings?council=<DfE code>``: a council's headings and how each is
  mapped; ``PUT`` maps one heading (adding it if new).

Bad input is 422 naming its field; a return in the wrong state or a year signed off, 409;
a return the user may not see, 404; one they see but may not change, 403. Spending returns
name no one: no access-log row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.errors import NotPermitted
from continuum.organisations.models import Council
from continuum.spending import selectors_returns as selectors
from continuum.spending.models import (
    CategoryMapping,
    CouncilCategory,
    SpendingReturn,
)
from continuum.spending.policies import SpendingAction, own_council
from continuum.spending.services import classification as classification_services
from continuum.spending.services import returns as services
from continuum.ui.api import invalid_field, limit_offset, paginated

router = Router(tags=["spending"])
Pages = limit_offset("SpendingReturnPages", default=50, maximum=200)


class SpendingAmountOut(Schema):
    heading: str
    funding_source: str
    amount: Decimal


class SpendingStaffOut(Schema):
    role: str
    fte: Decimal


class SpendingReturnOut(Schema):
    id: int
    council: str
    financial_year: str
    status: str
    version: int
    notes: str
    submitted_at: datetime | None
    signed_off_at: datetime | None
    amounts: list[SpendingAmountOut]
    staff: list[SpendingStaffOut]
    total: Decimal

    @staticmethod
    def resolve_council(r: SpendingReturn) -> str:
        return r.council.dfe_la_code

    @staticmethod
    def resolve_financial_year(r: SpendingReturn) -> str:
        return r.year_label

    @staticmethod
    def resolve_amounts(r: SpendingReturn) -> list[dict[str, Any]]:
        return [
            {
                "heading": a.council_category.code,
                "funding_source": a.funding_source,
                "amount": a.amount,
            }
            for a in r.amounts.select_related("council_category")
        ]

    @staticmethod
    def resolve_staff(r: SpendingReturn) -> list[dict[str, Any]]:
        return [{"role": s.role, "fte": s.fte} for s in r.staff.all()]

    @staticmethod
    def resolve_total(r: SpendingReturn) -> Decimal:
        return sum((a.amount for a in r.amounts.all()), Decimal("0"))


class SpendingReturnIn(Schema):
    financial_year: str
    notes: str = ""


class SpendingAmountIn(Schema):
    heading: str
    funding_source: str
    amount: Any = None


class SpendingStaffIn(Schema):
    role: str
    fte: Any = None


class SpendingReturnFormIn(Schema):
    version: int
    amounts: list[SpendingAmountIn] = []
    staff: list[SpendingStaffIn] = []
    notes: str | None = None


class SpendingVersionIn(Schema):
    version: int


class SpendingSendBackIn(Schema):
    version: int
    reason: str = ""


class SpendingCategoryOut(Schema):
    code: str
    name: str
    description: str
    section_251_lines: list[str]
    outside_section_251: str


class SpendingClassificationOut(Schema):
    version: int
    published_on: date
    note: str
    categories: list[SpendingCategoryOut]


class SpendingShareOut(Schema):
    category: str | None
    share: Decimal


class SpendingHeadingOut(Schema):
    code: str
    name: str
    difference: str
    shares: list[SpendingShareOut]
    note: str


class SpendingMappingsOut(Schema):
    council: str
    classification_version: int
    headings: list[SpendingHeadingOut]


class SpendingShareIn(Schema):
    category: str | None = None
    share: Any = 100


class SpendingMappingIn(Schema):
    heading: str
    name: str = ""
    shares: list[SpendingShareIn] = []
    note: str = ""


def _year(text: str) -> int:
    from continuum.spending.importing import parse_year

    year = parse_year(text or "")
    if year is None:
        raise invalid_field("financial_year", "Give the financial year like 2024-25.")
    return year


def _return(request: HttpRequest, return_id: int) -> SpendingReturn:
    return policy.get_visible_or_404(user_of(request), SpendingReturn, return_id)


@router.get("/returns", response=list[SpendingReturnOut], summary="The spending returns you see")
@paginated(Pages)
def list_returns(request: HttpRequest) -> QuerySet[SpendingReturn]:
    return selectors.returns_for(user_of(request)).prefetch_related("amounts", "staff")


@router.post("/returns", response={201: SpendingReturnOut}, summary="Start a spending return")
def create_return(request: HttpRequest, body: SpendingReturnIn) -> Any:
    user = user_of(request)
    council = own_council(user)
    if council is None:
        raise NotPermitted("You do not make a council's spending returns.")
    made = services.create_return(
        by=user, council=council, financial_year=_year(body.financial_year), notes=body.notes
    )
    return Status(201, made)


@router.get("/returns/{return_id}", response=SpendingReturnOut, summary="A spending return")
def get_return(request: HttpRequest, return_id: int) -> SpendingReturn:
    return _return(request, return_id)


@router.put(
    "/returns/{return_id}",
    response=SpendingReturnOut,
    summary="Save a return's amounts and staff (the whole form)",
)
def save_return(request: HttpRequest, return_id: int, body: SpendingReturnFormIn) -> Any:
    spending_return = _return(request, return_id)
    amounts: dict[tuple[str, str], Any] = {}
    for row in body.amounts:
        key = (row.heading, row.funding_source)
        if key in amounts:
            raise invalid_field(
                services.amount_field(*key), "The heading and source are given twice."
            )
        amounts[key] = row.amount
    staff: dict[str, Any] = {}
    for line in body.staff:
        if line.role in staff:
            raise invalid_field(services.fte_field(line.role), "The role is given twice.")
        staff[line.role] = line.fte
    return services.save_return(
        by=user_of(request),
        spending_return=spending_return,
        version=body.version,
        amounts=amounts,
        staff=staff,
        notes=body.notes,
    )


@router.post("/returns/{return_id}/submit", response=SpendingReturnOut, summary="Submit a return")
def submit(request: HttpRequest, return_id: int, body: SpendingVersionIn) -> Any:
    return services.submit_return(
        by=user_of(request), spending_return=_return(request, return_id), version=body.version
    )


@router.post(
    "/returns/{return_id}/sign-off", response=SpendingReturnOut, summary="Sign a return off"
)
def sign_off(request: HttpRequest, return_id: int, body: SpendingVersionIn) -> Any:
    return services.sign_off_return(
        by=user_of(request), spending_return=_return(request, return_id), version=body.version
    )


@router.post(
    "/returns/{return_id}/send-back", response=SpendingReturnOut, summary="Send a return back"
)
def send_back(request: HttpRequest, return_id: int, body: SpendingSendBackIn) -> Any:
    return services.send_back_return(
        by=user_of(request),
        spending_return=_return(request, return_id),
        version=body.version,
        reason=body.reason,
    )


@router.get(
    "/classification",
    response=SpendingClassificationOut,
    summary="The current common classification",
)
def get_classification(request: HttpRequest) -> Any:
    policy.require(user_of(request), SpendingAction.VIEW_COMPARISON)
    current = classification_services.current_classification()
    return {
        "version": current.version,
        "published_on": current.published_on,
        "note": current.note,
        "categories": [
            {
                "code": c.code,
                "name": c.name,
                "description": c.description,
                "section_251_lines": [line.code for line in c.section_251_lines.all()],
                "outside_section_251": c.outside_section_251,
            }
            for c in current.categories.prefetch_related("section_251_lines")
        ],
    }


def _council(request: HttpRequest, code: str | None) -> Council:
    user = user_of(request)
    if not code:
        council = own_council(user)
        if council is None:
            raise invalid_field("council", "Give the council's DfE code.")
        return council
    council = Council.objects.filter(dfe_la_code=code).first()
    if council is None or not policy.can(user, SpendingAction.VIEW_RETURN, council):
        raise invalid_field("council", "No council you see has that code.")
    return council


def _mappings(council: Council) -> dict[str, Any]:
    current = classification_services.current_classification()
    return {
        "council": council.dfe_la_code,
        "classification_version": current.version,
        "headings": [
            {
                "code": d.heading.code,
                "name": d.heading.name,
                "difference": d.kind,
                "shares": [
                    {"category": m.category.code if m.category else None, "share": m.share}
                    for m in d.mappings
                ],
                "note": d.mappings[0].note if d.mappings else "",
            }
            for d in classification_services.differences(current, council)
        ],
    }


@router.get("/mappings", response=SpendingMappingsOut, summary="A council's headings mapped")
def get_mappings(request: HttpRequest, council: str | None = None) -> Any:
    return _mappings(_council(request, council))


@router.put("/mappings", response=SpendingMappingsOut, summary="Map one of a council's headings")
def put_mapping(request: HttpRequest, body: SpendingMappingIn, council: str | None = None) -> Any:
    user = user_of(request)
    found = _council(request, council)
    policy.require(
        user, SpendingAction.MAP_CATEGORIES, found, f"You may not map {found.name}'s headings."
    )
    shares = [(s.category, s.share) for s in body.shares]
    heading = CouncilCategory.objects.filter(council=found, code=body.heading).first()
    _map(user, found, heading, body, shares)
    return _mappings(found)


def _map(
    user: Any,
    council: Council,
    heading: CouncilCategory | None,
    body: SpendingMappingIn,
    shares: list[tuple[str | None, Any]],
) -> list[CategoryMapping]:
    from django.db import transaction

    with transaction.atomic():
        if heading is None:
            heading = classification_services.add_council_heading(
                by=user, council=council, code=body.heading, name=body.name
            )
        return classification_services.map_heading(
            by=user, heading=heading, shares=shares, note=body.note
        )
