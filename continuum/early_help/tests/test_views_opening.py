"""Opening an episode: from a front-door decision on the waiting list, by a partner starting
single-agency early help, and as a step-down from social care."""

from __future__ import annotations

from django.test import Client

from continuum.access.models import InvolvementReason
from continuum.accounts.models import User
from continuum.early_help.choices import EpisodeOrigin, EpisodeStatus
from continuum.early_help.models import Episode
from continuum.early_help.tests.builders import (
    Family,
    Place,
    agree_to_early_help,
    decided_for_early_help,
    make_family,
)
from continuum.early_help.tests.views_support import url
from continuum.organisations.models import Council
from continuum.testing import factories


def test_a_decision_for_early_help_waits_until_an_episode_is_opened_from_it(
    client: Client,
    manager: User,
    family: Family,
    stockton_place: Place,
    hartlepool_manager: User,
) -> None:
    decision = decided_for_early_help(stockton_place.council, family, manager)
    client.force_login(manager)
    waiting = client.get(url("waiting-list")).content.decode()
    assert "Maisie Rowntree" in waiting and url("open-from-decision", decision.pk) in waiting

    response = client.post(
        url("open-from-decision", decision.pk),
        {
            "household": family.household.pk,
            "locality": stockton_place.locality.pk,
            "team": stockton_place.team.pk,
            # The contact's agreement carries over (the page offers it).
            "consent": "agreed",
        },
    )
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert episode.origin == EpisodeOrigin.FRONT_DOOR and episode.front_door_decision == decision
    assert episode.level == 3 and episode.status == EpisodeStatus.AWAITING_ALLOCATION
    assert list(episode.children.all()) == [family.child]

    waiting = client.get(url("waiting-list")).content.decode()
    assert url("open-from-decision", decision.pk) not in waiting
    assert "front-door decision" in waiting  # waiting counted from the decision
    # Opening it again is not possible.
    assert client.get(url("open-from-decision", decision.pk)).status_code == 404

    # Another council's manager neither sees nor opens it.
    client.force_login(hartlepool_manager)
    assert "Maisie" not in client.get(url("waiting-list")).content.decode()


def test_opening_from_a_decision_without_a_household_names_the_field(
    client: Client, manager: User, family: Family, stockton_place: Place
) -> None:
    decision = decided_for_early_help(stockton_place.council, family, manager)
    client.force_login(manager)
    response = client.post(
        url("open-from-decision", decision.pk),
        {"locality": stockton_place.locality.pk, "team": stockton_place.team.pk},
    )
    assert "Select the family&#x27;s household." in response.content.decode()
    assert Episode.objects.count() == 0


def test_a_school_starts_early_help_for_a_child_it_is_involved_with_and_leads_it(
    client: Client,
    teacher: User,
    eh_worker: User,
    family: Family,
    stockton_place: Place,
    stockton: Council,
) -> None:
    agree_to_early_help(family, eh_worker)
    factories.InvolvementFactory.create(
        user=teacher, person=family.child, reason=InvolvementReason.REFERRER
    )
    unseen = make_family(stockton, "Unseen")
    client.force_login(teacher)
    page = client.get(url("start")).content.decode()
    assert "Maisie Rowntree" in page and "Unseen" not in page

    posted = {
        "children": [str(unseen.child.pk)],
        "household": family.household.pk,
        "locality": stockton_place.locality.pk,
        "team": stockton_place.team.pk,
        "reason_for_request": "Attendance has dropped to 80% this term.",
        "consent": "agreed",
    }
    refused = client.post(url("start"), posted)
    assert "Select a valid choice" in refused.content.decode()
    assert Episode.objects.count() == 0

    posted["children"] = [str(family.child.pk)]
    assert client.post(url("start"), posted).status_code == 302
    episode = Episode.objects.get()
    assert episode.origin == EpisodeOrigin.PARTNER and episode.council == stockton
    assert episode.lead_professional == teacher
    assert episode.status == EpisodeStatus.ALLOCATED
    summary = client.get(url("episode", episode.pk)).content.decode()
    assert "Opened by a partner agency" in summary and "Stockton Test Primary School" in summary


def test_a_manager_steps_a_family_down_with_the_social_care_history_visible(
    client: Client, manager: User, family: Family, stockton_place: Place
) -> None:
    client.force_login(manager)
    found = client.get(url("step-down"), {"q": "Maisie Rowntree"}).content.decode()
    assert "Maisie Rowntree" in found
    posted = {
        "q": "Maisie Rowntree",
        "children": [str(family.child.pk)],
        "household": family.household.pk,
        "locality": stockton_place.locality.pk,
        "team": stockton_place.team.pk,
        "level": "3",
        "social_care_history": "",
        "reason_for_request": "Continuing support after the child in need plan.",
        "consent": "lawful_basis",
        "lawful_basis": "public_task",
        "lawful_basis_justification": "The child in need plan ends; support must not lapse.",
    }
    refused = client.post(url("step-down"), posted)
    assert "Summarise the social care involvement the family is leaving." in (
        refused.content.decode()
    )
    assert Episode.objects.count() == 0

    posted["social_care_history"] = "Child in need plan for nine months, closed in March."
    assert client.post(url("step-down"), posted).status_code == 302
    episode = Episode.objects.get()
    assert episode.origin == EpisodeOrigin.STEP_DOWN and episode.level == 3
    summary = client.get(url("episode", episode.pk)).content.decode()
    assert "Child in need plan for nine months" in summary
    assert family.child.chronology.filter(title__icontains="Stepped down").exists()
