"""The blind view of a sampled contact, on the page and over JSON: what the front door knew
and nothing of its decision; one access-log row per child for each read."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.case_audits.tests.regrades_builders import (
    CONCERNS,
    DECISION_RATIONALE,
    decided_contact,
    open_programme,
    regrade_of,
)
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from continuum.thresholds.models import Indicator, Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(
    stockton: Council, hartlepool: Council, partnership_lead: User, redcar_auditor: User
) -> dict[str, Any]:
    programme = open_programme(councils=[stockton, hartlepool], lead=partnership_lead)
    children = [
        cast(Person, factories.PersonFactory(council=stockton, given_name=name, date_of_birth=born))
        for name, born in (("Zebedee", date(2015, 3, 1)), ("Yolanda", date(2020, 9, 30)))
    ]
    contact = decided_contact(
        stockton, Level.TARGETED_EARLY_HELP, outcome=Outcome.SIGNPOSTING, children=children
    )
    return {
        "programme": programme,
        "contact": contact,
        "children": children,
        "regrade": regrade_of(programme, contact, redcar_auditor),
    }


def _revealing(setting: dict[str, Any]) -> list[str]:
    """Text that would give the decision away."""
    return [
        str(Outcome(Outcome.SIGNPOSTING).label),
        str(ContactStatus(ContactStatus.DECIDED).label),
        DECISION_RATIONALE,
        "The highest level of the indicators ticked",
        "Zebedee",
        "Yolanda",
        "Philippa",
        "Quince",
        setting["contact"].referrer_name,
    ]


def test_the_blind_page_shows_what_the_front_door_knew_and_nothing_of_the_decision(
    client: Client, setting: dict[str, Any], redcar_auditor: User
) -> None:
    client.force_login(redcar_auditor)
    response = client.get(reverse("case_audits:regrade", args=[setting["regrade"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(CONCERNS) in page
    for indicator in Indicator.objects.filter(contacts_presenting=setting["contact"]):
        assert escape(indicator.title) in page
        assert escape(indicator.domain.name) in page
        assert indicator.code not in page
    assert "Mother" in page
    for text in _revealing(setting):
        assert escape(text) not in page, text
    # Each level's name is on the page once: the auditor's own choice of level, no more (the
    # decision's, the suggested and the referrer's view would each add another).
    for level in Level:
        assert page.count(escape(str(level.label))) == 1, level.label
    assert "The decision" not in page


def test_the_blind_json_has_no_decision(
    client: Client, setting: dict[str, Any], redcar_auditor: User
) -> None:
    client.force_login(redcar_auditor)
    response = client.get(f"/api/v1/regrades/{setting['regrade'].pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] is None
    assert body["level"] is None
    assert body["status"] == "To do"
    assert body["contact"]["concerns"] == CONCERNS
    assert sorted(body["contact"]["children_ages"], key=lambda a: a or 0) == sorted(
        child.age_on(setting["contact"].received_on) for child in setting["children"]
    )
    text = json.dumps(body)
    for revealing in [*_revealing(setting), *(str(level.label) for level in Level)]:
        assert revealing not in text, revealing
    assert set(body["contact"]["indicators"][0]) == {"domain", "title"}
    assert "suggest" not in text and "outcome" not in text and "referrer_view" not in text


def test_each_read_of_the_blind_view_logs_one_row_per_child(
    client: Client, setting: dict[str, Any], redcar_auditor: User
) -> None:
    client.force_login(redcar_auditor)
    children = {child.pk for child in setting["children"]}
    client.get(reverse("case_audits:regrade", args=[setting["regrade"].pk]))
    rows = AccessLogEntry.objects.filter(user=redcar_auditor)
    assert set(rows.values_list("subject_id", flat=True)) == children
    assert rows.count() == len(children)
    assert set(rows.values_list("action", flat=True)) == {AccessAction.VIEW_RECORD}
    client.get(f"/api/v1/regrades/{setting['regrade'].pk}")
    api_rows = AccessLogEntry.objects.filter(user=redcar_auditor, action=AccessAction.API_READ)
    assert set(api_rows.values_list("subject_id", flat=True)) == children
    assert api_rows.count() == len(children)


def test_the_partnership_lead_sees_a_regrade_by_reference_without_the_contact(
    client: Client, setting: dict[str, Any], partnership_lead: User
) -> None:
    client.force_login(partnership_lead)
    response = client.get(reverse("case_audits:regrade", args=[setting["regrade"].pk]))
    assert response.status_code == 200
    assert escape(CONCERNS) not in response.content.decode()
    assert client.get(f"/api/v1/regrades/{setting['regrade'].pk}").json()["contact"] is None
    assert not AccessLogEntry.objects.filter(user=partnership_lead).exists()
