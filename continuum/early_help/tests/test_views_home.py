"""Early help on the home pages: what each person leads, the TAFs they are in, and for a
team manager the families awaiting allocation and the step-ups to decide."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.models import Episode
from continuum.early_help.tests import support


def home(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_pages_show_each_role_its_early_help(
    client: Client,
    manager: User,
    vcs_worker: User,
    teacher: User,
    episode: Episode,
) -> None:
    page = home(client, manager)
    # In the manager's work tray.
    assert "Families waiting for allocation" in page and "The Rowntree family" in page
    assert "Step-up requests to decide" in page

    support.allocated(episode, lead=vcs_worker, manager=manager)
    services.add_taf_member(episode=episode, user=teacher, by=vcs_worker, role_in_taf="Teacher")
    services.request_step_up(
        episode=episode, reason="Disclosure at school.", family_agreement="agreed", by=vcs_worker
    )

    page = home(client, vcs_worker)
    assert "Episodes you lead" in page
    assert reverse("early_help:episode", args=[episode.pk]) in page

    page = home(client, teacher)
    assert "TAFs you are in" in page and "as Teacher" in page
    assert reverse("early_help:start") in page  # a partner may start early help

    page = home(client, manager)
    assert "No families are waiting for allocation." in page
    assert reverse("early_help:step-up", args=[episode.pk]) in page
    assert reverse("early_help:start") not in page
