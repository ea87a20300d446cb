"""Who sees the early help pages: TAF membership gives a partner sight of the episode and the
children while it lasts, and not on the next request after; another council's episode is
404; roles without the work get 403; each episode page logs its read of the children."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessLogEntry
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family, make_episode, make_family, make_place
from continuum.early_help.tests.views_support import url
from continuum.organisations.models import Council


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


def test_another_councils_episode_is_not_found_and_never_listed(
    client: Client,
    manager: User,
    episode: Episode,
    hartlepool: Council,
    make_user: Callable[..., User],
) -> None:
    hartlepool_manager = make_user(Role.TEAM_MANAGER, council=hartlepool)
    client.force_login(hartlepool_manager)
    for name in (
        "episode",
        "assessment",
        "taf",
        "plan",
        "reviews",
        "step-up",
        "closure",
        "history",
    ):
        assert client.get(url(name, episode.pk)).status_code == 404, name
    assert "Rowntree" not in client.get(url("waiting-list")).content.decode()
    assert "Rowntree" not in client.get(url("caseloads")).content.decode()


def test_pages_refuse_roles_without_the_work(
    client: Client, make_user: Callable[..., User], stockton: Council, episode: Episode
) -> None:
    analyst = make_user(Role.PERFORMANCE_ANALYST, council=stockton)
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    front_door = make_user(Role.FRONT_DOOR_WORKER, council=stockton)
    client.force_login(analyst)
    assert client.get(url("waiting-list")).status_code == 403
    assert client.get(url("episode", episode.pk)).status_code == 404
    client.force_login(partner)
    assert client.get(url("waiting-list")).status_code == 403
    assert client.get(url("caseloads")).status_code == 403
    client.force_login(front_door)
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
