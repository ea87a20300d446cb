"""What generated text may say about a child of a given age, and which indicators are
worries (issue 12: no toddler with "early signs of offending", no "attendance of 95% or
more" listed as a worry).

Every step that picks threshold indicators, concerns or needs for a child asks here, and
``continuum/demo/tests/world/test_fitting_text.py`` checks every record of a seeded world
against the same bands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Level 1 of the framework describes a child whose needs are met by universal services
# ("Attendance of 95% or more ..."): strengths, never a worry.
STRENGTH_LEVEL = 1

UNBORN = -1  # the age the bands give an unborn child

# (youngest, oldest), whole years on the day, for the indicators that fit only some ages;
# any other indicator fits every child born (not an unborn one).
INDICATOR_AGES: dict[str, tuple[int, int]] = {
    "DEV-1-02": (5, 17),  # attendance of 95% or more
    "DEV-1-03": (3, 17),  # friendships and a trusted adult to talk to
    "DEV-2-01": (5, 17),  # attendance between 90% and 95%
    "DEV-2-02": (1, 11),  # speech, language or communication behind
    "DEV-2-03": (2, 17),  # behaviour at home or school
    "DEV-2-04": (4, 17),  # anxiety or low mood
    "DEV-3-01": (5, 17),  # persistent absence
    "DEV-3-02": (5, 17),  # exclusion, reduced timetable
    "DEV-3-03": (8, 17),  # mental health difficulties, self-harm
    "DEV-3-04": (10, 17),  # early signs of offending, substance use, risky behaviour
    "DEV-4-01": (3, 17),  # disclosure of abuse
    "DEV-4-03": (10, 17),  # sexual or criminal exploitation
    "DEV-4-04": (10, 17),  # mental health crisis, self-harm
    "PAR-2-01": (1, 17),  # routines and boundaries
    "PAR-2-03": (0, 4),  # young or first-time parents needing guidance
    "PAR-3-02": (3, 17),  # behaviour beyond the parents' control
    "PAR-4-02": (0, 9),  # a young child left alone
    "PAR-4-04": (UNBORN, UNBORN),  # an unborn baby at risk
    "FAM-2-05": (8, 17),  # young carer
    "FAM-3-03": (8, 17),  # young carer
    "HPL-FAM-01": (8, 17),  # Hartlepool's young carer indicator
}


def indicator_ages(code: str) -> tuple[int, int]:
    return INDICATOR_AGES.get(code, (0, 17))


def fits_age(code: str, age: int | None) -> bool:
    """Does the indicator fit a child of ``age`` (None: unborn; a child who has turned 18
    since, as 17)?"""
    youngest, oldest = indicator_ages(code)
    return youngest <= (UNBORN if age is None else min(age, 17)) <= oldest


def fits_someone(code: str, ages: Iterable[int | None]) -> bool:
    """Does the indicator fit at least one of the children a record is about?"""
    return any(fits_age(code, age) for age in ages)


def is_worry(level: int) -> bool:
    return level > STRENGTH_LEVEL


# A text written about a child, and the ages (youngest, oldest) it suits.
AgedText = tuple[str, int, int]


def for_age(options: Sequence[AgedText], age: int | None) -> list[str]:
    """The texts that suit a child of ``age`` (an unborn child, None, as a newborn)."""
    years = min(max(age or 0, 0), 17)
    return [text for text, youngest, oldest in options if youngest <= years <= oldest]
