"""What the engine answers with (``Cell``, ``Result``) and how it answers: each indicator as
a numerator measure over a denominator measure (``FORMULAS``), or over the child
population for rates per 10,000."""

from __future__ import annotations

from dataclasses import dataclass, field

from continuum.early_help.choices import AgencyKind, ClosureReason
from continuum.front_door.choices import Outcome
from continuum.organisations.models import OrganisationKind
from continuum.performance.catalogue import NOT_KNOWN, Unit
from continuum.performance.models import AgeBand
from continuum.performance.periods import Period

POPULATION = "population"
# The denominator of a count (withdrawals of consent, say): none; its value is the numerator.
COUNTED = "counted"


@dataclass(frozen=True)
class Cell:
    indicator: str
    council_id: int | None  # None = the councils asked for, combined
    period: Period
    category: str | None  # the dimension's value as a label; None = total
    numerator: float | None  # None only when suppressed (disclosure.protect)
    denominator: float | None
    value: float | None  # None = not computable (no denominator, or follow-up not complete)
    # True when disclosure control hid the figures: a count of 1 to 4 children, or a cell
    # that would give one away (continuum.performance.disclosure).
    suppressed: bool = False


@dataclass
class Result:
    cells: list[Cell] = field(default_factory=list)
    dimension: str | None = None
    _index: dict[tuple[str, int | None, Period, str | None], Cell] = field(
        default_factory=dict, repr=False
    )

    def add(self, cell: Cell) -> None:
        self.cells.append(cell)
        self._index[(cell.indicator, cell.council_id, cell.period, cell.category)] = cell

    def get(
        self, indicator: str, council_id: int | None, period: Period, category: str | None = None
    ) -> Cell | None:
        return self._index.get((indicator, council_id, period, category))

    def series(
        self, indicator: str, council_id: int | None, category: str | None = None
    ) -> list[Cell]:
        """The indicator's cells for one council (and category), oldest period first."""
        return sorted(
            (
                c
                for c in self.cells
                if c.indicator == indicator
                and c.council_id == council_id
                and c.category == category
            ),
            key=lambda c: c.period,
        )

    def periods(self) -> list[Period]:
        return sorted({c.period for c in self.cells})

    def categories(self, indicator: str | None = None) -> list[str]:
        """The dimension's categories present in the result, in a stable order."""
        found = {
            c.category
            for c in self.cells
            if c.category is not None and (indicator is None or c.indicator == indicator)
        }
        return sorted(found, key=category_sort_key)


def category_sort_key(label: str) -> tuple[int, str]:
    """Age bands youngest first, then the other categories by name, "Not known" last."""
    order = {str(band.label): i for i, band in enumerate(AgeBand)}
    if label in order:
        return (order[label], label)
    if label == NOT_KNOWN:
        return (99, label)
    return (50, label)


def make_cell(
    code: str,
    council_id: int | None,
    period: Period,
    category: str | None,
    num: float,
    den: float | None,
    scale: float,
    follow_up_open: bool,
    *,
    counted: bool = False,
) -> Cell:
    """A cell whose value is ``num / den * scale`` (for a count, with no denominator:
    ``num``), or None without a denominator or while the indicator's follow-up is still
    running."""
    value = None
    if counted and not follow_up_open:
        value = num
    elif den and not follow_up_open:
        value = num / den * scale
    return Cell(code, council_id, period, category, num, den, value)


def scale_of(unit: str) -> float:
    """What a ratio is multiplied by for the indicator's unit."""
    return 100.0 if unit == Unit.PERCENT else 10000.0 if unit == Unit.PER_10K else 1.0


# --- formulas: numerator and denominator measures of each indicator -----------------------------


def _formulas() -> dict[str, tuple[str, str]]:
    f: dict[str, tuple[str, str]] = {
        "fd_contacts_per_10k": ("contacts", POPULATION),
        "fd_decided_within_1wd_pct": ("contacts_on_time", "contacts_timeliness_due"),
        "fd_consent_recorded_pct": ("contacts_consent", "contacts"),
        "fd_repeat_contacts_pct": ("contacts_repeat", "contacts"),
        "fd_da_triaged_within_1wd_pct": ("da_on_time", "da_timeliness_due"),
        "fd_da_high_risk_marac_pct": ("da_high_risk_marac", "da_high_risk_triaged"),
        "eh_started_per_10k": ("eh_started", POPULATION),
        "eh_open_per_10k": ("eh_open", POPULATION),
        "eh_allocated_within_target_pct": ("eh_allocated_on_time", "eh_allocation_due"),
        "eh_assessment_on_time_pct": ("as_on_time", "as_due"),
        "eh_assessment_child_voice_pct": ("as_voice", "as_completed"),
        "eh_review_on_time_pct": ("rv_on_time", "rv_held"),
        "eh_led_by_partner_pct": ("eh_led_partner", "eh_allocated"),
        "eh_needs_achieved_pct": ("nd_achieved", "nd_outcomes"),
        "eh_sf_sustained_pct": ("sf_sustained", "sf_checked"),
        "eh_consent_agreed_pct": ("ec_agreed", "ec_started"),
        "eh_consent_withdrawals": ("cw_withdrawals", COUNTED),
        "eh_consent_early_help_withdrawn": ("cw_early_help", COUNTED),
        "im_stepped_up_within_12m_pct": ("im_stepped_up", "im_children"),
        "im_back_at_front_door_within_12m_pct": ("im_back", "im_children"),
        "im_cin_per_10k": ("st_referral", POPULATION),
        "im_cp_per_10k": ("st_cp_plan", POPULATION),
        "im_looked_after_per_10k": ("st_looked_after", POPULATION),
        "im_attendance_before_early_help_pct": ("at_before", "at_children"),
        "im_attendance_after_early_help_pct": ("at_after", "at_children"),
        "im_assessment_within_45wd_pct": ("wt_assessments_on_time", "wt_assessments_completed"),
        "im_icpc_within_15wd_pct": ("wt_icpc_on_time", "wt_icpc_held"),
    }
    for outcome in Outcome:
        f[f"fd_outcome_{outcome.value}_pct"] = (
            f"contacts_outcome_{outcome.value}",
            "contacts_decided",
        )
    for kind in OrganisationKind:
        f[f"eh_led_by_{kind.value}_pct"] = (f"eh_led_{kind.value}", "eh_allocated")
    for agency in AgencyKind:
        f[f"eh_taf_attendance_{agency.value}_pct"] = (
            f"taf_attended_{agency.value}",
            f"taf_invited_{agency.value}",
        )
    for reason in ClosureReason:
        f[f"eh_closure_{reason.value}_pct"] = (f"eh_closed_{reason.value}", "eh_closed")
    return f


FORMULAS = _formulas()
# Numerators that are sums of children's rates (each 0 to 1), not counts: disclosure control
# looks at their denominators (children) only.
MEAN_MEASURES = frozenset({"at_before", "at_after"})
STOCK_MEASURES = frozenset({"eh_open", "st_referral", "st_cp_plan", "st_looked_after"})
