"""Check digits for the identifiers on a child's record. Plain Python, no Django.

- NHS number: 10 digits; the 10th is a Modulus 11 check digit (weights 10..2 on the first
  nine; 11 - remainder, 11 -> 0, 10 -> invalid). The ``nhs-number`` package does the maths.
- UPN (Unique Pupil Number, DfE): 13 characters; a check letter, then the 3-digit LA code,
  the 4-digit school establishment number, a 2-digit year of allocation and a 3-digit serial
  (the last may be a letter in a temporary UPN). The check letter is the letter at index
  (sum of the weighted values of characters 2-13, weights 2..13) mod 23 in
  ``ABCDEFGHJKLMNPQRTUVWXYZ`` (I, O and S are not used).
"""

from __future__ import annotations

import random
import re

import nhs_number

NHS_NUMBER_TEST_RANGE = (9_990_000_000, 9_999_999_999)

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_PATTERN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and hyphens people type: '943 476 5919' -> '9434765919'."""
    return re.sub(r"[\s-]", "", value)


def is_valid_nhs_number(value: str) -> bool:
    """10 digits with a valid Modulus 11 check digit (the ``nhs-number`` package's rule)."""
    digits = normalise_nhs_number(value)
    return len(digits) == 10 and digits.isdigit() and bool(nhs_number.is_valid(digits))


def synthetic_nhs_number(rng: random.Random) -> str:
    """A valid NHS number from the range the NHS reserves for testing (999 000 0000 upwards)."""
    while True:
        first_nine = str(rng.randint(999_000_000, 999_999_999))
        check = nhs_number.calculate_checksum(first_nine)
        if check is not None and 0 <= check <= 9 and nhs_number.is_valid(f"{first_nine}{check}"):
            return f"{first_nine}{check}"


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for the 12 characters after it."""
    if len(last_twelve) != 12:
        raise ValueError("A UPN check letter needs the 12 characters that follow it.")
    total = 0
    for weight, char in zip(range(2, 14), last_twelve, strict=True):
        if char.isdigit():
            value = int(char)
        elif char in _UPN_LETTERS:
            value = _UPN_LETTERS.index(char)
        else:
            raise ValueError(f"{char!r} cannot appear in a UPN.")
        total += value * weight
    return _UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return value.strip().upper()


def is_valid_upn(value: str) -> bool:
    upn = normalise_upn(value)
    if not _UPN_PATTERN.match(upn):
        return False
    # The serial's last character may be a letter only in a temporary UPN.
    if upn[12].isalpha() and upn[12] not in _UPN_LETTERS:
        return False
    return upn_check_letter(upn[1:]) == upn[0]


# How many characters of an identifier a list shows: enough to tell two people of the same
# name and date of birth apart, too few to use the number elsewhere.
VISIBLE_DIGITS = 4


def partial_identifier(nhs_number: str | None, upn: str | None) -> str | None:
    """What a list shows of a person's identifiers: the last four digits of the NHS number
    written the usual way, the rest masked ("*** *** 5919"); without one, the last four
    characters of the UPN ("*********012A"); None when neither is recorded."""
    if nhs_number:
        digits = normalise_nhs_number(nhs_number)
        return f"*** *** {digits[-VISIBLE_DIGITS:]}"
    if upn:
        upn = normalise_upn(upn)
        return "*" * (len(upn) - VISIBLE_DIGITS) + upn[-VISIBLE_DIGITS:]
    return None


def synthetic_upn(rng: random.Random, *, la_code: str, year: int) -> str:
    """A valid permanent UPN for a pupil first allocated one in ``year`` by council ``la_code``."""
    establishment = f"{rng.randint(2000, 7999):04d}"
    serial = f"{rng.randint(0, 999):03d}"
    last_twelve = f"{la_code}{establishment}{year % 100:02d}{serial}"
    return upn_check_letter(last_twelve) + last_twelve
