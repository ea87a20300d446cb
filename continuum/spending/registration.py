"""The spending return as a kind of import (registered from the spending app's ``ready``):
the imports app records, runs in the background and shows it."""

from __future__ import annotations

from typing import Any

from continuum.access import policy
from continuum.imports.registry import Importer
from continuum.spending import importing
from continuum.spending.policies import SpendingAction

MAX_BYTES = 5 * 1024 * 1024
# The imports app's action for this kind (asked with the council chosen).
IMPORT_ACTION = "imports.spending_return"


def may_import(user: Any, council: Any) -> bool:
    """Whoever makes the council's returns: its team managers, analysts, strategic lead
    (the imports pages themselves are for its managers and analysts)."""
    return council is not None and policy.can(user, SpendingAction.EDIT_RETURN, council)


SPENDING_RETURN = Importer(
    kind=importing.KIND,
    label="Early help spending return",
    extensions=(".xlsx", ".csv"),
    max_bytes=MAX_BYTES,
    action=IMPORT_ACTION,
    check=importing.check,
    apply=importing.apply,
    describe_columns=(
        "A council's early help spending by its own heading and funding source, and staff by "
        "role, for one or more financial years: an Excel workbook with the sheets Amounts "
        "(council, financial_year, heading, funding_source, amount) and Staff (council, "
        "financial_year, staff_role, fte), or one CSV table with all seven columns. Download "
        "the template from the spending returns page. See docs/spending.md."
    ),
    rule=may_import,
)
