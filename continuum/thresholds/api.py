"""The threshold framework over JSON: its indicators, and a suggested level for a selection.

Mounted at /api/v1/thresholds. Everyone with a role may read the framework
(``ThresholdsAction.VIEW``); it holds no personal data.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.organisations.models import Council
from continuum.thresholds import rules, selectors
from continuum.thresholds.models import Indicator
from continuum.thresholds.policies import ThresholdsAction
from continuum.ui.api import invalid, invalid_field

router = Router(tags=["thresholds"])


class SharedWordingOut(Schema):
    title: str
    level: int
    domain: str
    guidance: str

    @staticmethod
    def resolve_domain(indicator: Indicator) -> str:
        return indicator.domain.code


class ThresholdIndicatorOut(Schema):
    code: str
    title: str
    level: int
    level_name: str
    domain: str
    domain_name: str
    guidance: str
    status: str
    status_label: str
    # The shared framework's wording, where the council changed it.
    shared: SharedWordingOut | None
    reason: str

    @staticmethod
    def resolve_domain(item: selectors.EffectiveIndicator) -> str:
        return item.domain.code

    @staticmethod
    def resolve_domain_name(item: selectors.EffectiveIndicator) -> str:
        return item.domain.name

    @staticmethod
    def resolve_shared(item: selectors.EffectiveIndicator) -> Indicator | None:
        return item.shared if item.status == selectors.Status.CHANGED else None


class IndicatorList(Schema):
    version: int
    council: str | None
    items: list[ThresholdIndicatorOut]
    count: int


class IndicatorFilters(Schema):
    council: str | None = None
    include_removed: bool = False


class SuggestIn(Schema):
    indicator_codes: list[str]
    council: str | None = None


class SuggestionOut(Schema):
    level: int | None
    level_name: str | None
    reasons: list[str]

    @staticmethod
    def resolve_level_name(suggestion: rules.Suggestion) -> str | None:
        return suggestion.level_name if suggestion.level is not None else None


def _check_allowed(request: HttpRequest) -> None:
    policy.require(
        user_of(request), ThresholdsAction.VIEW, message="You may not view the threshold framework."
    )


def _council(code: str | None, loc: list[str]) -> Council | None:
    if not code:
        return None
    council = Council.objects.filter(dfe_la_code=code.strip()).first()
    if council is None:
        raise invalid([(loc, f"No council has the DfE LA code {code!r}.")])
    return council


def _framework(council: Council | None) -> selectors.EffectiveFramework:
    try:
        return selectors.effective_framework(council=council)
    except selectors.NoFrameworkPublished as exc:
        raise HttpError(404, str(exc)) from exc


@router.get("/indicators", response=IndicatorList)
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters]) -> dict[str, Any]:
    """The current framework's indicators; with ``council`` (a DfE LA code), that council's
    effective framework, each indicator marked shared, changed (with the shared wording),
    added or, only when ``include_removed``, removed."""
    _check_allowed(request)
    council = _council(filters.council, ["query", "council"])
    framework = _framework(council)
    items = framework.indicators if filters.include_removed else framework.in_use
    return {
        "version": framework.version.number,
        "council": council.dfe_la_code if council else None,
        "items": items,
        "count": len(items),
    }


@router.post("/suggest", response=SuggestionOut)
def suggest(request: HttpRequest, payload: SuggestIn) -> rules.Suggestion:
    """Suggest a level for the selected indicator codes, and say why. Codes that are not in
    the framework (or not used by the council) answer 422 naming them."""
    _check_allowed(request)
    council = _council(payload.council, ["body", "payload", "council"])
    framework = _framework(council)
    selection = selectors.select_indicators(codes=payload.indicator_codes, framework=framework)
    if selection.unknown:
        where = f"{council.name}'s framework" if council else "the current framework"
        raise invalid_field(
            "indicator_codes",
            f"These indicator codes are not in {where}: {', '.join(selection.unknown)}.",
        )
    return rules.suggest_level(selection.facts)
