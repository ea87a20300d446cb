"""Writing a council's children in need census return for a census year, as the DfE's XML.

The census year ends on 31 March (2026: 1 April 2025 to 31 March 2026, reference date
31 March 2026). The return holds every child with a child in need episode (a referral) open
at any point in the year, and in each episode the modules open in the year, as the DfE's
guide and its validation rules scope them:

- an episode: referred on or before the reference date and not closed before the year
  began; a closure after the reference date is not yet known (no closure date or reason);
- assessments, child in need plans and child protection plans: begun by the reference date
  and not ended before the year began; an end after the reference date is left out (an
  assessment's factors only once it is authorised);
- section 47 enquiries: begun by the reference date, and either their initial conference
  held in the year, or none held by the reference date and not ended before the year;
- an initial conference that followed no enquiry of the episode: at the episode's level
  (``DateOfInitialCPC``), if held in the year;
- plan reviews held in the year.

Everything is read in a handful of queries (no query per child) and the XML is written child
by child (``CensusReturn.chunks``), so a 5,000-child return streams in a few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any
from xml.sax.saxutils import escape

from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import CensusChild, ProtectionPlanReview, StatutoryInvolvement

SOFTWARE_CODE = "Continuum"
RELEASE = "1"
FIRST_CENSUS_YEAR = 2009
# Before 2024 to 2025 the census asked for gender (GenderCurrent: 1 male, 2 female, 0 not
# known); since then for sex (M, F, U).
FIRST_YEAR_WITH_SEX = 2025
GENDER_CODES = {"M": "1", "F": "2", "U": "0"}


def census_period(year: int) -> tuple[date, date]:
    """The first day and the reference date (last day) of census year ``year``."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def census_year_on(day: date) -> int:
    """The census year a day falls in (31 March 2026 is in 2026, 1 April 2026 in 2027)."""
    return day.year if (day.month, day.day) <= (3, 31) else day.year + 1


def check_year(year: int, *, today: date | None = None) -> None:
    """Refuse (ValueError) a census year there cannot be a return for: before the census
    began, or after the year now under way."""
    latest = census_year_on(today or timezone.localdate())
    if not FIRST_CENSUS_YEAR <= year <= latest:
        raise ValueError(
            f"Choose a census year from {FIRST_CENSUS_YEAR} to {latest} (the year ending 31 March)."
        )


@dataclass
class _Episode:
    row: dict[str, Any]
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class _Child:
    person: dict[str, Any]
    la_child_id: str
    former_upn: str
    episodes: list[_Episode] = field(default_factory=list)


REFERRAL_FIELDS = (
    "id",
    "person_id",
    "start_date",
    "end_date",
    "referral_source",
    "primary_need",
    "closure_reason",
    "referral_nfa",
)
PART_FIELDS = (
    "id",
    "person_id",
    "referral_id",
    "kind",
    "start_date",
    "end_date",
    "factors",
    "internal_review_date",
    "icpc_target_date",
    "icpc_not_required",
    "enquiry_id",
    "abuse_category",
    "latest_abuse_category",
    "previous_plans",
)
PERSON_FIELDS = (
    "id",
    "kind",
    "upn",
    "upn_unknown_reason",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "date_of_death",
    "ethnicity",
    "disabilities",
)
CENSUS_KINDS = (
    InvolvementKind.ASSESSMENT,
    InvolvementKind.CHILD_IN_NEED_PLAN,
    InvolvementKind.SECTION_47,
    InvolvementKind.INITIAL_CONFERENCE,
    InvolvementKind.CHILD_PROTECTION_PLAN,
)


def fallback_child_id(person_id: Any) -> str:
    """The LA child ID of a child the council's return has never named: 20 characters of
    the record's own id (the census allows up to 20 letters and digits)."""
    return person_id.hex[:20].upper()


