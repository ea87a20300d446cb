"""The issue's bad input, through the pages: each is refused with a clear message naming
what is wrong, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import cast

import time_machine
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help import services
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import (
    AllocationPanel,
    Assessment,
    Closure,
    Episode,
    NeedClosureOutcome,
    PlanAction,
    PlanOutcome,
    Review,
)
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family
from continuum.early_help.tests.views_support import on, url
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_closing_with_open_actions_without_confirming_what_happens_to_them_is_refused(
    client: Client, manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker)
    episode.refresh_from_db()
    need = episode.needs.get()
    client.force_login(vcs_worker)
    response = client.post(
        url("close", episode.pk),
        {
            "reason": "needs_met",
            **on("closed_on", timezone.localdate()),
            f"outcome_{need.pk}": "achieved",
            f"score_{need.pk}": "8",
            "open_actions_resolution": "",
            "version": episode.version,
        },
    )
    assert response.status_code == 200
    assert "1 action is still open: confirm whether it is cancelled or carried forward" in (
        text(response)
    )
    assert "Say what happens to the open actions." in text(response)
    episode.refresh_from_db()
    assert episode.status != EpisodeStatus.CLOSED
    assert Closure.objects.count() == 0 and NeedClosureOutcome.objects.count() == 0
    assert support.open_actions(episode) == 1


def test_a_review_dated_before_the_assessment_was_completed_is_refused(
    client: Client, manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker)
    need = episode.needs.get()
    client.force_login(vcs_worker)
    response = client.post(
        url("review-new", episode.pk),
        {
            **on("held_on", timezone.localdate() - timedelta(days=3)),
            "summary": "Going well.",
            f"score_{need.pk}": "6",
            **{f"action_{a.pk}_status": "done" for a in support_actions(episode)},
            "version": episode.plan.version,
        },
    )
    assert response.status_code == 200
    assert "The review cannot be dated before the assessment was completed" in text(response)
    assert 'id="id_held_on-error"' in text(response)  # shown at the field
    assert Review.objects.count() == 0
    assert not PlanAction.objects.filter(status="done").exists()  # nothing changed
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PLAN


def test_a_lead_professional_from_an_organisation_not_serving_the_council_needs_a_reason(
    client: Client,
    manager: User,
    episode: Episode,
    hartlepool: Council,
    make_user: Callable[..., User],
) -> None:
    elsewhere = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Hartlepool Young Carers", kind=OrganisationKind.VOLUNTARY, serves=[hartlepool]
        ),
    )
    outsider = make_user(Role.PARTNER_PRACTITIONER, organisation=elsewhere, last_name="Outwith")
    client.force_login(manager)
    panel = services_panel(episode, manager)
    # Only those eligible for Stockton-on-Tees are listed, unless the panel asks.
    form = text(client.get(url("allocate", panel.pk, episode.pk)))
    assert "Hartlepool Young Carers" not in form
    wider = url("allocate", panel.pk, episode.pk) + "?outside_area=on"
    form = text(client.get(wider))
    assert "does not serve Stockton-on-Tees: record why" in form
    assert "Hartlepool Young Carers" in form
    posted = {
        "lead_professional": outsider.pk,
        "allocation_reason": "Already working with the family's young carer.",
        "out_of_area_reason": "",
        "version": episode.version,
    }
    response = client.post(wider, posted)
    assert response.status_code == 200
    assert "Hartlepool Young Carers does not serve Stockton-on-Tees: record why" in text(response)
    episode.refresh_from_db()
    assert episode.lead_professional is None
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION

    # With the reason recorded, it is allowed.
    posted["out_of_area_reason"] = "The family moved across the border last month."
    assert client.post(wider, posted).status_code == 302
    episode.refresh_from_db()
    assert episode.lead_professional == outsider
    assert episode.out_of_area_reason == "The family moved across the border last month."


def services_panel(episode: Episode, manager: User) -> AllocationPanel:
    return services.hold_panel(
        council=episode.council,
        locality=episode.locality,
        held_on=timezone.localdate(),
        agencies_present=[cast(Organisation, manager.organisation)],
        chaired_by=manager,
    )


def test_completing_an_assessment_without_the_childs_voice_or_a_reason_is_refused(
    client: Client, manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    assessment = support.started(episode, lead=vcs_worker)
    services.update_assessment(
        assessment=assessment,
        by=vcs_worker,
        expected_version=assessment.version,
        family_view="Mum wants help with mornings.",
        summary="",
    )
    services.add_need(
        episode=episode,
        domain_code="parenting-capacity",
        description="Getting to school on time.",
        outcome_codes=["SF01"],
        baseline_score=3,
        by=vcs_worker,
    )
    client.force_login(vcs_worker)
    # The voice form itself refuses an empty voice.
    response = client.post(
        url("child-voice", episode.pk, family.child.pk),
        {"what_the_child_said": "", "how_gathered": "", "version": assessment.version},
    )
    assert "Record what the child said and how, or why their voice could not be gathered." in (
        text(response)
    )
    # And a reason without what was observed instead.
    response = client.post(
        url("child-voice", episode.pk, family.child.pk),
        {"not_gathered_reason": "She is a baby.", "version": assessment.version},
    )
    assert "record what was observed instead" in text(response)

    response = client.post(url("assessment-complete", episode.pk), {"version": assessment.version})
    assert response.status_code == 200
    assert (
        "Record the child&#x27;s own voice, or why it could not be gathered, for Maisie Rowntree."
        in text(response)
    )
    assessment.refresh_from_db()
    assert assessment.completed_on is None
    assert assessment.child_voices.count() == 0


def test_the_second_of_two_concurrent_edits_to_one_assessment_is_refused(
    client: Client, manager: User, vcs_worker: User, eh_worker: User, episode: Episode
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    assessment = support.started(episode, lead=vcs_worker)
    opened_at = assessment.version  # both open the page at this version
    client.force_login(vcs_worker)
    first = client.post(
        url("assessment-edit", episode.pk),
        {"family_view": "Dad's view, first.", "summary": "", "version": opened_at},
    )
    assert first.status_code == 302
    client.force_login(eh_worker)
    second = client.post(
        url("assessment-edit", episode.pk),
        {"family_view": "A different view, second.", "summary": "", "version": opened_at},
    )
    assert second.status_code == 200
    assert "Someone else changed this assessment after you opened it. Nothing was saved" in (
        text(second)
    )
    assert Assessment.objects.get().family_view == "Dad's view, first."


def test_the_second_of_two_concurrent_edits_to_one_plan_is_refused(
    client: Client,
    manager: User,
    vcs_worker: User,
    eh_worker: User,
    episode: Episode,
    family: Family,
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    plan = services.create_plan(episode=episode, by=vcs_worker)
    need = episode.needs.get()
    client.force_login(vcs_worker)
    assert (
        client.post(
            url("plan-outcome-new", episode.pk),
            {"need": need.pk, "description": "On time every day.", "version": plan.version},
        ).status_code
        == 302
    )
    client.force_login(eh_worker)
    response = client.post(
        url("plan-outcome-new", episode.pk),
        {"need": need.pk, "description": "Something else.", "version": plan.version},
    )
    assert "Someone else changed this plan after you opened it." in text(response)
    assert list(PlanOutcome.objects.values_list("description", flat=True)) == ["On time every day."]


def test_an_action_past_due_is_flagged_overdue_on_the_plan(
    client: Client, manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker, due_in_days=3)
    client.force_login(vcs_worker)
    assert "Overdue" not in text(client.get(url("plan", episode.pk)))
    with time_machine.travel(timezone.now() + timedelta(days=5), tick=False):
        client.force_login(vcs_worker)  # a fresh session, days later
        page = text(client.get(url("plan", episode.pk)))
    assert "Overdue actions" in page and "govuk-tag--red" in page


def support_actions(episode: Episode) -> list[PlanAction]:
    return list(PlanAction.objects.filter(outcome__plan__episode=episode))
