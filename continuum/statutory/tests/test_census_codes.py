"""The census codes: the reference page lists exactly the codes and meanings the record
stores, and the statutory record refuses what the census would."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from continuum.front_door.choices import ReferralSource
from continuum.organisations.models import Council
from continuum.people.choices import Disability, Sex, UPNUnknown
from continuum.statutory.choices import (
    AbuseCategory,
    AssessmentFactor,
    InvolvementKind,
    PrimaryNeed,
    ReferralClosure,
)
from continuum.statutory.models import CensusChild, StatutoryInvolvement
from continuum.testing import factories

PAGE = Path(__file__).resolve().parents[3] / "docs" / "census-codes.md"
LISTS: dict[str, type[models.TextChoices]] = {
    "Reason for closure": ReferralClosure,
    "Primary need": PrimaryNeed,
    "Factors identified at the end of assessment": AssessmentFactor,
    "Category of abuse": AbuseCategory,
    "Sex": Sex,
    "Disability": Disability,
    "UPN unknown": UPNUnknown,
    "Source of referral": ReferralSource,
}


def _tables() -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {}
    heading = ""
    for line in PAGE.read_text().splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            tables[heading] = []
        elif heading and (row := re.fullmatch(r"\| (\S+) \| (.+) \|", line)) and row[1] != "code":
            tables[heading].append((row[1], row[2]))
    return tables


def test_the_reference_page_lists_every_code_with_its_meaning() -> None:
    tables = _tables()
    assert set(tables) == set(LISTS)
    for heading, choices in LISTS.items():
        assert tables[heading] == [(str(c), str(label)) for c, label in choices.choices], heading


def test_the_codes_are_the_2025_to_2026_lists() -> None:
    assert ReferralClosure.values == [f"RC{n}" for n in range(1, 10)]
    assert PrimaryNeed.values == [f"N{n}" for n in range(10)]
    assert set(AbuseCategory.values) == {"NEG", "PHY", "EMO", "SAB", "MUL"}
    assert set(Sex.values) == {"M", "F", "U"}
    assert UPNUnknown.values == [f"UN{n}" for n in range(1, 8)]
    assert set(Disability.values) == {
        "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT",
        "DDA",
    }  # fmt: skip
    factors = set(AssessmentFactor.values)
    assert {"18B", "18C", "19B", "19C", "22A", "23A", "24A", "21"} <= factors
    assert not {"18A", "19A"} & factors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (InvolvementKind.ASSESSMENT, "primary_need", PrimaryNeed.ABUSE_OR_NEGLECT),
        (InvolvementKind.ASSESSMENT, "referral_nfa", True),
        (InvolvementKind.CHILD_IN_NEED_PLAN, "strategy_discussion_date", date(2026, 1, 5)),
        (InvolvementKind.CHILD_IN_NEED_PLAN, "icpc_not_required", True),
        (InvolvementKind.SECTION_47, "latest_abuse_category", AbuseCategory.NEGLECT),
        (InvolvementKind.SECTION_47, "previous_plans", 1),
        (InvolvementKind.CHILD_PROTECTION_PLAN, "internal_review_date", date(2026, 1, 5)),
    ],
)
def test_each_detail_belongs_to_one_kind_of_record(
    stockton: Council, kind: str, field: str, value: Any
) -> None:
    referral = cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(council=stockton, start_date=date(2026, 1, 5)),
    )
    part = StatutoryInvolvement(
        person=referral.person,
        council=stockton,
        kind=kind,
        referral=referral,
        start_date=date(2026, 1, 6),
        **{field: value},
    )
    with pytest.raises(ValidationError) as error:
        part.full_clean()
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_a_strategy_discussion_comes_before_its_enquiry(stockton: Council) -> None:
    referral = cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(council=stockton, start_date=date(2026, 1, 5)),
    )
    enquiry = StatutoryInvolvement(
        person=referral.person,
        council=stockton,
        kind=InvolvementKind.SECTION_47,
        referral=referral,
        start_date=date(2026, 1, 6),
        strategy_discussion_date=date(2026, 1, 7),
    )
    with pytest.raises(ValidationError) as error:
        enquiry.full_clean()
    assert "strategy_discussion_date" in error.value.message_dict
    enquiry.strategy_discussion_date = date(2026, 1, 6)
    enquiry.full_clean()
    referral.closure_reason = "RC10"
    with pytest.raises(ValidationError) as error:
        referral.full_clean()
    assert "closure_reason" in error.value.message_dict


@pytest.mark.django_db
def test_an_la_child_id_is_unique_within_its_council_only(
    stockton: Council, hartlepool: Council
) -> None:
    first = factories.CensusChildFactory(council=stockton, la_child_id="1234567")
    factories.CensusChildFactory(council=hartlepool, la_child_id="1234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CensusChildFactory(council=stockton, la_child_id="1234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CensusChildFactory(council=stockton, person=first.person, la_child_id="7654321")
    assert CensusChild.objects.filter(council=stockton).count() == 1
