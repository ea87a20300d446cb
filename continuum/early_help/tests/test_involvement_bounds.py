"""Access bounded by involvement (issue 10, findings 9 and 13).

- When an episode closes, every access it granted ends, whatever happened to the household
  in between: a family member who left the household before the episode closed is not kept
  by the lead professional.
- A future TAF joining date grants access only from that date; a leaving date before the
  joining date is refused (service, API and page), with nothing saved.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import Involvement
from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.models import Episode, TafMember
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import Api, url
from continuum.early_help.tests.builders import Family
from continuum.people.models import HouseholdMember, Person


def _sees(user: User, person: Person) -> bool:
    return policy.visible(user, Person).filter(pk=person.pk).exists()


# --- finding 9: an ended involvement ends every access it granted -------------------------


def test_closing_the_episode_ends_the_lead_professionals_access_to_a_member_who_left(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    assert _sees(vcs_worker, family.parent)
    # Mum moves out before the episode closes: today's household no longer names her.
    HouseholdMember.objects.filter(person=family.parent).update(
        end_date=timezone.localdate() - timedelta(days=3)
    )
    support.assessed(episode, lead=vcs_worker, child=family.child)
    episode.refresh_from_db()
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={episode.needs.get().pk: "achieved"},
    )
    assert not _sees(vcs_worker, family.child)
    assert not _sees(vcs_worker, family.parent)
    source = f"early_help.episode:{episode.pk}"
    assert not Involvement.objects.active().filter(source=source).exists()


def test_closing_ends_a_taf_members_access_to_a_child_who_left_the_episode_household(
    episode: Episode, family: Family, manager: User, vcs_worker: User, teacher: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    services.add_taf_member(episode=episode, user=teacher, by=vcs_worker)
    assert _sees(teacher, family.child)
    HouseholdMember.objects.filter(person=family.child).update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    support.assessed(episode, lead=vcs_worker, child=family.child)
    episode.refresh_from_db()
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={episode.needs.get().pk: "achieved"},
    )
    assert not _sees(teacher, family.child)


# --- finding 13: TAF dates ----------------------------------------------------------------


def test_a_future_joining_date_grants_access_only_from_that_date(
    episode: Episode, family: Family, manager: User, vcs_worker: User, teacher: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    joins = timezone.localdate() + timedelta(days=7)
    services.add_taf_member(episode=episode, user=teacher, by=vcs_worker, joined_on=joins)
    assert not _sees(teacher, family.child)
    assert not policy.visible(teacher, Episode).filter(pk=episode.pk).exists()
    involvement = Involvement.objects.get(user=teacher, person=family.child)
    assert timezone.localtime(involvement.starts_at).date() == joins


def test_a_future_joining_date_through_the_api_grants_nothing_today(
    episode: Episode, family: Family, manager: User, vcs_worker: User, teacher: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    joins = timezone.localdate() + timedelta(days=7)
    added = Api(vcs_worker).post(
        url(episode, "/taf-members"), {"user": teacher.pk, "joined_on": joins.isoformat()}
    )
    assert added.status_code == 201, added.content
    assert added.json()["is_current"] is False
    assert Api(teacher).get(url(episode)).status_code == 404
    assert Api(teacher).get(f"/api/v1/people/{family.child.pk}").status_code == 404


def test_a_leaving_date_before_the_joining_date_is_refused_by_the_service(
    episode: Episode, manager: User, vcs_worker: User, teacher: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    joins = timezone.localdate() + timedelta(days=7)
    member = services.add_taf_member(episode=episode, user=teacher, by=vcs_worker, joined_on=joins)
    with pytest.raises(ValidationError) as refused:
        services.remove_taf_member(member=member, by=vcs_worker, left_on=joins - timedelta(days=1))
    assert "left_on" in refused.value.message_dict
    assert TafMember.objects.get(pk=member.pk).left_on is None


def test_a_leaving_date_before_the_joining_date_is_refused_by_the_api(
    episode: Episode, manager: User, vcs_worker: User, teacher: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    joins = timezone.localdate() + timedelta(days=7)
    member = services.add_taf_member(episode=episode, user=teacher, by=vcs_worker, joined_on=joins)
    # Removing without a date means leaving today: before they join.
    today = Api(vcs_worker).delete(url(episode, f"/taf-members/{member.pk}"))
    assert today.status_code == 422, today.content
    assert today.json()["detail"][0]["loc"][-1] == "left_on"
    early = Api(vcs_worker).delete(
        url(episode, f"/taf-members/{member.pk}?left_on={timezone.localdate().isoformat()}")
    )
    assert early.status_code == 422
    assert TafMember.objects.get(pk=member.pk).left_on is None
    later = Api(vcs_worker).delete(
        url(episode, f"/taf-members/{member.pk}?left_on={(joins + timedelta(days=30)).isoformat()}")
    )
    assert later.status_code == 200, later.content
    assert later.json()["left_on"] == (joins + timedelta(days=30)).isoformat()


def test_a_leaving_date_before_the_joining_date_is_refused_on_the_page(
    episode: Episode, manager: User, vcs_worker: User, teacher: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    joins = timezone.localdate() + timedelta(days=7)
    member = services.add_taf_member(episode=episode, user=teacher, by=vcs_worker, joined_on=joins)
    client = Client()
    client.force_login(vcs_worker)
    page = f"/early-help/episodes/{episode.pk}/taf/members/{member.pk}/remove"
    response = client.post(page, {})
    assert response.status_code == 200
    assert "The leaving date cannot be before the joining date" in response.content.decode()
    assert TafMember.objects.get(pk=member.pk).left_on is None


def test_a_joining_date_can_be_given_on_the_page_and_grants_access_from_then(
    episode: Episode, family: Family, manager: User, vcs_worker: User, teacher: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    joins = timezone.localdate() + timedelta(days=3)
    client = Client()
    client.force_login(vcs_worker)
    response = client.post(
        f"/early-help/episodes/{episode.pk}/taf/members/new",
        {
            "user": teacher.pk,
            "joined_on_day": joins.day,
            "joined_on_month": joins.month,
            "joined_on_year": joins.year,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TafMember.objects.get(user=teacher).joined_on == joins
    assert not _sees(teacher, family.child)
