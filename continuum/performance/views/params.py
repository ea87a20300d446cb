"""Query parameters the flow, capacity and data-quality pages share: which council (or all
the user compares), a range of months, and a download format. Bad values become messages
for the GOV.UK error summary, keyed by the field's id."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, cast
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import QueryDict

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.performance.engine import facts
from continuum.performance.periods import month_end, month_start, parse_month
from continuum.performance.policies import councils_compared, councils_in_detail
from continuum.performance.tables import DOWNLOAD_FORMATS
from continuum.timescales.months import add_months

ALL = "all"
T = TypeVar("T")
MAX_MONTHS = 36


@dataclass
class Choice:
    """The page's selection, with any errors found parsing it."""

    councils: list[Council]
    compared: list[Council]
    detail: list[Council]
    council_code: str = ALL
    first: date | None = None
    last: date | None = None
    first_text: str = ""
    last_text: str = ""
    download: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def council_options(self) -> list[dict[str, object]]:
        options: list[dict[str, object]] = [
            {"value": ALL, "text": "All councils together", "selected": self.council_code == ALL}
        ]
        options += [
            {
                "value": c.dfe_la_code,
                "text": c.name,
                "selected": self.council_code == c.dfe_la_code,
            }
            for c in self.compared
        ]
        return options

    def query(self, *, months: bool = True) -> str:
        """The selection as a query string (without the format), for download links."""
        values = {"council": self.council_code}
        if months:
            values |= {"from": self.first_text, "to": self.last_text}
        return urlencode(values)


def parse_choice(
    user: User, params: QueryDict, *, today: date, months: bool = True, default_months: int = 12
) -> Choice:
    """Read ``council``, ``from``/``to`` (when ``months``) and ``format`` from ``params``.

    Defaults: all councils; the ``default_months`` complete months before ``today``.
    """
    compared = list(councils_compared(user))
    detail_ids = {c.pk for c in councils_in_detail(user)}
    choice = Choice(
        councils=compared,
        compared=compared,
        detail=[c for c in compared if c.pk in detail_ids],
    )
    code = params.get("council", ALL).strip() or ALL
    choice.council_code = code
    if code != ALL:
        chosen = [c for c in compared if c.dfe_la_code == code]
        if not chosen:
            choice.errors["council"] = "Choose a council from the list, or all councils."
        else:
            choice.councils = chosen

    if months:
        this_month = month_start(today)
        default_last = add_months(this_month, -1)
        choice.first_text = params.get("from", "").strip() or (
            f"{add_months(default_last, 1 - default_months):%Y-%m}"
        )
        choice.last_text = params.get("to", "").strip() or f"{default_last:%Y-%m}"
        try:
            choice.first = parse_month(choice.first_text)
        except ValueError as error:
            choice.errors["from"] = f"First month: {error}"
        try:
            choice.last = parse_month(choice.last_text)
        except ValueError as error:
            choice.errors["to"] = f"Last month: {error}"
        if choice.first and choice.last:
            if choice.last >= this_month:
                choice.errors["to"] = "The last month must be a month that has finished."
            elif choice.first > choice.last:
                choice.errors["from"] = "The first month must be on or before the last month."
            elif add_months(choice.first, MAX_MONTHS) <= choice.last:
                choice.errors["from"] = f"Choose at most {MAX_MONTHS} months."
            else:
                choice.last = month_end(choice.last)

    fmt = params.get("format", "").strip()
    if fmt and fmt not in DOWNLOAD_FORMATS:
        choice.errors["format"] = "Download as CSV or XLSX."
    choice.download = fmt
    return choice


# Dashboards work their figures out afresh at most this often (the pages say so): many
# people open the same dashboard, and its numbers change slowly.
CACHE_SECONDS = 5 * 60


def cached(kind: str, key: Sequence[object], compute: Callable[[], T]) -> T:
    """``compute()``, or the same figures worked out in the last ``CACHE_SECONDS``.

    ``key`` must name everything the figures depend on (councils, months, the councils
    shown in detail, the day), so two people see the same figures only when they asked the
    same question. The maintained figures' version is part of every key (issue 16), so a
    cache never outlives the figures it was made from."""
    digest = hashlib.sha256(repr((kind, facts.version(), *key)).encode()).hexdigest()
    return cast(T, cache.get_or_set(f"performance:{kind}:{digest}", compute, CACHE_SECONDS))
