"""The issue's journey in the browser (test client): a Stockton team manager allocates an
episode at panel to a lead professional at a Stockton voluntary organisation, who completes
the assessment with the child's voice, holds a TAF, writes a plan, reviews it and closes
it; a Hartlepool early help worker steps a family up and the contact reaches Hartlepool's
front door."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.early_help.choices import (
    ActionStatus,
    EpisodeStatus,
    ScoreStage,
    StepUpDecision,
)
from continuum.early_help.models import (
    AllocationPanel,
    ChildVoice,
    Closure,
    ClosureRequest,
    Episode,
    NeedScore,
    PersonAssessment,
    PlanAction,
    StepUp,
    SustainedOutcomeCheck,
    TafAttendee,
    TafMember,
)
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import (
    Family,
    Place,
    make_episode,
    make_family,
    make_place,
)
from continuum.early_help.tests.views_support import on, url
from continuum.front_door.choices import ContactStatus, ReferralSource
from continuum.front_door.models import Contact
from continuum.organisations.models import Council, Organisation


def test_panel_allocation_to_a_voluntary_sector_lead_then_assessment_taf_plan_review_closure(
    client: Client,
    manager: User,
    vcs_worker: User,
    vcs_organisation: Organisation,
    teacher: User,
    episode: Episode,
    family: Family,
    stockton_place: Place,
) -> None:
    today = timezone.localdate()

    # The team manager holds the locality panel and allocates from its waiting list.
    client.force_login(manager)
    waiting = client.get(url("waiting-list"))
    assert waiting.status_code == 200
    assert "Rowntree" in waiting.content.decode()
    response = client.post(
        url("panel-new"),
        {
            "locality": stockton_place.locality.pk,
            **on("held_on", today),
            "agencies_present": [vcs_organisation.pk, manager.organisation_id],
        },
    )
    panel = AllocationPanel.objects.get()
    assert response.status_code == 302 and response["Location"] == url("panel", panel.pk)
    assert "Allocate" in client.get(url("panel", panel.pk)).content.decode()

    form = client.get(url("allocate", panel.pk, episode.pk)).content.decode()
    assert "Vic Sayer" in form and "Stockton Family Support Trust, early help practitioner" in form
    assert "Caseload: 0 of 15" in form
    response = client.post(
        url("allocate", panel.pk, episode.pk),
        {
            "lead_professional": vcs_worker.pk,
            "allocation_reason": "The trust already runs the family's parenting group.",
            "out_of_area_reason": "",
            "version": episode.version,
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.lead_professional == vcs_worker
    assert episode.lead_professional_organisation == vcs_organisation
    assert episode.status == EpisodeStatus.ALLOCATED and episode.panel == panel
    summary = client.get(url("episode", episode.pk)).content.decode()
    # The time from the start of the wait (the step-down, a week ago) to allocation.
    assert "7 days after the episode started" in summary

    # The lead professional does the whole-family assessment, with the child's own voice.
    client.force_login(vcs_worker)
    assert client.post(url("assessment-start", episode.pk)).status_code == 302
    episode.refresh_from_db()
    assessment = episode.assessment
    assert (
        client.post(
            url("assessment-edit", episode.pk),
            {
                "family_view": "Mum says mornings are the hardest part of the day.",
                "summary": "Routines have slipped since the move.",
                "version": assessment.version,
            },
        ).status_code
        == 302
    )
    assessment.refresh_from_db()
    assert (
        client.post(
            url("person-assessment", episode.pk, family.parent.pk),
            {
                "strengths": "Warm and keen to help.",
                "needs": "Low mood.",
                "version": assessment.version,
            },
        ).status_code
        == 302
    )
    assessment.refresh_from_db()
    assert (
        client.post(
            url("child-voice", episode.pk, family.child.pk),
            {
                "what_the_child_said": "I like school when I get there on time.",
                "how_gathered": "Talking with her at school.",
                "version": assessment.version,
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("need-new", episode.pk),
            {
                "person": family.child.pk,
                "domain": "parenting-capacity",
                "description": "Getting to school on time every day.",
                "outcome_areas": ["SF01", "SF05"],
                "baseline_score": "3",
            },
        ).status_code
        == 302
    )
    assessment.refresh_from_db()
    assert (
        client.post(
            url("assessment-complete", episode.pk), {"version": assessment.version}
        ).status_code
        == 302
    )
    assessment.refresh_from_db()
    assert assessment.completed_on == today
    assert ChildVoice.objects.filter(assessment=assessment, child=family.child).exists()
    assert PersonAssessment.objects.filter(assessment=assessment, person=family.parent).exists()
    need = episode.needs.get()

    # The Team Around the Family: a school practitioner joins; a meeting is recorded.
    assert (
        client.post(
            url("taf-member-new", episode.pk), {"user": teacher.pk, "role_in_taf": "Teacher"}
        ).status_code
        == 302
    )
    assert TafMember.objects.filter(episode=episode, user=teacher).exists()
    assert (
        client.post(
            url("taf-meeting-new", episode.pk),
            {
                **on("held_on", today),
                "professionals": [str(vcs_worker.pk), str(teacher.pk)],
                "family": [str(family.parent.pk)],
                "other_1_name": "PC Dale",
                "other_1_agency": "police",
                "decisions": "School breakfast club from Monday; weekly check-in.",
            },
        ).status_code
        == 302
    )
    agencies = sorted(TafAttendee.objects.values_list("agency", flat=True))
    assert agencies == ["family", "police", "school", "voluntary"]

    # The plan: an outcome for the need and a SMART action owned by the school.
    assert client.post(url("plan-create", episode.pk)).status_code == 302
    episode.refresh_from_db()
    plan = episode.plan
    assert (
        client.post(
            url("plan-outcome-new", episode.pk),
            {"need": need.pk, "description": "On time every day.", "version": plan.version},
        ).status_code
        == 302
    )
    plan.refresh_from_db()
    outcome = plan.outcomes.get()
    assert (
        client.post(
            url("plan-action-new", episode.pk, outcome.pk),
            {
                "description": "Breakfast club place, attendance checked weekly.",
                "owner_user": teacher.pk,
                "owner_name": "",
                "owner_agency": "",
                **on("due_date", today),
                "version": plan.version,
            },
        ).status_code
        == 302
    )
    action = PlanAction.objects.get()
    assert action.owner_user == teacher and action.owner_agency == "school"
    assert "Breakfast club place" in client.get(url("plan", episode.pk)).content.decode()

    # A review with distance travelled: the form shows the earlier score, and the action
    # stays open with a later due date.
    plan.refresh_from_db()
    form = client.get(url("review-new", episode.pk)).content.decode()
    assert "Earlier: 3 at assessment" in form
    assert "Breakfast club place" in form
    assert (
        client.post(
            url("review-new", episode.pk),
            {
                **on("held_on", today),
                "summary": "Late twice in six weeks.",
                f"score_{need.pk}": "6",
                f"action_{action.pk}_status": ActionStatus.OPEN,
                **on(f"action_{action.pk}_due_date", today + timedelta(days=28)),
                "version": plan.version,
            },
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.due_date == today + timedelta(days=28)
    reviews_page = client.get(url("reviews", episode.pk)).content.decode()
    assert "Distance travelled" in reviews_page and "+3" in reviews_page
    due = today + timedelta(weeks=6)
    assert f"Next review due {due.day} {due:%B %Y}" in reviews_page

    # Closure: the open action is confirmed as carried forward; closing the day the plan
    # started asks for confirmation; then a team manager signs it off.
    episode.refresh_from_db()
    closing = {
        "reason": "needs_met",
        **on("closed_on", today),
        f"outcome_{need.pk}": "achieved",
        f"score_{need.pk}": "8",
        "open_actions_become": ActionStatus.CARRIED_FORWARD,
        "open_actions_resolution": "The school keeps the breakfast club place going.",
        "version": episode.version,
    }
    response = client.post(url("close", episode.pk), closing)
    assert response.status_code == 200
    assert "confirm that the episode should close so soon" in response.content.decode()
    response = client.post(url("close", episode.pk), closing | {"early_closure_confirmed": "on"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status != EpisodeStatus.CLOSED
    asked = ClosureRequest.objects.get(episode=episode)
    assert "Waiting for sign-off" in client.get(url("closure", episode.pk)).content.decode()

    client.force_login(manager)
    episode.refresh_from_db()
    response = client.post(
        url("closure-sign-off", episode.pk, asked.pk),
        {"decision": "agreed", "decision_reason": "", "version": episode.version},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED and episode.end_date == today
    assert Closure.objects.get(episode=episode).reason == "needs_met"
    assert PlanAction.objects.get().status == ActionStatus.CARRIED_FORWARD
    assert NeedScore.objects.filter(need=need, stage=ScoreStage.CLOSURE, score=8).exists()
    areas = set(SustainedOutcomeCheck.objects.values_list("outcome_area__code", flat=True))
    assert areas == {"SF01", "SF05"}
    # The voluntary-sector lead's sight of the family ends with the episode.
    client.force_login(vcs_worker)
    assert client.get(url("episode", episode.pk)).status_code == 404

    # The council's staff still see it, with its history naming who did what.
    client.force_login(manager)
    history = client.get(url("history", episode.pk)).content.decode()
    assert "Vic Sayer" in history and "Child&#x27;s voice" in history


def test_a_hartlepool_early_help_worker_steps_a_family_up_and_the_contact_reaches_the_front_door(
    client: Client, hartlepool: Council, make_user: Callable[..., User]
) -> None:
    place = make_place(hartlepool, "Hartlepool")
    family = make_family(hartlepool, "Hetherington")
    worker = make_user(
        Role.EARLY_HELP_PRACTITIONER, council=hartlepool, username="ehworker.hartlepool"
    )
    manager = make_user(Role.TEAM_MANAGER, council=hartlepool, username="manager.hartlepool")
    front_door = make_user(
        Role.FRONT_DOOR_WORKER, council=hartlepool, username="frontdoor.hartlepool"
    )
    episode = make_episode(
        council=hartlepool,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child],
    )
    support.allocated(episode, lead=worker, manager=manager)

    client.force_login(worker)
    response = client.post(
        url("step-up-new", episode.pk),
        {
            "reason": "Mum disclosed that her partner hit her in front of Maisie.",
            "family_agreement": "agreed",
            "sharing_justification": "",
        },
    )
    assert response.status_code == 302
    step_up = StepUp.objects.get(episode=episode)
    assert step_up.decision == StepUpDecision.PENDING
    assert Contact.objects.count() == 0

    client.force_login(manager)
    assert "Decide" in client.get(url("step-up", episode.pk)).content.decode()
    response = client.post(
        url("step-up-decide", episode.pk, step_up.pk),
        {"decision": "agree", "decision_note": "Agreed: needs a social care assessment."},
    )
    assert response.status_code == 302
    step_up.refresh_from_db()
    contact = step_up.contact
    assert step_up.decision == StepUpDecision.AGREED and contact is not None
    assert contact.council == hartlepool and contact.status == ContactStatus.SUBMITTED
    assert contact.referral_source == ReferralSource.EARLY_HELP
    assert list(contact.children.all()) == [family.child]
    # It is in Hartlepool's front door for the front-door worker.
    assert policy.visible(front_door, Contact).filter(pk=contact.pk).exists()
    step_up_page = client.get(url("step-up", episode.pk)).content.decode()
    assert reverse("front_door:contact", args=[contact.pk]) in step_up_page
