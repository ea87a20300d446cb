"""The issue's bad input through the API, each refused with 422 naming the field and
nothing saved; and concurrent edits to the same assessment, plan or episode, where the
second save is refused with 409, never a silent overwrite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import time_machine
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help.choices import ActionStatus, EpisodeStatus
from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    Closure,
    Episode,
    NeedScore,
    PlanAction,
    PlanOutcome,
    Review,
    SustainedOutcomeCheck,
)
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import API, Api, named_fields, ok, url
from continuum.early_help.tests.builders import Family
from continuum.organisations.models import Council, OrganisationKind
from continuum.testing import factories


def test_closing_with_open_actions_needs_to_say_what_happens_to_them(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker)
    episode.refresh_from_db()
    need = episode.needs.get()
    lead = Api(vcs_worker)
    body = {
        "reason": "needs_met",
        "need_outcomes": [{"need": need.pk, "outcome": "achieved"}],
        "early_closure_confirmed": True,
        "version": episode.version,
    }
    refused = lead.post(url(episode, "/closure"), body)
    assert named_fields(refused) == {"open_actions_become", "open_actions_resolution"}
    assert "1 action is still open" in refused.content.decode()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PLAN and episode.end_date is None
    assert not Closure.objects.exists() and not SustainedOutcomeCheck.objects.exists()
    assert support.open_actions(episode) == 1

    body |= {
        "open_actions_become": ActionStatus.CARRIED_FORWARD,
        "open_actions_resolution": "The school keeps the weekly check-in going.",
    }
    # The lead asks; a team manager signs the closure off (Stockton's setting, by default).
    asked = ok(lead.post(url(episode, "/closure"), body), 202)
    assert asked["decision"] == "pending"
    assert PlanAction.objects.get().status == ActionStatus.OPEN
    episode.refresh_from_db()
    ok(
        Api(manager).post(
            url(episode, f"/closure-requests/{asked['id']}/decision"),
            {"decision": "agreed", "version": episode.version},
        )
    )
    closure = Closure.objects.get(episode=episode)
    assert closure.open_actions_resolution == "The school keeps the weekly check-in going."
    assert PlanAction.objects.get().status == ActionStatus.CARRIED_FORWARD


def test_a_review_dated_before_the_assessment_was_completed_is_refused(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    five_days_ago = timezone.now() - timedelta(days=5)
    with time_machine.travel(five_days_ago, tick=False):
        support.allocated(episode, lead=vcs_worker, manager=manager)
        support.assessed(episode, lead=vcs_worker, child=family.child)
        support.planned(episode, lead=vcs_worker)
    completed_on = Assessment.objects.get().completed_on
    assert completed_on is not None
    need = episode.needs.get()
    scores_before = NeedScore.objects.count()
    refused = Api(vcs_worker).post(
        url(episode, "/reviews"),
        {
            "held_on": completed_on - timedelta(days=1),
            "summary": "Going well.",
            "scores": [{"need": need.pk, "score": 5}],
        },
    )
    assert named_fields(refused) == {"held_on"}
    assert "before the assessment was completed" in refused.content.decode()
    assert not Review.objects.exists()
    assert NeedScore.objects.count() == scores_before

    unscored = Api(vcs_worker).post(
        url(episode, "/reviews"), {"held_on": completed_on, "summary": "Going well."}
    )
    assert named_fields(unscored) == {"scores"}
    out_of_range = Api(vcs_worker).post(
        url(episode, "/reviews"),
        {"held_on": completed_on, "summary": "x", "scores": [{"need": need.pk, "score": 11}]},
    )
    assert named_fields(out_of_range) == {"scores"}
    assert not Review.objects.exists()


def test_a_lead_professional_from_an_organisation_not_serving_the_council_needs_a_reason(
    episode: Episode,
    manager: User,
    make_user: Callable[..., User],
    hartlepool: Council,
) -> None:
    hartlepool_charity = factories.OrganisationFactory(
        name="Hartlepool Families First", kind=OrganisationKind.VOLUNTARY, serves=[hartlepool]
    )
    outsider = make_user(Role.EARLY_HELP_PRACTITIONER, organisation=hartlepool_charity)
    panel = ok(
        Api(manager).post(
            f"{API}/allocation-panels",
            {
                "locality": episode.locality_id,
                "held_on": timezone.localdate(),
                "agencies_present": [manager.organisation_id],
            },
        ),
        201,
    )
    body = {
        "panel": panel["id"],
        "lead_professional": outsider.pk,
        "reason": "The family's trusted worker from before the move.",
        "version": episode.version,
    }
    refused = Api(manager).post(url(episode, "/allocation"), body)
    assert named_fields(refused) == {"out_of_area_reason"}
    assert "Hartlepool Families First does not serve Stockton-on-Tees" in refused.content.decode()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION
    assert episode.lead_professional is None and episode.panel is None

    no_reason = Api(manager).post(url(episode, "/allocation"), body | {"reason": " "})
    assert named_fields(no_reason) == {"reason", "out_of_area_reason"}

    allocated = ok(
        Api(manager).post(
            url(episode, "/allocation"),
            body | {"out_of_area_reason": "She moved with the family last month."},
        )
    )
    assert allocated["out_of_area_reason"] == "She moved with the family last month."
    assert allocated["lead_professional"]["organisation"] == "Hartlepool Families First"


def test_completing_an_assessment_needs_the_childs_voice_or_why_it_could_not_be_gathered(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    lead = Api(vcs_worker)
    started = ok(lead.post(url(episode, "/assessment"), {}), 201)
    changed = ok(
        lead.patch(
            url(episode, "/assessment"),
            {"family_view": "We want help with mornings.", "version": started["version"]},
        )
    )
    ok(
        lead.post(
            url(episode, "/needs"),
            {
                "domain": "parenting-capacity",
                "description": "Mornings.",
                "outcome_areas": ["SF01"],
                "baseline_score": 3,
            },
        ),
        201,
    )
    refused = lead.post(url(episode, "/assessment/complete"), {"version": changed["version"]})
    assert named_fields(refused) == {"child_voices"}
    assert "Maisie Rowntree" in refused.content.decode()
    assessment = Assessment.objects.get()
    assert assessment.completed_on is None
    assert assessment.version == changed["version"]

    # A baby cannot say: the reason alone is not enough, what was observed is needed.
    voice = url(episode, f"/assessment/child-voice/{family.child.pk}")
    no_observation = lead.put(
        voice, {"not_gathered_reason": "Too young to talk.", "version": changed["version"]}
    )
    assert named_fields(no_observation) == {"what_was_observed"}
    nothing = lead.put(voice, {"version": changed["version"]})
    assert named_fields(nothing) == {"what_the_child_said"}
    assert not ChildVoice.objects.exists()

    heard = ok(
        lead.put(
            voice,
            {
                "not_gathered_reason": "Too young to talk.",
                "what_was_observed": "Settled and smiling with Mum; reaches for her.",
                "version": changed["version"],
            },
        )
    )
    completed = ok(lead.post(url(episode, "/assessment/complete"), {"version": heard["version"]}))
    assert completed["completed_on"] == timezone.localdate().isoformat()

    after = lead.patch(url(episode, "/assessment"), {"summary": "x", "version": heard["version"]})
    assert after.status_code == 409  # a completed assessment does not change


def test_a_second_save_of_the_assessment_from_a_stale_version_is_refused(
    episode: Episode, family: Family, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    started = ok(Api(vcs_worker).post(url(episode, "/assessment"), {}), 201)
    opened_at = started["version"]
    ok(
        Api(vcs_worker).patch(
            url(episode, "/assessment"), {"family_view": "Mum's words.", "version": opened_at}
        )
    )
    stale = Api(eh_worker).patch(
        url(episode, "/assessment"), {"family_view": "Overwritten?", "version": opened_at}
    )
    assert stale.status_code == 409
    assert "Someone else changed this assessment" in stale.json()["detail"]
    assessment = Assessment.objects.get()
    assert assessment.family_view == "Mum's words."
    assert assessment.version == opened_at + 1

    voice = Api(eh_worker).put(
        url(episode, f"/assessment/child-voice/{family.child.pk}"),
        {"what_the_child_said": "Hello", "how_gathered": "Chat", "version": opened_at},
    )
    assert voice.status_code == 409
    assert not ChildVoice.objects.exists()


def test_a_second_save_of_the_plan_from_a_stale_version_is_refused(
    episode: Episode, family: Family, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    need = episode.needs.get()
    plan = ok(Api(vcs_worker).post(url(episode, "/plan"), {}), 201)
    opened_at = plan["version"]
    ok(
        Api(vcs_worker).post(
            url(episode, "/plan/outcomes"),
            {"need": need.pk, "description": "On time every day.", "version": opened_at},
        ),
        201,
    )
    stale = Api(eh_worker).post(
        url(episode, "/plan/outcomes"),
        {"need": need.pk, "description": "Something else.", "version": opened_at},
    )
    assert stale.status_code == 409
    assert PlanOutcome.objects.count() == 1

    current = ok(Api(vcs_worker).get(url(episode, "/plan")))
    outcome = current["outcomes"][0]["id"]
    with_action = ok(
        Api(vcs_worker).post(
            url(episode, "/plan/actions"),
            {
                "outcome": outcome,
                "description": "Routine chart.",
                "owner_name": "Jodie Rowntree",
                "owner_agency": "family",
                "due_date": timezone.localdate() + timedelta(days=7),
                "version": current["version"],
            },
        ),
        201,
    )
    action = with_action["outcomes"][0]["actions"][0]
    stale_status = Api(eh_worker).patch(
        url(episode, f"/plan/actions/{action['id']}"),
        {"status": ActionStatus.DONE, "version": current["version"]},
    )
    assert stale_status.status_code == 409
    assert PlanAction.objects.get().status == ActionStatus.OPEN
    stale_action = Api(eh_worker).post(
        url(episode, "/plan/actions"),
        {
            "outcome": outcome,
            "description": "Another.",
            "owner_name": "Someone",
            "owner_agency": "other",
            "due_date": timezone.localdate() + timedelta(days=7),
            "version": current["version"],
        },
    )
    assert stale_action.status_code == 409
    assert PlanAction.objects.count() == 1


def test_allocating_or_closing_from_a_stale_episode_version_is_refused(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    opened_at = episode.version
    support.allocated(episode, lead=vcs_worker, manager=manager)
    panel = episode.panel_id
    again = Api(manager).post(
        url(episode, "/allocation"),
        {"panel": panel, "lead_professional": manager.pk, "reason": "x", "version": opened_at},
    )
    assert again.status_code == 409
    episode.refresh_from_db()
    assert episode.lead_professional == vcs_worker

    support.assessed(episode, lead=vcs_worker, child=family.child)
    need = episode.needs.get()
    stale_close = Api(vcs_worker).post(
        url(episode, "/closure"),
        {
            "reason": "declined",
            "need_outcomes": [{"need": need.pk, "outcome": "not_achieved"}],
            "early_closure_confirmed": True,
            "version": episode.version - 1,
        },
    )
    assert stale_close.status_code == 409
    assert not Closure.objects.exists()


def test_malformed_requests_name_the_field(
    episode: Episode, manager: User, vcs_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.started(episode, lead=vcs_worker)
    lead = Api(vcs_worker)
    assert named_fields(lead.post(url(episode, "/reviews"), {"held_on": "soon"})) >= {
        "held_on",
        "summary",
    }
    assert named_fields(
        lead.post(
            url(episode, "/needs"),
            {
                "domain": "nonsense",
                "description": "",
                "outcome_areas": ["SF99"],
                "baseline_score": 0,
            },
        )
    ) == {"domain", "description", "outcome_areas", "baseline_score"}
    assert named_fields(
        lead.post(url(episode, "/step-ups"), {"reason": "Worse.", "family_agreement": "declined"})
    ) == {"sharing_justification"}
    assert named_fields(lead.post(url(episode, "/taf-members"), {"user": manager.pk + 999})) == {
        "user"
    }
