"""The GDP deflator series the comparison uses to put spending in real terms (loaded by
migration 0002; ``load`` is idempotent and uses the historical models).

HM Treasury publishes "GDP deflators at market prices, and money GDP" (quarterly, with the
budgets and the ONS's quarterly national accounts), as an index for financial years with one
year set to 100. The values below were **entered for the demonstration** from memory of a
2025 release, rounded, without access to the release itself: they have the right shape (the
jump in 2020-21 and the steep rises of 2022-23 and 2023-24) but must be replaced with the
current release before the comparison is used for real (an analyst loads it on the deflators
page, ``spending:deflators``, or ``POST /api/v1/spending/deflators``; docs/spending-comparison.md).
"""

from __future__ import annotations

from typing import Any

NAME = "GDP deflators at market prices"
SOURCE = "HM Treasury, GDP deflators at market prices, and money GDP (financial years)"
SOURCE_URL = (
    "https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp"
)
BASE_YEAR = 2023  # 2023-24 = 100
PUBLISHED_ON = "2025-03-26"
NOTE = (
    "Entered for the demonstration: approximate values, not copied from the release. Replace "
    "them with HM Treasury's current release before using the comparison for real."
)

# financial year (by its start) -> index, 2023-24 = 100
VALUES: dict[int, str] = {
    2015: "78.1",
    2016: "79.8",
    2017: "81.1",
    2018: "82.8",
    2019: "84.6",
    2020: "89.6",
    2021: "89.3",
    2022: "94.5",
    2023: "100.0",
    2024: "103.6",
    2025: "106.3",
    2026: "108.4",
}


def load(apps: Any, schema_editor: Any) -> None:
    """Create the demonstration series and its values if absent (current if no other is)."""
    series_model = apps.get_model("spending", "DeflatorSeries")
    deflator_model = apps.get_model("spending", "Deflator")
    series = series_model.objects.filter(name=NAME, published_on=PUBLISHED_ON).first()
    if series is None:
        series = series_model.objects.create(
            name=NAME,
            source=SOURCE,
            source_url=SOURCE_URL,
            base_year=BASE_YEAR,
            published_on=PUBLISHED_ON,
            note=NOTE,
            is_current=not series_model.objects.filter(is_current=True).exists(),
        )
    for year, index in VALUES.items():
        deflator_model.objects.get_or_create(
            series=series, financial_year=year, defaults={"index": index}
        )


def unload(apps: Any, schema_editor: Any) -> None:
    """Remove what ``load`` created."""
    apps.get_model("spending", "DeflatorSeries").objects.filter(
        name=NAME, published_on=PUBLISHED_ON
    ).delete()