class CensusReturn:
    """One council's return for one census year, read from the database and written as
    the census's XML on demand."""

    def __init__(self, council: Council, year: int, *, created: datetime | None = None) -> None:
        self.council = council
        self.year = year
        self.period_start, self.reference_date = census_period(year)
        self.created = created or timezone.now()
        self.children = self._load()

    # --- reading -----------------------------------------------------------------------

    def _referrals(self) -> QuerySet[StatutoryInvolvement]:
        return StatutoryInvolvement.objects.filter(
            council=self.council,
            kind=InvolvementKind.REFERRAL,
            start_date__lte=self.reference_date,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=self.period_start))

    def _load(self) -> list[_Child]:
        referrals = self._referrals()
        episodes: dict[Any, _Episode] = {
            row["id"]: _Episode(row)
            for row in referrals.order_by("person_id", "start_date", "id").values(*REFERRAL_FIELDS)
        }
        parts = (
            StatutoryInvolvement.objects.filter(
                referral__in=referrals.values("pk"),
                kind__in=CENSUS_KINDS,
                start_date__lte=self.reference_date,
            )
            .order_by("start_date", "id")
            .values(*PART_FIELDS)
        )
        for part in parts:
            episodes[part["referral_id"]].parts[part["kind"]].append(part)
        self._reviews: dict[Any, list[date]] = defaultdict(list)
        for plan_id, held in (
            ProtectionPlanReview.objects.filter(
                plan__referral__in=referrals.values("pk"),
                review_date__gte=self.period_start,
                review_date__lte=self.reference_date,
            )
            .order_by("review_date")
            .values_list("plan_id", "review_date")
        ):
            self._reviews[plan_id].append(held)
        self._earlier_plans = self._plan_starts(referrals)
        people = {
            row["id"]: row
            for row in Person.objects.filter(pk__in=referrals.values("person_id")).values(
                *PERSON_FIELDS
            )
        }
        known = {
            person_id: (la_child_id, former_upn)
            for person_id, la_child_id, former_upn in CensusChild.objects.filter(
                council=self.council, person__in=referrals.values("person_id")
            ).values_list("person_id", "la_child_id", "former_upn")
        }
        children: dict[Any, _Child] = {}
        for episode in episodes.values():
            person_id = episode.row["person_id"]
            if person_id not in children:
                la_child_id, former_upn = known.get(person_id, (fallback_child_id(person_id), ""))
                children[person_id] = _Child(people[person_id], la_child_id, former_upn)
            children[person_id].episodes.append(episode)
        return sorted(children.values(), key=lambda child: child.la_child_id)

    def _plan_starts(self, referrals: QuerySet[StatutoryInvolvement]) -> dict[Any, list[date]]:
        """The start of every child protection plan the council holds for the children in
        the return: how many plans a child had before one, when it does not say."""
        starts: dict[Any, list[date]] = defaultdict(list)
        for person_id, start in (
            StatutoryInvolvement.objects.filter(
                council=self.council,
                kind=InvolvementKind.CHILD_PROTECTION_PLAN,
                person__in=referrals.values("person_id"),
            )
            .order_by("start_date")
            .values_list("person_id", "start_date")
        ):
            starts[person_id].append(start)
        return starts

    @property
    def child_count(self) -> int:
        return len(self.children)

    @property
    def person_ids(self) -> list[Any]:
        return [child.person["id"] for child in self.children]

    # --- writing -----------------------------------------------------------------------

    def write(self, out: IO[bytes], *, progress: Callable[[int], None] | None = None) -> None:
        """Write the return to ``out``, calling ``progress(children written)`` as it goes."""
        for chunk in self.chunks(progress=progress):
            out.write(chunk)

    def to_bytes(self) -> bytes:
        return b"".join(self.chunks())

    def chunks(self, *, progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
        """The return's XML: the declaration and header, then one chunk per child (calling
        ``progress(children written)`` after each)."""
        yield b'<?xml version="1.0" encoding="utf-8"?>\n<Message>\n'
        yield _encode(self._header(), 1)
        yield b"  <Children>\n"
        for written, child in enumerate(self.children, start=1):
            yield _encode(("Child", self._child(child)), 2)
            if progress is not None:
                progress(written)
        yield b"  </Children>\n</Message>\n"

    def _header(self) -> Node:
        stamp = timezone.localtime(self.created).replace(microsecond=0, tzinfo=None)
        return (
            "Header",
            [
                (
                    "CollectionDetails",
                    [
                        ("Collection", "CIN"),
                        ("Year", str(self.year)),
                        ("ReferenceDate", self.reference_date.isoformat()),
                    ],
                ),
                (
                    "Source",
                    [
                        ("SourceLevel", "L"),
                        ("LEA", self.council.dfe_la_code),
                        ("SoftwareCode", SOFTWARE_CODE),
                        ("Release", RELEASE),
                        ("SerialNo", "1"),
                        ("DateTime", stamp.isoformat()),
                    ],
                ),
            ],
        )

    def _in_year(self, day: date | None) -> bool:
        return day is not None and self.period_start <= day <= self.reference_date

    def _known(self, day: date | None) -> str | None:
        """A date as the return knows it: none after the reference date."""
        return day.isoformat() if day is not None and day <= self.reference_date else None

    def _open_in_year(self, row: dict[str, Any]) -> bool:
        end = row["end_date"]
        return row["start_date"] <= self.reference_date and (
            end is None or end >= self.period_start
        )

    def _child(self, child: _Child) -> list[Node]:
        person = child.person
        unborn = person["kind"] == PersonKind.UNBORN or person["date_of_birth"] is None
        sex = person["sex"] or "U"
        identifiers: list[Node] = [
            ("LAchildID", child.la_child_id),
            ("UPN", person["upn"]),
            ("FormerUPN", child.former_upn),
            ("UPNunknown", None if person["upn"] else person["upn_unknown_reason"]),
            ("PersonBirthDate", None if unborn else _iso(person["date_of_birth"])),
            ("ExpectedPersonBirthDate", _iso(person["expected_date_of_birth"]) if unborn else None),
            (
                ("Sex", sex)
                if self.year >= FIRST_YEAR_WITH_SEX
                else ("GenderCurrent", GENDER_CODES.get(sex, "0"))
            ),
            ("PersonDeathDate", self._known(person["date_of_death"])),
        ]
        disabilities = [("Disability", code) for code in person["disabilities"] or []]
        characteristics: list[Node] = [
            ("Ethnicity", person["ethnicity"]),
            ("Disabilities", disabilities or None),
        ]
        return [
            ("ChildIdentifiers", identifiers),
            ("ChildCharacteristics", characteristics),
            *(("CINdetails", self._episode(child, e)) for e in child.episodes),
        ]

    def _episode(self, child: _Child, episode: _Episode) -> list[Node]:
        row, parts = episode.row, episode.parts
        closed = row["end_date"] is not None and row["end_date"] <= self.reference_date
        enquiries = parts[InvolvementKind.SECTION_47]
        conference_of, own_conferences = _conferences(
            enquiries, parts[InvolvementKind.INITIAL_CONFERENCE]
        )
        own_conference = next((day for day in own_conferences if self._in_year(day)), None)
        return [
            ("CINreferralDate", _iso(row["start_date"])),
            ("ReferralSource", row["referral_source"]),
            ("PrimaryNeedCode", row["primary_need"]),
            ("CINclosureDate", _iso(row["end_date"]) if closed else None),
            ("ReasonForClosure", row["closure_reason"] if closed else None),
            ("DateOfInitialCPC", _iso(own_conference)),
            ("ReferralNFA", "1" if row["referral_nfa"] else "0"),
            *(
                ("Assessments", self._assessment(a))
                for a in parts[InvolvementKind.ASSESSMENT]
                if self._open_in_year(a)
            ),
            *(
                ("CINPlanDates", self._dates("CINPlan", p))
                for p in parts[InvolvementKind.CHILD_IN_NEED_PLAN]
                if self._open_in_year(p)
            ),
            *(
                ("Section47", self._enquiry(e, conference_of.get(e["id"])))
                for e in enquiries
                if self._enquiry_in_scope(e, conference_of.get(e["id"]))
            ),
            *(
                ("ChildProtectionPlans", self._plan(child, p))
                for p in parts[InvolvementKind.CHILD_PROTECTION_PLAN]
                if self._open_in_year(p)
            ),
        ]

    def _assessment(self, row: dict[str, Any]) -> list[Node]:
        authorised = self._known(row["end_date"])
        factors = [("AssessmentFactors", code) for code in row["factors"] or []]
        return [
            ("AssessmentActualStartDate", _iso(row["start_date"])),
            ("AssessmentInternalReviewDate", self._known(row["internal_review_date"])),
            ("AssessmentAuthorisationDate", authorised),
            ("FactorsIdentifiedAtAssessment", factors if authorised and factors else None),
        ]

    def _dates(self, prefix: str, row: dict[str, Any]) -> list[Node]:
        return [
            (f"{prefix}StartDate", _iso(row["start_date"])),
            (f"{prefix}EndDate", self._known(row["end_date"])),
        ]

    def _enquiry_in_scope(self, row: dict[str, Any], conference: date | None) -> bool:
        if conference is not None and conference <= self.reference_date:
            return conference >= self.period_start
        return self._open_in_year(row)

    def _enquiry(self, row: dict[str, Any], conference: date | None) -> list[Node]:
        return [
            ("S47ActualStartDate", _iso(row["start_date"])),
            ("InitialCPCtarget", _iso(row["icpc_target_date"])),
            ("DateOfInitialCPC", self._known(conference)),
            ("ICPCnotRequired", "1" if row["icpc_not_required"] else "0"),
        ]

    def _plan(self, child: _Child, row: dict[str, Any]) -> list[Node]:
        previous = row["previous_plans"]
        if previous is None:
            previous = sum(
                1 for start in self._earlier_plans[child.person["id"]] if start < row["start_date"]
            )
        reviews = [("CPPreviewDate", held.isoformat()) for held in self._reviews[row["id"]]]
        return [
            ("CPPstartDate", _iso(row["start_date"])),
            ("CPPendDate", self._known(row["end_date"])),
            ("InitialCategoryOfAbuse", row["abuse_category"]),
            # A plan whose category never changed has its initial one as its latest.
            ("LatestCategoryOfAbuse", row["latest_abuse_category"] or row["abuse_category"]),
            ("NumberOfPreviousCPP", str(previous)),
            ("Reviews", reviews or None),
        ]


def _conferences(
    enquiries: list[dict[str, Any]], conferences: list[dict[str, Any]]
) -> tuple[dict[Any, date], list[date]]:
    """Each enquiry's initial conference (the first held after it), and the episode's
    conferences that followed none of its enquiries.

    A conference not linked to its enquiry (records from before the link was kept) is
    taken as the one that ended the latest enquiry begun by then without a conference."""
    ids = {enquiry["id"] for enquiry in enquiries}
    conference_of: dict[Any, date] = {}
    unlinked = []
    for conference in conferences:
        enquiry_id = conference["enquiry_id"]
        if enquiry_id is None:
            unlinked.append(conference["start_date"])
        elif enquiry_id in ids:
            conference_of.setdefault(enquiry_id, conference["start_date"])
    own = []
    for held in unlinked:
        open_before = [
            e["id"] for e in enquiries if e["start_date"] <= held and e["id"] not in conference_of
        ]
        if open_before:
            conference_of[open_before[-1]] = held
        else:
            own.append(held)
    return conference_of, own


# An element: its name and its text, its children, or None to leave it out.
Node = tuple[str, "str | None | Iterable[Node]"]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _encode(node: Node, depth: int) -> bytes:
    lines: list[str] = []
    _render(node, depth, lines)
    return "".join(lines).encode()


def _render(node: Node, depth: int, lines: list[str]) -> None:
    name, content = node
    if content is None or content == "":
        return
    pad = "  " * depth
    if isinstance(content, str):
        lines.append(f"{pad}<{name}>{escape(content)}</{name}>\n")
        return
    lines.append(f"{pad}<{name}>\n")
    for child in content:
        _render(child, depth + 1, lines)
    lines.append(f"{pad}</{name}>\n")
