"""The demo's case audits (issue 14): last spring's peer audit, closed, and this autumn's,
open, as the partnership's lead and the councils' auditors find them on first sign-in."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import override_settings

from continuum.access import policy
from continuum.access.models import Involvement, ReadGrant
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import ActionStatus, CaseStatus, ProgrammeStatus
from continuum.case_audits.consistency import agreement
from continuum.case_audits.models import (
    AuditAction,
    AuditCase,
    AuditProgramme,
    BlindRegrade,
    FrontDoorObservation,
)
from continuum.case_audits.policies import source_of
from continuum.demo.generator import World
from continuum.demo.generator.steps.case_audits import AUDITORS, CLOSED_TITLE, LEAD, OPEN_TITLE
from continuum.early_help.models import Episode
from continuum.front_door.models import ContactDecision
from continuum.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db


def _programme(title: str) -> AuditProgramme:
    return AuditProgramme.objects.get(title=title)


def _own_council(user: User) -> Any:
    return user.organisation.council_id if user.organisation else None


def test_the_closed_programme_has_ten_moderated_cases_a_council_none_audited_by_its_own(
    demo_world: World,
) -> None:
    programme = _programme(CLOSED_TITLE)
    assert programme.status == ProgrammeStatus.CLOSED
    assert programme.opened_at and programme.closed_at
    assert programme.opened_at < programme.closed_at
    cases = list(programme.cases.select_related("auditor__organisation"))
    assert Counter(c.council.name for c in cases) == {c.name: 10 for c in programme.councils.all()}
    assert len(programme.councils.all()) == 4
    assert {c.status for c in cases} == {CaseStatus.MODERATED}
    assert all(c.auditor is not None and _own_council(c.auditor) != c.council_id for c in cases)
    assert all(c.moderator_id != c.auditor_id for c in cases)
    assert all(c.moderator is not None and _own_council(c.moderator) != c.council_id for c in cases)
    changed = [c for c in cases if c.moderated_grade != c.overall_grade]
    assert all(c.moderation_note for c in changed)
    assert all(c.findings.exists() and c.conversations.exists() for c in cases)
    assert {c.level for c in cases} - {None}, "stratified by level"


def test_the_closed_programmes_sight_has_ended(demo_world: World) -> None:
    source = source_of(_programme(CLOSED_TITLE))
    grants = ReadGrant.objects.filter(source=source)
    involvements = Involvement.objects.filter(source=source)
    assert grants.exists() and involvements.exists()
    assert not grants.active().exists()
    assert not grants.filter(ends_at=None).exists()
    assert not involvements.filter(ends_at=None).exists()


def test_the_closed_programme_has_actions_observations_and_regrades(demo_world: World) -> None:
    programme = _programme(CLOSED_TITLE)
    actions = AuditAction.objects.filter(programme=programme)
    statuses = Counter(a.status for a in actions)
    assert statuses[ActionStatus.DONE] >= 4 and statuses[ActionStatus.OPEN] >= 4
    assert sum(a.status == ActionStatus.OPEN and a.due_on < demo_world.as_of for a in actions) >= 1
    assert {a.council_id for a in actions} == set(programme.councils.values_list("pk", flat=True))
    observations = FrontDoorObservation.objects.filter(programme=programme)
    assert {o.council_id for o in observations} == {a.council_id for a in actions}
    assert all(_own_council(o.observer) != o.council_id for o in observations)
    regrades = programme.regrades.all()
    assert regrades.count() == 40
    assert not regrades.filter(level=None).exists()


def test_the_regrades_give_a_kappa_with_an_interval(demo_world: World) -> None:
    pairs: list[tuple[int, int]] = []
    for regrade in BlindRegrade.objects.filter(programme=_programme(CLOSED_TITLE)):
        decided = ContactDecision.objects.get(contact_id=regrade.contact_id)
        assert decided.level is not None and regrade.level is not None
        pairs.append((decided.level, regrade.level))
    result = agreement(pairs)
    assert result.percentage is not None and 50 < result.percentage < 100
    assert result.kappa is not None and result.kappa_low is not None
    assert result.kappa_high is not None
    assert result.kappa_low < result.kappa < result.kappa_high
    assert any(abs(a - b) == 1 for a, b in pairs)


def test_the_open_programme_is_in_every_state(demo_world: World) -> None:
    programme = _programme(OPEN_TITLE)
    assert programme.status == ProgrammeStatus.OPEN
    statuses = Counter(programme.cases.values_list("status", flat=True))
    assert statuses[CaseStatus.ASSIGNED] and statuses[CaseStatus.IN_PROGRESS]
    assert statuses[CaseStatus.SUBMITTED] and not statuses[CaseStatus.MODERATED]
    regrades = programme.regrades.all()
    assert regrades.filter(revealed_at=None).exists() and regrades.exclude(level=None).exists()


@pytest.mark.parametrize("username", AUDITORS)
def test_an_auditor_sees_exactly_their_open_cases(demo_world: World, username: str) -> None:
    user = User.objects.get(username=username)
    programme = _programme(OPEN_TITLE)
    mine = AuditCase.objects.filter(programme=programme, auditor=user)
    assert mine.exists()
    seen_cases = policy.visible(user, AuditCase)
    moderating = programme.moderators.filter(pk=user.pk).exists()
    # A moderator sees every case of the programme but their own council's, to moderate it.
    expected = programme.cases.exclude(council=_own_council(user)) if moderating else mine
    assert set(seen_cases) == set(expected)
    granted = set(expected.values_list("episode_id", flat=True))
    assert set(policy.visible(user, Episode).values_list("pk", flat=True)) == granted
    assert not policy.visible(user, Episode).filter(council=_own_council(user)).exists()
    closed = _programme(CLOSED_TITLE)
    assert not policy.visible(user, AuditProgramme).filter(pk=closed.pk).exists()


def test_the_lead_works_for_the_partnership_and_sees_both_programmes(demo_world: World) -> None:
    lead = User.objects.get(username=LEAD)
    assert lead.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD
    assert lead.organisation is not None
    assert lead.organisation.kind == OrganisationKind.SAFEGUARDING_PARTNERSHIP
    assert lead.organisation.serves.count() == 4
    seen = set(policy.visible(lead, AuditProgramme).values_list("title", flat=True))
    assert {CLOSED_TITLE, OPEN_TITLE} <= seen


@pytest.mark.parametrize("username", (LEAD, *AUDITORS))
def test_the_case_audit_sign_ins_work(demo_world: World, settings: Any, username: str) -> None:
    with override_settings(CONTINUUM_DEMO=True):
        user = authenticate(username=username, password=settings.DEMO_PASSWORD)
    assert user is not None and user.username == username
