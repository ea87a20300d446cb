"""NHS number (Modulus 11) and UPN (check letter) rules, against known values and as
properties that must hold for every number."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from continuum.people.identifiers import (
    NHS_NUMBER_TEST_RANGE,
    is_valid_nhs_number,
    is_valid_upn,
    normalise_nhs_number,
    synthetic_nhs_number,
    synthetic_upn,
    upn_check_letter,
)

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def modulus_11_check_digit(first_nine: str) -> int | None:
    """The NHS check digit worked out by hand, as the NHS data dictionary describes it."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


@pytest.mark.parametrize(
    "number",
    [
        "9434765919",  # the example NHS number in NHS Digital's guidance
        "943 476 5919",
        "943-476-5919",
        "9990000018",  # first nine 999000001: the test range
        "4010232137",
    ],
)
def test_known_valid_nhs_numbers(number: str) -> None:
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",  # wrong check digit
        "9434765910",
        "1234567890",  # its check digit would be 10, so no such number exists
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "94347659I9",  # a letter
        "",
    ],
)
def test_known_invalid_nhs_numbers(number: str) -> None:
    assert not is_valid_nhs_number(number)


def test_scottish_chi_numbers_must_start_with_a_real_date() -> None:
    # 010106 (1 January 2006) + 028 has check digit 9; 016106 is no date, so 016 106 028
    # with its check digit 5 is still not a valid number.
    assert modulus_11_check_digit("010106028") == 9
    assert is_valid_nhs_number("0101060289")
    assert modulus_11_check_digit("016106028") == 5
    assert not is_valid_nhs_number("0161060285")


def test_nhs_numbers_are_read_without_spaces_or_hyphens() -> None:
    assert normalise_nhs_number(" 943 476-5919 ") == "9434765919"


# Numbers from 320 000 000 upwards: below that is Scotland's CHI range, whose first six
# digits must also be a real date of birth (tested separately).
nine_digits = st.integers(min_value=320_000_000, max_value=999_999_999).map(str)


@given(nine_digits)
def test_nine_digits_with_their_check_digit_are_valid(first_nine: str) -> None:
    check = modulus_11_check_digit(first_nine)
    assume(check is not None)
    assert is_valid_nhs_number(f"{first_nine}{check}")


@given(st.integers(min_value=0, max_value=99_999_999).map(lambda n: f"{n:08d}"))
def test_nine_digits_whose_check_would_be_ten_have_no_valid_number(first_eight: str) -> None:
    # Choose the ninth digit so the weighted sum leaves remainder 1 (check digit 10).
    partial = sum(int(d) * w for d, w in zip(first_eight, range(10, 2, -1), strict=True))
    ninth = (1 - partial) * 6 % 11  # 6 is the inverse of the weight 2, modulo 11
    assume(ninth <= 9)
    first_nine = f"{first_eight}{ninth}"
    assert modulus_11_check_digit(first_nine) is None
    assert not any(is_valid_nhs_number(f"{first_nine}{d}") for d in range(10))


@given(
    nine_digits,
    st.integers(min_value=0, max_value=9),
    st.integers(min_value=1, max_value=9),
)
def test_changing_any_single_digit_makes_an_nhs_number_invalid(
    first_nine: str, position: int, change: int
) -> None:
    check = modulus_11_check_digit(first_nine)
    assume(check is not None)
    digits = list(f"{first_nine}{check}")
    digits[position] = str((int(digits[position]) + change) % 10)
    assert not is_valid_nhs_number("".join(digits))


@given(st.integers(min_value=0, max_value=2**32))
def test_synthetic_nhs_numbers_are_valid_and_in_the_test_range(seed: int) -> None:
    number = synthetic_nhs_number(random.Random(seed))
    assert is_valid_nhs_number(number)
    assert NHS_NUMBER_TEST_RANGE[0] <= int(number) <= NHS_NUMBER_TEST_RANGE[1]
    assert number.startswith("999")


def test_upn_check_letter_worked_by_hand() -> None:
    # 8*2 + 0*3 + 1*4 + 2*5 + 0*6 + 0*7 + 0*8 + 1*9 + 2*10 + 0*11 + 0*12 + 1*13 = 72;
    # 72 mod 23 = 3 -> the fourth letter, D.
    assert upn_check_letter("801200012001") == "D"
    assert is_valid_upn("D801200012001")
    assert is_valid_upn("d801200012001")  # read in capitals


@pytest.mark.parametrize(
    "upn",
    [
        "E801200012001",  # wrong check letter
        "D80120001200",  # 12 characters
        "D8012000120011",  # 14 characters
        "1801200012001",  # no letter first
        "D80120001200O",  # O is never used
        "",
    ],
)
def test_known_invalid_upns(upn: str) -> None:
    assert not is_valid_upn(upn)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_twelve_digits_with_their_check_letter_are_a_valid_upn(last_twelve: str) -> None:
    assert is_valid_upn(upn_check_letter(last_twelve) + last_twelve)


@given(
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=9),
)
def test_changing_any_single_digit_makes_a_upn_invalid(
    last_twelve: str, position: int, change: int
) -> None:
    chars = list(upn_check_letter(last_twelve) + last_twelve)
    chars[position] = str((int(chars[position]) + change) % 10)
    assert not is_valid_upn("".join(chars))


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.sampled_from(UPN_LETTERS))
def test_only_the_right_check_letter_is_valid(last_twelve: str, letter: str) -> None:
    assert is_valid_upn(letter + last_twelve) == (letter == upn_check_letter(last_twelve))


@given(
    st.integers(min_value=0, max_value=2**32),
    st.sampled_from(["805", "806", "807", "808"]),
    st.integers(min_value=2000, max_value=2030),
)
def test_synthetic_upns_are_valid_for_their_council(seed: int, la_code: str, year: int) -> None:
    upn = synthetic_upn(random.Random(seed), la_code=la_code, year=year)
    assert is_valid_upn(upn)
    assert upn[1:4] == la_code
    assert upn[8:10] == f"{year % 100:02d}"
