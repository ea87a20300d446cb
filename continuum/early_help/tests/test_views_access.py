"""Who sees the early help pages: TAF membership gives a partner sight of the episode and the
children while it lasts, and not on the next request after; another council's episode is
404; roles without the work get 403; each episode page logs its read of the children."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family, make_episode, make_family, make_place
from continuum.early_help.tests.views_support import url
from continuum.organisations.models import Council
from continuum.tests.pages import does_not_show, shows


def test_taf_membership_shows_a_partner_the_episode_and_children_only_while_a_member(
    client: Client,
    manager: User,
    vcs_worker: User,
    teacher: User,
    episode: Episode,
    family: Family,
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    child_page = reverse("people:detail", args=[family.child.pk])

    client.force_login(teacher)
    assert client.get(url("episode", episode.pk)).status_code == 404
    assert client.get(child_page).status_code == 404

    client.force_login(vcs_worker)
    client.post(url("taf-member-new", episode.pk), {"user": teacher.pk})
    member = episode.taf_members.get(user=teacher)

    client.force_login(teacher)
    assert client.get(url("episode", episode.pk)).status_code == 200
    assert client.get(url("taf", episode.pk)).status_code == 200
    assert client.get(child_page).status_code == 200
    # A member sees the work but does not do it: that is the lead professional's.
    assert client.get(url("assessment-edit", episode.pk)).status_code == 403

    client.force_login(vcs_worker)
    confirm = client.get(url("taf-member-remove", episode.pk, member.pk))
    assert "will no longer see this episode" in confirm.content.decode()
    assert client.post(url("taf-member-remove", episode.pk, member.pk)).status_code == 302

    client.force_login(teacher)
    assert client.get(url("episode", episode.pk)).status_code == 404
    assert client.get(child_page).status_code == 404


@pytest.mark.parametrize(
    "name", ["episode", "assessment", "taf", "plan", "reviews", "step-up", "closure", "history"]
)
def test_another_councils_episode_is_not_found(
    client: Client, episode: Episode, hartlepool_manager: User, name: str
) -> None:
    client.force_login(hartlepool_manager)
    assert client.get(url(name, episode.pk)).status_code == 404


@pytest.mark.parametrize("name", ["waiting-list", "caseloads"])
def test_another_councils_episode_is_never_listed(
    client: Client,
    manager: User,
    episode: Episode,
    family: Family,
    hartlepool_manager: User,
    name: str,
) -> None:
    # Listed for its own council's manager, so its absence below means something.
    client.force_login(manager)
    assert shows(client.get(url(name)).content.decode(), family.household.name)

    client.force_login(hartlepool_manager)
    response = client.get(url(name))
    assert response.status_code == 200
    assert does_not_show(response.content.decode(), family.household.name)


def test_pages_refuse_roles_without_the_work(
    client: Client, analyst: User, teacher: User, worker: User, episode: Episode
) -> None:
    client.force_login(analyst)
    assert client.get(url("waiting-list")).status_code == 403
    assert client.get(url("episode", episode.pk)).status_code == 404
    client.force_login(teacher)  # a partner
    assert client.get(url("waiting-list")).status_code == 403
    assert client.get(url("caseloads")).status_code == 403
    client.force_login(worker)  # the front door
    assert client.get(url("waiting-list")).status_code == 200
    assert client.get(url("caseloads")).status_code == 403
    assert client.get(url("panel-new")).status_code == 403
    # The front door reads the council's episodes but does not work them.
    assert client.get(url("episode", episode.pk)).status_code == 200
    assert client.get(url("taf-member-new", episode.pk)).status_code == 403


def test_each_episode_page_logs_one_read_of_each_child(
    client: Client, manager: User, stockton: Council
) -> None:
    place = make_place(stockton, "Billingham")
    family = make_family(stockton, "Okafor")
    twin = make_family(stockton, "Okafor-Twin").child
    episode = make_episode(
        council=stockton,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child, twin],
    )
    client.force_login(manager)
    before = AccessLogEntry.objects.count()
    assert client.get(url("assessment", episode.pk)).status_code == 200
    rows = AccessLogEntry.objects.order_by("pk")[before:]
    assert sorted(str(r.subject_id) for r in rows) == sorted([str(family.child.pk), str(twin.pk)])
    assert {r.username for r in rows} == {manager.username}
