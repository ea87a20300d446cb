"""Importing a spending return from a spreadsheet: XLSX or CSV, all or nothing, every
problem by row, idempotent, never over a year signed off, only for the importer's council."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from continuum.accounts.models import User
from continuum.errors import NotPermitted
from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.services import run_import, start_import
from continuum.organisations.models import Council
from continuum.spending.importing import KIND
from continuum.spending.models import SpendAmount, SpendingReturn, StaffLine, financial_year_label
from continuum.spending.services import returns as services
from continuum.spending.tests.conftest import no_change
from continuum.spending.views.returns import template_workbook

pytestmark = pytest.mark.django_db
snapshot = no_change(SpendingReturn, SpendAmount, StaffLine)
HEADER = "council,financial_year,heading,funding_source,amount,staff_role,fte\n"


def _csv(code: str, year: int, *rows: str) -> bytes:
    label = financial_year_label(year)
    return (HEADER + "".join(f"{code},{label},{row}\n" for row in rows)).encode()


def _import(user: User, council: Council, name: str, data: bytes) -> ImportRun:
    run = start_import(user=user, kind=KIND, council=council, file_name=name, data=data)
    return run_import(run_id=run.pk)


def test_a_csv_makes_the_return_and_the_same_file_again_changes_nothing(
    analyst: User, stockton: Council, headings: dict, last_year: int
) -> None:
    data = _csv(
        stockton.dfe_la_code,
        last_year,
        "FS01,council,1250000,,",
        "YS01,Supporting Families grant,300000.50,,",
        ",,,key_worker,12.5",
    )
    run = _import(analyst, stockton, "return.csv", data)
    assert run.state == ImportState.DONE, run.problems
    assert run.created == 1
    made = SpendingReturn.objects.get(council=stockton, financial_year=last_year)
    assert sorted(a.amount for a in made.amounts.all()) == [Decimal("300000.50"), 1250000]
    assert made.staff.get().fte == Decimal("12.5")
    before = snapshot()
    again = _import(analyst, stockton, "return.csv", data)
    assert again.state == ImportState.DONE and "nothing changed" in again.note
    assert snapshot() == before
    # The same content in another file (a column moved): nothing changes either.
    reordered = data.replace(b"\r\n", b"\n")
    also = _import(analyst, stockton, "copy.csv", reordered + b"\n")
    assert (also.created, also.updated, also.unchanged) == (0, 0, 1)
    assert snapshot() == before


def test_a_workbook_made_from_the_template_imports(
    analyst: User, stockton: Council, headings: dict, last_year: int
) -> None:
    data = template_workbook(
        list(headings.values()), stockton.dfe_la_code, financial_year_label(last_year)
    )
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    book["Amounts"]["E2"] = 5000
    book["Staff"]["D2"] = 3
    out = io.BytesIO()
    book.save(out)
    run = _import(analyst, stockton, "return.xlsx", out.getvalue())
    assert run.state == ImportState.DONE, run.problems
    made = SpendingReturn.objects.get(council=stockton, financial_year=last_year)
    assert made.amounts.get().amount == 5000 and made.staff.get().fte == 3


def test_every_bad_cell_is_refused_by_row_and_nothing_saved(
    analyst: User, stockton: Council, headings: dict, last_year: int
) -> None:
    data = (
        _csv(
            stockton.dfe_la_code,
            last_year,
            "FS01,council,-5,,",
            "NOPE,council,10,,",
            "YS01,lottery,10,,",
            "YS01,council,2000000000,,",
            "YS01,health,ten,,",
            ",,,key_worker,-1",
        )
        + f"{stockton.dfe_la_code},2099-00,FS01,council,5,,\n".encode()
    )
    run = _import(analyst, stockton, "bad.csv", data)
    assert run.state == ImportState.REFUSED
    where = [p.where for p in run.problem_list]
    assert where == [
        "row 2, column amount",
        "row 3, column heading",
        "row 4, column funding_source",
        "row 5, column amount",
        "row 6, column amount",
        "row 8, column financial_year",
        "row 7, column fte",
    ]
    assert not SpendingReturn.objects.exists()


def test_a_year_signed_off_or_another_council_is_refused_whole(
    analyst: User,
    lead: User,
    second_lead: User,
    stockton: Council,
    hartlepool: Council,
    headings: dict,
    last_year: int,
) -> None:
    made = services.create_return(by=lead, council=stockton, financial_year=last_year)
    services.save_return(
        by=lead,
        spending_return=made,
        version=made.version,
        amounts={("FS01", "council"): 5},
        staff={},
    )
    services.submit_return(by=lead, spending_return=made, version=made.version)
    services.sign_off_return(by=second_lead, spending_return=made, version=made.version)
    before = snapshot()
    run = _import(
        analyst, stockton, "r.csv", _csv(stockton.dfe_la_code, last_year, "FS01,council,9,,")
    )
    assert run.state == ImportState.REFUSED
    assert (
        "signed off" in run.problem_list[0].message and stockton.name in run.problem_list[0].message
    )
    other = _import(
        analyst, stockton, "o.csv", _csv(hartlepool.dfe_la_code, last_year - 1, "FS01,council,9,,")
    )
    assert other.state == ImportState.REFUSED
    assert "this import is for" in other.problem_list[0].message
    assert snapshot() == before
    with pytest.raises(NotPermitted):
        start_import(user=analyst, kind=KIND, council=hartlepool, file_name="h.csv", data=b"x")
