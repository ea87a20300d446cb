"""Reading a council's children in need census return (the DfE's XML) for import.

``read_census(data, council=...)`` parses the file safely (``defusedxml``: no DTD, no
entity expansion, no external references: ``validation.parse_census``) and checks all of it
against the census's structure before anything is saved: element names and nesting, the
elements each part needs, ISO dates that exist, codes in the census's lists (the project's
reference data: ``statutory.choices``, ``people.choices``, ``front_door.choices``), the
header's LEA a council in Continuum (and the one chosen), the census year matching its
reference date, and every date inside the year's scope. A file that does not fit is refused
whole (``FileRefused``) with every problem, each named by child (LA child ID) and element.
What fits is returned as plain records (``CensusFile``) for ``importing`` to write.

Whether the return passes the DfE's own validation rules is a separate question, asked after
the import (``validation``); its errors and queries become data-quality findings.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405  (types only; parsing is defusedxml)

from continuum.front_door.choices import ReferralSource
from continuum.imports.registry import FileRefused, Problem
from continuum.organisations.models import Council
from continuum.people.choices import Disability, Ethnicity, Sex, UPNUnknown
from continuum.people.identifiers import is_valid_upn
from continuum.statutory.census.validation import CensusFileError, parse_census
from continuum.statutory.census.writing import GENDER_CODES, census_period
from continuum.statutory.choices import (
    AbuseCategory,
    AssessmentFactor,
    PrimaryNeed,
    ReferralClosure,
)
from continuum.ui.dates import govuk_date

# --- the records a file holds ------------------------------------------------------------


@dataclass
class Assessment:
    start_date: date
    internal_review_date: date | None = None
    authorised_date: date | None = None
    factors: list[str] = field(default_factory=list)


@dataclass
class PlanDates:
    start_date: date
    end_date: date | None = None


@dataclass
class Enquiry:
    start_date: date
    icpc_target_date: date | None = None
    conference_date: date | None = None
    icpc_not_required: bool = False


@dataclass
class ProtectionPlan:
    start_date: date
    end_date: date | None = None
    abuse_category: str = ""
    latest_abuse_category: str = ""
    previous_plans: int | None = None
    reviews: list[date] = field(default_factory=list)


@dataclass
class Episode:
    """One CINdetails: a referral to children's social care and what followed."""

    referral_date: date
    referral_source: str = ""
    primary_need: str = ""
    closure_date: date | None = None
    closure_reason: str = ""
    conference_date: date | None = None  # an initial conference that followed no enquiry
    referral_nfa: bool = False
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[PlanDates] = field(default_factory=list)
    enquiries: list[Enquiry] = field(default_factory=list)
    protection_plans: list[ProtectionPlan] = field(default_factory=list)


