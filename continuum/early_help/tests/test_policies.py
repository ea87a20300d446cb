"""The early help access rules, as a table: who sees an episode and who may work it,
allocate, decide a step-up or record the six-month follow-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pytest

from continuum.access import policy
from continuum.access.models import RestrictedAccess
from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.models import Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family
from continuum.organisations.models import Council, Organisation

WORK = EarlyHelpAction.WORK_EPISODE
ALLOCATE = EarlyHelpAction.ALLOCATE
DECIDE = EarlyHelpAction.DECIDE_STEP_UP
FOLLOW_UP = EarlyHelpAction.RECORD_FOLLOW_UP


# Who each case is: a description, and the fixture that is that person.
PEOPLE = {
    "stockton manager": "manager",
    "stockton early help practitioner": "eh_worker",
    "stockton front-door worker": "worker",
    "voluntary-sector lead professional": "vcs_worker",
    "school practitioner, not involved": "teacher",
    "hartlepool manager": "hartlepool_manager",
    "analyst": "analyst",
}


@dataclass(frozen=True)
class Case:
    who: str
    sees: bool
    may: frozenset[str]


def cases(*table: Case) -> list[Any]:
    return [pytest.param(case, id=case.who) for case in table]


OPEN_EPISODE = cases(
    Case("stockton manager", True, frozenset({WORK, ALLOCATE, DECIDE})),
    Case("stockton early help practitioner", True, frozenset({WORK})),
    Case("stockton front-door worker", True, frozenset()),
    Case("voluntary-sector lead professional", True, frozenset({WORK})),
    Case("school practitioner, not involved", False, frozenset()),
    Case("hartlepool manager", False, frozenset()),
    Case("analyst", False, frozenset()),
)
CLOSED_EPISODE = cases(
    Case("stockton manager", True, frozenset({ALLOCATE, DECIDE, FOLLOW_UP})),
    Case("stockton early help practitioner", True, frozenset({FOLLOW_UP})),
    Case("voluntary-sector lead professional", False, frozenset()),
    Case("hartlepool manager", False, frozenset()),
)


@pytest.fixture
def person_called(request: pytest.FixtureRequest) -> Callable[[str], User]:
    """person_called(who) -> the user a case names."""

    def user(who: str) -> User:
        return cast(User, request.getfixturevalue(PEOPLE[who]))

    return user


def _check(case: Case, user: User, episode: Episode) -> None:
    sees = policy.visible(user, Episode).filter(pk=episode.pk).exists()
    assert sees == case.sees
    allowed = {a for a in (WORK, ALLOCATE, DECIDE, FOLLOW_UP) if policy.can(user, a, episode)}
    assert allowed == case.may


@pytest.mark.parametrize("case", OPEN_EPISODE)
def test_who_sees_and_works_an_open_episode(
    case: Case,
    person_called: Callable[[str], User],
    manager: User,
    vcs_worker: User,
    episode: Episode,
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    episode.refresh_from_db()
    _check(case, person_called(case.who), episode)


@pytest.mark.parametrize("case", CLOSED_EPISODE)
def test_who_sees_a_closed_episode_and_records_its_follow_up(
    case: Case,
    person_called: Callable[[str], User],
    manager: User,
    vcs_worker: User,
    episode: Episode,
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    episode.refresh_from_db()
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="declined",
        need_outcomes={},
    )
    episode.refresh_from_db()
    _check(case, person_called(case.who), episode)


def test_a_restricted_child_hides_the_episode_from_council_staff_not_on_the_list(
    manager: User, eh_worker: User, episode: Episode, family: Family
) -> None:
    family.child.is_restricted = True
    family.child.save()
    RestrictedAccess.objects.create(person=family.child, user=manager, reason="Allocated manager")
    assert policy.visible(manager, Episode).filter(pk=episode.pk).exists()
    assert not policy.visible(eh_worker, Episode).filter(pk=episode.pk).exists()


def test_a_child_whose_record_another_council_holds_does_not_hide_the_councils_episode(
    eh_worker: User, episode: Episode, hartlepool: Council
) -> None:
    child = episode.children.get()
    child.council = hartlepool
    child.save()
    assert policy.visible(eh_worker, Episode).filter(pk=episode.pk).exists()


def test_page_gates_asked_without_an_episode(person_called: Callable[[str], User]) -> None:
    def may(who: str, action: str) -> bool:
        return policy.can(person_called(who), action)

    assert may("stockton manager", EarlyHelpAction.VIEW_CASELOADS)
    assert not may("stockton early help practitioner", EarlyHelpAction.VIEW_CASELOADS)
    assert may("stockton front-door worker", EarlyHelpAction.VIEW_WAITING_LIST)
    assert may("stockton front-door worker", EarlyHelpAction.STEP_DOWN)
    assert not may("voluntary-sector lead professional", EarlyHelpAction.VIEW_WAITING_LIST)
    assert may("school practitioner, not involved", EarlyHelpAction.OPEN_EPISODE)
    assert may("voluntary-sector lead professional", WORK)
    assert not may("stockton front-door worker", WORK)
    assert not may("analyst", WORK)


def test_organisation_without_role_sees_nothing(
    make_user: Callable[..., User], vcs_organisation: Organisation, episode: Episode
) -> None:
    nobody = make_user("", organisation=vcs_organisation)
    assert not policy.visible(nobody, Episode).exists()
    assert not policy.can(nobody, WORK, episode)
