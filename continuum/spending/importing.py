"""Importing a council's spending returns from a spreadsheet (registered as the import kind
"spending-return"; the imports app records it, runs it in the background and shows it).

The layout (docs/spending.md; the template is downloaded from the returns page):

- **XLSX**: a sheet "Amounts" with the columns ``council`` (the DfE LA code),
  ``financial_year`` (2024-25), ``heading`` (the council's own heading code),
  ``funding_source`` and ``amount`` (pounds); a sheet "Staff" with ``council``,
  ``financial_year``, ``staff_role`` and ``fte``. Other sheets are not read.
- **CSV**: one table with all seven columns; a row is an amount (heading, funding_source,
  amount) or a staff line (staff_role, fte), never both.

A blank amount or FTE is no amount (the template's empty rows). The file holds a council's
whole return for each year it names: the return is made if absent, and its amounts and staff
become exactly the file's. The file is checked whole first (``check``) and refused whole
with every problem by row (a bad cell, an unknown heading, a year signed off or waiting for
sign-off, another council), nothing saved; the same content imported again changes nothing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F

from continuum.access import policy
from continuum.imports.csv_files import ProblemList, Row, read_rows, refuse
from continuum.imports.models import ImportRun
from continuum.imports.registry import Counts, FileRefused, Problem, Progress
from continuum.organisations.models import Council
from continuum.spending.choices import FundingSource, ReturnStatus, StaffRole
from continuum.spending.models import CouncilCategory, SpendingReturn, financial_year_label
from continuum.spending.policies import SpendingAction
from continuum.spending.services.returns import (
    CheckedForm,
    check_amount,
    check_fte,
    current_financial_year,
    signed_off_message,
    write_form,
)

KIND = "spending-return"
AMOUNT_COLUMNS = ("council", "financial_year", "heading", "funding_source", "amount")
STAFF_COLUMNS = ("council", "financial_year", "staff_role", "fte")
CSV_COLUMNS = (*AMOUNT_COLUMNS, "staff_role", "fte")
AMOUNTS_SHEET = "Amounts"
STAFF_SHEET = "Staff"
MAX_ROWS = 20_000


@dataclass
class YearOfReturn:
    amounts: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    staff: dict[str, Decimal] = field(default_factory=dict)
    rows: dict[tuple[Any, ...], int] = field(default_factory=dict)  # key -> first row


@dataclass
class SpendingFile:
    council: Council
    years: dict[int, YearOfReturn]


def _choice(text: str, choices: Any) -> str | None:
    wanted = text.strip().lower()
    for value, label in choices.choices:
        if wanted in (value.lower(), str(label).lower()):
            return str(value)
    return None


def parse_year(text: str) -> int | None:
    """ "2024-25" (or "2024/25") -> 2024; None otherwise."""
    text = text.strip().replace("/", "-")
    start, _, end = text.partition("-")
    if not (start.isdigit() and len(start) == 4 and end.isdigit() and len(end) in (2, 4)):
        return None
    year = int(start)
    return year if int(end) % 100 == (year + 1) % 100 else None


# --- reading ------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_rows(
    sheet: Any, name: str, columns: tuple[str, ...], problems: ProblemList
) -> list[Row]:
    rows: list[Row] = []
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    names = [_cell(h).strip().lower() for h in (header or ())]
    while names and not names[-1]:
        names.pop()
    missing = [c for c in columns if c not in names]
    extra = [n for n in names if n and n not in columns]
    for column in missing:
        problems.add(f"sheet {name}, column {column}", "The column is missing from row 1.")
    for column in extra:
        problems.add(f"sheet {name}, row 1, column {column}", "This is not a column of the sheet.")
    if missing or extra:
        return rows
    for number, found in enumerate(values, start=2):
        cells = [_cell(v) for v in found[: len(names)]]
        if not any(c.strip() for c in cells):
            continue
        if number > MAX_ROWS:
            problems.add(f"sheet {name}", f"The sheet has more than {MAX_ROWS} rows.")
            break
        cells += [""] * (len(names) - len(cells))
        rows.append(Row(number=number, values=dict(zip(names, cells, strict=True))))
    return rows


def read_workbook(data: bytes) -> tuple[list[Row], list[Row], ProblemList]:
    from openpyxl import load_workbook

    problems = ProblemList()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise refuse("the file", "The file cannot be read as an Excel workbook (.xlsx).") from exc
    sheets = {s.lower(): s for s in book.sheetnames}
    amounts: list[Row] = []
    staff: list[Row] = []
    if AMOUNTS_SHEET.lower() not in sheets:
        problems.add("the file", f"The workbook has no sheet called {AMOUNTS_SHEET}.")
    else:
        amounts = _sheet_rows(
            book[sheets[AMOUNTS_SHEET.lower()]], AMOUNTS_SHEET, AMOUNT_COLUMNS, problems
        )
    if STAFF_SHEET.lower() in sheets:
        staff = _sheet_rows(book[sheets[STAFF_SHEET.lower()]], STAFF_SHEET, STAFF_COLUMNS, problems)
    book.close()
    problems.refuse_if_any()
    return amounts, staff, problems


def read_csv(data: bytes) -> tuple[list[Row], list[Row], ProblemList]:
    _, rows = read_rows(data, required=("council", "financial_year"), optional=CSV_COLUMNS)
    amounts: list[Row] = []
    staff: list[Row] = []
    problems = ProblemList()
    for row in rows:
        is_amount = any(row.get(c) for c in ("heading", "funding_source", "amount"))
        is_staff = any(row.get(c) for c in ("staff_role", "fte"))
        if is_amount and is_staff:
            problems.add(
                f"row {row.number}", "A row is an amount or a staff line, not both: split it."
            )
        elif is_staff:
            staff.append(row)
        elif is_amount:
            amounts.append(row)
    return amounts, staff, problems


# --- checking -----------------------------------------------------------------------------


def _where(row: Row, column: str, sheet: str) -> str:
    place = f"row {row.number}, column {column}"
    return f"sheet {sheet}, {place}" if sheet else place


class _Checker:
    def __init__(self, council: Council, problems: ProblemList, xlsx: bool) -> None:
        self.council = council
        self.problems = problems
        self.xlsx = xlsx
        self.headings = {h.code: h for h in CouncilCategory.objects.filter(council=council)}
        self.years: dict[int, YearOfReturn] = {}
        self.latest = current_financial_year()

    def fail(self, row: Row, column: str, message: str, sheet: str) -> None:
        self.problems.add(_where(row, column, sheet if self.xlsx else ""), message)

    def year_of(self, row: Row, sheet: str) -> YearOfReturn | None:
        ok = True
        code = row.get("council")
        if code != self.council.dfe_la_code:
            self.fail(
                row,
                "council",
                f"The row is for council {code or '(blank)'}: this import is for "
                f"{self.council.name} ({self.council.dfe_la_code}) only.",
                sheet,
            )
            ok = False
        year = parse_year(row.get("financial_year"))
        if year is None:
            self.fail(row, "financial_year", "Give the financial year like 2024-25.", sheet)
            return None
        if year > self.latest:
            self.fail(
                row,
                "financial_year",
                f"{financial_year_label(year)} has not started yet.",
                sheet,
            )
            return None
        return self.years.setdefault(year, YearOfReturn()) if ok else None

    def amount(self, row: Row) -> None:
        sheet = AMOUNTS_SHEET
        found = self.year_of(row, sheet)
        heading = self.headings.get(row.get("heading"))
        if heading is None:
            self.fail(
                row,
                "heading",
                f"{self.council.name} has no heading {row.get('heading') or '(blank)'}: add "
                "it on the mapping page first.",
                sheet,
            )
        source = _choice(row.get("funding_source"), FundingSource)
        if source is None:
            self.fail(
                row,
                "funding_source",
                "Give one of: " + ", ".join(FundingSource.values) + ".",
                sheet,
            )
        amount: Decimal | None = None
        if row.get("amount"):
            amount, why = check_amount(row.get("amount"))
            if amount is None:
                self.fail(row, "amount", why, sheet)
        if found is None or heading is None or source is None or amount is None:
            return
        key = ("amount", heading.pk, source)
        if key in found.rows:
            self.fail(
                row,
                "heading",
                f"The amount for {heading.code} from {source} is given twice (also row "
                f"{found.rows[key]}).",
                sheet,
            )
            return
        found.rows[key] = row.number
        found.amounts[(heading.pk, source)] = amount

    def staff(self, row: Row) -> None:
        sheet = STAFF_SHEET
        found = self.year_of(row, sheet)
        role = _choice(row.get("staff_role"), StaffRole)
        if role is None:
            self.fail(row, "staff_role", "Give one of: " + ", ".join(StaffRole.values) + ".", sheet)
        fte: Decimal | None = None
        if row.get("fte"):
            fte, why = check_fte(row.get("fte"))
            if fte is None:
                self.fail(row, "fte", why, sheet)
        if found is None or role is None or fte is None:
            return
        key = ("staff", role)
        if key in found.rows:
            self.fail(
                row, "staff_role", f"{role} is given twice (also row {found.rows[key]}).", sheet
            )
            return
        found.rows[key] = row.number
        found.staff[role] = fte

    def states(self) -> None:
        for existing in SpendingReturn.objects.filter(
            council=self.council, financial_year__in=list(self.years)
        ):
            if existing.is_signed_off:
                message = signed_off_message(self.council, existing.financial_year)
            elif existing.status == ReturnStatus.SUBMITTED:
                message = (
                    f"{existing} is waiting to be signed off: its strategic lead sends it back "
                    "before it is imported again."
                )
            else:
                continue
            self.problems.add(f"financial year {existing.year_label}", message)


def check(data: bytes, run: ImportRun) -> SpendingFile:
    """The whole file read and checked for the run's council (``FileRefused`` with every
    problem otherwise); nothing written."""
    council = run.council
    if run.uploaded_by is not None and not policy.can(
        run.uploaded_by, SpendingAction.EDIT_RETURN, council
    ):
        raise refuse("the file", f"You may not import {council.name}'s spending returns.")
    xlsx = data[:4] == b"PK\x03\x04"
    amounts, staff, problems = read_workbook(data) if xlsx else read_csv(data)
    checker = _Checker(council, problems, xlsx)
    for row in amounts:
        checker.amount(row)
    for row in staff:
        checker.staff(row)
    if not checker.years and not problems:
        problems.add("the file", "The file holds no amounts or staff.")
    checker.states()
    problems.refuse_if_any()
    years = ", ".join(financial_year_label(y) for y in sorted(checker.years))
    ImportRun.objects.filter(pk=run.pk).update(
        summary=f"{council.name}'s spending returns for {years}"[:200]
    )
    return SpendingFile(council=council, years=checker.years)


# --- writing ------------------------------------------------------------------------------


def apply(checked: SpendingFile, run: ImportRun, progress: Progress) -> Counts:
    """Each year's return made if absent and its content made exactly the file's."""
    counts = Counts()
    by = run.uploaded_by
    total = len(checked.years)
    for done, (year, content) in enumerate(sorted(checked.years.items()), start=1):
        existing = (
            SpendingReturn.objects.select_for_update()
            .filter(council=checked.council, financial_year=year)
            .first()
        )
        if existing is not None and existing.status != ReturnStatus.DRAFT:
            raise FileRefused(
                [
                    Problem(
                        where=f"financial year {financial_year_label(year)}",
                        message=signed_off_message(checked.council, year)
                        if existing.is_signed_off
                        else f"{existing} is waiting to be signed off.",
                    )
                ]
            )
        created = existing is None
        spending_return = existing or SpendingReturn(
            council=checked.council, financial_year=year, created_by=by
        )
        if created:
            spending_return._history_user = by  # type: ignore[attr-defined]
            spending_return._change_reason = "Imported"  # type: ignore[attr-defined]
            spending_return.save()
        form = CheckedForm(amounts=content.amounts, staff=content.staff)
        changed = write_form(spending_return, form, by)
        if created:
            counts.created += 1
        elif changed:
            SpendingReturn.objects.filter(pk=spending_return.pk).update(version=F("version") + 1)
            spending_return.refresh_from_db()
            spending_return._history_user = by  # type: ignore[attr-defined]
            spending_return._change_reason = "Imported"  # type: ignore[attr-defined]
            spending_return.save()
            counts.updated += 1
        else:
            counts.unchanged += 1
        progress(done, total)
    if not counts.created and not counts.updated:
        run.note = "The file holds what the returns already hold: nothing changed."
    return counts
