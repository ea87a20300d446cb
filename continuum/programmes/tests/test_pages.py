"""The programmes' pages and API: who sees, creates and tags; partners and auditors
refused; bad input saves nothing; the evaluation refuses too few families with the
numbers; the episode's panel."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help.choices import ClosureReason, EpisodeStatus
from continuum.early_help.models import Closure, Episode
from continuum.organisations.models import Council
from continuum.programmes.models import Participation, Programme
from continuum.testing import factories

pytestmark = pytest.mark.django_db
LIST = reverse("programmes:list")
API = "/api/v1/programmes"
TODAY = timezone.localdate


def _get(client: Client, user: User, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(
    "who", ["worker", "eh_worker", "manager", "analyst", "strategic_lead", "partnership_lead"]
)
def test_the_councils_staff_and_the_partnership_lead_see_the_programme(
    who: str, request: pytest.FixtureRequest, client: Client, fairer_start: Programme
) -> None:
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert "Fairer Start" in client.get(LIST).content.decode()
    for name in ("detail", "evaluation"):
        assert client.get(reverse(f"programmes:{name}", args=[fairer_start.pk])).status_code == 200
    assert client.get(f"{API}/{fairer_start.pk}").status_code == 200
    assert client.get(API).json()["count"] == 1


@pytest.mark.parametrize("who", ["teacher", "auditor", "hartlepool_manager", "ig_lead"])
def test_partners_auditors_and_other_councils_see_nothing(
    who: str, request: pytest.FixtureRequest, client: Client, fairer_start: Programme
) -> None:
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert "Fairer Start" not in client.get(LIST).content.decode()
    for name in ("detail", "evaluation", "edit", "balance-csv"):
        assert client.get(reverse(f"programmes:{name}", args=[fairer_start.pk])).status_code == 404
    assert client.get(f"{API}/{fairer_start.pk}").status_code == 404
    assert client.get(f"{API}/{fairer_start.pk}/evaluation").status_code == 404
    assert client.get(API).json()["count"] == 0


def test_anonymous_and_roleless_users_are_refused(
    client: Client, make_user: object, fairer_start: Programme
) -> None:
    assert client.get(LIST).status_code == 302
    assert client.get(API).status_code == 401
    roleless = cast(User, factories.UserFactory(role=""))
    client.force_login(roleless)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("programmes:new")).status_code == 403


def test_a_manager_adds_a_programme_and_bad_input_saves_nothing(
    client: Client, manager: User, stockton: Council
) -> None:
    client.force_login(manager)
    url = reverse("programmes:new")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "", "councils": [stockton.pk]})
    assert bad.status_code == 200 and "Enter the programme" in bad.content.decode()
    assert not Programme.objects.exists()
    start = TODAY() - timedelta(days=30)
    done = client.post(
        url,
        {
            "name": "Fairer Start",
            "councils": [stockton.pk],
            "offers": "A family worker.",
            "for_whom": "Families with under-fives.",
            "starts_on_day": start.day,
            "starts_on_month": start.month,
            "starts_on_year": start.year,
        },
    )
    programme = Programme.objects.get()
    assert done.status_code == 303 and done["Location"] == reverse(
        "programmes:detail", args=[programme.pk]
    )


@pytest.mark.parametrize("who", ["eh_worker", "analyst", "worker", "teacher", "auditor"])
def test_others_may_not_add_or_change_a_programme(
    who: str, request: pytest.FixtureRequest, client: Client, fairer_start: Programme
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("programmes:new")).status_code == 403
    assert client.get(reverse("programmes:edit", args=[fairer_start.pk])).status_code in (403, 404)
    response = client.post(
        API,
        data=json.dumps(
            {
                "name": "X",
                "councils": [fairer_start.councils.get().pk],
                "offers": "a",
                "for_whom": "b",
                "starts_on": str(TODAY()),
            }
        ),  # fmt: skip
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Programme.objects.count() == 1


def test_the_api_creates_and_refuses_bad_input_with_422(
    client: Client, strategic_lead: User, stockton: Council
) -> None:
    client.force_login(strategic_lead)
    body = {"name": "Fairer Start", "councils": [stockton.pk], "offers": "a", "for_whom": "b"}
    refused = client.post(API, data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 422 and not Programme.objects.exists()
    body["starts_on"] = str(TODAY())
    made = client.post(API, data=json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json()["name"] == "Fairer Start"


def test_the_lead_professional_records_joining_from_the_episode(
    client: Client, eh_worker: User, episode: Episode, fairer_start: Programme
) -> None:
    client.force_login(eh_worker)
    page = client.get(reverse("early_help:episode", args=[episode.pk])).content.decode()
    assert 'data-testid="programmes-panel"' in page
    url = reverse("programmes:join", args=[episode.pk])
    future = TODAY() + timedelta(days=2)
    bad = client.post(
        url,
        {
            "programme": fairer_start.pk,
            "joined_on_day": future.day,
            "joined_on_month": future.month,
            "joined_on_year": future.year,
        },  # fmt: skip
    )
    assert bad.status_code == 200 and not Participation.objects.exists()
    day = TODAY()
    done = client.post(
        url,
        {
            "programme": fairer_start.pk,
            "joined_on_day": day.day,
            "joined_on_month": day.month,
            "joined_on_year": day.year,
        },  # fmt: skip
    )
    assert done.status_code == 303
    joined = Participation.objects.get()
    page = client.get(reverse("early_help:episode", args=[episode.pk])).content.decode()
    assert "Fairer Start" in page
    assert client.get(reverse("programmes:leave", args=[joined.pk])).status_code == 200
    listed = client.get(f"{API}/{fairer_start.pk}/participations").json()
    assert [p["episode"] for p in listed["items"]] == [str(episode.pk)]
    # the programme page counts one family: suppressed
    detail = client.get(reverse("programmes:detail", args=[fairer_start.pk])).content.decode()
    assert "[c]" in detail


def test_others_may_not_tag_an_episode(
    client: Client,
    analyst: User,
    hartlepool_manager: User,
    worker: User,
    episode: Episode,
    fairer_start: Programme,
) -> None:
    for user, status in ((analyst, 404), (hartlepool_manager, 404), (worker, 403)):
        client.force_login(user)
        assert client.get(reverse("programmes:join", args=[episode.pk])).status_code == status
        response = client.post(
            f"{API}/{fairer_start.pk}/participations",
            data=json.dumps({"episode": str(episode.pk), "joined_on": str(TODAY())}),
            content_type="application/json",
        )
        assert response.status_code in (403, 404, 422)
    assert not Participation.objects.exists()


def test_the_api_refuses_a_day_outside_the_programme_with_422(
    client: Client, eh_worker: User, episode: Episode, stockton: Council
) -> None:
    later = cast(
        Programme,
        factories.ProgrammeFactory(councils=[stockton], starts_on=TODAY() - timedelta(days=2)),
    )
    client.force_login(eh_worker)
    response = client.post(
        f"{API}/{later.pk}/participations",
        data=json.dumps(
            {"episode": str(episode.pk), "joined_on": str(TODAY() - timedelta(days=9))}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422 and not Participation.objects.exists()


def test_an_evaluation_with_too_few_families_is_refused_with_the_numbers(
    client: Client, manager: User, fairer_start: Programme
) -> None:
    client.force_login(manager)
    page = client.get(reverse("programmes:evaluation", args=[fairer_start.pk])).content.decode()
    assert "0 families took part and had a full year after closure" in page
    assert "observational comparison" in page  # the caveats are always there
    response = client.get(f"{API}/{fairer_start.pk}/evaluation")
    assert response.status_code == 422 and "needs at least 30" in response.content.decode()


def _closed_history(stockton: Council, programme: Programme, manager: User) -> None:
    """150 episodes closed 15 months ago, a family of one or two children each; every
    third one took part."""
    rng = random.Random(3)
    start = TODAY() - timedelta(days=600)
    for i in range(150):
        children = [
            factories.PersonFactory(
                council=stockton, date_of_birth=start - timedelta(days=rng.randint(200, 5000))
            )
            for _ in range(rng.randint(1, 2))
        ]
        episode = cast(
            Episode,
            factories.EpisodeFactory(
                council=stockton,
                status=EpisodeStatus.CLOSED,
                start_date=start,
                level=rng.choice((2, 3)),
                children=children,
            ),
        )
        Closure.objects.create(
            episode=episode,
            closed_on=start + timedelta(days=100),
            reason=ClosureReason.NEEDS_MET,
            closed_by=manager,
        )
        if i % 3 == 0:
            Participation.objects.create(programme=programme, episode=episode, joined_on=start)


def test_the_evaluation_page_shows_the_counts_balance_chart_and_effects(
    client: Client, manager: User, stockton: Council
) -> None:
    programme = cast(
        Programme,
        factories.ProgrammeFactory(councils=[stockton], starts_on=TODAY() - timedelta(days=700)),
    )
    _closed_history(stockton, programme, manager)
    client.force_login(manager)
    page = client.get(reverse("programmes:evaluation", args=[programme.pk])).content.decode()
    assert "data:image/svg+xml;base64," in page
    assert 'data-testid="balance"' in page
    assert "Youngest child" in page and "Back at the front door" in page
    assert "observational comparison" in page
    csv = client.get(reverse("programmes:balance-csv", args=[programme.pk])).content.decode()
    assert csv.splitlines()[0] == "Covariate,SMD before matching,SMD after matching,Balanced"
    assert len(csv.splitlines()) >= 4
    api = client.get(f"{API}/{programme.pk}/evaluation").json()
    assert api["participants"] == 50 and api["comparison_pool"] == 100
