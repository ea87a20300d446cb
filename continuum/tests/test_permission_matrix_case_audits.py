"""The permission matrix for case audits (issue 14): for each role, who sees an open audit
programme, an audited case before and after it is submitted, a blind re-grade, an action and
a front-door observation, and who may run the programme, audit, moderate and re-grade.

One open programme of Stockton-on-Tees and Hartlepool, run by the Tees partnership: two of
Stockton's episodes given to a Redcar auditor (one in progress, one submitted), a Stockton
contact for that auditor to re-grade, a Middlesbrough auditor moderating, an action for
Stockton and an observation of Stockton's front door. Built with factories and the models;
the peer auditor's read grant through ``access.services``. Then the programme closes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pytest
from django.utils import timezone

from continuum.access import policy
from continuum.access.services import end_read_grants_from, grant_read
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseStatus, ProgrammeStatus
from continuum.case_audits.models import (
    AuditAction,
    AuditCase,
    AuditProgramme,
    BlindRegrade,
    FrontDoorObservation,
)
from continuum.case_audits.policies import CaseAuditAction, source_of
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories

# What each role sees and may do: programme, case in progress, submitted case, re-grade,
# action, observation; run the programme, audit the case in progress, moderate the
# submitted case, re-grade the contact.
SEES = ("programme", "case_before", "case_after", "regrade", "action", "observation")
DOES = ("run", "audit", "moderate", "regrade_it")
Y, N = True, False
MATRIX: dict[str, tuple[bool, ...]] = {
    # programme, case before, case after, regrade, action, observation | run, audit,
    # moderate, regrade it
    "partnership_lead": (Y, Y, Y, Y, Y, Y, Y, N, N, N),
    "lead_of_another_partnership": (N, N, N, N, N, N, N, N, N, N),
    "auditor_assigned": (Y, Y, Y, Y, N, N, N, Y, N, Y),
    "auditor_not_assigned": (N, N, N, N, N, N, N, N, N, N),
    "auditor_of_the_cases_council": (N, N, N, N, N, N, N, N, N, N),
    "moderator": (Y, Y, Y, Y, Y, N, N, N, Y, N),
    "team_manager": (Y, N, Y, N, Y, Y, N, N, N, N),
    "strategic_lead": (Y, N, Y, N, Y, Y, N, N, N, N),
    "another_councils_manager": (N, N, N, N, N, N, N, N, N, N),
    # The analyst sees the programme (for their council's report), never its cases.
    "performance_analyst": (Y, N, N, N, N, N, N, N, N, N),
    "partner_practitioner": (N, N, N, N, N, N, N, N, N, N),
    "front_door_worker": (N, N, N, N, N, N, N, N, N, N),
    "information_governance_lead": (N, N, N, N, N, N, N, N, N, N),
    "system_administrator": (N, N, N, N, N, N, N, N, N, N),
}


@pytest.fixture
def redcar(db: Any) -> Council:
    return factories.tees_council("Redcar and Cleveland")


@pytest.fixture
def middlesbrough(db: Any) -> Council:
    return factories.tees_council("Middlesbrough")


@pytest.fixture
def partnership_lead(make_user: Callable[..., User]) -> User:
    """The Tees safeguarding children partnership's lead (serving all four councils)."""
    return make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD, username="partnership.lead")


@pytest.fixture
def redcar_auditor(make_user: Callable[..., User], redcar: Council) -> User:
    return make_user(Role.AUDITOR, council=redcar, username="auditor.redcar")


@pytest.fixture
def middlesbrough_auditor(make_user: Callable[..., User], middlesbrough: Council) -> User:
    return make_user(Role.AUDITOR, council=middlesbrough, username="auditor.middlesbrough")


@pytest.fixture
def stockton_auditor(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.AUDITOR, council=stockton, username="auditor.stockton")


@dataclass
class Audit:
    programme: AuditProgramme
    case_before: AuditCase
    case_after: AuditCase
    regrade: BlindRegrade
    action: AuditAction
    observation: FrontDoorObservation
    users: dict[str, User]


