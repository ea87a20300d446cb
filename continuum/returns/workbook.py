"""Annex A as an Excel workbook: a cover sheet naming the council and period, then one sheet
per list ("List 1" ... "List 7") with Ofsted's headings in order.

Written by openpyxl in write-only (streaming) mode, so a large council's year never holds
every cell in memory as objects. Dates are real dates with a date format; text is made
safe to open (``ui.spreadsheets.neutralise_formula``) and stripped of the control
characters a workbook cannot hold.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from continuum.organisations.models import Council
from continuum.returns.annex_a import AnnexA, AnnexList, Cell
from continuum.ui.spreadsheets import neutralise_formula

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"


def filename_of(council: Council, first: date, last: date) -> str:
    """annex-a-808-2025-04-01-to-2026-03-31.xlsx"""
    code = re.sub(r"[^A-Za-z0-9]+", "-", council.dfe_la_code)
    return f"annex-a-{code}-{first.isoformat()}-to-{last.isoformat()}.xlsx"


def filename_for(annex: AnnexA) -> str:
    return filename_of(annex.council, annex.first, annex.last)


def safe_text(text: str) -> str:
    """Text a workbook can hold and a spreadsheet will not run as a formula."""
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", text))


def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> object:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        # A blank is no cell at all (a smaller, quicker file).
        return safe_text(value) if value else None
    return value


def _bold(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_text(text))
    cell.font = Font(bold=True)
    return cell


def write_annex_a(
    annex: AnnexA,
    target: IO[bytes],
    sheet_written: Callable[[AnnexList], None] | None = None,
) -> None:
    """Write ``annex`` as an .xlsx workbook to ``target`` (a file opened for binary).
    ``sheet_written`` is told as each list's sheet is written (a build's progress)."""
    workbook = Workbook(write_only=True)
    cover = workbook.create_sheet("Cover")
    cover.column_dimensions["A"].width = 40
    cover.column_dimensions["B"].width = 40
    council = annex.council
    made = timezone.localtime().replace(microsecond=0, tzinfo=None)
    cover.append([_bold(cover, "Ofsted Annex A: lists 1 to 7")])
    cover.append(["Council", safe_text(f"{council.name} ({council.dfe_la_code})")])
    cover.append(["Period from", _cell(cover, annex.first)])
    cover.append(["Period to", _cell(cover, annex.last)])
    cover.append(["Made", made.strftime("%d/%m/%Y %H:%M")])
    cover.append([])
    cover.append([_bold(cover, "List"), _bold(cover, "Rows")])
    for annex_list in annex.lists:
        cover.append([f"{annex_list.sheet_name}: {annex_list.title}", len(annex_list.rows)])
    cover.append([])
    cover.append(["Made by Continuum from the council's own records. Blank cells are what"])
    cover.append(["Continuum does not know (docs/annex-a.md says which)."])
    for annex_list in annex.lists:
        sheet = workbook.create_sheet(annex_list.sheet_name)
        for index, heading in enumerate(annex_list.headings, start=1):
            width = max(12, min(45, len(heading) + 2))
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_bold(sheet, heading) for heading in annex_list.headings])
        for row in annex_list.rows:
            sheet.append([_cell(sheet, value) for value in row])
        if sheet_written is not None:
            sheet_written(annex_list)
    workbook.save(target)


def annex_a_bytes(annex: AnnexA) -> bytes:
    buffer = io.BytesIO()
    write_annex_a(annex, buffer)
    return buffer.getvalue()
