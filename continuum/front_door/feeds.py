"""The police force's daily file of domestic-abuse notifications, imported as CSV.

One row is one notification: the columns are the notification form's fields, plus the
force's own incident reference (``incident_reference``), which makes the import idempotent:
a reference already imported for the council is the same notification. The whole file is
checked before anything is saved (``check_notifications``); one problem anywhere refuses
it whole, each problem naming its row and column. Then (``apply_notifications``) each new
notification is recorded through the same service as one entered on the page, so it goes
to the joint triage queue, ``created_by`` the uploader.

People are found the way the notification page finds them (``possible_duplicates``,
which sees only the records the uploader may see, decision 0008), but an import cannot stop
to ask, so:

- a record the uploader may see with the same NHS number or UPN is that person;
- otherwise exactly one record they may see with the same name and date of birth is that
  person;
- otherwise a new record is made (``create_person``: a record they may not see that may be
  the same person is marked a possible match for its council, and the uploader is told
  nothing of it); records they may see with a similar name and the same date of birth are
  marked possible matches of the new record, for the front door to review, and the run lists
  the row.

A notification already imported and still awaiting triage takes the file's corrections to
its details (counted as updated); its people are not changed by a later file. One already
triaged is left as it is (counted as refused, and listed).

The columns, their formats and the refusal rules are in ``docs/partner-feeds.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.front_door.choices import DashRisk, NotificationStatus
from continuum.front_door.intake import NewPerson, PersonEntry, record_notification_with_people
from continuum.front_door.models import DomesticAbuseNotification
from continuum.front_door.services import HIGH_RISK_TICKS, NotificationDetails
from continuum.front_door.services.notifications import update_notification_details
from continuum.imports.csv_files import (
    CountsWithNotes,
    ProblemList,
    Row,
    parse_date,
    parse_date_time,
    parse_whole_number,
    parse_yes_no,
    read_rows,
)
from continuum.imports.models import ImportRun
from continuum.imports.registry import FileRefused, Problem
from continuum.people.choices import PersonKind
from continuum.people.identifiers import (
    is_valid_nhs_number,
    is_valid_upn,
    normalise_nhs_number,
    normalise_upn,
)
from continuum.people.matching import record_matches_for_review
from continuum.people.models import Person
from continuum.people.selectors import possible_duplicates
from continuum.people.services import create_person
from continuum.ui.dates import govuk_date

KIND = "police-notifications"
MAX_BYTES = 20 * 1024 * 1024
MAX_CHILDREN = 12
NAME_LENGTH = 100

NOTIFICATION_COLUMNS = (
    "incident_reference",
    "incident_at",
    "victim_given_name",
    "victim_family_name",
    "victim_date_of_birth",
    "victim_nhs_number",
    "perpetrator_given_name",
    "perpetrator_family_name",
    "perpetrator_date_of_birth",
    "perpetrator_nhs_number",
    "perpetrator_description",
    "dash_risk",
    "dash_ticks",
    "repeat_incidents_12_months",
    "reporting_officer",
    "collar_number",
    "summary",
)
CHILD_PARTS = ("given_name", "family_name", "date_of_birth", "nhs_number", "upn", "present")


def child_columns(number: int) -> tuple[str, ...]:
    return tuple(f"child_{number}_{part}" for part in CHILD_PARTS)


REQUIRED_COLUMNS = NOTIFICATION_COLUMNS + child_columns(1)
OPTIONAL_COLUMNS = tuple(
    column for number in range(2, MAX_CHILDREN + 1) for column in child_columns(number)
)
# What the service's error keys are called in the file.
_DETAIL_COLUMNS = {
    "incident_at": "incident_at",
    "dash_risk": "dash_risk",
    "dash_ticks": "dash_ticks",
    "repeat_incidents_12_months": "repeat_incidents_12_months",
    "reporting_officer": "reporting_officer",
    "reporting_officer_number": "collar_number",
    "alleged_perpetrator_description": "perpetrator_description",
    "alleged_perpetrator": "perpetrator_family_name",
    "summary": "summary",
    "council": "the council",
    "children": "child_1_family_name",
}


@dataclass(frozen=True)
class PersonInFile:
    """Someone named on a row: who they are as the file gives them."""

    column_prefix: str
    new: NewPerson
    upn: str = ""


@dataclass(frozen=True)
class NotificationRow:
    """One row, parsed and checked."""

    number: int
    details: NotificationDetails
    victim: PersonInFile
    perpetrator: PersonInFile | None
    children: tuple[tuple[PersonInFile, bool], ...]


FeedCounts = CountsWithNotes


# --- checking the whole file -----------------------------------------------------------------


def _name(row: Row, column: str, problems: ProblemList, *, required: str = "") -> str:
    value = row.get(column)
    if required and not value:
        problems.at(row, column, required)
    elif len(value) > NAME_LENGTH:
        problems.at(row, column, f"A name can be at most {NAME_LENGTH} characters.")
    return value


def _birth_date(row: Row, column: str, problems: ProblemList, *, required: str = "") -> date | None:
    text = row.get(column)
    if not text:
        if required:
            problems.at(row, column, required)
        return None
    value = parse_date(text)
    if value is None:
        problems.at(row, column, f"“{text}” is not a date: write it as 2015-03-27.")
    elif value > timezone.localdate():
        problems.at(row, column, "A date of birth cannot be in the future.")
    return value


def _nhs_number(row: Row, column: str, problems: ProblemList) -> str:
    text = normalise_nhs_number(row.get(column))
    if text and not is_valid_nhs_number(text):
        problems.at(row, column, "Not a valid NHS number: 10 digits with a correct check digit.")
    return text


def _upn(row: Row, column: str, problems: ProblemList) -> str:
    text = normalise_upn(row.get(column))
    if text and not is_valid_upn(text):
        problems.at(row, column, "Not a valid UPN: a check letter and 12 characters.")
    return text


def _incident_at(row: Row, problems: ProblemList) -> datetime:
    incident_text = row.get("incident_at")
    incident = parse_date_time(incident_text)
    incident_at = timezone.now()
    if not incident_text:
        problems.at(row, "incident_at", "Enter the date and time of the incident.")
    elif incident is None:
        problems.at(
            row,
            "incident_at",
            f"“{incident_text}” is not a date and time: write it as 2026-03-27 21:30 "
            "(24-hour clock, UK time).",
        )
    else:
        incident_at = timezone.make_aware(incident)
        if incident_at > timezone.now() + timedelta(minutes=1):
            problems.at(row, "incident_at", "The incident must be in the past.")
    return incident_at


def _dash(row: Row, problems: ProblemList) -> tuple[str, int]:
    dash_risk = row.get("dash_risk").lower()
    if dash_risk not in DashRisk.values:
        problems.at(
            row,
            "dash_risk",
            f"“{row.get('dash_risk')}” is not a DASH risk level: standard, medium or high.",
        )
    ticks = parse_whole_number(row.get("dash_ticks"))
    if ticks is None or ticks > 27:
        problems.at(
            row,
            "dash_ticks",
            f"“{row.get('dash_ticks')}” is not a number of DASH ticks: a whole number from "
            "0 to 27.",
        )
        ticks = 0
    elif ticks >= HIGH_RISK_TICKS and dash_risk in DashRisk.values and dash_risk != "high":
        problems.at(
            row,
            "dash_risk",
            f"{ticks} ticks is visible high risk ({HIGH_RISK_TICKS} or more): the risk level "
            "must be high.",
        )
    return dash_risk, ticks


def _parse_details(row: Row, problems: ProblemList) -> tuple[NotificationDetails, str]:
    """The incident's details (perpetrator description as given) and that description."""
    reference = row.get("incident_reference")
    if not reference:
        problems.at(row, "incident_reference", "Enter the force's incident reference.")
    elif len(reference) > 40:
        problems.at(row, "incident_reference", "A reference can be at most 40 characters.")

    incident_at = _incident_at(row, problems)
    dash_risk, ticks = _dash(row, problems)
    repeat_text = row.get("repeat_incidents_12_months")
    repeats = parse_whole_number(repeat_text) if repeat_text else 0
    if repeats is None:
        problems.at(
            row,
            "repeat_incidents_12_months",
            f"“{repeat_text}” is not a number of repeat incidents: a whole number, like 2.",
        )
        repeats = 0
    officer = row.get("reporting_officer")
    if not officer:
        problems.at(row, "reporting_officer", "Enter the reporting officer.")
    elif len(officer) > 150:
        problems.at(row, "reporting_officer", "At most 150 characters.")
    collar = row.get("collar_number")
    if len(collar) > 20:
        problems.at(row, "collar_number", "A collar number can be at most 20 characters.")
    description = row.get("perpetrator_description")
    if len(description) > 200:
        problems.at(row, "perpetrator_description", "At most 200 characters.")

    return (
        NotificationDetails(
            incident_at=incident_at,
            dash_risk=dash_risk,
            dash_ticks=ticks,
            repeat_incidents_12_months=repeats,
            reporting_officer=officer,
            reporting_officer_number=collar,
            alleged_perpetrator_description=description,
            summary=row.get("summary"),
            police_reference=reference,
        ),
        description,
    )


