"""Grading blind, seeing the decision without grading, and what is refused: grading after
the decision was shown, grading someone else's, bad input, and anything after the
programme closes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.access.models import Involvement, ReadGrant
from continuum.accounts.models import User
from continuum.case_audits.choices import ProgrammeStatus
from continuum.case_audits.models import BlindRegrade
from continuum.case_audits.policies import source_of
from continuum.case_audits.services.regrades import grade_blind, reveal_without_grading
from continuum.case_audits.tests.regrades_builders import (
    DECISION_RATIONALE,
    decided_contact,
    open_programme,
    regrade_of,
)
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Council
from continuum.thresholds.models import Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def regrade(
    stockton: Council,
    hartlepool: Council,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
) -> BlindRegrade:
    programme = open_programme(
        councils=[stockton, hartlepool], lead=partnership_lead, moderators=[middlesbrough_auditor]
    )
    return regrade_of(
        programme, decided_contact(stockton, Level.TARGETED_EARLY_HELP), redcar_auditor
    )


def _snapshot(regrade: BlindRegrade) -> tuple[Any, ...]:
    row = BlindRegrade.objects.get(pk=regrade.pk)
    return (row.level, row.rationale, row.graded_at, row.revealed_at)


def _post_grade(client: Client, regrade: BlindRegrade, level: Any, rationale: str) -> Any:
    return client.post(
        reverse("case_audits:regrade", args=[regrade.pk]),
        {"level": level, "rationale": rationale},
    )


def test_grading_shows_the_decision_and_opens_the_contact_to_the_auditor(
    client: Client, regrade: BlindRegrade, redcar_auditor: User
) -> None:
    client.force_login(redcar_auditor)
    contact_url = reverse("front_door:contact", args=[regrade.contact_id])
    assert client.get(contact_url).status_code == 404

    response = _post_grade(client, regrade, Level.SPECIALIST, "Left alone at night: risk of harm.")
    assert response.status_code == 302
    regrade.refresh_from_db()
    assert regrade.level == Level.SPECIALIST
    assert regrade.rationale == "Left alone at night: risk of harm."
    assert regrade.graded_at is not None and regrade.revealed_at == regrade.graded_at

    page = client.get(reverse("case_audits:regrade", args=[regrade.pk])).content.decode()
    assert "The decision" in page
    assert "The auditor's level is 1 higher" in page
    assert "Open the contact" in page
    assert client.get(contact_url).status_code == 200
    source = source_of(regrade.programme)
    assert ReadGrant.objects.filter(
        user=redcar_auditor, record_id=regrade.contact_id, source=source, ends_at=None
    ).exists()
    children = set(regrade.contact.child_links.values_list("person_id", flat=True))
    involved = Involvement.objects.filter(user=redcar_auditor, source=source)
    assert set(involved.values_list("person_id", flat=True)) == children


def test_the_api_grades_and_answers_with_the_decision(
    client: Client, regrade: BlindRegrade, redcar_auditor: User
) -> None:
    client.force_login(redcar_auditor)
    response = client.post(
        f"/api/v1/regrades/{regrade.pk}/grade",
        {"level": 3, "rationale": "Needs across domains."},
        content_type="application/json",
    )
    assert response.status_code == 200
    decision = response.json()["decision"]
    assert decision == {
        "front_door_level": 3,
        "front_door_level_label": str(Level.TARGETED_EARLY_HELP.label),
        "agreed": True,
        "distance": 0,
    }


def test_regrading_after_the_decision_was_shown_is_refused_and_changes_nothing(
    client: Client, regrade: BlindRegrade, redcar_auditor: User
) -> None:
    grade_blind(regrade=regrade, by=redcar_auditor, level=2, rationale="Single agency.")
    before = _snapshot(regrade)
    with pytest.raises(InvalidState):
        grade_blind(regrade=regrade, by=redcar_auditor, level=3, rationale="Second thoughts.")
    client.force_login(redcar_auditor)
    response = _post_grade(client, regrade, 3, "Second thoughts.")
    assert response.status_code == 200
    assert "can no longer be re-graded blind" in response.content.decode()
    api = client.post(
        f"/api/v1/regrades/{regrade.pk}/grade",
        {"level": 3, "rationale": "Second thoughts."},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert _snapshot(regrade) == before


def test_seeing_the_decision_without_grading_then_refuses_a_grade(
    client: Client, regrade: BlindRegrade, redcar_auditor: User
) -> None:
    client.force_login(redcar_auditor)
    response = client.post(reverse("case_audits:regrade-reveal", args=[regrade.pk]))
    assert response.status_code == 302
    regrade.refresh_from_db()
    assert regrade.revealed_at is not None and regrade.level is None and regrade.graded_at is None
    assert (
        DECISION_RATIONALE
        in client.get(reverse("case_audits:regrade", args=[regrade.pk])).content.decode()
    )
    assert client.get(reverse("front_door:contact", args=[regrade.contact_id])).status_code == 200
    before = _snapshot(regrade)
    assert (
        client.post(
            f"/api/v1/regrades/{regrade.pk}/reveal", {}, content_type="application/json"
        ).status_code
        == 409
    )
    api = client.post(
        f"/api/v1/regrades/{regrade.pk}/grade",
        {"level": 3, "rationale": "Now I know."},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert _snapshot(regrade) == before


@pytest.mark.parametrize(
    ("level", "rationale", "field"),
    [(3, "", "rationale"), (3, "   ", "rationale"), (7, "Because.", "level"), (0, "x", "level")],
)
def test_bad_input_saves_nothing(
    client: Client,
    regrade: BlindRegrade,
    redcar_auditor: User,
    level: int,
    rationale: str,
    field: str,
) -> None:
    before = _snapshot(regrade)
    grants = ReadGrant.objects.count()
    client.force_login(redcar_auditor)
    page = _post_grade(client, regrade, level, rationale)
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()
    api = client.post(
        f"/api/v1/regrades/{regrade.pk}/grade",
        {"level": level, "rationale": rationale},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert field in {entry["loc"][-1] for entry in api.json()["detail"]}
    assert _snapshot(regrade) == before
    assert ReadGrant.objects.count() == grants


def test_only_the_assigned_auditor_grades(
    client: Client,
    regrade: BlindRegrade,
    middlesbrough_auditor: User,
    stockton_auditor: User,
    partnership_lead: User,
) -> None:
    before = _snapshot(regrade)
    url = reverse("case_audits:regrade", args=[regrade.pk])
    # Another auditor: not even there.
    client.force_login(stockton_auditor)
    assert client.get(url).status_code == 404
    assert _post_grade(client, regrade, 3, "Mine now.").status_code == 404
    assert client.get(f"/api/v1/regrades/{regrade.pk}").status_code == 404
    # The programme's moderator sees it but may not grade it or reveal it.
    client.force_login(middlesbrough_auditor)
    assert client.get(url).status_code == 200
    assert _post_grade(client, regrade, 3, "Moderating.").status_code == 403
    assert client.post(reverse("case_audits:regrade-reveal", args=[regrade.pk])).status_code == 403
    grade = client.post(
        f"/api/v1/regrades/{regrade.pk}/grade",
        {"level": 3, "rationale": "Moderating."},
        content_type="application/json",
    )
    assert grade.status_code == 403
    # Nor does the partnership's lead.
    client.force_login(partnership_lead)
    assert _post_grade(client, regrade, 3, "Leading.").status_code == 403
    assert (
        client.post(
            f"/api/v1/regrades/{regrade.pk}/reveal", {}, content_type="application/json"
        ).status_code
        == 403
    )
    assert _snapshot(regrade) == before


def test_an_auditor_of_the_contacts_own_council_may_not_grade_it(
    regrade: BlindRegrade, stockton_auditor: User
) -> None:
    BlindRegrade.objects.filter(pk=regrade.pk).update(auditor=stockton_auditor)
    regrade.refresh_from_db()
    with pytest.raises(NotPermitted):
        reveal_without_grading(regrade=regrade, by=stockton_auditor)
    assert _snapshot(regrade)[3] is None


def test_after_the_programme_closes_the_auditor_sees_nothing(
    client: Client, regrade: BlindRegrade, redcar_auditor: User
) -> None:
    type(regrade.programme).objects.filter(pk=regrade.programme_id).update(
        status=ProgrammeStatus.CLOSED
    )
    client.force_login(redcar_auditor)
    assert client.get(reverse("case_audits:regrade", args=[regrade.pk])).status_code == 404
    assert (
        client.get(reverse("case_audits:regrades", args=[regrade.programme_id])).status_code == 404
    )
    assert client.get(f"/api/v1/regrades/{regrade.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/audit-programmes/{regrade.programme_id}/regrades").status_code == 404
    )
    assert _post_grade(client, regrade, 3, "Late.").status_code == 404
    assert _snapshot(regrade)[0] is None
