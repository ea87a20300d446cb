"""Reading what someone typed into the one search box. Plain Python, no Django.

A free-text query may hold an NHS number ("943 476 5919"), a date of birth ("27/3/2019",
"2019-03-27", "27 March 2019"), a postcode ("TS18 1LD") or its outward part ("TS18"),
and names, in any mix. Each recognised part is routed to its own field; the rest is the
name query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_NHS = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + _MONTH_NAMES + r")\.?\s+(\d{4})(?!\d)", re.IGNORECASE
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})(?![A-Za-z0-9])"
)
_OUTWARD = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)(?![A-Za-z0-9])")


@dataclass(frozen=True)
class SearchTerms:
    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    postcode: str = ""


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """A date written as 27/3/2019, 27-3-2019, 27 3 2019, 2019-03-27 or 27 March 2019."""
    text = text.strip()
    if match := _ISO_DATE.fullmatch(text):
        return _real_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC_DATE.fullmatch(text):
        return _real_date(int(match[3]), int(match[2]), int(match[1]))
    if match := _WORD_DATE.fullmatch(text):
        return _real_date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    return None


def _take_date(text: str) -> tuple[date | None, str]:
    for pattern in (_ISO_DATE, _NUMERIC_DATE, _WORD_DATE):
        for match in pattern.finditer(text):
            found = parse_date(match[0])
            if found is not None:
                return found, text[: match.start()] + " " + text[match.end() :]
    return None, text


def split_query(query: str) -> SearchTerms:
    """Route the parts of a free-text query to the fields they belong to."""
    text = " " + (query or "").strip() + " "
    nhs_number = ""
    if match := _NHS.search(text):
        nhs_number = match[1] + match[2] + match[3]
        text = text[: match.start()] + " " + text[match.end() :]
    date_of_birth, text = _take_date(text)
    postcode = ""
    if match := _POSTCODE.search(text):
        postcode = f"{match[1]} {match[2]}".upper()
        text = text[: match.start()] + " " + text[match.end() :]
    elif match := _OUTWARD.search(text):
        postcode = match[1].upper()
        text = text[: match.start()] + " " + text[match.end() :]
    name = " ".join(text.split())
    return SearchTerms(
        name=name, date_of_birth=date_of_birth, nhs_number=nhs_number, postcode=postcode
    )


NOTHING_TO_SEARCH = (
    "Enter a name, date of birth, NHS number or postcode: letters or numbers, not only punctuation."
)


def query_problem(query: str) -> str | None:
    """What is wrong with a typed query that holds something but nothing to search for
    (only punctuation or symbols), else None."""
    text = (query or "").strip()
    if text and not any(character.isalnum() for character in text):
        return NOTHING_TO_SEARCH
    return None
