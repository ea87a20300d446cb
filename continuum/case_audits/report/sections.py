"""The report's threshold agreement section: per council and across, the percentage
agreement, weighted kappa with its 95% interval, and the confusion matrix, each count
through disclosure control. A percentage is shown only when both counts it is made of are;
kappa only when the number of contacts re-graded is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from continuum.case_audits.agreement import agreement_for
from continuum.case_audits.consistency import LEVELS, Agreement
from continuum.case_audits.models import AuditProgramme
from continuum.case_audits.report.grid import ALL, CaseTable, percentage, protected_rows
from continuum.organisations.models import Council
from continuum.performance import disclosure
from continuum.performance.tables import Cell, Table
from continuum.thresholds.models import Level

if TYPE_CHECKING:
    from continuum.case_audits.report.figures import Section


def _kappa(result: Agreement, shown: Cell) -> list[Cell]:
    if shown == disclosure.MARKER:
        return [disclosure.MARKER] * 3
    if result.kappa is None:
        return [None, None, None]
    return [
        round(result.kappa, 2),
        None if result.kappa_low is None else round(result.kappa_low, 2),
        None if result.kappa_high is None else round(result.kappa_high, 2),
    ]


def _matrix(title: str, result: Agreement) -> Table:
    names = [str(Level(level).label) for level in LEVELS]
    counts = {(i, j): result.matrix[i][j] for i in range(len(LEVELS)) for j in range(len(LEVELS))}
    rows = protected_rows(names, len(LEVELS), counts, total_column=True, total_row=True)
    rows[-1] = ["All levels", *rows[-1][1:]]
    return CaseTable(
        caption=title,
        columns=["Front door's level", *(f"Auditor: level {level}" for level in LEVELS), "Total"],
        rows=rows,
        numeric=[False, *([True] * (len(LEVELS) + 1))],
        notes=["Rows: the front door's decision. Columns: the auditor's blind level."],
    )


def agreement(programme: AuditProgramme, councils: Sequence[Council], *, across: bool) -> Section:
    from continuum.case_audits.report.figures import Figure, Section

    results = [agreement_for(programme=programme, council=c).agreement for c in councils]
    names = [c.name for c in councils]
    counts = {(i, 0): r.pairs for i, r in enumerate(results)}
    counts |= {(i, 1): r.agreed for i, r in enumerate(results)}
    rows = protected_rows(names, 2, counts, total_column=False, total_row=across)
    everyone = agreement_for(programme=programme).agreement if across else results[0]
    results_by_row = [*results, *([everyone] if across else [])]
    table = CaseTable(
        caption="Threshold agreement: the auditors' blind levels against the front doors'",
        columns=[
            "Council",
            "Contacts re-graded",
            "Same level",
            "Percentage agreement",
            "Weighted kappa",
            "95% interval: from",
            "to",
        ],
        rows=[
            [*row, percentage(row[2], row[1]), *_kappa(result, row[1])]
            for row, result in zip(rows, results_by_row, strict=True)
        ],
        numeric=[False, True, True, True, True, True, True],
        notes=[
            "Weighted kappa: Cohen's kappa with linear weights (levels are ordered), with its "
            "asymptotic 95% confidence interval; not defined when every contact is on one level.",
        ],
    )
    figures = [Figure("agreement", table.caption, table)]
    matrices = [(ALL, everyone)] if across else []
    matrices += list(zip(names, results, strict=True))
    for n, (name, result) in enumerate(matrices):
        matrix = _matrix(f"Confusion matrix: {name}", result)
        figures.append(Figure(f"matrix-{n}", matrix.caption, matrix))
    return Section(
        "agreement",
        "Threshold agreement",
        "Auditors re-graded sampled contacts' threshold level blind, from what the front "
        "door knew, before seeing its decision.",
        figures,
    )
