"""Round trips between the census file and Continuum's records: exporting what was
imported gives back the file's content, and importing an export into a council with no
census records and exporting again gives the same children, episodes and dates."""

from __future__ import annotations

from xml.etree.ElementTree import Element  # noqa: S405 (only the type: parsing is defusedxml's)

import pytest

from continuum.accounts.models import User
from continuum.demo.census_file import census_file
from continuum.imports.choices import ImportState
from continuum.imports.services import run_import, start_import
from continuum.organisations.models import Council
from continuum.statutory.census import importing
from continuum.statutory.census.validation import parse_census
from continuum.statutory.census.writing import CensusReturn
from continuum.statutory.models import StatutoryInvolvement

YEAR = 2026
pytestmark = pytest.mark.django_db


def imported(user: User, council: Council, data: bytes) -> None:
    run = start_import(
        user=user, kind=importing.KIND, council=council, file_name="cin.xml", data=data
    )
    run = run_import(run_id=run.pk)
    assert run.state == ImportState.DONE, run.problems
    assert run.refused == 0


def content(data: bytes) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """The children of a return, each as its LA child ID and every element under it, in
    order, with its text: the file's content apart from its header (which names the
    software and the time it was made)."""

    def walk(node: Element) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        for child in node:
            rows.append((child.tag, (child.text or "").strip()))
            rows.extend(walk(child))
        return rows

    root = parse_census(data)
    children = root.find("Children")
    assert children is not None
    found = [
        (child.findtext("ChildIdentifiers/LAchildID") or "", tuple(walk(child)))
        for child in children.findall("Child")
    ]
    return sorted(found)


def with_council(data: bytes, old: str, new: str) -> bytes:
    return data.replace(f"<LEA>{old}</LEA>".encode(), f"<LEA>{new}</LEA>".encode())


def test_exporting_what_was_imported_gives_back_the_files_content(
    manager: User, stockton: Council
) -> None:
    data = census_file(la_code=stockton.dfe_la_code, year=YEAR, children=40, seed=11)
    imported(manager, stockton, data)
    exported = CensusReturn(stockton, YEAR).to_bytes()
    assert len(content(exported)) == 40
    assert content(exported) == content(data)


def test_an_export_imported_where_there_was_nothing_exports_the_same_again(
    manager: User,
    hartlepool_manager: User,
    stockton: Council,
    hartlepool: Council,
) -> None:
    data = census_file(la_code=stockton.dfe_la_code, year=YEAR, children=30, seed=12)
    imported(manager, stockton, data)
    first = CensusReturn(stockton, YEAR).to_bytes()
    # Hartlepool has no census records: its import of the same return starts from nothing.
    assert not StatutoryInvolvement.objects.filter(council=hartlepool).exists()
    imported(
        hartlepool_manager,
        hartlepool,
        with_council(first, stockton.dfe_la_code, hartlepool.dfe_la_code),
    )
    again = CensusReturn(hartlepool, YEAR).to_bytes()
    assert content(again) == content(first)

    # The same episodes and dates in the records too, not just in the files.
    def episodes(council: Council) -> list[tuple[object, ...]]:
        rows = StatutoryInvolvement.objects.filter(council=council).values_list(
            "kind", "start_date", "end_date", "closure_reason", "primary_need"
        )
        return sorted(rows, key=repr)

    assert episodes(hartlepool) == episodes(stockton)
