"""The threshold pages, as practitioners in different roles see them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.thresholds.models import FrameworkVersion

pytestmark = pytest.mark.django_db

ALL_ROLES = [role.value for role in Role]


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "level", ["Universal", "Early help, single agency", "Specialist or statutory"]
)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_with_a_role_sees_the_framework(
    client: Client,
    make_user: Callable[..., User],
    version: FrameworkVersion,
    role: str,
    level: str,
) -> None:
    response = signed_in(client, make_user(role)).get(reverse("thresholds:framework"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tees continuum of need" in page
    assert level in page
    assert "Parenting capacity" in page
    assert "Disclosure of abuse" in page


def test_a_user_without_a_role_is_refused(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user("")
    assert signed_in(client, user).get(reverse("thresholds:framework")).status_code == 403


def test_signing_in_is_required(client: Client) -> None:
    response = client.get(reverse("thresholds:suggest"))
    assert response.status_code == 302
    assert "sign" in response["Location"] or "login" in response["Location"]


def test_the_framework_filters_by_level(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    client = signed_in(client, make_user(Role.PARTNER_PRACTITIONER))
    page = client.get(reverse("thresholds:framework"), {"level": 4}).content.decode()
    assert "Disclosure of abuse" in page
    assert "Attendance between 90% and 95%" not in page


def test_a_bad_level_filter_is_explained_not_an_error(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    client = signed_in(client, make_user(Role.PARTNER_PRACTITIONER))
    response = client.get(reverse("thresholds:framework"), {"level": "9"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select a level from 1 to 4" in page


def test_an_indicator_page_shows_its_guidance_and_local_changes(
    client: Client, make_user: Callable[..., User], hartlepool_variation: Council
) -> None:
    client = signed_in(client, make_user(Role.EARLY_HELP_PRACTITIONER))
    page = client.get(reverse("thresholds:indicator", args=["DEV-2-01"])).content.decode()
    assert "Attendance between 90% and 95%" in page
    assert "review within half a term" in page
    assert "Hartlepool" in page and "Changed locally" in page


def test_an_unknown_indicator_is_404(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    client = signed_in(client, make_user(Role.EARLY_HELP_PRACTITIONER))
    assert client.get(reverse("thresholds:indicator", args=["XYZ-1-01"])).status_code == 404


@pytest.mark.parametrize("tag", ["Changed locally", "Added locally", "Not used locally"])
def test_a_council_page_marks_local_differences_beside_the_shared_wording(
    client: Client, make_user: Callable[..., User], hartlepool_variation: Council, tag: str
) -> None:
    user = make_user(Role.FRONT_DOOR_WORKER, council=hartlepool_variation)
    response = signed_in(client, user).get(reverse("thresholds:council", args=["805"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 local differences" in page
    assert tag in page
    # The local wording and the shared wording, side by side.
    assert "Attendance between 90% and 95% for two terms running" in page
    assert "Shared wording: Attendance between 90% and 95%" in page
    assert "Family affected by a recent local plant closure" in page
    assert "persistent locally" in page


def test_another_councils_staff_may_read_a_councils_framework(
    client: Client, make_user: Callable[..., User], hartlepool_variation: Council
) -> None:
    user = make_user(Role.TEAM_MANAGER)  # Stockton
    response = signed_in(client, user).get(reverse("thresholds:council", args=["805"]))
    assert response.status_code == 200


def test_a_council_without_differences_says_so(
    client: Client, make_user: Callable[..., User], stockton: Council, version: FrameworkVersion
) -> None:
    user = make_user(Role.STRATEGIC_LEAD)
    page = signed_in(client, user).get(reverse("thresholds:council", args=["808"]))
    assert "with no local differences" in page.content.decode()


def test_an_unknown_council_is_404(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    client = signed_in(client, make_user(Role.AUDITOR))
    assert client.get(reverse("thresholds:council", args=["999"])).status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_suggest_page_offers_indicators_grouped_by_domain(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion, role: str
) -> None:
    response = signed_in(client, make_user(role)).get(reverse("thresholds:suggest"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="checkbox"') == 48
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Parenting capacity'
        in page
    )


def test_suggesting_a_level_explains_why(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    client = signed_in(client, make_user(Role.PARTNER_PRACTITIONER))
    response = client.post(
        reverse("thresholds:suggest") + "?council=shared",
        {"indicators": ["DEV-2-01", "DEV-2-04", "FAM-2-01"]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Level 3: Targeted early help, multi-agency" in page
    assert "multi-agency response" in page
    # The choices stay ticked.
    assert 'value="FAM-2-01" checked' in page


def test_a_level_4_indicator_says_to_consider_a_strategy_discussion(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    client = signed_in(client, make_user(Role.FRONT_DOOR_WORKER))
    page = client.post(reverse("thresholds:suggest"), {"indicators": ["DEV-4-01"]})
    assert "strategy discussion" in page.content.decode()


def test_suggesting_with_nothing_selected_shows_an_error(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    client = signed_in(client, make_user(Role.FRONT_DOOR_WORKER))
    page = client.post(reverse("thresholds:suggest"), {}).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_indicators"' in page
    assert 'id="id_indicators"' in page
    assert "Select at least one indicator" in page
    assert "Suggested level" not in page


def test_council_staff_get_their_councils_framework_by_default(
    client: Client, make_user: Callable[..., User], hartlepool_variation: Council
) -> None:
    user = make_user(Role.FRONT_DOOR_WORKER, council=hartlepool_variation)
    client = signed_in(client, user)
    page = client.get(reverse("thresholds:suggest")).content.decode()
    assert "Hartlepool's framework" in page
    assert 'value="HPL-FAM-2-01"' in page
    assert 'value="FAM-1-03"' not in page  # not used in Hartlepool
    # Hartlepool has DEV-2-01 at level 3, so on its own it suggests level 3.
    response = client.post(reverse("thresholds:suggest"), {"indicators": ["DEV-2-01"]})
    assert "Level 3: Targeted early help, multi-agency" in response.content.decode()


def test_a_removed_indicator_cannot_be_submitted_for_that_council(
    client: Client, make_user: Callable[..., User], hartlepool_variation: Council
) -> None:
    client = signed_in(client, make_user(Role.PARTNER_PRACTITIONER))
    page = client.post(reverse("thresholds:suggest") + "?council=805", {"indicators": ["FAM-1-03"]})
    assert "Select indicators from this framework only" in page.content.decode()
