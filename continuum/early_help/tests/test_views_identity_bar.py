"""Every episode page starts with the MOJ identity bar: the family's name first and largest
(the page's only h1 on the episode's tabs), then the key facts (issue 12: the name sat
small under a larger caption, so the headings read upside down)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from continuum.accounts.models import User
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.views_support import url

TABS = ["episode", "assessment", "taf", "plan", "reviews", "step-up", "closure", "history"]


def _main(html: str) -> str:
    return html.split('id="main-content"', 1)[1]


@pytest.mark.parametrize("name", TABS)
def test_the_familys_name_is_the_pages_heading_before_everything_else(
    client: Client, manager: User, vcs_worker: User, episode: Episode, name: str
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    client.force_login(manager)
    main = _main(client.get(url(name, episode.pk)).content.decode())
    family = f"The {episode.household.name} family"
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", main, re.S)
    assert [h.strip() for h in headings] == [family]
    bar = main.split('data-testid="identity-bar"', 1)[1].split("</dl>", 1)[0]
    # The name comes first, as the largest heading, then the facts; no caption above it.
    assert bar.index(family) < bar.index("Lead professional:")
    assert 'class="govuk-heading-l' in bar and "govuk-caption" not in bar
    assert "moj-identity-bar__title" not in bar  # MOJ's 16px title would shrink the name
    for fact in ("Early help episode:", episode.council.name, "Children:", "Level:", "Status:"):
        assert fact in bar


def test_a_form_page_names_the_family_above_the_forms_own_heading(
    client: Client, manager: User, vcs_worker: User, episode: Episode
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    client.force_login(vcs_worker)
    main = _main(client.get(url("taf-meeting-new", episode.pk)).content.decode())
    family = f"The {episode.household.name} family"
    assert main.index(family) < main.index("<h1")
    assert family not in re.findall(r"<h1[^>]*>(.*?)</h1>", main, re.S)[0]
