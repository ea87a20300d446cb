"""Ofsted's Annex A over the API: the council's lists 1 to 7 as an Excel workbook.

Mounted at /api/v1/exports/annex-a:

- ``GET /api/v1/exports/annex-a?council=808&from=2025-04-01&to=2026-03-31`` - the workbook
  (``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``), as the page and
  ``manage.py annex_a`` make it. ``council`` is the DfE LA code; ``from`` and ``to`` the
  period's first and last days (YYYY-MM-DD).

Who: the council's own team managers, performance analysts and strategic leads
(``ReturnsAction.EXPORT_ANNEX_A``); anyone else 403, another council's return 403. Each
export writes one access-log row (``returns.exports``).

Errors: a missing or unknown council, a date that is not one, or a period that ends before
it starts answer 422, each entry naming its parameter in ``loc``; nothing is logged.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.returns.exports import export_annex_a, find_council
from continuum.returns.policies import ReturnsAction
from continuum.returns.workbook import XLSX_TYPE, annex_a_bytes, filename_for
from continuum.ui.api import fields_at

router = Router(tags=["exports"])


def _day(text: str | None, field: str, errors: dict[str, str]) -> date | None:
    if text is None or not text.strip():
        errors[field] = "Enter a date, like 2025-04-01"
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = f"Enter a real date, like 2025-04-01 (not {text.strip()[:20]!r})"
        return None


@router.get(
    "",
    summary="Ofsted's Annex A lists 1 to 7 as an Excel workbook",
    openapi_extra={
        "parameters": [
            {"name": "council", "in": "query", "required": True, "schema": {"type": "string"}},
            {
                "name": "from",
                "in": "query",
                "required": True,
                "schema": {"type": "string", "format": "date"},
            },
            {
                "name": "to",
                "in": "query",
                "required": True,
                "schema": {"type": "string", "format": "date"},
            },
        ],
        "responses": {200: {"content": {XLSX_TYPE: {}}, "description": "The workbook."}},
    },
)
@fields_at(under=("query",), first=("query", "from"), last=("query", "to"))
def annex_a(request: HttpRequest) -> HttpResponse:
    """The council's Annex A for the period: a cover sheet, then one sheet per list."""
    user = user_of(request)
    policy.require(
        user,
        ReturnsAction.EXPORT_ANNEX_A,
        message="Only the council's team managers, performance analysts and strategic leads "
        "may export its Annex A.",
    )
    errors: dict[str, str] = {}
    first = _day(request.GET.get("from"), "first", errors)
    last = _day(request.GET.get("to"), "last", errors)
    try:
        council = find_council(request.GET.get("council"))
    except ValidationError as exc:
        errors |= {key: messages[0] for key, messages in exc.message_dict.items()}
        council = None
    if errors or council is None:
        raise ValidationError(errors)
    annex = export_annex_a(user=user, council=council, first=first, last=last, request=request)
    response = HttpResponse(annex_a_bytes(annex), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename_for(annex)}"'
    return response
