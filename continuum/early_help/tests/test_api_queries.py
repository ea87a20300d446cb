"""The API's lists read a page in the same number of queries however many items it holds
(no query per item): episodes, allocation panels, TAF meetings and reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.choices import AgencyKind
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import API, Api, ok, url
from continuum.early_help.tests.builders import Family, Place, make_episode, make_family
from continuum.organisations.models import Organisation


def queries_and_items(api: Api, path: str) -> tuple[int, int]:
    """The queries one read of the list made, and how many items it answered."""
    with CaptureQueriesContext(connection) as queries:
        listed = ok(api.get(path))
    assert listed["count"] == len(listed["items"])
    return len(queries), len(listed["items"])


def led_episode(place: Place, name: str, *, manager: User, lead: User) -> Episode:
    """An episode of a new family, allocated to ``lead``, with its assessment started."""
    family = make_family(place.council, name)
    episode = make_episode(
        council=place.council,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child],
    )
    support.allocated(episode, lead=lead, manager=manager)
    support.started(episode, lead=lead)
    return episode


def test_the_episode_list_costs_the_same_queries_for_one_episode_or_many(
    stockton_place: Place, manager: User, eh_worker: User, vcs_worker: User
) -> None:
    api = Api(eh_worker)
    led_episode(stockton_place, "Adeyemi", manager=manager, lead=vcs_worker)
    make_episode(  # waiting for allocation, long enough to be overdue
        council=stockton_place.council,
        locality=stockton_place.locality,
        team=stockton_place.team,
        opened_by=manager,
        start_date=timezone.localdate() - timedelta(days=40),
    )
    ok(api.get(f"{API}/episodes"))  # the council's early help settings, made on first use
    few = queries_and_items(api, f"{API}/episodes")

    for name in ("Brennan", "Chowdhury", "Dobson"):
        led_episode(stockton_place, name, manager=manager, lead=vcs_worker)
    make_episode(
        council=stockton_place.council,
        locality=stockton_place.locality,
        team=stockton_place.team,
        opened_by=manager,
        start_date=timezone.localdate() - timedelta(days=50),
    )
    many = queries_and_items(api, f"{API}/episodes")

    assert (few[1], many[1]) == (2, 6)
    assert many[0] == few[0]


def test_the_panel_list_costs_the_same_queries_for_one_panel_or_many(
    stockton_place: Place, manager: User, school: Organisation, vcs_organisation: Organisation
) -> None:
    def hold() -> None:
        services.hold_panel(
            council=stockton_place.council,
            locality=stockton_place.locality,
            held_on=timezone.localdate(),
            agencies_present=[school, vcs_organisation],
            chaired_by=manager,
        )

    api = Api(manager)
    hold()
    few = queries_and_items(api, f"{API}/allocation-panels")
    for _ in range(3):
        hold()
    many = queries_and_items(api, f"{API}/allocation-panels")

    assert (few[1], many[1]) == (1, 4)
    assert many[0] == few[0]


@pytest.mark.parametrize("path", ["/taf-meetings", "/reviews"])
def test_an_episodes_meetings_and_reviews_cost_the_same_queries_for_one_or_many(
    episode: Episode, family: Family, manager: User, vcs_worker: User, path: str
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker)
    need = episode.needs.get()
    today = timezone.localdate()

    def meet_and_review() -> None:
        services.record_taf_meeting(
            episode=episode,
            held_on=today,
            decisions="Keep the morning routine chart going.",
            attendees=[
                {
                    "name": str(vcs_worker),
                    "user": vcs_worker,
                    "organisation": vcs_worker.organisation,
                    "agency": AgencyKind.VOLUNTARY,
                },
                {"name": family.parent.full_name, "person": family.parent, "agency": "family"},
            ],
            by=vcs_worker,
        )
        services.record_review(
            episode=episode, held_on=today, summary="Better.", scores={need.pk: 6}, by=vcs_worker
        )

    api = Api(vcs_worker)
    meet_and_review()
    few = queries_and_items(api, url(episode, path))
    for _ in range(2):
        meet_and_review()
    many = queries_and_items(api, url(episode, path))

    assert (few[1], many[1]) == (1, 3)
    assert many[0] == few[0]