@dataclass
class CensusRecord:
    """One Child of the return."""

    la_child_id: str
    upn: str = ""
    former_upn: str = ""
    upn_unknown_reason: str = ""
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = Sex.UNKNOWN
    date_of_death: date | None = None
    ethnicity: str = ""
    disabilities: list[str] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The record as JSON (dates as ISO text): kept while a match waits to be resolved."""
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> CensusRecord:
        def day(text: Any) -> date | None:
            return date.fromisoformat(text) if text else None

        episodes = []
        for raw in value.get("episodes", []):
            episodes.append(
                Episode(
                    referral_date=date.fromisoformat(raw["referral_date"]),
                    referral_source=raw["referral_source"],
                    primary_need=raw["primary_need"],
                    closure_date=day(raw["closure_date"]),
                    closure_reason=raw["closure_reason"],
                    conference_date=day(raw["conference_date"]),
                    referral_nfa=raw["referral_nfa"],
                    assessments=[
                        Assessment(
                            start_date=date.fromisoformat(a["start_date"]),
                            internal_review_date=day(a["internal_review_date"]),
                            authorised_date=day(a["authorised_date"]),
                            factors=list(a["factors"]),
                        )
                        for a in raw["assessments"]
                    ],
                    cin_plans=[
                        PlanDates(date.fromisoformat(p["start_date"]), day(p["end_date"]))
                        for p in raw["cin_plans"]
                    ],
                    enquiries=[
                        Enquiry(
                            start_date=date.fromisoformat(e["start_date"]),
                            icpc_target_date=day(e["icpc_target_date"]),
                            conference_date=day(e["conference_date"]),
                            icpc_not_required=e["icpc_not_required"],
                        )
                        for e in raw["enquiries"]
                    ],
                    protection_plans=[
                        ProtectionPlan(
                            start_date=date.fromisoformat(p["start_date"]),
                            end_date=day(p["end_date"]),
                            abuse_category=p["abuse_category"],
                            latest_abuse_category=p["latest_abuse_category"],
                            previous_plans=p["previous_plans"],
                            reviews=[date.fromisoformat(r) for r in p["reviews"]],
                        )
                        for p in raw["protection_plans"]
                    ],
                )
            )
        return cls(
            la_child_id=value["la_child_id"],
            upn=value["upn"],
            former_upn=value["former_upn"],
            upn_unknown_reason=value["upn_unknown_reason"],
            date_of_birth=day(value["date_of_birth"]),
            expected_date_of_birth=day(value["expected_date_of_birth"]),
            sex=value["sex"],
            date_of_death=day(value["date_of_death"]),
            ethnicity=value["ethnicity"],
            disabilities=list(value["disabilities"]),
            episodes=episodes,
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


@dataclass
class CensusFile:
    council: Council
    year: int
    reference_date: date
    period_start: date
    children: list[CensusRecord]
    root: Element | None = field(repr=False)

    @property
    def summary(self) -> str:
        return f"Census year {self.year - 1} to {self.year}: {len(self.children)} children"


# --- the structure -----------------------------------------------------------------------

ONE, OPTIONAL, MANY, AT_LEAST_ONE = "1", "?", "*", "+"
# Each element that holds others: the elements it may hold, in order, and how many.
STRUCTURE: dict[str, list[tuple[str, str]]] = {
    "Message": [("Header", ONE), ("Children", ONE)],
    "Header": [("CollectionDetails", ONE), ("Source", ONE)],
    "CollectionDetails": [("Collection", ONE), ("Year", ONE), ("ReferenceDate", ONE)],
    "Source": [
        ("SourceLevel", OPTIONAL),
        ("LEA", ONE),
        ("SoftwareCode", OPTIONAL),
        ("Release", OPTIONAL),
        ("SerialNo", OPTIONAL),
        ("DateTime", OPTIONAL),
    ],
    "Children": [("Child", MANY)],
    "Child": [
        ("ChildIdentifiers", ONE),
        ("ChildCharacteristics", OPTIONAL),
        ("CINdetails", AT_LEAST_ONE),
    ],
    "ChildIdentifiers": [
        ("LAchildID", ONE),
        ("UPN", OPTIONAL),
        ("FormerUPN", OPTIONAL),
        ("UPNunknown", OPTIONAL),
        ("PersonBirthDate", OPTIONAL),
        ("ExpectedPersonBirthDate", OPTIONAL),
        ("GenderCurrent", OPTIONAL),
        ("Sex", OPTIONAL),
        ("PersonDeathDate", OPTIONAL),
    ],
    "ChildCharacteristics": [("Ethnicity", OPTIONAL), ("Disabilities", OPTIONAL)],
    "Disabilities": [("Disability", MANY)],
    "CINdetails": [
        ("CINreferralDate", ONE),
        ("ReferralSource", OPTIONAL),
        ("PrimaryNeedCode", OPTIONAL),
        ("CINclosureDate", OPTIONAL),
        ("ReasonForClosure", OPTIONAL),
        ("DateOfInitialCPC", OPTIONAL),
        ("ReferralNFA", OPTIONAL),
        ("Assessments", MANY),
        ("CINPlanDates", MANY),
        ("Section47", MANY),
        ("ChildProtectionPlans", MANY),
    ],
    "Assessments": [
        ("AssessmentActualStartDate", ONE),
        ("AssessmentInternalReviewDate", OPTIONAL),
        ("AssessmentAuthorisationDate", OPTIONAL),
        ("FactorsIdentifiedAtAssessment", OPTIONAL),
    ],
    "FactorsIdentifiedAtAssessment": [("AssessmentFactors", MANY)],
    "CINPlanDates": [("CINPlanStartDate", ONE), ("CINPlanEndDate", OPTIONAL)],
    "Section47": [
        ("S47ActualStartDate", ONE),
        ("InitialCPCtarget", OPTIONAL),
        ("DateOfInitialCPC", OPTIONAL),
        ("ICPCnotRequired", OPTIONAL),
    ],
    "ChildProtectionPlans": [
        ("CPPstartDate", ONE),
        ("CPPendDate", OPTIONAL),
        ("InitialCategoryOfAbuse", OPTIONAL),
        ("LatestCategoryOfAbuse", OPTIONAL),
        ("NumberOfPreviousCPP", OPTIONAL),
        ("Reviews", MANY),
    ],
    "Reviews": [("CPPreviewDate", MANY)],
}
HOW_MANY = {ONE: "exactly one", OPTIONAL: "at most one", AT_LEAST_ONE: "at least one"}
# Dates that may fall after the reference date: a baby expected, a conference's target.
MAY_BE_LATER = frozenset({"ExpectedPersonBirthDate", "InitialCPCtarget"})
# Dates that end something: one before the year began means it is not in this year's return.
ENDINGS = frozenset(
    {"CINclosureDate", "CINPlanEndDate", "CPPendDate", "AssessmentAuthorisationDate"}
)
LA_CHILD_ID = re.compile(r"[A-Za-z0-9]{1,20}")
YES_NO = {"0": False, "1": True, "false": False, "true": True}
GENDERS = {code: sex for sex, code in GENDER_CODES.items()}
MAX_PLANS = 99


class _Reader:
    """Walks a parsed return, collecting every problem and the records that fit."""

    def __init__(self, root: Element, council: Council | None) -> None:
        self.root = root
        self.council = council
        self.problems: list[Problem] = []
        self.child = ""  # the LA child ID being read, for the problems' names
        self.reference_date: date | None = None
        self.period_start: date | None = None

    def problem(self, element: str, message: str, *, child: str | None = None) -> None:
        who = self.child if child is None else child
        where = f"child {who}, element {element}" if who else f"element {element}"
        self.problems.append(Problem(where=where, message=message, child=who))

    # --- structure ---------------------------------------------------------------------

    def check_structure(self, element: Element, path: str) -> None:
        """Names, nesting and how many of each, for ``element`` and all it holds."""
        allowed = STRUCTURE.get(element.tag)
        if allowed is None:
            if len(element):
                self.problem(path, "Holds elements where the census has a value.")
            return
        names = dict(allowed)
        order = [name for name, _ in allowed]
        counts: dict[str, int] = {}
        last = -1
        for inner in element:
            tag = inner.tag if isinstance(inner.tag, str) else "?"
            if tag not in names:
                self.problem(f"{path}/{tag}", f"The census has no element {tag} in {element.tag}.")
                continue
            counts[tag] = counts.get(tag, 0) + 1
            position = order.index(tag)
            if position < last:
                self.problem(f"{path}/{tag}", f"{tag} is out of order in {element.tag}.")
            last = max(last, position)
            if tag == "Child":
                self.child = self._child_id(inner)
            self.check_structure(inner, f"{path}/{tag}" if tag != "Child" else "Child")
            if tag == "Child":
                self.child = ""
        if (element.text or "").strip() and allowed:
            self.problem(path, "Holds text where the census has elements.")
        for name, how_many in allowed:
            found = counts.get(name, 0)
            if (how_many in (ONE, AT_LEAST_ONE) and found == 0) or (
                how_many in (ONE, OPTIONAL) and found > 1
            ):
                self.problem(
                    f"{path}/{name}",
                    f"{element.tag} must hold {HOW_MANY[how_many]} {name}; it holds {found}.",
                )

    @staticmethod
    def _child_id(child: Element) -> str:
        return (child.findtext("ChildIdentifiers/LAchildID") or "").strip()[:20]

    # --- values ------------------------------------------------------------------------

    def text(self, parent: Element, name: str) -> str:
        return (parent.findtext(name) or "").strip()

    def day(self, parent: Element, name: str) -> date | None:
        text = self.text(parent, name)
        if not text:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            value = date.fromisoformat(text)
        except ValueError:
            self.problem(name, f"{text!r} is not a date (YYYY-MM-DD, a day that exists).")
            return None
        self._in_scope(name, value)
        return value

    def _in_scope(self, name: str, value: date) -> None:
        if self.reference_date is None or self.period_start is None:
            return
        if name not in MAY_BE_LATER and value > self.reference_date:
            self.problem(
                name,
                f"{govuk_date(value)} is after the census's reference date "
                f"({govuk_date(self.reference_date)}).",
            )
        if name in ENDINGS and value < self.period_start:
            self.problem(
                name,
                f"{govuk_date(value)} is before the census year began "
                f"({govuk_date(self.period_start)}): what ended then is not in this return.",
            )

    def code(self, parent: Element, name: str, allowed: Any) -> str:
        text = self.text(parent, name)
        if text and text not in allowed.values:
            self.problem(name, f"{text!r} is not a census code for {name}.")
            return ""
        return text

    def flag(self, parent: Element, name: str) -> bool:
        text = self.text(parent, name)
        if text and text.lower() not in YES_NO:
            self.problem(name, f"{text!r} is not 0 or 1 (false or true).")
            return False
        return YES_NO.get(text.lower(), False)

    def number(self, parent: Element, name: str) -> int | None:
        text = self.text(parent, name)
        if not text:
            return None
        if not text.isdigit() or int(text) > MAX_PLANS:
            self.problem(name, f"{text!r} is not a whole number from 0 to {MAX_PLANS}.")
            return None
        return int(text)

    # --- the header --------------------------------------------------------------------

    def header(self) -> tuple[Council | None, int | None]:
        details = self.root.find("Header/CollectionDetails")
        source = self.root.find("Header/Source")
        if details is None or source is None:
            return None, None
        if self.text(details, "Collection") not in ("", "CIN"):
            self.problem("Header/CollectionDetails/Collection", "The collection must be CIN.")
        year_text = self.text(details, "Year")
        year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else None
        if year is None:
            self.problem("Header/CollectionDetails/Year", f"{year_text!r} is not a census year.")
        reference = self.day(details, "ReferenceDate")
        if year is not None and reference is not None:
            start, expected = census_period(year)
            if reference != expected:
                self.problem(
                    "Header/CollectionDetails/ReferenceDate",
                    f"The census year {year} ends on {govuk_date(expected)}, but the file's "
                    f"reference date is {govuk_date(reference)}: the year and its dates do not "
                    "match.",
                )
            else:
                self.reference_date, self.period_start = expected, start
        lea = self.text(source, "LEA")
        council = Council.objects.filter(dfe_la_code=lea).first() if lea else None
        if council is None:
            self.problem(
                "Header/Source/LEA", f"There is no council in Continuum with the LA code {lea!r}."
            )
        elif self.council is not None and council.pk != self.council.pk:
            self.problem(
                "Header/Source/LEA",
                f"The file is {council.name}'s return (LA code {lea}), not {self.council.name}'s.",
            )
        return council, year

    # --- the children ------------------------------------------------------------------

    def children(self) -> list[CensusRecord]:
        records = []
        seen: set[str] = set()
        for child in self.root.findall("Children/Child"):
            self.child = self._child_id(child)
            identifiers = child.find("ChildIdentifiers")
            if identifiers is None:
                continue
            record = self.identifiers(identifiers)
            if record.la_child_id in seen:
                self.problem("LAchildID", "The same LA child ID is in the file twice.")
            seen.add(record.la_child_id)
            characteristics = child.find("ChildCharacteristics")
            if characteristics is not None:
                record.ethnicity = self.code(characteristics, "Ethnicity", Ethnicity)
                record.disabilities = [
                    code
                    for item in characteristics.findall("Disabilities/Disability")
                    if (code := self._one_code(item, "Disability", Disability))
                ]
            record.episodes = [self.episode(details) for details in child.findall("CINdetails")]
            records.append(record)
        self.child = ""
        return records

    def _one_code(self, element: Element, name: str, allowed: Any) -> str:
        text = (element.text or "").strip()
        if text not in allowed.values:
            self.problem(name, f"{text!r} is not a census code for {name}.")
            return ""
        return text

    def identifiers(self, element: Element) -> CensusRecord:
        la_child_id = self.text(element, "LAchildID")
        if not LA_CHILD_ID.fullmatch(la_child_id):
            self.problem("LAchildID", "An LA child ID is 1 to 20 letters and digits.")
        record = CensusRecord(la_child_id=la_child_id[:20])
        for name in ("UPN", "FormerUPN"):
            upn = self.text(element, name).upper()
            if upn and not is_valid_upn(upn):
                self.problem(name, f"{upn!r} is not a valid UPN (13 characters, check letter).")
                upn = ""
            setattr(record, "upn" if name == "UPN" else "former_upn", upn)
        record.upn_unknown_reason = self.code(element, "UPNunknown", UPNUnknown)
        record.date_of_birth = self.day(element, "PersonBirthDate")
        record.expected_date_of_birth = self.day(element, "ExpectedPersonBirthDate")
        sex = self.text(element, "Sex")
        gender = self.text(element, "GenderCurrent")
        if sex:
            record.sex = self.code(element, "Sex", Sex) or Sex.UNKNOWN
        elif gender:
            if gender not in GENDERS:
                self.problem("GenderCurrent", f"{gender!r} is not a census code (0, 1 or 2).")
            record.sex = GENDERS.get(gender, Sex.UNKNOWN)
        record.date_of_death = self.day(element, "PersonDeathDate")
        if record.date_of_birth is None and record.expected_date_of_birth is None:
            self.problem(
                "PersonBirthDate",
                "Give the date of birth, or the expected one for an unborn child.",
            )
        return record

    def episode(self, element: Element) -> Episode:
        referral = self.day(element, "CINreferralDate")
        episode = Episode(
            referral_date=referral or date.min,
            referral_source=self.code(element, "ReferralSource", ReferralSource),
            primary_need=self.code(element, "PrimaryNeedCode", PrimaryNeed),
            closure_date=self.day(element, "CINclosureDate"),
            closure_reason=self.code(element, "ReasonForClosure", ReferralClosure),
            conference_date=self.day(element, "DateOfInitialCPC"),
            referral_nfa=self.flag(element, "ReferralNFA"),
        )
        if episode.closure_date and referral and episode.closure_date < referral:
            self.problem("CINclosureDate", "The case closed before it was referred.")
        for item in element.findall("Assessments"):
            factors = [
                code
                for factor in item.findall("FactorsIdentifiedAtAssessment/AssessmentFactors")
                if (code := self._one_code(factor, "AssessmentFactors", AssessmentFactor))
            ]
            assessment = Assessment(
                start_date=self.day(item, "AssessmentActualStartDate") or date.min,
                internal_review_date=self.day(item, "AssessmentInternalReviewDate"),
                authorised_date=self.day(item, "AssessmentAuthorisationDate"),
                factors=factors,
            )
            self._ends_after(
                "AssessmentAuthorisationDate", assessment.start_date, assessment.authorised_date
            )
            episode.assessments.append(assessment)
        for item in element.findall("CINPlanDates"):
            plan = PlanDates(
                self.day(item, "CINPlanStartDate") or date.min, self.day(item, "CINPlanEndDate")
            )
            self._ends_after("CINPlanEndDate", plan.start_date, plan.end_date)
            episode.cin_plans.append(plan)
        for item in element.findall("Section47"):
            episode.enquiries.append(
                Enquiry(
                    start_date=self.day(item, "S47ActualStartDate") or date.min,
                    icpc_target_date=self.day(item, "InitialCPCtarget"),
                    conference_date=self.day(item, "DateOfInitialCPC"),
                    icpc_not_required=self.flag(item, "ICPCnotRequired"),
                )
            )
        for item in element.findall("ChildProtectionPlans"):
            plan_record = ProtectionPlan(
                start_date=self.day(item, "CPPstartDate") or date.min,
                end_date=self.day(item, "CPPendDate"),
                abuse_category=self.code(item, "InitialCategoryOfAbuse", AbuseCategory),
                latest_abuse_category=self.code(item, "LatestCategoryOfAbuse", AbuseCategory),
                previous_plans=self.number(item, "NumberOfPreviousCPP"),
                reviews=sorted(
                    {
                        held
                        for review in item.findall("Reviews/CPPreviewDate")
                        if (held := self._review(review)) is not None
                    }
                ),
            )
            self._ends_after("CPPendDate", plan_record.start_date, plan_record.end_date)
            episode.protection_plans.append(plan_record)
        return episode

    def _review(self, element: Element) -> date | None:
        holder = Element("Reviews")
        holder.append(element)
        return self.day(holder, "CPPreviewDate")

    def _ends_after(self, name: str, start: date, end: date | None) -> None:
        if end is not None and start != date.min and end < start:
            self.problem(name, "It ends before it starts.")


def read_census(data: bytes, *, council: Council | None = None) -> CensusFile:
    """The return in ``data``, checked whole; ``FileRefused`` with every problem otherwise.
    ``council``: the council it must be for (the header's LEA names it when not given)."""
    try:
        root = parse_census(data)
    except CensusFileError as exc:
        raise FileRefused([Problem(where="the file", message=str(exc))]) from exc
    if root.tag != "Message":
        raise FileRefused(
            [Problem(where=f"element {root.tag}", message="A census return's root is Message.")]
        )
    reader = _Reader(root, council)
    reader.check_structure(root, "Message")
    found, year = reader.header()
    children = reader.children()
    if reader.problems:
        raise FileRefused(reader.problems)
    assert found is not None and year is not None
    assert reader.reference_date is not None and reader.period_start is not None
    return CensusFile(
        council=found,
        year=year,
        reference_date=reader.reference_date,
        period_start=reader.period_start,
        children=children,
        root=root,
    )


def council_of_file(data: bytes) -> Council | None:
    """The council a return's header names (for the command line), if it can be read."""
    try:
        root = parse_census(data)
    except CensusFileError:
        return None
    lea = (root.findtext("Header/Source/LEA") or "").strip()
    return Council.objects.filter(dfe_la_code=lea).first() if lea else None
