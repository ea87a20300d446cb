"""Finding 6: changes to who a user is (role, organisation, teams, administrator status) are
asked for by one administrator and take effect only when a second approves; nobody approves
their own request or a change to their own account; every change keeps its history (who
asked, when, before, after, who decided); an administrator has no case access at all."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from continuum.access import policy
from continuum.accounts import account_changes
from continuum.accounts.models import AccountChange, AccountChangeStatus, Role, User
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def administrator(make_user: Any, council: Council, username: str) -> User:
    return make_user(
        Role.SYSTEM_ADMINISTRATOR,
        council=council,
        username=username,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def first_admin(make_user, stockton) -> User:
    return administrator(make_user, stockton, "admin.first")


@pytest.fixture
def second_admin(make_user, stockton) -> User:
    return administrator(make_user, stockton, "admin.second")


def change_form(user: User, **changes: Any) -> dict[str, Any]:
    """What the admin site's change page posts for ``user``, with ``changes`` applied."""
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "organisation": user.organisation_id or "",
        "role": user.role,
        "teams": [team.pk for team in user.teams.all()],
        "groups": [group.pk for group in user.groups.all()],
        "user_permissions": [],
        "job_title": user.job_title,
        "phone": user.phone,
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        elif value is True:
            data[name] = "on"
        else:
            data[name] = value
    return data


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_an_administrator_cannot_give_themselves_case_access_in_the_admin_site(
    client, first_admin, stockton
):
    person = factories.PersonFactory.create(council=stockton)
    client.force_login(first_admin)
    council_services = factories.council_services(stockton)

    client.post(
        change_url(first_admin),
        change_form(first_admin, role=Role.FRONT_DOOR_WORKER, organisation=council_services.pk),
    )

    first_admin.refresh_from_db()
    assert first_admin.role == Role.SYSTEM_ADMINISTRATOR
    assert not policy.visible(first_admin, Person).filter(pk=person.pk).exists()
    assert client.get(reverse("people:detail", args=[person.pk])).status_code in (403, 404)


