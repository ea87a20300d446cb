"""Running the DfE's CIN census rules over a file: typed failures, errors apart from
queries, and unsafe or broken files refused before any rule runs."""

from __future__ import annotations

import pytest

from continuum.statutory.census.validation import (
    CensusFileError,
    Severity,
    parse_census,
    rule_pack_year,
    validate_census,
)

HEADER = """<Header><CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>
<ReferenceDate>{year}-03-31</ReferenceDate></CollectionDetails><Source>
<SourceLevel>L</SourceLevel><LEA>808</LEA><SoftwareCode>Continuum</SoftwareCode>
<Release>1</Release><SerialNo>1</SerialNo><DateTime>{year}-04-02T10:00:00</DateTime>
</Source></Header>"""


def census(children: str, year: int = 2026) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Message>{HEADER.format(year=year)}'
        f"<Children>{children}</Children></Message>"
    ).encode()


CHILD = """<Child><ChildIdentifiers><LAchildID>{id}</LAchildID><UPNunknown>UN1</UPNunknown>
<PersonBirthDate>2022-01-01</PersonBirthDate><Sex>{sex}</Sex></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability>
</Disabilities></ChildCharacteristics><CINdetails><CINreferralDate>2025-05-01</CINreferralDate>
<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
<CINclosureDate>2025-06-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>
<ReferralNFA>0</ReferralNFA>{parts}</CINdetails></Child>"""


def child(la_child_id: str = "C1", sex: str = "M", parts: str = "") -> str:
    return CHILD.format(id=la_child_id, sex=sex, parts=parts)


def test_a_clean_child_has_no_errors() -> None:
    report = validate_census(census(child()))
    assert report.year == 2026
    assert report.rules_run > 100
    assert report.errors == ()
    assert report.passed
    # Queries about the return as a whole are still listed (few disability codes used).
    assert all(f.severity == Severity.QUERY for f in report.queries)


def test_each_failure_names_its_rule_child_and_table() -> None:
    report = validate_census(census(child("C1", sex="X") + child("C2")))
    sex = [f for f in report.errors if f.code == "4180"]
    assert len(sex) == 1
    assert sex[0].la_child_id == "C1"
    assert sex[0].table == "ChildIdentifiers"
    assert "Sex" in sex[0].fields
    assert "M, F, or U" in sex[0].message
    assert not report.passed
    assert set(report.by_child()) >= {"C1"}


def test_every_review_date_is_checked_not_only_the_first() -> None:
    plan = """<ChildProtectionPlans><CPPstartDate>2025-05-02</CPPstartDate>
    <CPPendDate>2025-05-30</CPPendDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
    <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP>
    <Reviews><CPPreviewDate>2025-05-20</CPPreviewDate><CPPreviewDate>2025-05-01</CPPreviewDate>
    </Reviews></ChildProtectionPlans>"""
    report = validate_census(census(child(parts=plan)), rules=["8841"])
    assert [f.code for f in report.errors] == ["8841", "8841"]


def test_the_year_chooses_the_rules() -> None:
    assert rule_pack_year(2026) == 2026
    # Before the validator's first pack, its oldest rules.
    assert rule_pack_year(2021) == 2023
    with pytest.raises(ValueError, match="no census rules"):
        rule_pack_year(2040)


@pytest.mark.parametrize(
    "data",
    [
        b"<Message><Header>",
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<Message>&b;</Message>",
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Message>&x;</Message>",
    ],
    ids=["malformed", "entity-expansion", "external-entity"],
)
def test_unsafe_or_broken_files_are_refused(data: bytes) -> None:
    with pytest.raises(CensusFileError):
        parse_census(data)


def test_a_file_without_the_census_shape_is_refused() -> None:
    with pytest.raises(CensusFileError, match="not a CIN census"):
        validate_census(b"<Message><Something/></Message>")
