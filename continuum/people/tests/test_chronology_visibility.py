"""The chronology is filtered by who reads it (issue 10, finding 10).

Each entry has a category and a sensitivity; each reader sees the categories their
involvement needs (``people.policies.CHRONOLOGY_VISIBILITY``, documented in
docs/chronology-visibility.md), and a front-door decision's rationale is for council staff
only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.access.services import record_involvement
from continuum.accounts.models import Role, User
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people import selectors
from continuum.people.choices import ChronologyCategory, ChronologySensitivity
from continuum.people.models import Person
from continuum.people.policies import CHRONOLOGY_VISIBILITY, ChronologyReader
from continuum.people.services import record_chronology_event
from continuum.testing import factories

CAMHS = "Referred to children and young people's mental health services"
DECISION = "Front-door decision: Early help (level 2)"
RATIONALE = "Mum disclosed her partner drinks heavily; the school has long been worried."
INCIDENT = "Domestic-abuse incident notified by the police; joint triage held"
ATTENDANCE = "Attendance below 90% this term"


@pytest.fixture
def entries(child: Person, worker: User) -> Person:
    yesterday = timezone.localdate() - timedelta(days=1)
    for category, title, detail in (
        (ChronologyCategory.MENTAL_HEALTH, CAMHS, "Low mood and anxiety."),
        (ChronologyCategory.DECISION, DECISION, RATIONALE),
        (ChronologyCategory.POLICE, INCIDENT, "Officers attended."),
        (ChronologyCategory.EDUCATION, ATTENDANCE, "The school raised its concern."),
    ):
        record_chronology_event(
            person=child,
            occurred_on=yesterday,
            category=category,
            title=title,
            detail=detail,
            recorded_by=worker,
        )
    return child


@pytest.fixture
def vcs_worker(make_user: Callable[..., User], stockton: Council) -> User:
    charity = factories.OrganisationFactory(
        name="Stockton Family Support Trust", kind=OrganisationKind.VOLUNTARY, serves=[stockton]
    )
    return make_user(Role.PARTNER_PRACTITIONER, organisation=charity, username="vcs.stockton")


def involved(user: User, person: Person, reason: str = InvolvementReason.REFERRER) -> User:
    record_involvement(user=user, person=person, reason=reason, source="test:involvement")
    return user


def titles(user: User, person: Person) -> set[str]:
    return {e.title for e in selectors.chronology_of(person=person, user=user)}


def page(user: User, person: Person) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/people/{person.pk}/chronology")
    assert response.status_code == 200
    return response.content.decode()


def api(user: User, person: Person) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/api/v1/people/{person.pk}/chronology")
    assert response.status_code == 200, response.content
    return {item["title"]: item for item in response.json()["items"]}


def test_a_school_sees_neither_camhs_referrals_nor_decision_rationales(
    entries: Person, teacher: User
) -> None:
    involved(teacher, entries)
    assert titles(teacher, entries) == {DECISION, ATTENDANCE}
    html = page(teacher, entries)
    assert CAMHS not in html
    assert DECISION in html
    assert RATIONALE not in html
    assert "The reasons are for council staff only." in html
    assert 'data-testid="chronology-filtered"' in html  # the reader is told
    items = api(teacher, entries)
    assert set(items) == {DECISION, ATTENDANCE}
    assert items[DECISION]["detail"] == ""
    assert items[DECISION]["detail_withheld"] is True
    assert items[ATTENDANCE]["detail"] == "The school raised its concern."


def test_a_voluntary_worker_does_not_see_police_domestic_abuse_incidents(
    entries: Person, vcs_worker: User
) -> None:
    involved(vcs_worker, entries)
    assert INCIDENT not in titles(vcs_worker, entries)
    assert INCIDENT not in page(vcs_worker, entries)
    assert INCIDENT not in api(vcs_worker, entries)


def test_the_councils_staff_see_every_entry_and_the_decision_rationale(
    entries: Person, worker: User
) -> None:
    assert titles(worker, entries) == {CAMHS, DECISION, INCIDENT, ATTENDANCE}
    assert RATIONALE in page(worker, entries)
    assert 'data-testid="chronology-filtered"' not in page(worker, entries)
    assert api(worker, entries)[DECISION]["detail"] == RATIONALE


def test_health_sees_camhs_but_not_the_rationale(
    entries: Person, make_user: Callable[..., User], stockton: Council
) -> None:
    trust = factories.OrganisationFactory(
        name="North Tees NHS Trust", kind=OrganisationKind.NHS_TRUST, serves=[stockton]
    )
    nurse = involved(make_user(Role.PARTNER_PRACTITIONER, organisation=trust), entries)
    assert titles(nurse, entries) == {CAMHS, DECISION}
    assert api(nurse, entries)[DECISION]["detail"] == ""


def test_leading_an_episode_adds_what_the_whole_family_assessment_needs_but_no_rationale(
    entries: Person, vcs_worker: User
) -> None:
    involved(vcs_worker, entries, InvolvementReason.LEAD_PROFESSIONAL)
    assert titles(vcs_worker, entries) == {DECISION, INCIDENT, ATTENDANCE}
    assert api(vcs_worker, entries)[DECISION]["detail"] == ""


def test_police_see_police_entries_and_the_outcome_not_camhs_or_school(
    entries: Person, officer: User, police: Organisation
) -> None:
    involved(officer, entries)
    assert titles(officer, entries) == {DECISION, INCIDENT}


def test_a_decision_entry_is_written_with_its_rationale_for_council_staff_only(
    child: Person, worker: User
) -> None:
    event = record_chronology_event(
        person=child,
        occurred_on=timezone.localdate(),
        category=ChronologyCategory.DECISION,
        title=DECISION,
        detail=RATIONALE,
        recorded_by=worker,
    )
    assert event.sensitivity == ChronologySensitivity.COUNCIL_ONLY


# --- the documented table is the one in code ---------------------------------------------


def documented_table() -> dict[str, dict[str, bool]]:
    """docs/chronology-visibility.md's table: reader code -> category code -> seen."""
    text = (Path(settings.BASE_DIR) / "docs" / "chronology-visibility.md").read_text()
    section = text.split("## The table", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    header = next(line for line in section.splitlines() if line.startswith("| reader"))
    categories = re.findall(r"`([a-z_]+)`", header)
    table: dict[str, dict[str, bool]] = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        reader = cells[0].strip("`")
        marks = cells[1 : 1 + len(categories)]
        table[reader] = {c: mark == "seen" for c, mark in zip(categories, marks, strict=True)}
    return table


def test_the_documented_table_matches_the_policy() -> None:
    table = documented_table()
    assert set(table) == set(CHRONOLOGY_VISIBILITY)
    for reader, seen in CHRONOLOGY_VISIBILITY.items():
        assert set(table[reader]) == set(ChronologyCategory.values), reader
        documented = {category for category, is_seen in table[reader].items() if is_seen}
        assert documented == set(seen), reader


def test_every_kind_of_partner_organisation_has_a_row() -> None:
    partner_kinds = set(OrganisationKind.values) - {OrganisationKind.COUNCIL_CHILDRENS_SERVICES}
    assert partner_kinds <= set(CHRONOLOGY_VISIBILITY)
    assert ChronologyReader.COUNCIL in CHRONOLOGY_VISIBILITY
