"""What programmes add to other apps' pages (registered from ``ProgrammesConfig.ready``):
a panel on an episode's page (``ui.panels`` "early_help.episode") listing the programmes
its family took part in, with links to record joining or leaving for those who work it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from continuum.access import policy
from continuum.programmes import selectors
from continuum.programmes.policies import ProgrammeAction
from continuum.ui.panels import Panel, register_panel


def episode_panel(request: Any, episode: Any) -> Panel | None:
    user = request.user
    taking_part = list(selectors.participations_on(user, episode))
    may_tag = policy.can(user, ProgrammeAction.TAG_EPISODE, episode)
    if not taking_part and not (may_tag and selectors.programmes_to_join(user, episode).exists()):
        return None
    return Panel(
        template="programmes/_episode_panel.html",
        context={
            "participations": taking_part,
            "may_tag": may_tag,
            "join_url": reverse("programmes:join", args=[episode.pk]),
        },
    )


def register() -> None:
    register_panel("early_help.episode", episode_panel)
