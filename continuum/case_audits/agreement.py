"""How far the auditors' blind levels agree with the front doors' decisions, for one audit
programme: per council and across its councils (issue 14).

``agreement_for`` reads the programme's re-grades whatever the reader may see: callers ask
the policy first (``CaseAuditAction.VIEW_CONSISTENCY`` for the figures and the
disagreements, ``VIEW_REPORT`` for a report's figures). The statistics are
``consistency.agreement`` (linearly weighted kappa with its 95% interval, statsmodels).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from continuum.case_audits.consistency import LEVELS, Agreement, agreement
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.front_door.models import ContactDecision
from continuum.front_door.selectors import reference_of
from continuum.organisations.models import Council
from continuum.thresholds.models import Level

# Landis and Koch (1977): conventional names for ranges of kappa, not tests of anything.
KAPPA_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


@dataclass(frozen=True)
class Disagreement:
    """A contact the auditor put at another level than the front door did."""

    regrade_id: uuid.UUID
    contact_reference: str
    council: str
    front_door_level: int
    auditor_level: int
    rationale: str

    @property
    def distance(self) -> int:
        """Levels apart: positive when the auditor put it higher than the front door."""
        return self.auditor_level - self.front_door_level

    @property
    def front_door_label(self) -> str:
        return str(Level(self.front_door_level).label)

    @property
    def auditor_label(self) -> str:
        return str(Level(self.auditor_level).label)


@dataclass(frozen=True)
class ThresholdAgreement:
    """A programme's threshold agreement, for one council (``council_id``) or across its
    councils (``council_id`` None)."""

    programme_id: uuid.UUID
    council_id: int | None
    council_name: str
    # Contacts sampled for re-grading; re-graded blind; whose decision the auditor chose to
    # see without grading (left out of the pairs); neither yet.
    sampled: int
    graded: int
    revealed_without_grading: int
    outstanding: int
    # The pairs (front door's level, auditor's level) and their statistics: ``pairs``,
    # ``agreed``, ``percentage``, ``kappa``, ``kappa_low``, ``kappa_high`` (None when not
    # defined) and ``matrix`` (front door's levels as rows, the auditor's as columns, in
    # ``LEVELS`` order).
    agreement: Agreement
    disagreements: tuple[Disagreement, ...]

    @property
    def levels(self) -> tuple[tuple[int, str], ...]:
        return tuple((level, str(Level(level).label)) for level in LEVELS)

    @property
    def matrix_rows(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Each of the front door's levels (its label) with its row of the matrix."""
        return tuple(
            (label, row) for (_, label), row in zip(self.levels, self.agreement.matrix, strict=True)
        )

    @property
    def kappa_reading(self) -> str:
        return kappa_reading(self.agreement.kappa)


def kappa_reading(kappa: float | None) -> str:
    """Landis and Koch's name for a kappa ("moderate" agreement), or why there is none."""
    if kappa is None:
        return "not enough variation to compute"
    for upper, name in KAPPA_BANDS:
        if kappa <= upper:
            return name
    return KAPPA_BANDS[-1][1]


def _furthest_first(d: Disagreement) -> tuple[int, str, int, str]:
    return (-abs(d.distance), d.council, d.front_door_level, d.contact_reference)


def agreement_for(
    *, programme: AuditProgramme, council: Council | None = None
) -> ThresholdAgreement:
    """The programme's agreement for ``council``, or across its councils when None."""
    regrades = BlindRegrade.objects.filter(programme=programme).select_related("council")
    if council is not None:
        regrades = regrades.filter(council=council)
    rows = list(regrades.order_by("council__name", "graded_at", "id"))
    decided = dict(
        ContactDecision.objects.filter(contact_id__in=[r.contact_id for r in rows]).values_list(
            "contact_id", "level"
        )
    )
    graded = [r for r in rows if r.level is not None and r.contact_id in decided]
    pairs = [(int(decided[r.contact_id]), int(r.level)) for r in graded if r.level is not None]
    disagreements = tuple(
        Disagreement(
            regrade_id=r.pk,
            contact_reference=reference_of(r.contact),
            council=r.council.name,
            front_door_level=int(decided[r.contact_id]),
            auditor_level=int(r.level),
            rationale=r.rationale,
        )
        for r in graded
        if r.level is not None and r.level != decided[r.contact_id]
    )
    without = sum(1 for r in rows if r.level is None and r.revealed_at is not None)
    return ThresholdAgreement(
        programme_id=programme.pk,
        council_id=council.pk if council is not None else None,
        council_name=council.name if council is not None else "Across the councils",
        sampled=len(rows),
        graded=len(graded),
        revealed_without_grading=without,
        outstanding=sum(1 for r in rows if r.revealed_at is None),
        agreement=agreement(pairs),
        disagreements=tuple(sorted(disagreements, key=_furthest_first)),
    )


def agreement_by_council(*, programme: AuditProgramme) -> list[ThresholdAgreement]:
    """Each of the programme's councils, by name, then across them all (last)."""
    councils = list(programme.councils.order_by("name"))
    return [agreement_for(programme=programme, council=c) for c in councils] + [
        agreement_for(programme=programme)
    ]
