"""Every chart's table alternative, and the same table as a CSV or spreadsheet download.

A ``Table`` is what a page shows under its chart and what the downloads contain, so the
numbers a user reads, downloads and sees plotted are always the same numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from continuum.performance import disclosure
from continuum.ui.spreadsheets import neutralise_formula

Cell = str | int | float | None

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    caption: str
    columns: Sequence[str]
    rows: list[Sequence[Cell]] = field(default_factory=list)
    # Which columns are numbers (right-aligned on the page).
    numeric: Sequence[bool] = ()
    # Lines under the table in a download: definitions, sources, the date it was made.
    notes: Sequence[str] = ()
    # Which columns are amounts of money: shown on the page as £1,234.50 (the downloads
    # keep the plain numbers).
    money: Sequence[bool] = ()

    def __post_init__(self) -> None:
        if not self.numeric:
            self.numeric = [False] * len(self.columns)
        if not self.money:
            self.money = [False] * len(self.columns)
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"A row of {self.caption!r} has the wrong number of cells.")

    @property
    def suppresses(self) -> bool:
        """Whether any figure is suppressed (shown as the disclosure marker)."""
        return any(value == disclosure.MARKER for row in self.rows for value in row)

    @property
    def disclosure_meaning(self) -> str:
        return disclosure.MEANING

    def download_notes(self) -> list[str]:
        """The notes, and what the disclosure marker means (in every download)."""
        return [*self.notes, disclosure.MEANING]

    def header(self) -> list[dict[str, object]]:
        return [{"text": c, "numeric": n} for c, n in zip(self.columns, self.numeric, strict=True)]

    def body(self) -> list[list[dict[str, object]]]:
        """Rows for the template: each cell's text (numbers formatted) and alignment."""
        return [
            [
                {"text": (format_money if money else format_cell)(value), "numeric": numeric}
                for value, numeric, money in zip(row, self.numeric, self.money, strict=True)
            ]
            for row in self.rows
        ]


def one_decimal(value: float | None) -> float | None:
    """A value rounded as the tables show it (and their downloads hold it)."""
    return None if value is None else round(value, 1)


def format_cell(value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def format_money(value: Cell) -> str:
    """An amount in pounds as GOV.UK writes money: £1,234.50; the marker or "–" as they are."""
    if isinstance(value, int | float):
        return f"£{value:,.2f}"
    return format_cell(value)


def filename_for(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:80] or "table"


def csv_response(table: Table, title: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_safe(v) if isinstance(v, str) else ("" if v is None else v) for v in row])
    for note in table.download_notes():
        writer.writerow([_safe(note)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename_for(title)}.csv"'
    return response


def xlsx_response(table: Table, title: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (re.sub(r"[\[\]:*?/\\]", " ", title) or "Table")[:31]
    sheet.append([table.caption])
    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([_safe(value) if isinstance(value, str) else value for value in row])
    for note in table.download_notes():
        sheet.append([_safe(note)])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(column) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename_for(title)}.xlsx"'
    return response


def download_response(table: Table, title: str, fmt: str) -> HttpResponse:
    """The table as ``fmt`` ("csv" or "xlsx"); anything else is the caller's error to show."""
    if fmt == "csv":
        return csv_response(table, title)
    if fmt == "xlsx":
        return xlsx_response(table, title)
    raise ValueError(f"Download as {' or '.join(DOWNLOAD_FORMATS)}, not {fmt!r}.")


def _safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV/formula injection)."""
    return neutralise_formula(text)
