"""Episodes through the API: opened from a front-door decision, by a partner or as a
step-down (extra fields posted change nothing), and listed with filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import cast

from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role, User
from continuum.early_help.choices import EpisodeOrigin, EpisodeStatus
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import API, Api, named_fields, ok, url
from continuum.early_help.tests.builders import (
    Family,
    Place,
    agree_to_early_help,
    decided_for_early_help,
    make_episode,
    make_family,
)
from continuum.organisations.models import Council, Locality
from continuum.testing import factories

EPISODES = f"{API}/episodes"


def place_of(family: Family, place: Place) -> dict[str, object]:
    return {
        "household": str(family.household.pk),
        "locality": place.locality.pk,
        "team": place.team.pk,
    }


# --- opening ---------------------------------------------------------------------------------


def test_council_staff_open_the_episode_a_front_door_decision_asked_for(
    manager: User, family: Family, stockton_place: Place, make_user: Callable[..., User]
) -> None:
    decision = decided_for_early_help(stockton_place.council, family, manager)
    other = make_user(Role.TEAM_MANAGER, username="someone.else")
    body = {
        "origin": "front_door",
        "decision": decision.pk,
        **place_of(family, stockton_place),
        # Not fields of this request: they change nothing.
        "status": EpisodeStatus.CLOSED,
        "council": "805",
        "opened_by": other.pk,
        "level": 2,
        "lead_professional": other.pk,
    }
    opened = ok(Api(manager).post(EPISODES, body), 201)
    assert opened["origin"] == EpisodeOrigin.FRONT_DOOR
    assert opened["status"] == EpisodeStatus.AWAITING_ALLOCATION
    assert opened["level"] == 3  # from the decision
    assert opened["council"] == stockton_place.council.dfe_la_code
    assert opened["children"] == [str(family.child.pk)]
    assert opened["front_door_decision"] == decision.pk
    assert opened["lead_professional"] is None
    episode = Episode.objects.get()
    assert episode.opened_by == manager

    again = Api(manager).post(EPISODES, body)
    assert named_fields(again) == {"decision"}
    assert Episode.objects.count() == 1


def test_opening_from_a_decision_names_a_locality_team_or_household_not_of_the_council(
    manager: User,
    family: Family,
    stockton_place: Place,
    hartlepool: Council,
) -> None:
    decision = decided_for_early_help(stockton_place.council, family, manager)
    elsewhere = make_family(hartlepool, "Elsewhere")
    locality = cast(Locality, factories.LocalityFactory(council=hartlepool))
    refused = Api(manager).post(
        EPISODES,
        {
            "origin": "front_door",
            "decision": decision.pk,
            "household": str(elsewhere.household.pk),
            "locality": locality.pk,
            "team": 999999,
        },
    )
    assert named_fields(refused) == {"household", "locality", "team"}
    assert not Episode.objects.exists()
    missing = Api(manager).post(EPISODES, {"origin": "front_door", "decision": decision.pk})
    assert {"household", "locality", "team"} <= named_fields(missing)


def test_a_partner_opens_single_agency_early_help_for_a_child_they_see_and_leads_it(
    teacher: User, eh_worker: User, family: Family, stockton_place: Place, stockton: Council
) -> None:
    agree_to_early_help(family, eh_worker)
    factories.InvolvementFactory.create(
        user=teacher, person=family.child, reason=InvolvementReason.REFERRER
    )
    unseen = make_family(stockton, "Unseen")
    body = {
        "origin": "partner",
        "children": [str(unseen.child.pk)],
        **place_of(family, stockton_place),
        "reason_for_request": "Attendance has dropped to 80% this term.",
        "consent": "agreed",
    }
    assert named_fields(Api(teacher).post(EPISODES, body)) == {"children"}
    assert not Episode.objects.exists()

    body["children"] = [str(family.child.pk)]
    opened = ok(Api(teacher).post(EPISODES, body), 201)
    assert opened["origin"] == EpisodeOrigin.PARTNER
    assert opened["status"] == EpisodeStatus.ALLOCATED
    assert opened["level"] == 2
    assert opened["lead_professional"]["id"] == teacher.pk
    assert opened["lead_professional"]["agency"] == "school"
    listed = ok(Api(teacher).get(f"{EPISODES}?lead_professional=me"))
    assert [e["id"] for e in listed["items"]] == [opened["id"]]


def test_a_step_down_opens_early_help_with_the_social_care_history_visible(
    manager: User, teacher: User, family: Family, stockton_place: Place
) -> None:
    body = {
        "origin": "step_down",
        "children": [str(family.child.pk)],
        **place_of(family, stockton_place),
        "level": 3,
        "social_care_history": "  ",
        "reason_for_request": "Child in need plan ending; support still needed.",
        "consent": "lawful_basis",
        "lawful_basis": "public_task",
        "lawful_basis_justification": "Support must not lapse as the plan ends.",
    }
    assert named_fields(Api(manager).post(EPISODES, body)) == {"social_care_history"}
    body["level"] = 4
    body["social_care_history"] = "Child in need plan for eight months."
    assert named_fields(Api(manager).post(EPISODES, body)) == {"level"}
    assert not Episode.objects.exists()

    assert Api(teacher).post(EPISODES, {**body, "level": 3}).status_code == 403
    body["level"] = 3
    opened = ok(Api(manager).post(EPISODES, body), 201)
    assert opened["origin"] == EpisodeOrigin.STEP_DOWN
    assert opened["social_care_history"] == "Child in need plan for eight months."
    assert opened["status"] == EpisodeStatus.AWAITING_ALLOCATION


def test_an_unknown_origin_is_refused(manager: User) -> None:
    response = Api(manager).post(EPISODES, {"origin": "by_magic"})
    assert response.status_code == 422
    assert "origin" in response.json()["detail"][0]["msg"]


# --- listing ---------------------------------------------------------------------------------


def test_the_list_filters_by_status_council_lead_professional_and_overdue(
    episode: Episode,
    family: Family,
    stockton_place: Place,
    manager: User,
    eh_worker: User,
    vcs_worker: User,
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    long_waiting = make_episode(
        council=stockton_place.council,
        locality=stockton_place.locality,
        team=stockton_place.team,
        opened_by=manager,
        start_date=timezone.localdate() - timedelta(days=40),
    )
    just_opened = make_episode(
        council=stockton_place.council,
        locality=stockton_place.locality,
        team=stockton_place.team,
        opened_by=manager,
        start_date=timezone.localdate(),
    )
    api = Api(eh_worker)

    def ids(query: str) -> set[str]:
        found = ok(api.get(f"{EPISODES}{query}"))
        assert found["count"] == len(found["items"])
        return {e["id"] for e in found["items"]}

    everything = {str(episode.pk), str(long_waiting.pk), str(just_opened.pk)}
    assert ids("") == everything
    assert ids("?status=") == everything  # a filter left empty filters nothing
    assert ids("?status=awaiting_allocation") == {str(long_waiting.pk), str(just_opened.pk)}
    assert ids("?status=allocated") == {str(episode.pk)}
    assert ids(f"?council={stockton_place.council.dfe_la_code}") == everything
    assert ids("?lead_professional=me") == set()
    assert ids(f"?lead_professional={vcs_worker.pk}") == {str(episode.pk)}
    assert ids("?overdue=true") == {str(long_waiting.pk)}
    assert ids("?overdue=false") == {str(episode.pk), str(just_opened.pk)}
    first, second = (ok(api.get(f"{EPISODES}?limit=1&offset={n}")) for n in (0, 1))
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]

    assert named_fields(api.get(f"{EPISODES}?status=sleeping")) == {"status"}
    assert named_fields(api.get(f"{EPISODES}?council=XYZ")) == {"council"}
    assert named_fields(api.get(f"{EPISODES}?lead_professional=you")) == {"lead_professional"}


def test_an_episode_reads_with_its_allocation_and_timescales(
    episode: Episode, manager: User, vcs_worker: User, vcs_organisation: object
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    read = ok(Api(manager).get(url(episode)))
    assert read["lead_professional"]["organisation"] == "Stockton Family Support Trust"
    assert read["allocation_reason"] == "Knows the family well from the youth project."
    # Waiting counted from the episode's start a week ago: five working days or so.
    assert 3 <= read["time_to_allocation_working_days"] <= 5
    assert read["assessment_due_date"] is None and read["plan_next_review_due"] is None
    assert read["is_overdue"] is False
