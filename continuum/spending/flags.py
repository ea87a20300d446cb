"""What a reader of the comparison should look at twice: unusual values against the other
councils, and gaps. Each flag carries a plain-English sentence.

- **Unusual** (``UNUSUAL``): in a financial year, a council's spend per child aged 0 to 17
  - in total or in a common category - more than twice (``HIGH_RATIO``) or less than half
  (``LOW_RATIO``) the median of the other councils' (those with a return that year, at least
  two of them, their median above zero). Per child, so councils of different sizes compare;
  the same year, so prices do not matter; against the *others'* median, so a council cannot
  pull its own benchmark; a ratio rather than a z-score because four councils are too few to
  estimate a spread. No spend at all is a gap, not an unusual value.
- **No spend in a category** (``NO_SPEND``): a council's return has nothing in a category
  in which every other council with a return that year spends.
- **Missing year** (``MISSING``): a council has no return for a chosen year.
- **Not signed off** (``NOT_SIGNED_OFF``): a submitted return awaiting sign-off, whose figures
  are shown but may change; or a draft, whose figures are left out until it is submitted.
- **Unmapped heading** (``UNMAPPED``): amounts under a council's heading with no mapping in the
  current classification, left out of the comparison until the council maps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from continuum.spending.choices import ReturnStatus
from continuum.spending.comparison import Comparison, CouncilYear
from continuum.spending.models import financial_year_label

HIGH_RATIO = 2.0
LOW_RATIO = 0.5
MIN_OTHERS = 2

UNUSUAL = "unusual"
NO_SPEND = "no_spend"
MISSING = "missing"
NOT_SIGNED_OFF = "not_signed_off"
UNMAPPED = "unmapped"
KINDS = {
    UNUSUAL: "Unusual value",
    NO_SPEND: "No spend in a category",
    MISSING: "Missing year",
    NOT_SIGNED_OFF: "Return not signed off",
    UNMAPPED: "Heading not mapped",
}


@dataclass(frozen=True)
class Flag:
    kind: str
    council: str
    year: int
    sentence: str
    category: str = ""  # the common category's name, if the flag is about one

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


def flags_for(comparison: Comparison) -> list[Flag]:
    """Every flag of the comparison, by year, then council, then kind."""
    found: list[Flag] = []
    for year in comparison.years:
        cells = [comparison.cell(c, year) for c in comparison.councils]
        with_returns = [c for c in cells if c.has_return]
        for cell in cells:
            found.extend(_return_flags(cell))
        found.extend(_unusual(with_returns, None, "in total"))
        for code, name in comparison.categories:
            found.extend(_unusual(with_returns, code, f"on {name.lower()}", name))
            found.extend(_no_spend(with_returns, code, name))
    return found


def _return_flags(cell: CouncilYear) -> list[Flag]:
    name, label = cell.council.name, financial_year_label(cell.year)
    if cell.status is None:
        return [
            Flag(
                MISSING,
                name,
                cell.year,
                f"{name} has no spending return for {label}, so it is missing from that "
                "year's comparison.",
            )
        ]
    out = []
    if cell.status == ReturnStatus.DRAFT:
        return [
            Flag(
                NOT_SIGNED_OFF,
                name,
                cell.year,
                f"{name}'s return for {label} is still a draft: it is left out of the "
                "comparison until the council submits it.",
            )
        ]
    if cell.status != ReturnStatus.SIGNED_OFF:
        out.append(
            Flag(
                NOT_SIGNED_OFF,
                name,
                cell.year,
                f"{name}'s return for {label} is awaiting sign-off: its figures are shown but "
                "may change.",
            )
        )
    if cell.unmapped:
        headings = ", ".join(sorted(cell.unmapped_headings))
        out.append(
            Flag(
                UNMAPPED,
                name,
                cell.year,
                f"£{cell.unmapped:,.0f} of {name}'s spending in {label} is under headings not "
                f"mapped to the common classification ({headings}) and is left out until "
                "they are mapped.",
            )
        )
    return out


def _per_child(cell: CouncilYear, code: str | None) -> float | None:
    amount = cell.total if code is None else cell.categories.get(code, Decimal(0))
    if not cell.children:
        return None
    return float(amount) / cell.children


def _unusual(
    cells: list[CouncilYear], code: str | None, what: str, category: str = ""
) -> list[Flag]:
    out = []
    for cell in cells:
        value = _per_child(cell, code)
        others = [v for o in cells if o is not cell and (v := _per_child(o, code)) is not None]
        if value is None or value == 0 or len(others) < MIN_OTHERS:
            continue
        middle = median(others)
        if middle <= 0:
            continue
        ratio = value / middle
        if LOW_RATIO <= ratio <= HIGH_RATIO:
            continue
        compared = f"{ratio:.1f} times" if ratio > HIGH_RATIO else f"{100 * ratio:.0f}% of"
        out.append(
            Flag(
                UNUSUAL,
                cell.council.name,
                cell.year,
                f"{cell.council.name} spent £{value:,.2f} per child {what} in "
                f"{financial_year_label(cell.year)}, {compared} the other councils' median "
                f"(£{middle:,.2f}).",
                category,
            )
        )
    return out


def _no_spend(cells: list[CouncilYear], code: str, name: str) -> list[Flag]:
    out = []
    for cell in cells:
        others = [o for o in cells if o is not cell]
        if cell.categories.get(code) or not others:
            continue
        if all(o.categories.get(code) for o in others):
            out.append(
                Flag(
                    NO_SPEND,
                    cell.council.name,
                    cell.year,
                    f"{cell.council.name} recorded no spending on {name.lower()} in "
                    f"{financial_year_label(cell.year)}, while every other council with a "
                    "return did.",
                    name,
                )
            )
    return out
