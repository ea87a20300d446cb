"""Suggest a threshold level from the indicators a practitioner has selected.

Pure Python, no Django: the front door, early help and audits all call ``suggest_level``
with plain facts, so the same rules give the same answer everywhere and are tested alone.

The rules, in order:

1. **Nothing selected** - no level is suggested (``level`` is ``None``) and the reason says
   that at least one indicator is needed.
2. **The highest level sets the floor** - the suggestion is never below the highest level
   of any selected indicator. One level 3 indicator is enough for level 3.
3. **Several level 2 needs across domains** - three or more level 2 indicators that span
   two or more domains of the assessment triangle suggest at least level 3: several needs
   in different parts of a child's life need a coordinated, multi-agency response rather
   than one agency working alone.
4. **Any level 4 indicator** - suggests level 4, and the reasons say that a strategy
   discussion and a referral to children's social care must be considered.

A suggestion supports professional judgement; it never replaces it. The same indicators
give the same suggestion and the same reasons whatever order they are given in, and adding
an indicator never lowers the suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

LEVELS = (1, 2, 3, 4)

# Kept in step with continuum.thresholds.models.Level (a test checks they agree).
LEVEL_NAMES: dict[int, str] = {
    1: "Level 1: Universal",
    2: "Level 2: Early help, single agency",
    3: "Level 3: Targeted early help, multi-agency",
    4: "Level 4: Specialist or statutory",
}

# What each level means for the response, in a sentence practitioners can act on.
LEVEL_RESPONSES: dict[int, str] = {
    1: (
        "The child's needs can be met by universal services such as schools, GPs, "
        "health visitors and family hubs, with advice or signposting if needed."
    ),
    2: (
        "One agency that already knows the family can meet these needs with extra early "
        "help support; an early help assessment may help to agree what is needed."
    ),
    3: (
        "The family needs a coordinated response from more than one agency: an early "
        "help assessment, a lead professional and a Team Around the Family plan."
    ),
    4: (
        "The child may be in need or at risk of significant harm: refer to children's "
        "social care, which will decide on an assessment or a strategy discussion."
    ),
}

MULTI_AGENCY_LEVEL_2_COUNT = 3
MULTI_AGENCY_DOMAIN_COUNT = 2


@dataclass(frozen=True, order=True)
class IndicatorFacts:
    """What the rules need to know about one selected indicator."""

    code: str
    title: str
    level: int
    domain: str

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"Indicator {self.code} has level {self.level}; levels are 1 to 4.")


@dataclass(frozen=True)
class Suggestion:
    """A suggested level (1 to 4, or None when nothing was selected) and why."""

    level: int | None
    reasons: list[str] = field(default_factory=list)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level] if self.level is not None else "No level suggested"


def _describe(indicators: Sequence[IndicatorFacts]) -> str:
    return "; ".join(f"{i.code} {i.title}" for i in indicators)


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def suggest_level(indicators: Sequence[IndicatorFacts]) -> Suggestion:
    """Suggest a level for the selected indicators and explain why (see module docstring)."""
    selected = sorted(set(indicators))
    if not selected:
        return Suggestion(
            level=None,
            reasons=[
                "No indicators were selected, so no level can be suggested. Select the "
                "indicators that describe the child's situation."
            ],
        )

    highest = max(i.level for i in selected)
    at_highest = [i for i in selected if i.level == highest]
    reasons = [
        f"The highest level among the selected indicators is {LEVEL_NAMES[highest]} "
        f"({_describe(at_highest)}), so the suggestion is at least level {highest}."
    ]
    level = highest

    level_2 = [i for i in selected if i.level == 2]
    level_2_domains = sorted({i.domain for i in level_2})
    if (
        level < 3
        and len(level_2) >= MULTI_AGENCY_LEVEL_2_COUNT
        and len(level_2_domains) >= MULTI_AGENCY_DOMAIN_COUNT
    ):
        level = 3
        reasons.append(
            f"{len(level_2)} level 2 indicators span {len(level_2_domains)} domains "
            f"({_join(level_2_domains)}). Several needs in different parts of the child's "
            "life need a multi-agency response, so level 3 is suggested."
        )

    if level == 4:
        reasons.append(
            "At least one indicator is at level 4: a strategy discussion and a referral to "
            "children's social care must be considered. If the child is in immediate "
            "danger, call the police on 999."
        )

    reasons.append(LEVEL_RESPONSES[level])
    return Suggestion(level=level, reasons=reasons)


def parameters() -> dict[str, object]:
    """The numbers and words these rules use, for a page's script that suggests a level as
    indicators are ticked (the front door's decision page). The script applies the rules
    above to these parameters and each indicator's level and domain; a test checks that it
    suggests what ``suggest_level`` does."""
    return {
        "levelNames": {str(level): name for level, name in LEVEL_NAMES.items()},
        "levelResponses": {str(level): text for level, text in LEVEL_RESPONSES.items()},
        "multiAgencyLevel2Count": MULTI_AGENCY_LEVEL_2_COUNT,
        "multiAgencyDomainCount": MULTI_AGENCY_DOMAIN_COUNT,
    }
