"""The census file as the DfE rules' tables, built in one pass: exactly the tables the
validator's own converter builds (so the rules see the same data), in a fraction of the
time."""

from __future__ import annotations

import contextlib
import io
import warnings

import pandas as pd
import pytest
from cin_validator.cin_validator import convert_data

from continuum.demo.census_file import census_file
from continuum.statutory.census.tables import census_tables
from continuum.statutory.census.validation import parse_census

RICH = b"""<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
      <ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>808</LEA><SoftwareCode>X</SoftwareCode>
      <Release>1</Release><SerialNo>1</SerialNo><DateTime>2026-04-01T10:00:00</DateTime></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>A1</LAchildID><UPNunknown>UN1</UPNunknown>
        <ExpectedPersonBirthDate>2026-05-01</ExpectedPersonBirthDate><Sex>U</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2026-01-05</CINreferralDate><ReferralNFA>1</ReferralNFA>
        <CINclosureDate>2026-01-05</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>B2</LAchildID><UPN>A808200012001</UPN>
        <PersonBirthDate>2015-02-03</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>HAND</Disability><Disability>VIS</Disability></Disabilities>
      </ChildCharacteristics>
      <CINdetails><CINreferralDate>2025-04-10</CINreferralDate><ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>
        <Assessments><AssessmentActualStartDate>2025-04-11</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-05-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>1B</AssessmentFactors>
            <AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <Assessments><AssessmentActualStartDate>2025-09-01</AssessmentActualStartDate>
          <FactorsIdentifiedAtAssessment></FactorsIdentifiedAtAssessment></Assessments>
        <CINPlanDates><CINPlanStartDate>2025-05-20</CINPlanStartDate>
          <CINPlanEndDate>2025-06-30</CINPlanEndDate></CINPlanDates>
        <Section47><S47ActualStartDate>2025-07-01</S47ActualStartDate>
          <InitialCPCtarget>2025-07-22</InitialCPCtarget><DateOfInitialCPC>2025-07-15</DateOfInitialCPC>
          <ICPCnotRequired>0</ICPCnotRequired></Section47>
        <ChildProtectionPlans><CPPstartDate>2025-07-15</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>2025-10-01</CPPreviewDate><CPPreviewDate>2026-02-01</CPPreviewDate></Reviews>
          <Reviews><CPPreviewDate>2026-03-01</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
        <ChildProtectionPlans><CPPstartDate>2025-05-01</CPPstartDate><CPPendDate>2025-05-10</CPPendDate>
        </ChildProtectionPlans>
      </CINdetails>
      <CINdetails><CINreferralDate>2024-04-10</CINreferralDate><CINclosureDate>2025-04-09</CINclosureDate>
        <ReasonForClosure>RC7</ReasonForClosure></CINdetails>
    </Child>
  </Children>
</Message>"""


@pytest.mark.parametrize(
    "data",
    [RICH, census_file(la_code="808", year=2026, children=60, seed=9)],
    ids=["every module", "generated"],
)
def test_the_tables_are_the_validators_own(data: bytes) -> None:
    root = parse_census(data)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = convert_data(root)
    ours = census_tables(root)
    assert list(ours) == list(theirs)
    for name, table in theirs.items():
        pd.testing.assert_frame_equal(ours[name], table, obj=name)
