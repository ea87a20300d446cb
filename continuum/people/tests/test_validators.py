"""Validators name what is wrong; postcodes are read however people type them."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from continuum.people.validators import (
    normalise_postcode,
    validate_nhs_number,
    validate_not_in_future,
    validate_postcode,
    validate_upn,
)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("ts181ld", "TS18 1LD"),
        (" TS18 1LD ", "TS18 1LD"),
        ("ts24 8aa", "TS24 8AA"),
        ("SW1A1AA", "SW1A 1AA"),
    ],
)
def test_postcodes_are_normalised(typed: str, normalised: str) -> None:
    assert normalise_postcode(typed) == normalised


@pytest.mark.parametrize("typed", ["TS18", "not a postcode", "TS18 1L", "1234 5AB", ""])
def test_invalid_postcodes_are_refused_with_a_message_naming_postcode(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_postcode(typed)
    assert "postcode" in caught.value.messages[0]


def test_nhs_number_validator_names_the_nhs_number() -> None:
    validate_nhs_number("9434765919")
    with pytest.raises(ValidationError) as caught:
        validate_nhs_number("9434765918")
    assert "NHS number" in caught.value.messages[0]


def test_upn_validator_names_the_upn() -> None:
    validate_upn("D801200012001")
    with pytest.raises(ValidationError) as caught:
        validate_upn("E801200012001")
    assert "UPN" in caught.value.messages[0]


@time_machine.travel("2026-03-27 12:00 +0000")
def test_dates_today_or_before_are_accepted_and_tomorrow_is_refused() -> None:
    validate_not_in_future(date(2026, 3, 27))
    validate_not_in_future(date(2019, 3, 27))
    with pytest.raises(ValidationError):
        validate_not_in_future(date(2026, 3, 28))
