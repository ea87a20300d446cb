"""Writing a council's CIN census return: which children, episodes and modules a census
year holds, in the census's elements, and what the DfE's rules make of it."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from xml.etree.ElementTree import Element  # noqa: S405  (types only; parsing is defusedxml)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory.census.validation import parse_census, validate_census
from continuum.statutory.census.writing import (
    CensusReturn,
    census_period,
    census_year_on,
    check_year,
)
from continuum.statutory.choices import InvolvementKind as Kind
from continuum.statutory.models import CensusChild, ProtectionPlanReview, StatutoryInvolvement
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def child(council: Council, **fields: Any) -> Person:
    defaults: dict[str, Any] = {
        "date_of_birth": date(2015, 6, 1),
        "sex": "F",
        "ethnicity": "WBRI",
        "disabilities": ["NONE"],
    }
    return cast(Person, factories.PersonFactory(council=council, **(defaults | fields)))


def involvement(person: Person, kind: str, start: date, end: date | None = None, **fields: Any):
    return StatutoryInvolvement.objects.create(
        person=person,
        council=person.council,
        kind=kind,
        start_date=start,
        end_date=end,
        **fields,
    )


def referral(person: Person, start: date, end: date | None = None, **fields: Any):
    defaults = {"referral_source": "2A", "primary_need": "N1"}
    if end is not None:
        defaults["closure_reason"] = "RC7"
    return involvement(person, Kind.REFERRAL, start, end, **(defaults | fields))


def exported(council: Council, year: int) -> Element:
    return parse_census(CensusReturn(council, year).to_bytes())


def children_ids(root: Element) -> list[str]:
    return [c.findtext("ChildIdentifiers/LAchildID") or "" for c in root.iter("Child")]


def the_child(root: Element, la_child_id: str) -> Element:
    found = [
        c for c in root.iter("Child") if c.findtext("ChildIdentifiers/LAchildID") == la_child_id
    ]
    assert len(found) == 1
    return found[0]


def test_the_census_year_ends_on_31_march() -> None:
    assert census_period(2026) == (date(2025, 4, 1), date(2026, 3, 31))
    assert census_year_on(date(2026, 3, 31)) == 2026
    assert census_year_on(date(2026, 4, 1)) == 2027
    with pytest.raises(ValueError, match="Choose a census year"):
        check_year(2008)
    with pytest.raises(ValueError, match="Choose a census year"):
        check_year(2028, today=date(2026, 12, 5))


def test_the_header_names_the_collection_year_and_council(stockton: Council) -> None:
    root = exported(stockton, 2026)
    assert root.tag == "Message"
    assert root.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert root.findtext("Header/Source/SourceLevel") == "L"
    assert root.findtext("Header/Source/LEA") == stockton.dfe_la_code
    assert root.findtext("Header/Source/SoftwareCode") == "Continuum"
    assert root.find("Children") is not None


def test_a_return_holds_the_episodes_open_in_the_year_and_only_the_council(
    stockton: Council, hartlepool: Council
) -> None:
    closed_before = child(stockton)
    referral(closed_before, date(2024, 5, 1), date(2025, 3, 31))
    closed_in_year = child(stockton)
    referral(closed_in_year, date(2024, 5, 1), date(2025, 4, 1))
    referred_after = child(stockton)
    referral(referred_after, date(2026, 4, 1))
    still_open = child(stockton)
    referral(still_open, date(2020, 1, 6))
    elsewhere = child(hartlepool)
    referral(elsewhere, date(2025, 6, 2))
    CensusChild.objects.create(council=stockton, person=closed_in_year, la_child_id="SC0001")
    census = CensusReturn(stockton, 2026)
    assert set(census.person_ids) == {closed_in_year.pk, still_open.pk}
    root = parse_census(census.to_bytes())
    assert "SC0001" in children_ids(root)
    episode = the_child(root, "SC0001").find("CINdetails")
    assert episode is not None
    assert episode.findtext("CINclosureDate") == "2025-04-01"
    assert episode.findtext("ReasonForClosure") == "RC7"


def test_what_happened_after_the_reference_date_is_not_yet_known(stockton: Council) -> None:
    person = child(stockton)
    CensusChild.objects.create(council=stockton, person=person, la_child_id="SC0002")
    episode = referral(person, date(2026, 1, 5), date(2026, 9, 1))
    involvement(
        person, Kind.ASSESSMENT, date(2026, 1, 6), date(2026, 4, 20), referral=episode,
        factors=["3B"],
    )  # fmt: skip
    plan = involvement(
        person, Kind.CHILD_PROTECTION_PLAN, date(2026, 2, 2), date(2026, 8, 1),
        referral=episode, abuse_category="NEG", previous_plans=1,
    )  # fmt: skip
    ProtectionPlanReview.objects.create(plan=plan, review_date=date(2026, 3, 2))
    ProtectionPlanReview.objects.create(plan=plan, review_date=date(2026, 6, 1))
    involvement(person, Kind.CHILD_IN_NEED_PLAN, date(2026, 4, 2), referral=episode)
    details = the_child(exported(stockton, 2026), "SC0002").find("CINdetails")
    assert details is not None
    assert details.find("CINclosureDate") is None
    assert details.find("ReasonForClosure") is None
    assessment = details.find("Assessments")
    assert assessment is not None
    assert assessment.findtext("AssessmentActualStartDate") == "2026-01-06"
    assert assessment.find("AssessmentAuthorisationDate") is None
    # Factors only once the assessment is authorised.
    assert assessment.find("FactorsIdentifiedAtAssessment") is None
    plan_element = details.find("ChildProtectionPlans")
    assert plan_element is not None
    assert plan_element.find("CPPendDate") is None
    assert plan_element.findtext("LatestCategoryOfAbuse") == "NEG"
    assert plan_element.findtext("NumberOfPreviousCPP") == "1"
    assert [r.text for r in plan_element.iter("CPPreviewDate")] == ["2026-03-02"]
    assert details.find("CINPlanDates") is None


def test_an_enquiry_and_its_conference_and_plan(stockton: Council) -> None:
    person = child(stockton, disabilities=["AUT", "LD"], sex="M")
    CensusChild.objects.create(council=stockton, person=person, la_child_id="SC0003")
    episode = referral(person, date(2025, 6, 2))
    enquiry = involvement(
        person, Kind.SECTION_47, date(2025, 6, 3), date(2025, 6, 20), referral=episode,
        icpc_target_date=date(2025, 6, 24),
    )  # fmt: skip
    involvement(
        person, Kind.INITIAL_CONFERENCE, date(2025, 6, 20), date(2025, 6, 20),
        referral=episode, enquiry=enquiry,
    )  # fmt: skip
    # An enquiry that needed no conference.
    involvement(
        person, Kind.SECTION_47, date(2025, 9, 1), date(2025, 9, 10), referral=episode,
        icpc_not_required=True,
    )  # fmt: skip
    involvement(
        person, Kind.CHILD_PROTECTION_PLAN, date(2025, 6, 20), referral=episode,
        abuse_category="EMO", latest_abuse_category="MUL",
    )  # fmt: skip
    found = the_child(exported(stockton, 2026), "SC0003")
    assert [d.text for d in found.iter("Disability")] == ["AUT", "LD"]
    assert found.findtext("ChildIdentifiers/Sex") == "M"
    details = found.find("CINdetails")
    assert details is not None
    assert details.find("DateOfInitialCPC") is None  # at the enquiry's level instead
    enquiries = details.findall("Section47")
    assert [e.findtext("DateOfInitialCPC") for e in enquiries] == ["2025-06-20", None]
    assert [e.findtext("ICPCnotRequired") for e in enquiries] == ["0", "1"]
    assert enquiries[0].findtext("InitialCPCtarget") == "2025-06-24"
    plan = details.find("ChildProtectionPlans")
    assert plan is not None
    assert plan.findtext("InitialCategoryOfAbuse") == "EMO"
    assert plan.findtext("LatestCategoryOfAbuse") == "MUL"
    assert plan.findtext("NumberOfPreviousCPP") == "0"


def test_a_conference_not_linked_to_its_enquiry_is_taken_as_the_enquirys(
    stockton: Council,
) -> None:
    person = child(stockton)
    CensusChild.objects.create(council=stockton, person=person, la_child_id="SC0004")
    episode = referral(person, date(2025, 6, 2))
    involvement(person, Kind.SECTION_47, date(2025, 6, 3), date(2025, 6, 20), referral=episode)
    involvement(
        person, Kind.INITIAL_CONFERENCE, date(2025, 6, 20), date(2025, 6, 20), referral=episode
    )
    details = the_child(exported(stockton, 2026), "SC0004").find("CINdetails")
    assert details is not None
    assert details.find("DateOfInitialCPC") is None
    assert details.findtext("Section47/DateOfInitialCPC") == "2025-06-20"


def test_before_2025_the_census_asked_for_gender(stockton: Council) -> None:
    person = child(stockton, sex="M")
    CensusChild.objects.create(council=stockton, person=person, la_child_id="SC0005")
    referral(person, date(2023, 6, 5))
    found = the_child(exported(stockton, 2024), "SC0005")
    assert found.findtext("ChildIdentifiers/GenderCurrent") == "1"
    assert found.find("ChildIdentifiers/Sex") is None


def test_an_unborn_child_has_an_expected_date_and_no_birth_date(stockton: Council) -> None:
    person = child(
        stockton, kind="unborn", date_of_birth=None, expected_date_of_birth=date(2026, 5, 1),
        sex="U", upn=None, upn_unknown_reason="UN1", disabilities=[],
    )  # fmt: skip
    CensusChild.objects.create(council=stockton, person=person, la_child_id="SC0006")
    referral(person, date(2026, 1, 12))
    identifiers = the_child(exported(stockton, 2026), "SC0006").find("ChildIdentifiers")
    assert identifiers is not None
    assert identifiers.find("PersonBirthDate") is None
    assert identifiers.findtext("ExpectedPersonBirthDate") == "2026-05-01"
    assert identifiers.findtext("UPNunknown") == "UN1"
    assert identifiers.find("UPN") is None


def test_a_child_the_return_never_named_has_an_id_the_census_accepts(stockton: Council) -> None:
    person = child(stockton)
    referral(person, date(2025, 6, 2))
    (la_child_id,) = children_ids(exported(stockton, 2026))
    assert la_child_id.isalnum()
    assert len(la_child_id) <= 20


def test_a_clean_return_passes_the_dfe_rules(stockton: Council) -> None:
    person = child(stockton)
    CensusChild.objects.create(council=stockton, person=person, la_child_id="SC0007")
    episode = referral(person, date(2025, 6, 2), date(2025, 12, 1))
    involvement(
        person, Kind.ASSESSMENT, date(2025, 6, 2), date(2025, 7, 14), referral=episode,
        factors=["3B", "4B"],
    )  # fmt: skip
    involvement(person, Kind.CHILD_IN_NEED_PLAN, date(2025, 7, 21), date(2025, 12, 1),
                referral=episode)  # fmt: skip
    report = validate_census(CensusReturn(stockton, 2026).to_bytes())
    assert report.errors == (), [str(e) for e in report.errors]


def test_the_return_is_read_in_a_few_queries_whatever_its_size(stockton: Council) -> None:
    for number in range(12):
        person = child(stockton)
        CensusChild.objects.create(council=stockton, person=person, la_child_id=f"Q{number}")
        episode = referral(person, date(2025, 6, 2))
        plan = involvement(
            person, Kind.CHILD_PROTECTION_PLAN, date(2025, 7, 1), referral=episode,
            abuse_category="NEG",
        )  # fmt: skip
        ProtectionPlanReview.objects.create(plan=plan, review_date=date(2025, 9, 1))
    with CaptureQueriesContext(connection) as queries:
        data = CensusReturn(stockton, 2026).to_bytes()
    assert data.count(b"<Child>") == 12
    assert len(queries) <= 6
