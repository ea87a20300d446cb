"""The GDP deflator series: which is current, and publishing a new one (an analyst or the
partnership's lead with ``SpendingAction.MANAGE_CLASSIFICATION``).

A new series is given as rows of ``year,index`` (a CSV: the year as ``2024`` or ``2024-25``,
the index a positive number), with its name, source and base year. It is checked whole and
saved whole (nothing is saved when any row is wrong); it becomes the current series, and
the one before it is kept for the record.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum.access import policy
from continuum.accounts.models import User
from continuum.spending.models import Deflator, DeflatorSeries, financial_year_label
from continuum.spending.policies import SpendingAction
from continuum.ui.dates import govuk_month

FIRST_YEAR = 1990
LAST_YEAR = 2100
MAX_ROWS = 200
_YEAR = re.compile(r"^(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?$")


@dataclass(frozen=True)
class DeflatorTable:
    """The current series and its index by financial year."""

    series: DeflatorSeries
    index: dict[int, Decimal]

    @property
    def base_label(self) -> str:
        return financial_year_label(self.series.base_year)

    def factor(self, year: int) -> Decimal | None:
        """What a cash amount of ``year`` is multiplied by to be in base-year prices (None:
        the series has no value for the year, or none for its base year)."""
        base = self.index.get(self.series.base_year)
        value = self.index.get(year)
        if base is None or value is None:
            return None
        return base / value

    @property
    def described(self) -> str:
        """Which series, from whom, at whose prices: said beside every real-terms figure."""
        return (
            f"In real terms at {self.base_label} prices, deflated with {self.series.source} "
            f"(published {govuk_month(self.series.published_on)}, {self.base_label} = 100)."
        )


def current_table() -> DeflatorTable | None:
    """The current series and its values (two queries), or None if there is none."""
    series = DeflatorSeries.objects.filter(is_current=True).first()
    if series is None:
        return None
    index = dict(series.values.values_list("financial_year", "index"))
    return DeflatorTable(series=series, index=index)


def parse_year(text: str) -> int:
    """``2024`` or ``2024-25`` (or ``2024/25``) -> 2024; ValueError otherwise."""
    match = _YEAR.match(text.strip())
    if match is None:
        raise ValueError(text)
    start = int(match.group(1))
    if match.group(2) is not None:
        end = int(match.group(2))
        if end != (start + 1) % (100 if len(match.group(2)) == 2 else 10_000):
            raise ValueError(text)
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise ValueError(text)
    return start


def parse_rows(text: str) -> list[tuple[int, Decimal]]:
    """Rows of ``year,index`` from CSV text (a header row naming year and index is
    skipped); refused whole, each problem named with its line, under ``rows``."""
    problems: list[str] = []
    rows: list[tuple[int, Decimal]] = []
    seen: set[int] = set()
    lines = list(csv.reader(io.StringIO(text)))
    for number, cells in enumerate(lines, 1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in {"year", "financial year", "financial_year"}:
            continue
        if len(cells) != 2:
            problems.append(f"Line {number}: give a year and an index, separated by a comma.")
            continue
        try:
            year = parse_year(cells[0])
        except ValueError:
            problems.append(f"Line {number}: {cells[0]!r} is not a financial year like 2024-25.")
            continue
        try:
            index = Decimal(cells[1].replace(",", ""))
        except InvalidOperation:
            problems.append(f"Line {number}: {cells[1]!r} is not a number.")
            continue
        if not index.is_finite() or index <= 0 or index >= 10_000:
            problems.append(f"Line {number}: the index must be a positive number below 10,000.")
            continue
        if year in seen:
            problems.append(f"Line {number}: {financial_year_label(year)} is given twice.")
            continue
        seen.add(year)
        rows.append((year, index.quantize(Decimal("0.001"))))
    if len(rows) > MAX_ROWS:
        problems.append(f"Give at most {MAX_ROWS} years.")
    if not problems and len(rows) < 2:
        problems.append("Give the index for at least two financial years.")
    if problems:
        raise ValidationError({"rows": problems})
    return sorted(rows)


@transaction.atomic
def publish_series(
    *,
    by: User,
    name: str,
    source: str,
    base_year: int,
    rows: list[tuple[int, Decimal]],
    published_on: date,
    source_url: str = "",
    note: str = "",
) -> DeflatorSeries:
    """Make ``rows`` the current deflator series (the previous one kept, no longer current)."""
    policy.require(by, SpendingAction.MANAGE_CLASSIFICATION)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Enter the series' name."]
    if not source.strip():
        errors["source"] = ["Enter who publishes the series."]
    years = {year for year, _ in rows}
    if base_year not in years:
        errors["base_year"] = [
            f"The base year {financial_year_label(base_year)} must be one of the years given."
        ]
    if len(rows) < 2:
        errors["rows"] = ["Give the index for at least two financial years."]
    if errors:
        raise ValidationError(errors)
    DeflatorSeries.objects.select_for_update().filter(is_current=True).update(is_current=False)
    series = DeflatorSeries(
        name=name.strip(),
        source=source.strip(),
        source_url=source_url.strip(),
        base_year=base_year,
        published_on=published_on,
        note=note.strip(),
        is_current=True,
    )
    series.full_clean(exclude=["is_current"])
    series.save()
    Deflator.objects.bulk_create(
        [Deflator(series=series, financial_year=year, index=index) for year, index in rows]
    )
    return series