def test_a_role_change_waits_for_a_second_administrator_and_keeps_its_history(
    client, first_admin, second_admin, make_user, stockton
):
    worker = make_user(Role.EARLY_HELP_PRACTITIONER, council=stockton, username="ehp.one")
    team = factories.TeamFactory.create(organisation=worker.organisation)
    client.force_login(first_admin)
    changes: dict[str, Any] = {"role": Role.TEAM_MANAGER, "teams": [team.pk]}

    response = client.post(change_url(worker), change_form(worker, **changes))

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.role == Role.EARLY_HELP_PRACTITIONER  # not yet
    change = AccountChange.objects.get(user=worker)
    assert change.status == AccountChangeStatus.PENDING
    assert change.requested_by == first_admin
    assert change.requested_at is not None
    assert change.before["role"] == Role.EARLY_HELP_PRACTITIONER
    assert change.after["role"] == Role.TEAM_MANAGER

    # Nobody approves their own request, nor a change to their own account.
    with pytest.raises(NotPermitted):
        account_changes.approve_account_change(change=change, approver=first_admin)
    worker.refresh_from_db()
    assert worker.role == Role.EARLY_HELP_PRACTITIONER

    # A second administrator approves it through the admin site's list of changes.
    client.force_login(second_admin)
    response = client.post(
        reverse("admin:accounts_accountchange_changelist"),
        {"action": "approve_changes", "_selected_action": [change.pk]},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.role == Role.TEAM_MANAGER
    assert list(worker.teams.all()) == [team]
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.APPROVED
    assert change.decided_by == second_admin
    assert change.decided_at is not None
    # The history page lists it.
    listing = client.get(reverse("admin:accounts_accountchange_changelist"))
    assert listing.status_code == 200
    assert html.escape(str(worker)) in listing.content.decode()
    assert "Approved" in listing.content.decode()


def test_nobody_approves_a_change_to_their_own_account(first_admin, second_admin):
    group = Group.objects.create(name="User administrators")
    change = account_changes.request_account_change(
        user=second_admin, requested_by=first_admin, after={"groups": [group.pk]}
    )
    assert change is not None
    with pytest.raises(NotPermitted):
        account_changes.approve_account_change(change=change, approver=second_admin)
    assert not second_admin.groups.exists()


def test_administrator_status_is_a_governed_change(first_admin, second_admin, make_user, stockton):
    analyst = make_user(Role.PERFORMANCE_ANALYST, council=stockton, username="analyst.one")
    change = account_changes.request_account_change(
        user=analyst,
        requested_by=first_admin,
        after={"is_staff": True, "role": Role.SYSTEM_ADMINISTRATOR},
    )
    assert change is not None
    analyst.refresh_from_db()
    assert not analyst.is_staff
    # An administrator keeps no case role, so the change must give the administrator role.
    with pytest.raises(Exception) as refused:
        account_changes.request_account_change(
            user=make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.x"),
            requested_by=first_admin,
            after={"is_superuser": True},
        )
    assert "case access" in str(refused.value)


def test_only_administrators_ask_or_approve(first_admin, make_user, stockton):
    manager = make_user(Role.TEAM_MANAGER, council=stockton, username="tm.one")
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.one")
    with pytest.raises(NotPermitted):
        account_changes.request_account_change(
            user=worker, requested_by=manager, after={"role": Role.TEAM_MANAGER}
        )
    change = account_changes.request_account_change(
        user=worker, requested_by=first_admin, after={"role": Role.TEAM_MANAGER}
    )
    assert change is not None
    with pytest.raises(NotPermitted):
        account_changes.approve_account_change(change=change, approver=manager)


def test_a_change_to_an_account_that_changed_since_is_not_applied(
    first_admin, second_admin, make_user, stockton
):
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.two")
    change = account_changes.request_account_change(
        user=worker, requested_by=first_admin, after={"role": Role.TEAM_MANAGER}
    )
    assert change is not None
    User.objects.filter(pk=worker.pk).update(role=Role.AUDITOR)
    with pytest.raises(InvalidState):
        account_changes.approve_account_change(change=change, approver=second_admin)
    worker.refresh_from_db()
    assert worker.role == Role.AUDITOR


def test_a_refused_change_is_kept_and_never_applied(first_admin, second_admin, make_user, stockton):
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.three")
    change = account_changes.request_account_change(
        user=worker, requested_by=first_admin, after={"role": Role.TEAM_MANAGER}
    )
    assert change is not None
    account_changes.refuse_account_change(change=change, decider=second_admin)
    with pytest.raises(InvalidState):
        account_changes.approve_account_change(change=change, approver=second_admin)
    worker.refresh_from_db()
    assert worker.role == Role.FRONT_DOOR_WORKER
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.REFUSED
    assert change.decided_by == second_admin


def test_an_account_with_administrator_status_has_no_case_access(make_user, stockton):
    """However it came about, an account that can use the admin site sees no case."""
    person = factories.PersonFactory.create(council=stockton)
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.staff")
    assert policy.visible(worker, Person).filter(pk=person.pk).exists()
    worker.is_staff = True
    assert not policy.visible(worker, Person).exists()
    worker.is_staff = False
    worker.is_superuser = True
    assert not policy.visible(worker, Person).exists()


def test_the_admin_site_says_why_an_administrator_cannot_take_a_case_role(
    client, first_admin, stockton
):
    client.force_login(first_admin)
    response = client.post(
        change_url(first_admin), change_form(first_admin, role=Role.FRONT_DOOR_WORKER)
    )
    assert response.status_code == 200
    assert "An administrator has no case access" in response.content.decode()
    assert not AccountChange.objects.exists()


def test_approving_ones_own_request_in_the_admin_site_is_refused_with_a_reason(
    client, first_admin, make_user, stockton
):
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.four")
    change = account_changes.request_account_change(
        user=worker, requested_by=first_admin, after={"role": Role.TEAM_MANAGER}
    )
    assert change is not None
    client.force_login(first_admin)
    response = client.post(
        reverse("admin:accounts_accountchange_changelist"),
        {"action": "approve_changes", "_selected_action": [change.pk]},
        follow=True,
    )
    assert "You cannot approve your own request" in response.content.decode()
    worker.refresh_from_db()
    assert worker.role == Role.FRONT_DOOR_WORKER
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.PENDING


def test_other_details_save_at_once_while_the_access_change_waits(
    client, first_admin, make_user, stockton
):
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.five")
    client.force_login(first_admin)
    client.post(
        change_url(worker),
        change_form(worker, job_title="Senior practitioner", role=Role.TEAM_MANAGER),
    )
    worker.refresh_from_db()
    assert worker.job_title == "Senior practitioner"
    assert worker.role == Role.FRONT_DOOR_WORKER
    assert AccountChange.objects.get(user=worker).after["role"] == Role.TEAM_MANAGER
    page = client.get(change_url(worker)).content.decode()
    assert "waits for a second administrator: Team manager" in page


def test_a_team_manager_with_administrator_status_sees_no_council_in_detail(make_user, stockton):
    from continuum.performance.policies import councils_compared, councils_in_detail

    manager = make_user(Role.TEAM_MANAGER, council=stockton, username="tm.staff", is_staff=True)
    assert not councils_in_detail(manager).exists()
    assert not councils_compared(manager).exists()
