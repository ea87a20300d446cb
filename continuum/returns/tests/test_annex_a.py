"""The rows of each Annex A list for the small hand-built world: the right children, in
Ofsted's headings and order, with the right values; the council's own records only."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from continuum.returns.annex_a import HEADINGS, AnnexA, build_annex_a
from continuum.returns.records import pseudonymous_id
from continuum.returns.tests.conftest import FIRST, HOSTILE_NAME, LAST, World

REFERENCE = Path("/work/shared/reference/annex-a-lists.md")


def _rows(annex: AnnexA, number: int) -> list[dict[str, Any]]:
    annex_list = annex.lists[number - 1]
    assert annex_list.number == number
    return [dict(zip(annex_list.headings, row, strict=True)) for row in annex_list.rows]


@pytest.fixture
def annex(world: World) -> AnnexA:
    return build_annex_a(council=world.stockton, first=FIRST, last=LAST)


def test_headings_are_ofsteds_in_order() -> None:
    """Each list's headings, word for word, as the reference copy of the template has them
    (checked against the file where it is present, and against a copy here always)."""
    assert HEADINGS[1] == (
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Date of Contact",
        "Contact Source",
    )
    assert HEADINGS[7][-5:] == (
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Number of Previous Child Protection Plans",
        "Allocated Team",
        "Allocated Worker",
    )
    if REFERENCE.exists():
        text = REFERENCE.read_text()
        for number, headings in HEADINGS.items():
            line = re.search(rf"\*\*List {number}\*\*: (.*)", text)
            assert line is not None
            assert tuple(h.strip() for h in line[1].split(";")) == headings, number


def test_list_1_contacts_of_the_period_one_row_per_child(annex: AnnexA, world: World) -> None:
    rows = _rows(annex, 1)
    assert [r["Child Unique ID"] for r in rows] == ["STK0001", pseudonymous_id(world.b.pk)]
    a, b = rows
    assert a == {
        "Child Unique ID": "STK0001",
        "Gender": "M",
        "Ethnicity": "WBRI",
        "Date of Birth": date(2015, 6, 10),
        "Age": 9,
        "Date of Contact": date(2025, 5, 1),
        "Contact Source": "2A",
    }
    assert (b["Gender"], b["Ethnicity"], b["Age"]) == ("F", "BAFR", 13)


def test_list_2_early_help_assessments_under_way_in_the_period(annex: AnnexA, world: World) -> None:
    rows = _rows(annex, 2)
    assert len(rows) == 1
    assert rows[0]["Child Unique ID"] == "STK0001"
    assert rows[0]["Assessment start date"] == date(2025, 6, 2)
    assert rows[0]["Assessment completion date"] == date(2025, 7, 1)
    # The lead professional's organisation (its name held as text, not yet neutralised:
    # the workbook does that).
    assert rows[0]["Organisation completing assessment"] == HOSTILE_NAME


def test_list_3_referrals_made_in_the_period(annex: AnnexA, world: World) -> None:
    rows = _rows(annex, 3)
    assert [(r["Child Unique ID"], r["Date of Referral"]) for r in rows] == [
        ("STK0001", date(2025, 5, 2)),
        (pseudonymous_id(world.b.pk), date(2025, 10, 1)),
    ]
    a, b = rows
    assert a["Referral Source"] == "2A"
    assert a["Referral NFA?"] == "No"
    # The referral with no further action in September 2024 is more than 12 months before
    # the end of the period.
    assert a["Number of Referrals in Last 12 Months"] == 1
    assert (b["Referral Source"], b["Number of Referrals in Last 12 Months"]) == ("6", 1)
    assert (a["Allocated Team"], a["Allocated Worker"]) == ("", "")


def test_list_3_counts_the_twelve_months_to_the_end_of_the_period(world: World) -> None:
    annex = build_annex_a(council=world.stockton, first=date(2024, 9, 1), last=date(2025, 8, 31))
    rows = _rows(annex, 3)
    assert [(r["Date of Referral"], r["Referral NFA?"]) for r in rows] == [
        (date(2024, 9, 2), "Yes"),
        (date(2025, 5, 2), "No"),
    ]
    assert {r["Number of Referrals in Last 12 Months"] for r in rows} == {2}


def test_list_4_assessments(annex: AnnexA, world: World) -> None:
    rows = _rows(annex, 4)
    assert [r["Child Unique ID"] for r in rows] == ["STK0001", pseudonymous_id(world.b.pk)]
    a, b = rows
    assert a["Does the Child have a Disability"] == "No"
    assert a["Continuous Assessment Start Date"] == date(2025, 5, 2)
    assert a["Continuous Assessment Date of Authorisation"] == date(2025, 6, 10)
    # A child protection plan followed A's; B's referral closed with a step-down.
    key = "Was the child assessed as requiring LA children's social care support?"
    assert (a[key], b[key]) == ("Yes", "No")
    assert b["Does the Child have a Disability"] == "Yes"
    assert a["Child Seen During Continuous Assessment"] == ""


def test_list_5_section_47_enquiries(annex: AnnexA, world: World) -> None:
    rows = _rows(annex, 5)
    assert [r["Child Unique ID"] for r in rows] == ["STK0001", pseudonymous_id(world.b.pk)]
    a, b = rows
    assert a["Strategy discussion initiating Section 47 Enquiry Start Date"] == date(2025, 5, 3)
    assert a["Was an Initial Child Protection Conference deemed unnecessary?"] == "No"
    assert a["Date of Initial Child Protection Conference"] == date(2025, 5, 23)
    assert (
        a["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == "Yes"
    )
    assert a["Number of Section 47 Enquiries in the last 12 months"] == 1
    assert a["Number of ICPCs in the last 12 months"] == 1
    # B's enquiry: no strategy discussion recorded, no conference needed.
    assert b["Strategy discussion initiating Section 47 Enquiry Start Date"] is None
    assert b["Was an Initial Child Protection Conference deemed unnecessary?"] == "Yes"
    assert b["Date of Initial Child Protection Conference"] is None
    assert b["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == ""
    assert b["Number of ICPCs in the last 12 months"] == 0


def test_list_6_children_in_need(annex: AnnexA, world: World) -> None:
    rows = _rows(annex, 6)
    by_id = {r["Child Unique ID"]: r for r in rows}
    # C's since January 2024, A's and B's; not A's referral with no further action, not
    # C's referral after the period.
    assert list(by_id) == ["@SUM(A1)", "STK0001", pseudonymous_id(world.b.pk)]
    c, a, b = rows
    assert (c["CIN Start Date"], c["Primary Need Code"], c["Case Status"]) == (
        date(2024, 1, 8),
        "N3",
        "Child in need plan",
    )
    assert (a["Primary Need Code"], a["Case Status"], a["CIN Closure Date"]) == (
        "N1",
        "Child protection plan",
        None,
    )
    assert a["Age"] == 10  # at the end of the period
    assert (b["CIN Closure Date"], b["Reason for Closure"], b["Case Status"]) == (
        date(2025, 11, 3),
        "RC9",
        "Closed",
    )
    assert a["Date Child Was Last Seen"] is None


def test_list_7_child_protection(annex: AnnexA, world: World) -> None:
    rows = _rows(annex, 7)
    assert len(rows) == 1
    row = rows[0]
    assert row["Child Unique ID"] == "STK0001"
    assert row["Child Protection Plan Start Date"] == date(2025, 5, 23)
    assert (row["Initial Category of Abuse"], row["Latest Category of Abuse"]) == ("NEG", "EMO")
    # The review after the period is not in a return made as at its end.
    assert row["Date of latest review conference"] == date(2025, 11, 20)
    assert row["Child Protection Plan End Date"] is None
    # The 2020 plan, counted from the records (the return did not say).
    assert row["Number of Previous Child Protection Plans"] == 1
    world.plan_a.previous_plans = 3
    world.plan_a.save()
    again = build_annex_a(council=world.stockton, first=FIRST, last=LAST)
    assert _rows(again, 7)[0]["Number of Previous Child Protection Plans"] == 3


def test_only_the_councils_own_records(annex: AnnexA, world: World) -> None:
    assert world.h.pk not in annex.person_ids
    hartlepool = build_annex_a(council=world.hartlepool, first=FIRST, last=LAST)
    assert set(hartlepool.person_ids) == {world.h.pk}
    assert hartlepool.row_counts == {1: 1, 2: 1, 3: 1, 4: 0, 5: 1, 6: 1, 7: 1}


def test_a_few_queries_whatever_the_size(world: World, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(8):
        build_annex_a(council=world.stockton, first=FIRST, last=LAST)


def test_the_pseudonymous_id_is_stable_and_not_the_nhs_number(world: World) -> None:
    assert pseudonymous_id(world.b.pk) == pseudonymous_id(world.b.pk)
    assert pseudonymous_id(world.b.pk) != pseudonymous_id(world.a.pk)
    assert world.b.nhs_number is not None
    assert world.b.nhs_number not in pseudonymous_id(world.b.pk)


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [(date(2026, 4, 1), date(2026, 3, 31), "last"), (None, LAST, "first")],
)
def test_a_period_that_is_not_one_is_refused(
    world: World, first: date | None, last: date, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        build_annex_a(council=world.stockton, first=first, last=last)  # type: ignore[arg-type]
    assert field in refused.value.message_dict