def _parse_perpetrator(row: Row, description: str, problems: ProblemList) -> PersonInFile | None:
    perpetrator: PersonInFile | None = None
    named = any(
        row.get(f"perpetrator_{part}")
        for part in ("given_name", "family_name", "date_of_birth", "nhs_number")
    )
    if named:
        perpetrator = PersonInFile(
            "perpetrator",
            NewPerson(
                given_name=_name(row, "perpetrator_given_name", problems),
                family_name=_name(
                    row,
                    "perpetrator_family_name",
                    problems,
                    required="Enter the alleged perpetrator's last name.",
                ),
                date_of_birth=_birth_date(row, "perpetrator_date_of_birth", problems),
                nhs_number=_nhs_number(row, "perpetrator_nhs_number", problems),
                kind=PersonKind.ADULT,
            ),
        )
    elif not description:
        problems.at(
            row,
            "perpetrator_description",
            "Give the alleged perpetrator's name, or describe them if they are not identified.",
        )

    return perpetrator


def _parse_children(
    row: Row, children_in_header: int, problems: ProblemList
) -> list[tuple[PersonInFile, bool]]:
    children: list[tuple[PersonInFile, bool]] = []
    for number in range(1, children_in_header + 1):
        prefix = f"child_{number}_"
        if not any(row.get(column) for column in child_columns(number)):
            continue
        present = parse_yes_no(row.get(prefix + "present"))
        if present is None:
            problems.at(row, prefix + "present", "Write yes or no: was the child present?")
        children.append(
            (
                PersonInFile(
                    f"child_{number}",
                    NewPerson(
                        given_name=_name(row, prefix + "given_name", problems),
                        family_name=_name(
                            row,
                            prefix + "family_name",
                            problems,
                            required="Enter the child's last name.",
                        ),
                        date_of_birth=_birth_date(
                            row,
                            prefix + "date_of_birth",
                            problems,
                            required="Enter the child's date of birth.",
                        ),
                        nhs_number=_nhs_number(row, prefix + "nhs_number", problems),
                        kind=PersonKind.CHILD,
                    ),
                    upn=_upn(row, prefix + "upn", problems),
                ),
                bool(present),
            )
        )
    if not children:
        problems.at(
            row,
            "child_1_family_name",
            "Name at least one child in the household or present at the incident.",
        )
    return children


