"""Flags: unusual values against the other councils, and gaps, each way."""

from __future__ import annotations

import pytest

from continuum.organisations.models import Council
from continuum.spending.choices import ReturnStatus
from continuum.spending.comparison import Query, compare
from continuum.spending.flags import (
    MISSING,
    NO_SPEND,
    NOT_SIGNED_OFF,
    UNMAPPED,
    UNUSUAL,
    Flag,
    flags_for,
)
from continuum.spending.tests import cmp_world as w
from continuum.spending.tests.cmp_world import spending_reference_data  # noqa: F401
from continuum.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spending_reference_data")]

YEAR = 2023


@pytest.fixture
def four() -> list[Council]:
    """The four Tees councils, each with 10,000 children (their own figure)."""
    councils = [
        factories.tees_council(name)
        for name in ("Hartlepool", "Middlesbrough", "Redcar and Cleveland", "Stockton-on-Tees")
    ]
    Council.objects.filter(pk__in=[c.pk for c in councils]).update(child_population=10_000)
    for council in councils:
        council.refresh_from_db()
    return councils


def _spend(
    council: Council, amounts: dict[str, int], status: str = ReturnStatus.SIGNED_OFF
) -> None:
    ret = w.a_return(council, YEAR, status)
    for code, amount in amounts.items():
        heading = factories.council_category(council, code.upper()[:8], code, code)
        if amount:
            w.spend(ret, heading, amount)


def _flags(councils: list[Council], years: list[int] | None = None) -> list[Flag]:
    return flags_for(compare(Query(councils=councils, years=years or [YEAR])))


def _of(flags: list[Flag], kind: str) -> list[Flag]:
    return [f for f in flags if f.kind == kind]


def test_spend_per_child_over_twice_the_others_median_is_unusual(four: list[Council]) -> None:
    # Per child in family support: 10, 11, 12 and 25 (over 2 x 11).
    for council, amount in zip(four, (100_000, 110_000, 120_000, 250_000), strict=True):
        _spend(council, {"family_support": amount})
    unusual = _of(_flags(four), UNUSUAL)
    assert {(f.council, f.category) for f in unusual} == {
        ("Stockton-on-Tees", "Family support and key work"),
        ("Stockton-on-Tees", ""),  # in total too
    }
    sentence = next(f.sentence for f in unusual if f.category)
    assert sentence == (
        "Stockton-on-Tees spent £25.00 per child on family support and key work in 2023-24, "
        "2.3 times the other councils' median (£11.00)."
    )


def test_spend_per_child_under_half_the_others_median_is_unusual(four: list[Council]) -> None:
    for council, amount in zip(four, (40_000, 100_000, 110_000, 120_000), strict=True):
        _spend(council, {"family_support": amount})
    unusual = _of(_flags(four), UNUSUAL)
    assert {f.council for f in unusual} == {"Hartlepool"}
    assert "36% of the other councils' median (£11.00)" in unusual[0].sentence


def test_values_within_half_and_twice_the_median_are_not_flagged(four: list[Council]) -> None:
    # 6 and 22 are exactly at half and twice the others' median (11... 12): not beyond.
    for council, amount in zip(four, (60_000, 110_000, 120_000, 200_000), strict=True):
        _spend(council, {"family_support": amount})
    assert _of(_flags(four), UNUSUAL) == []


def test_with_fewer_than_two_others_nothing_is_unusual(four: list[Council]) -> None:
    _spend(four[0], {"family_support": 10_000})
    _spend(four[1], {"family_support": 900_000})
    assert _of(_flags(four[:2]), UNUSUAL) == []


def test_no_spend_in_a_category_the_others_all_spend_on_is_a_gap(four: list[Council]) -> None:
    for council in four[:3]:
        _spend(council, {"family_support": 100_000, "youth": 50_000})
    _spend(four[3], {"family_support": 100_000, "youth": 0})
    gaps = _of(_flags(four), NO_SPEND)
    assert [(f.council, f.category) for f in gaps] == [("Stockton-on-Tees", "Youth services")]
    assert gaps[0].sentence == (
        "Stockton-on-Tees recorded no spending on youth services in 2023-24, while every "
        "other council with a return did."
    )


def test_no_spend_where_another_council_also_spends_nothing_is_not_a_gap(
    four: list[Council],
) -> None:
    for council in four[:2]:
        _spend(council, {"family_support": 100_000, "youth": 50_000})
    for council in four[2:]:
        _spend(council, {"family_support": 100_000})
    assert _of(_flags(four), NO_SPEND) == []


def test_a_missing_year_is_flagged(four: list[Council]) -> None:
    _spend(four[0], {"family_support": 100_000})
    missing = _of(_flags(four[:2]), MISSING)
    assert [f.council for f in missing] == ["Middlesbrough"]
    assert missing[0].sentence.startswith("Middlesbrough has no spending return for 2023-24")


def test_a_submitted_return_awaiting_sign_off_is_shown_but_flagged(four: list[Council]) -> None:
    _spend(four[0], {"family_support": 100_000}, ReturnStatus.SUBMITTED)
    result = compare(Query(councils=four[:1], years=[YEAR], measure="total", prices="cash"))
    assert result.value(four[0], YEAR) == 100_000.0
    flagged = _of(flags_for(result), NOT_SIGNED_OFF)
    assert len(flagged) == 1 and "is awaiting sign-off" in flagged[0].sentence


def test_a_draft_is_left_out_until_submitted_and_flagged(four: list[Council]) -> None:
    """A draft is the council's work in progress: its figures are not shown to the other
    councils' readers, and it is not counted as a missing year either."""
    _spend(four[0], {"family_support": 100_000}, ReturnStatus.DRAFT)
    result = compare(Query(councils=four[:1], years=[YEAR], measure="total", prices="cash"))
    assert result.value(four[0], YEAR) is None
    flags = flags_for(result)
    assert _of(flags, MISSING) == []
    flagged = _of(flags, NOT_SIGNED_OFF)
    assert len(flagged) == 1 and "is still a draft" in flagged[0].sentence
    assert "left out of the comparison until the council submits it" in flagged[0].sentence


def test_a_signed_off_return_is_not_flagged(four: list[Council]) -> None:
    _spend(four[0], {"family_support": 100_000})
    assert _of(_flags(four[:1]), NOT_SIGNED_OFF) == []


def test_a_heading_not_mapped_is_flagged_with_its_amount(four: list[Council]) -> None:
    ret = w.a_return(four[0], YEAR)
    w.spend(ret, w.unmapped_heading(four[0], "ODD", "Odds and ends"), 12_345)
    flagged = _of(_flags(four[:1]), UNMAPPED)
    assert len(flagged) == 1
    assert "£12,345 of Hartlepool's spending in 2023-24" in flagged[0].sentence
    assert "(Odds and ends)" in flagged[0].sentence


def test_a_mapped_heading_is_not_flagged(four: list[Council]) -> None:
    _spend(four[0], {"family_support": 100_000})
    assert _of(_flags(four[:1]), UNMAPPED) == []
