"""A synthetic children in need census return, as a council would send it: ``N`` children
for a council and census year, the same for the same seed. Used by the census import's
tests and the benchmark (``cin_import_seconds``), and to try the import by hand:

    from continuum.demo.census_file import census_file
    data = census_file(la_code="808", year=2026, children=5000, seed=1)

The children are made up (no real person), and their episodes follow the DfE's rules as far
as a generator can: an assessment starts within days of the referral and is authorised
within 45 working days, an initial conference is held within 15 working days of the
enquiry's start and starts the child protection plan, reviews follow, cases close with a
census reason after what they held has ended, and every date is a working day inside the
census year.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from xml.sax.saxutils import escape

from continuum.people.choices import Ethnicity
from continuum.people.identifiers import synthetic_upn
from continuum.timescales.working_days import WorkingCalendar, calendar_covering

REFERRAL_SOURCES = ("1A", "1B", "2A", "3A", "3B", "3E", "4", "5A", "5D", "6", "8")
PRIMARY_NEEDS = ("N1", "N1", "N1", "N2", "N3", "N4", "N5", "N5", "N6", "N7", "N8")
FACTORS = ("1B", "2B", "3A", "3B", "4B", "5B", "6A", "7A", "10A", "14A", "16A", "17A", "18B")
ETHNICITIES = tuple(code for code in Ethnicity.values if code not in ("REFU", "NOBT"))
CATEGORIES = ("NEG", "NEG", "EMO", "PHY", "SAB", "MUL")


@dataclass
class _Xml:
    parts: list[str] = field(default_factory=list)

    def open(self, name: str, depth: int) -> None:
        self.parts.append(f"{'  ' * depth}<{name}>\n")

    def close(self, name: str, depth: int) -> None:
        self.parts.append(f"{'  ' * depth}</{name}>\n")

    def value(self, name: str, value: object, depth: int) -> None:
        if value is None or value == "":
            return
        text = value.isoformat() if isinstance(value, date) else str(value)
        self.parts.append(f"{'  ' * depth}<{name}>{escape(text)}</{name}>\n")


def census_file(
    *, la_code: str, year: int, children: int, seed: int = 1, id_prefix: str = "C"
) -> bytes:
    """A census return (XML bytes) of ``children`` synthetic children for the council with
    DfE LA code ``la_code`` and census year ``year`` (ending 31 March)."""
    rng = random.Random(f"census-file:{la_code}:{year}:{seed}")
    start, reference = date(year - 1, 4, 1), date(year, 3, 31)
    calendar = calendar_covering(start - timedelta(days=30), reference + timedelta(days=120))
    xml = _Xml()
    xml.parts.append('<?xml version="1.0" encoding="utf-8"?>\n')
    xml.open("Message", 0)
    xml.open("Header", 1)
    xml.open("CollectionDetails", 2)
    xml.value("Collection", "CIN", 3)
    xml.value("Year", year, 3)
    xml.value("ReferenceDate", reference, 3)
    xml.close("CollectionDetails", 2)
    xml.open("Source", 2)
    xml.value("SourceLevel", "L", 3)
    xml.value("LEA", la_code, 3)
    xml.value("SoftwareCode", "Continuum demo", 3)
    xml.value("Release", "1", 3)
    xml.value("SerialNo", "1", 3)
    xml.value("DateTime", f"{reference.isoformat()}T12:00:00", 3)
    xml.close("Source", 2)
    xml.close("Header", 1)
    xml.open("Children", 1)
    upns: set[str] = set()
    for number in range(1, children + 1):
        _child(xml, rng, calendar, number, la_code, start, reference, upns, id_prefix)
    xml.close("Children", 1)
    xml.close("Message", 0)
    return "".join(xml.parts).encode()


def _child(
    xml: _Xml,
    rng: random.Random,
    cal: WorkingCalendar,
    number: int,
    la_code: str,
    start: date,
    reference: date,
    upns: set[str],
    id_prefix: str,
) -> None:
    span = (reference - start).days
    referral = cal.first_on_or_after(start + timedelta(days=rng.randrange(span - 60)))
    age_days = rng.randrange(200, 17 * 365)
    birth = referral - timedelta(days=age_days)
    upn = ""
    if age_days > 5 * 365:
        while not upn or upn in upns:
            upn = synthetic_upn(rng, la_code=la_code, year=birth.year + 5)
        upns.add(upn)
    xml.open("Child", 2)
    xml.open("ChildIdentifiers", 3)
    xml.value("LAchildID", f"{id_prefix}{number:07d}", 4)
    xml.value("UPN", upn, 4)
    xml.value("UPNunknown", "" if upn else "UN1", 4)
    xml.value("PersonBirthDate", birth, 4)
    xml.value("Sex", rng.choice("MF"), 4)
    xml.close("ChildIdentifiers", 3)
    xml.open("ChildCharacteristics", 3)
    xml.value("Ethnicity", rng.choice(ETHNICITIES), 4)
    xml.open("Disabilities", 4)
    xml.value("Disability", "NONE", 5)
    xml.close("Disabilities", 4)
    xml.close("ChildCharacteristics", 3)
    _episode(xml, rng, cal, referral, reference)
    xml.close("Child", 2)


@dataclass
class _Episode:
    referral: date
    assessment_start: date
    authorised: date | None = None
    plan_start: date | None = None
    enquiry_start: date | None = None
    target: date | None = None
    conference: date | None = None
    cpp_start: date | None = None
    reviews: list[date] = field(default_factory=list)
    closure: date | None = None
    reason: str = ""


def _dates(rng: random.Random, cal: WorkingCalendar, referral: date, reference: date) -> _Episode:
    def known(day: date | None) -> date | None:
        return day if day is not None and day <= reference else None

    e = _Episode(referral=referral, assessment_start=cal.after(referral, rng.randint(0, 3)))
    e.authorised = known(cal.after(e.assessment_start, rng.randint(8, 40)))
    if rng.random() < 0.18:
        e.enquiry_start = cal.after(referral, rng.randint(0, 2))
        e.target = cal.after(e.enquiry_start, 15)
        e.conference = known(cal.after(e.enquiry_start, rng.randint(8, 15)))
    e.cpp_start = e.conference if e.conference and rng.random() < 0.8 else None
    # A child in need plan never runs beside a child protection plan.
    if e.authorised and e.cpp_start is None and rng.random() < 0.45:
        e.plan_start = e.authorised
    if e.cpp_start:
        review = cal.after(e.cpp_start, 60)
        while review <= reference:
            e.reviews.append(review)
            review = cal.after(review, 120)
    held = (e.assessment_start, e.authorised, e.plan_start, e.conference, *e.reviews)
    last = max(day for day in held if day)
    if e.authorised and rng.random() < 0.4:
        e.closure = known(cal.after(last, rng.randint(10, 120)))
    if e.closure:
        plans = e.cpp_start or e.plan_start
        e.reason = "RC7" if plans else rng.choice(("RC8", "RC9", "RC7"))
    return e


def _episode(
    xml: _Xml, rng: random.Random, cal: WorkingCalendar, referral: date, reference: date
) -> None:
    e = _dates(rng, cal, referral, reference)
    xml.open("CINdetails", 3)
    xml.value("CINreferralDate", referral, 4)
    xml.value("ReferralSource", rng.choice(REFERRAL_SOURCES), 4)
    xml.value("PrimaryNeedCode", rng.choice(PRIMARY_NEEDS), 4)
    xml.value("CINclosureDate", e.closure, 4)
    xml.value("ReasonForClosure", e.reason, 4)
    xml.value("ReferralNFA", "0", 4)
    xml.open("Assessments", 4)
    xml.value("AssessmentActualStartDate", e.assessment_start, 5)
    xml.value("AssessmentAuthorisationDate", e.authorised, 5)
    if e.authorised:
        xml.open("FactorsIdentifiedAtAssessment", 5)
        for code in sorted(rng.sample(FACTORS, rng.randint(1, 3))):
            xml.value("AssessmentFactors", code, 6)
        xml.close("FactorsIdentifiedAtAssessment", 5)
    xml.close("Assessments", 4)
    if e.plan_start:
        xml.open("CINPlanDates", 4)
        xml.value("CINPlanStartDate", e.plan_start, 5)
        xml.value("CINPlanEndDate", e.closure, 5)
        xml.close("CINPlanDates", 4)
    if e.enquiry_start:
        xml.open("Section47", 4)
        xml.value("S47ActualStartDate", e.enquiry_start, 5)
        xml.value("InitialCPCtarget", e.target, 5)
        xml.value("DateOfInitialCPC", e.conference, 5)
        xml.value("ICPCnotRequired", "0", 5)
        xml.close("Section47", 4)
    if e.cpp_start:
        _plan(xml, rng, e)
    xml.close("CINdetails", 3)


def _plan(xml: _Xml, rng: random.Random, e: _Episode) -> None:
    category = rng.choice(CATEGORIES)
    xml.open("ChildProtectionPlans", 4)
    xml.value("CPPstartDate", e.cpp_start, 5)
    xml.value("CPPendDate", e.closure, 5)
    xml.value("InitialCategoryOfAbuse", category, 5)
    xml.value("LatestCategoryOfAbuse", category, 5)
    xml.value("NumberOfPreviousCPP", "0", 5)
    if e.reviews:
        xml.open("Reviews", 5)
        for review in e.reviews:
            xml.value("CPPreviewDate", review, 6)
        xml.close("Reviews", 5)
    xml.close("ChildProtectionPlans", 4)
