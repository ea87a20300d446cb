"""Reads for the returns part: the returns a user sees, one return's amounts as a table of
heading by funding source with totals, its staff and its history. Every read starts from
``policy.visible``; nothing here names a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.spending.choices import FundingSource, ReturnStatus, StaffRole
from continuum.spending.models import CouncilCategory, SpendingReturn


def returns_for(user: User) -> QuerySet[SpendingReturn]:
    return (
        policy.visible(user, SpendingReturn)
        .select_related("council", "submitted_by", "signed_off_by")
        .order_by("council__name", "-financial_year")
    )


@dataclass
class AmountRow:
    heading: CouncilCategory
    cells: list[Decimal | None]
    total: Decimal


@dataclass
class AmountTable:
    sources: list[tuple[str, str]]
    rows: list[AmountRow] = field(default_factory=list)
    source_totals: list[Decimal] = field(default_factory=list)
    total: Decimal = Decimal("0")


def amount_table(spending_return: SpendingReturn, *, all_headings: bool = False) -> AmountTable:
    """Amounts by heading (rows) and funding source (columns), with totals. ``all_headings``
    lists every heading of the council (the form), not only those with an amount."""
    sources = list(FundingSource.choices)
    by_key: dict[tuple[int, str], Decimal] = {
        (a.council_category_id, a.funding_source): a.amount for a in spending_return.amounts.all()
    }
    headings = CouncilCategory.objects.filter(council=spending_return.council).order_by("code")
    table = AmountTable(sources=[(str(v), str(label)) for v, label in sources])
    totals = [Decimal("0")] * len(sources)
    for heading in headings:
        cells = [by_key.get((heading.pk, value)) for value, _ in sources]
        if not all_headings and all(c is None for c in cells):
            continue
        row_total = sum((c for c in cells if c is not None), Decimal("0"))
        for i, cell in enumerate(cells):
            if cell is not None:
                totals[i] += cell
        table.rows.append(AmountRow(heading=heading, cells=cells, total=row_total))
    table.source_totals = totals
    table.total = sum(totals, Decimal("0"))
    return table


def staff_of(spending_return: SpendingReturn) -> list[tuple[str, str, Decimal | None]]:
    """(role, its label, FTE or None) for every role."""
    held = {line.role: line.fte for line in spending_return.staff.all()}
    return [(str(value), str(label), held.get(value)) for value, label in StaffRole.choices]


def history_of(spending_return: SpendingReturn) -> list[dict[str, Any]]:
    """The return's changes, newest first: when, who, what (status, and the change's reason)."""
    labels = dict(ReturnStatus.choices)
    entries = []
    for record in spending_return.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    ):
        user = record.history_user
        entries.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.username) if user else "Continuum",
                "status": labels.get(record.status, record.status),
                "what": record.history_change_reason or "Changed",
                "version": record.version,
            }
        )
    return entries
