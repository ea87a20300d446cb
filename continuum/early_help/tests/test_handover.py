"""Handing an episode to another lead professional (issue 12): a team manager decides,
with a reason; the history of lead professionals is kept (who, from when to when, why, who
decided); the outgoing lead's access ends and the new lead's begins; bad input changes
nothing; pages and the API ask the policy and log reads of the children."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from continuum.access import policy
from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.audit.models import AccessLogEntry
from continuum.early_help import services
from continuum.early_help.lead_professionals import lead_professionals
from continuum.early_help.models import Episode, LeadProfessionalHandover
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import Api, named_fields, ok
from continuum.early_help.tests.api_support import url as api_url
from continuum.early_help.tests.builders import Family
from continuum.early_help.tests.views_support import url
from continuum.errors import ConcurrentChange, InvalidState
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.testing import factories


def _active_lead_involvements(user: User, episode: Episode) -> int:
    return (
        Involvement.objects.active()
        .filter(user=user, reason=InvolvementReason.LEAD_PROFESSIONAL)
        .filter(source=f"early_help.episode:{episode.pk}")
        .count()
    )


def test_a_handover_moves_the_lead_and_the_access_and_keeps_the_history(
    episode: Episode, family: Family, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    episode.refresh_from_db()
    assert policy.visible(vcs_worker, Person).filter(pk=family.child.pk).exists()

    handover = services.hand_over(
        episode=episode,
        to=eh_worker,
        reason="Vic is leaving the trust at the end of the month.",
        by=manager,
        expected_version=episode.version,
    )

    episode.refresh_from_db()
    assert episode.lead_professional == eh_worker
    assert episode.lead_professional_organisation == eh_worker.organisation
    assert handover.from_user == vcs_worker and handover.decided_by == manager
    # The outgoing lead sees neither the episode nor the family now; the new lead does.
    assert _active_lead_involvements(vcs_worker, episode) == 0
    assert _active_lead_involvements(eh_worker, episode) >= 1
    assert not policy.visible(vcs_worker, Episode).filter(pk=episode.pk).exists()
    assert not policy.visible(vcs_worker, Person).filter(pk=family.child.pk).exists()
    assert policy.visible(eh_worker, Episode).filter(pk=episode.pk).exists()
    # The history: who, from when to when, why, who decided.
    first, second = lead_professionals(episode)
    assert (first.user, first.how, first.decided_by) == (vcs_worker, "Allocated at panel", manager)
    assert first.reason == "Knows the family well from the youth project."
    assert first.ended_on == second.started_on
    assert (second.user, second.how, second.ended_on) == (eh_worker, "Handed over", None)
    assert second.reason == "Vic is leaving the trust at the end of the month."
    # The child's chronology says so.
    titles = list(family.child.chronology.values_list("title", flat=True))
    assert any(t.startswith("Early help lead professional changed") for t in titles)


def test_an_outgoing_lead_who_stays_in_the_taf_keeps_the_taf_members_sight(
    episode: Episode, family: Family, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    services.add_taf_member(episode=episode, user=vcs_worker, by=manager)
    episode.refresh_from_db()
    services.hand_over(
        episode=episode,
        to=eh_worker,
        reason="Council takes the lead.",
        by=manager,
        expected_version=episode.version,
    )
    assert policy.visible(vcs_worker, Episode).filter(pk=episode.pk).exists()
    assert _active_lead_involvements(vcs_worker, episode) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"to": "same"}, "lead_professional"),
        ({"to": "analyst"}, "lead_professional"),
        ({"to": "outsider"}, "out_of_area_reason"),
    ],
)
def test_bad_handovers_are_refused_at_the_field_and_change_nothing(
    change: dict[str, str],
    field: str,
    episode: Episode,
    manager: User,
    vcs_worker: User,
    eh_worker: User,
    analyst: User,
    hartlepool: Council,
    make_user: Callable[..., User],
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    episode.refresh_from_db()
    elsewhere = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Hartlepool Young Carers", kind=OrganisationKind.VOLUNTARY, serves=[hartlepool]
        ),
    )
    outsider = make_user(Role.PARTNER_PRACTITIONER, organisation=elsewhere)
    to = {"same": vcs_worker, "analyst": analyst, "outsider": outsider}.get(
        change.get("to", ""), eh_worker
    )
    version = episode.version
    with pytest.raises(ValidationError) as refused:
        services.hand_over(
            episode=episode,
            to=to,
            reason=change.get("reason", "Council takes the lead."),
            by=manager,
            expected_version=version,
        )
    assert field in refused.value.message_dict
    episode.refresh_from_db()
    assert episode.lead_professional == vcs_worker and episode.version == version
    assert not LeadProfessionalHandover.objects.exists()
    assert _active_lead_involvements(vcs_worker, episode) >= 1


def test_a_handover_from_a_stale_version_or_before_allocation_is_refused(
    episode: Episode, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    with pytest.raises(InvalidState):
        services.hand_over(
            episode=episode, to=eh_worker, reason="x", by=manager, expected_version=1
        )
    support.allocated(episode, lead=vcs_worker, manager=manager)
    with pytest.raises(ConcurrentChange):
        services.hand_over(
            episode=episode, to=eh_worker, reason="x", by=manager, expected_version=1
        )
    assert not LeadProfessionalHandover.objects.exists()


def test_the_handover_page_hands_over_and_lists_the_lead_professionals(
    client: Client,
    episode: Episode,
    family: Family,
    manager: User,
    vcs_worker: User,
    eh_worker: User,
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    episode.refresh_from_db()
    client.force_login(manager)
    before = AccessLogEntry.objects.count()
    page = client.get(url("handover", episode.pk) + "?name=ehworker")
    assert page.status_code == 200
    assert AccessLogEntry.objects.count() == before + 1  # one child read
    text = page.content.decode()
    assert "Find a lead professional" in text and str(eh_worker) in text

    # No reason: refused at the field, nothing changed.
    refused = client.post(
        url("handover", episode.pk) + "?name=ehworker",
        {"lead_professional": eh_worker.pk, "reason": "", "version": episode.version},
    )
    assert refused.status_code == 200
    assert "Record why the episode is handed to another lead professional." in (
        refused.content.decode()
    )
    episode.refresh_from_db()
    assert episode.lead_professional == vcs_worker

    done = client.post(
        url("handover", episode.pk) + "?name=ehworker",
        {
            "lead_professional": eh_worker.pk,
            "reason": "Vic is leaving the trust.",
            "out_of_area_reason": "",
            "version": episode.version,
        },
    )
    assert done.status_code == 302 and done["Location"] == url("lead-professionals", episode.pk)
    history = client.get(url("lead-professionals", episode.pk)).content.decode()
    assert "Vic is leaving the trust." in history and "Handed over" in history
    assert "Allocated at panel" in history


def test_only_a_team_manager_of_the_council_hands_over(
    client: Client,
    episode: Episode,
    manager: User,
    vcs_worker: User,
    eh_worker: User,
    hartlepool_manager: User,
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    client.force_login(vcs_worker)  # the lead professional sees the history, not the form
    assert client.get(url("lead-professionals", episode.pk)).status_code == 200
    assert client.get(url("handover", episode.pk)).status_code == 403
    client.force_login(eh_worker)
    assert client.get(url("handover", episode.pk)).status_code == 403
    client.force_login(hartlepool_manager)
    assert client.get(url("handover", episode.pk)).status_code == 404
    assert client.get(url("lead-professionals", episode.pk)).status_code == 404
    episode.refresh_from_db()
    body = {"lead_professional": eh_worker.pk, "reason": "x", "version": episode.version}
    assert Api(vcs_worker).post(api_url(episode, "/handover"), body).status_code == 403
    assert Api(hartlepool_manager).post(api_url(episode, "/handover"), body).status_code == 404
    assert not LeadProfessionalHandover.objects.exists()


def test_the_api_hands_over_and_lists_the_lead_professionals(
    episode: Episode, family: Family, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    episode.refresh_from_db()
    api = Api(manager)
    body = {"lead_professional": eh_worker.pk, "reason": "", "version": episode.version}
    assert named_fields(api.post(api_url(episode, "/handover"), body)) == {"reason"}
    unknown = api.post(api_url(episode, "/handover"), body | {"lead_professional": 999999})
    assert named_fields(unknown) == {"lead_professional"}
    stale = api.post(api_url(episode, "/handover"), body | {"reason": "x", "version": 1})
    assert stale.status_code == 409
    assert not LeadProfessionalHandover.objects.exists()

    moved = ok(api.post(api_url(episode, "/handover"), body | {"reason": "Vic is leaving."}))
    assert moved["lead_professional"]["id"] == eh_worker.pk
    before = AccessLogEntry.objects.count()
    spells = ok(api.get(api_url(episode, "/lead-professionals")))
    assert AccessLogEntry.objects.count() == before + 1
    assert spells["count"] == 2
    assert [s["lead_professional"]["id"] for s in spells["items"]] == [vcs_worker.pk, eh_worker.pk]
    assert spells["items"][1]["reason"] == "Vic is leaving."
    assert spells["items"][1]["decided_by"] == manager.get_full_name()
    assert spells["items"][1]["ended_on"] is None
    # The outgoing lead no longer finds the episode.
    assert Api(vcs_worker).get(api_url(episode)).status_code == 404


def test_the_new_lead_professional_is_told_the_episode_is_theirs(
    episode: Episode, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    from django.urls import reverse

    from continuum.notifications.models import Email, Notification, NotificationKind

    support.allocated(episode, lead=vcs_worker, manager=manager)
    episode.refresh_from_db()
    services.hand_over(
        episode=episode,
        to=eh_worker,
        reason="Vic is leaving the trust at the end of the month.",
        by=manager,
        expected_version=episode.version,
    )
    told = Notification.objects.get(kind=NotificationKind.HANDOVER)
    assert told.recipient == eh_worker
    assert told.link == reverse("early_help:episode", args=[episode.pk])
    email = Email.objects.get(recipient=eh_worker)
    assert episode.household.name not in email.sentence and "Vic" not in email.sentence