def _parse_row(row: Row, children_in_header: int, problems: ProblemList) -> NotificationRow:
    details, description = _parse_details(row, problems)
    victim = PersonInFile(
        "victim",
        NewPerson(
            given_name=_name(row, "victim_given_name", problems),
            family_name=_name(
                row, "victim_family_name", problems, required="Enter the victim's last name."
            ),
            date_of_birth=_birth_date(
                row,
                "victim_date_of_birth",
                problems,
                required="Enter the victim's date of birth.",
            ),
            nhs_number=_nhs_number(row, "victim_nhs_number", problems),
            kind=PersonKind.ADULT,
        ),
    )
    perpetrator = _parse_perpetrator(row, description, problems)
    if perpetrator is not None:
        details = replace(details, alleged_perpetrator_description="")
    return NotificationRow(
        number=row.number,
        details=details,
        victim=victim,
        perpetrator=perpetrator,
        children=tuple(_parse_children(row, children_in_header, problems)),
    )


def _children_in_header(header: list[str]) -> int:
    number = 1
    while all(column in header for column in child_columns(number + 1)):
        number += 1
    return number


def _complete_child_groups(header: list[str], problems: ProblemList) -> None:
    for number in range(2, MAX_CHILDREN + 1):
        present = [column for column in child_columns(number) if column in header]
        if present and len(present) < len(CHILD_PARTS):
            for column in child_columns(number):
                if column not in header:
                    problems.add(
                        f"column {column}",
                        f"The columns for child {number} are incomplete: this one is missing "
                        "from the header (row 1).",
                    )
        if present and not all(column in header for column in child_columns(number - 1)):
            problems.add(
                f"column {present[0]}",
                f"Child {number}'s columns need child {number - 1}'s before them.",
            )


