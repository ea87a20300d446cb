"""Joint front doors over JSON (issue 15): the front door's headline indicators by hub, and
each council before and after it joined a hub.

Mounted at /api/v1/performance:

- ``GET /api/v1/performance/hubs`` - for each hub (and "Not in a hub"), each headline
  front-door indicator month by month (``council`` null) and each council's own cell in
  the months the hub ran its front door; and, for each council that joined a hub part way
  through, each indicator's average over the ``months`` months before joining and from
  joining on (fewer if the months asked for start later or end sooner: ``before_months``
  and ``after_months`` say how many), and the difference. Query parameters: ``from`` and
  ``to`` (YYYY-MM; default the 12 months to the last complete month) and ``months``
  (2 to 36, default 12).

Every count passes disclosure control: a suppressed cell has ``numerator`` and ``value``
null, ``suppressed`` true and ``marker`` "[c]".

Who: anyone the policy lets see the performance dashboards
(``PerformanceAction.VIEW_DASHBOARDS``; 403 otherwise). Aggregates only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from continuum.performance import disclosure
from continuum.performance.api import _problem, _range, _require_dashboards
from continuum.performance.hub_figures import (
    BEFORE_AFTER_MONTHS,
    INDICATORS,
    before_after,
    hub_figures,
)
from continuum.performance.policies import councils_compared
from continuum.ui.api import invalid

router = Router(tags=["indicators"])


class PerformanceHubCellOut(Schema):
    indicator: str
    hub: str = Field(description="The hub's name, or 'Not in a hub'.")
    council: str | None = Field(description="DfE LA code; null for the hub as a whole.")
    month: date
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool
    marker: str | None


class PerformanceHubOut(Schema):
    name: str
    hub_id: int | None
    councils: list[str] = Field(description="DfE LA codes of the councils it ran in the months.")


class PerformanceHubBeforeAfterOut(Schema):
    council: str
    council_name: str
    hub: str
    joined: date = Field(description="The first month counted under the hub.")
    indicator: str
    before_months: int = Field(description="Months compared before joining (N or fewer).")
    before_with_value: int
    before_mean: float | None
    after_months: int
    after_with_value: int
    after_mean: float | None
    difference: float | None = Field(description="After less before.")


class PerformanceHubsOut(Schema):
    from_month: str = Field(alias="from")
    to_month: str = Field(alias="to")
    months: int
    indicators: list[str]
    hubs: list[PerformanceHubOut]
    values: list[PerformanceHubCellOut]
    before_after: list[PerformanceHubBeforeAfterOut]
    disclosure: str


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@router.get(
    "/hubs",
    response=PerformanceHubsOut,
    summary="Front-door indicators by hub, and councils before and after joining",
    by_alias=True,
)
def hubs(request: HttpRequest) -> dict[str, Any]:
    user = _require_dashboards(request)
    problems: list[tuple[list[str], str]] = []
    first, last = _range(request, problems)
    text = (request.GET.get("months") or "").strip()
    months = BEFORE_AFTER_MONTHS
    if text:
        if not text.isdigit() or not 2 <= int(text) <= 36:
            problems.append(_problem("months", "Use a whole number of months, 2 to 36."))
        else:
            months = int(text)
    if problems:
        raise invalid(problems)
    assert first is not None and last is not None
    found = hub_figures(councils=list(councils_compared(user)), first=first, last=last)
    codes = {c.pk: c.dfe_la_code for c in found.councils}
    values = [
        {
            "indicator": cell.indicator,
            "hub": cell.category,
            "council": codes.get(cell.council_id) if cell.council_id is not None else None,
            "month": cell.period.start,
            "numerator": cell.numerator,
            "denominator": cell.denominator,
            "value": _round(cell.value),
            "suppressed": cell.suppressed,
            "marker": disclosure.MARKER if cell.suppressed else None,
        }
        for cell in found.result.cells
    ]
    comparisons = []
    for joining in found.joinings:
        for code in INDICATORS:
            ba = before_after(found, joining, code, months=months)
            comparisons.append(
                {
                    "council": joining.council.dfe_la_code,
                    "council_name": joining.council.name,
                    "hub": joining.hub,
                    "joined": joining.month,
                    "indicator": code,
                    "before_months": ba.before_months,
                    "before_with_value": len(ba.before),
                    "before_mean": _round(ba.before_mean),
                    "after_months": ba.after_months,
                    "after_with_value": len(ba.after),
                    "after_mean": _round(ba.after_mean),
                    "difference": _round(ba.difference),
                }
            )
    return {
        "from": f"{first:%Y-%m}",
        "to": f"{last:%Y-%m}",
        "months": months,
        "indicators": list(INDICATORS),
        "hubs": [
            {
                "name": hub.label,
                "hub_id": hub.hub_id,
                "councils": [c.dfe_la_code for c in found.councils_of(hub.label)],
            }
            for hub in found.hubs
        ],
        "values": values,
        "before_after": comparisons,
        "disclosure": disclosure.MEANING,
    }