@pytest.fixture
def audit(
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
    redcar: Council,
    middlesbrough: Council,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
    stockton_auditor: User,
) -> Audit:
    elsewhere = cast(Council, factories.CouncilFactory())
    other_partnership = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Another safeguarding partnership",
            kind=OrganisationKind.SAFEGUARDING_PARTNERSHIP,
            serves=[elsewhere],
        ),
    )
    users = {
        "partnership_lead": partnership_lead,
        "lead_of_another_partnership": make_user(
            Role.SAFEGUARDING_PARTNERSHIP_LEAD, organisation=other_partnership, username="lead.x"
        ),
        "auditor_assigned": redcar_auditor,
        "auditor_not_assigned": make_user(Role.AUDITOR, council=redcar, username="auditor.2"),
        "auditor_of_the_cases_council": stockton_auditor,
        "moderator": middlesbrough_auditor,
        "team_manager": make_user(Role.TEAM_MANAGER, council=stockton, username="tm"),
        "strategic_lead": make_user(Role.STRATEGIC_LEAD, council=stockton, username="sl"),
        "another_councils_manager": make_user(Role.TEAM_MANAGER, council=redcar, username="tm.r"),
        "performance_analyst": make_user(Role.PERFORMANCE_ANALYST, council=stockton, username="pa"),
        "partner_practitioner": make_user(
            Role.PARTNER_PRACTITIONER, council=stockton, username="pp"
        ),
        "front_door_worker": make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd"),
        "information_governance_lead": make_user(
            Role.INFORMATION_GOVERNANCE_LEAD, council=stockton, username="ig"
        ),
        "system_administrator": make_user(
            Role.SYSTEM_ADMINISTRATOR, council=stockton, username="admin"
        ),
    }
    now = timezone.now()
    programme = cast(
        AuditProgramme,
        factories.AuditProgrammeFactory(
            councils=[stockton, hartlepool],
            status=ProgrammeStatus.OPEN,
            opened_at=now,
            created_by=partnership_lead,
        ),
    )
    programme.moderators.add(middlesbrough_auditor)

    def case(status: str) -> AuditCase:
        made = cast(
            AuditCase,
            factories.AuditCaseFactory(
                programme=programme, council=stockton, auditor=redcar_auditor, status=status
            ),
        )
        episode = cast(Episode, made.episode)
        grant_read(
            user=redcar_auditor,
            record_label="early_help.Episode",
            record_id=episode.pk,
            reason="Peer audit",
            source=source_of(programme),
        )
        return made

    contact = cast(Contact, factories.ContactFactory(council=stockton))
    return Audit(
        programme=programme,
        case_before=case(CaseStatus.IN_PROGRESS),
        case_after=case(CaseStatus.SUBMITTED),
        regrade=BlindRegrade.objects.create(
            programme=programme, contact=contact, council=stockton, auditor=redcar_auditor
        ),
        action=AuditAction.objects.create(
            programme=programme,
            council=stockton,
            description="Fathers are seen and recorded in every early help assessment.",
            owner=make_user(Role.TEAM_MANAGER, council=stockton, username="action.owner"),
            due_on=timezone.localdate(),
            created_by=partnership_lead,
        ),
        observation=FrontDoorObservation.objects.create(
            council=stockton,
            template=programme.template,
            observed_on=timezone.localdate(),
            observer=partnership_lead,
            what_was_observed="The morning screening meeting.",
            submitted_at=now,
        ),
        users=users,
    )


def _sees(user: User, record: Any) -> bool:
    return policy.visible(user, type(record)).filter(pk=record.pk).exists()


def _what(audit: Audit, user: User) -> dict[str, bool]:
    return {
        "programme": _sees(user, audit.programme),
        "case_before": _sees(user, audit.case_before),
        "case_after": _sees(user, audit.case_after),
        "regrade": _sees(user, audit.regrade),
        "action": _sees(user, audit.action),
        "observation": _sees(user, audit.observation),
        "run": policy.can(user, CaseAuditAction.RUN_PROGRAMMES, audit.programme),
        "audit": policy.can(user, CaseAuditAction.AUDIT_CASE, audit.case_before),
        "moderate": policy.can(user, CaseAuditAction.MODERATE_CASE, audit.case_after),
        "regrade_it": policy.can(user, CaseAuditAction.REGRADE, audit.regrade),
    }


@pytest.mark.parametrize("who", MATRIX)
def test_case_audits_permission_matrix(audit: Audit, who: str) -> None:
    expected = dict(zip(SEES + DOES, MATRIX[who], strict=True))
    assert _what(audit, audit.users[who]) == expected


def test_the_matrix_covers_every_role() -> None:
    roles = {
        Role.SAFEGUARDING_PARTNERSHIP_LEAD,
        Role.AUDITOR,
        Role.TEAM_MANAGER,
        Role.STRATEGIC_LEAD,
        Role.PERFORMANCE_ANALYST,
        Role.PARTNER_PRACTITIONER,
        Role.FRONT_DOOR_WORKER,
        Role.INFORMATION_GOVERNANCE_LEAD,
        Role.SYSTEM_ADMINISTRATOR,
    }
    # The early help practitioner is the only role left: a case worker, like the front door.
    assert set(Role.values) - roles == {Role.EARLY_HELP_PRACTITIONER}


def test_once_the_programme_closes_auditors_and_moderators_see_and_do_nothing(
    audit: Audit,
) -> None:
    AuditProgramme.objects.filter(pk=audit.programme.pk).update(
        status=ProgrammeStatus.CLOSED, closed_at=timezone.now()
    )
    end_read_grants_from(source=source_of(audit.programme))
    audit.programme.refresh_from_db()
    for record in (audit.case_before, audit.case_after, audit.regrade):
        record.refresh_from_db()
    for who in ("auditor_assigned", "moderator"):
        user = audit.users[who]
        assert not any(_what(audit, user).values()), who
        assert not policy.visible(user, Episode).exists(), who
    # The partnership's lead and the council still see the results.
    assert _what(audit, audit.users["partnership_lead"])["case_after"]
    assert _what(audit, audit.users["team_manager"])["case_after"]


def test_an_auditor_given_their_own_councils_case_may_not_audit_it(
    audit: Audit, stockton_auditor: User
) -> None:
    AuditCase.objects.filter(pk=audit.case_before.pk).update(auditor=stockton_auditor)
    audit.case_before.refresh_from_db()
    assert not policy.can(stockton_auditor, CaseAuditAction.AUDIT_CASE, audit.case_before)


def test_the_assigned_auditor_reads_exactly_the_episodes_granted_while_open(
    audit: Audit, stockton: Council
) -> None:
    user = audit.users["auditor_assigned"]
    another = cast(Episode, factories.EpisodeFactory(council=stockton))
    visible = set(policy.visible(user, Episode).values_list("pk", flat=True))
    assert visible == {audit.case_before.episode_id, audit.case_after.episode_id}
    assert another.pk not in visible