def parse_notifications(data: bytes) -> list[NotificationRow]:
    """Every row of the file, checked; ``FileRefused`` naming every problem otherwise."""
    header, rows = read_rows(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    problems = ProblemList()
    _complete_child_groups(header, problems)
    problems.refuse_if_any()
    children_in_header = _children_in_header(header)
    parsed = []
    seen: dict[str, int] = {}
    for row in rows:
        notification = _parse_row(row, children_in_header, problems)
        reference = notification.details.police_reference
        if reference and reference in seen:
            problems.at(
                row,
                "incident_reference",
                f"The reference {reference} is already on row {seen[reference]}: one row for "
                "each incident.",
            )
        seen.setdefault(reference, row.number)
        parsed.append(notification)
    problems.refuse_if_any()
    return parsed


def check_notifications(data: bytes, run: ImportRun) -> list[NotificationRow]:
    """The import's check: the whole file parsed and checked; only the run's description
    of the file is written."""
    rows = parse_notifications(data)
    times = sorted(timezone.localtime(r.details.incident_at).date() for r in rows)
    ImportRun.objects.filter(pk=run.pk).update(
        summary=f"{len(rows)} incident{'s' if len(rows) != 1 else ''}, "
        f"{govuk_date(times[0])} to {govuk_date(times[-1])}"
    )
    return rows


# --- applying it -----------------------------------------------------------------------------


def _same_name(person: Person, new: NewPerson) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    return (
        norm(person.given_name) == norm(new.given_name)
        and norm(person.family_name) == norm(new.family_name)
        and person.date_of_birth == new.date_of_birth
    )


def find_person(*, user: User, entered: PersonInFile) -> tuple[PersonEntry, list[Person]]:
    """The record a row means (see the module's docstring), and when a new one is to be made,
    the records the user may see that may be the same (for review)."""
    new = entered.new
    candidates = possible_duplicates(
        user=user,
        given_name=new.given_name,
        family_name=new.family_name,
        date_of_birth=new.date_of_birth,
        nhs_number=new.nhs_number,
    )
    if new.nhs_number:
        same = [p for p in candidates if p.nhs_number == new.nhs_number]
        if same:
            return PersonEntry(existing=same[0]), []
    if entered.upn:
        by_upn = policy.visible(user, Person).filter(upn=entered.upn).order_by("created_at")
        first = by_upn.first()
        if first is not None:
            return PersonEntry(existing=first), []
    exact = [p for p in candidates if _same_name(p, new)]
    if len(exact) == 1:
        return PersonEntry(existing=exact[0]), []
    return PersonEntry(new=new), candidates


def _column_for(key: str) -> str:
    """The file's column for a service error key (``victim.nhs_number``,
    ``children.0.family_name``, ``dash_risk``)."""
    role, _, rest = key.partition(".")
    if role == "victim" and rest:
        return f"victim_{rest}"
    if role == "alleged_perpetrator" and rest:
        return f"perpetrator_{rest}"
    if role == "children" and rest:
        index, _, part = rest.partition(".")
        if index.isdigit():
            return f"child_{int(index) + 1}_{part or 'family_name'}"
    return _DETAIL_COLUMNS.get(key, key)


_DETAIL_FIELDS = tuple(
    f.name for f in fields(NotificationDetails) if f.name not in ("police_reference",)
)


def _differs(notification: DomesticAbuseNotification, details: NotificationDetails) -> list[str]:
    changed = []
    for name in _DETAIL_FIELDS:
        value = getattr(details, name)
        if isinstance(value, str):
            value = value.strip()
        if getattr(notification, name) != value:
            changed.append(name)
    return changed


def _person_for(
    *, user: User, council: Any, entered: PersonInFile, row: NotificationRow, counts: FeedCounts
) -> Person:
    """The record ``entered`` means, made now when it is new (with its UPN, if given)."""
    found, similar = find_person(user=user, entered=entered)
    if found.existing is not None:
        return found.existing
    try:
        person = create_person(
            created_by=user, council=council, upn=entered.upn, **entered.new.person_fields()
        )
    except ValidationError as exc:
        raise ValidationError(
            {
                ("council" if key == "council" else f"{entered.column_prefix}_{key}"): messages
                for key, messages in exc.message_dict.items()
            }
        ) from exc
    if similar:
        record_matches_for_review(person=person, others=similar, by=user)
        counts.notes.append(
            Problem(
                where=f"row {row.number}, {entered.column_prefix.replace('_', ' ')}",
                message="A new record was made: records you can see have a similar name and "
                "the same date of birth. The front door will review whether they are the same "
                "person.",
            )
        )
    return person


def _record(
    *, user: User, council: Any, row: NotificationRow, counts: FeedCounts
) -> DomesticAbuseNotification:
    def person(entered: PersonInFile) -> PersonEntry:
        return PersonEntry(
            existing=_person_for(
                user=user, council=council, entered=entered, row=row, counts=counts
            )
        )

    victim = person(row.victim)
    perpetrator = person(row.perpetrator) if row.perpetrator else None
    children = [(person(child), present) for child, present in row.children]
    return record_notification_with_people(
        recorded_by=user,
        council=council,
        details=row.details,
        victim=victim,
        alleged_perpetrator=perpetrator,
        children=children,
    )


def _update(
    *, user: User, notification: DomesticAbuseNotification, row: NotificationRow, counts: FeedCounts
) -> None:
    changed = _differs(notification, row.details)
    if not changed:
        counts.unchanged += 1
        return
    if notification.status != NotificationStatus.AWAITING_TRIAGE:
        counts.refused += 1
        counts.notes.append(
            Problem(
                where=f"row {row.number}, column incident_reference",
                message=f"{row.details.police_reference} has already been triaged: the changes "
                "in this file were not made. Tell the front door what has changed.",
            )
        )
        return
    update_notification_details(updated_by=user, notification=notification, details=row.details)
    counts.updated += 1


def apply_notifications(
    rows: list[NotificationRow], run: Any, progress: Callable[[int, int], None]
) -> FeedCounts:
    """Record the checked rows, all or nothing: new references as notifications awaiting
    triage, known ones compared and corrected while still awaiting triage. A refusal by the
    services (a child matched to an adult's record, say) refuses the file whole."""
    user: User | None = run.uploaded_by
    if user is None:
        raise FileRefused(
            [Problem("the file", "This kind of file is imported on behalf of a user: give one.")]
        )
    council = run.council
    counts = FeedCounts()
    problems = ProblemList()
    total = len(rows)
    with transaction.atomic():
        known = {
            n.police_reference: n
            for n in DomesticAbuseNotification.objects.filter(
                council=council,
                police_reference__in=[r.details.police_reference for r in rows],
            )
        }
        for done, row in enumerate(rows, start=1):
            existing = known.get(row.details.police_reference)
            try:
                with transaction.atomic():
                    if existing is not None:
                        _update(user=user, notification=existing, row=row, counts=counts)
                    else:
                        known[row.details.police_reference] = _record(
                            user=user, council=council, row=row, counts=counts
                        )
                        counts.created += 1
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        problems.add(f"row {row.number}, column {_column_for(key)}", message)
            if done % 50 == 0 or done == total:
                progress(done, total)
        problems.refuse_if_any()
    return counts


COLUMNS_SUMMARY = (
    "One row for each incident: incident_reference, incident_at (2026-03-27 21:30), the "
    "victim's and alleged perpetrator's names, dates of birth and NHS numbers (or "
    "perpetrator_description), dash_risk (standard, medium or high), dash_ticks (0 to 27), "
    "repeat_incidents_12_months, reporting_officer, collar_number, summary, and for each child "
    "child_N_given_name, child_N_family_name, child_N_date_of_birth, child_N_nhs_number, "
    "child_N_upn and child_N_present (yes or no). See docs/partner-feeds.md."
)


def register_feed() -> None:
    """Offer the force's daily file among the imports."""
    from continuum.front_door.policies import FrontDoorAction, can_import_notifications
    from continuum.imports.registry import Importer, register

    register(
        Importer(
            kind=KIND,
            label="Police domestic-abuse notifications (the force's daily file, CSV)",
            extensions=(".csv",),
            max_bytes=MAX_BYTES,
            action=FrontDoorAction.IMPORT_NOTIFICATIONS,
            check=check_notifications,
            apply=apply_notifications,
            describe_columns=COLUMNS_SUMMARY,
            rule=can_import_notifications,
        )
    )
