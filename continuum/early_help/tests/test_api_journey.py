"""The issue's journey through the API: a Stockton team manager allocates an episode at
panel to a lead professional at a Stockton voluntary organisation, who completes the
assessment with the child's voice, holds a TAF, writes a plan, reviews it and closes it;
a Hartlepool early help worker's step-up, agreed by a manager, reaches Hartlepool's front
door as a submitted contact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import time_machine
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.early_help.choices import ActionStatus, EpisodeStatus, StepUpDecision
from continuum.early_help.models import Episode, NeedScore, StepUp, TafAttendee
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import API, Api, ok, url
from continuum.early_help.tests.builders import (
    Family,
    Place,
    make_episode,
    make_family,
    make_place,
)
from continuum.front_door.choices import ContactStatus, ReferralSource
from continuum.front_door.models import Contact
from continuum.organisations.models import Council, Organisation


def test_allocated_at_panel_to_a_voluntary_sector_lead_who_takes_it_to_closure(
    episode: Episode,
    family: Family,
    stockton_place: Place,
    manager: User,
    vcs_worker: User,
    vcs_organisation: Organisation,
    teacher: User,
    school: Organisation,
) -> None:
    today = timezone.localdate()
    as_manager, as_lead, as_school = Api(manager), Api(vcs_worker), Api(teacher)

    # The panel, then the allocation to a lead professional at a voluntary organisation.
    panel = ok(
        as_manager.post(
            f"{API}/allocation-panels",
            {
                "locality": stockton_place.locality.pk,
                "held_on": today,
                "agencies_present": [manager.organisation_id, vcs_organisation.pk],
            },
        ),
        201,
    )
    assert {a["name"] for a in panel["agencies_present"]} == {
        "Stockton-on-Tees Children's Services",
        vcs_organisation.name,
    }
    waiting = ok(as_manager.get(url(episode)))
    assert waiting["status"] == EpisodeStatus.AWAITING_ALLOCATION
    allocated = ok(
        as_manager.post(
            url(episode, "/allocation"),
            {
                "panel": panel["id"],
                "lead_professional": vcs_worker.pk,
                "reason": "Knows the family from the youth project.",
                "version": waiting["version"],
            },
        )
    )
    assert allocated["status"] == EpisodeStatus.ALLOCATED
    assert allocated["lead_professional"] == {
        "id": vcs_worker.pk,
        "name": "Vic Sayer",
        "organisation": vcs_organisation.name,
        "agency": "voluntary",
    }
    assert allocated["panel"] == panel["id"]
    assert allocated["time_to_allocation_working_days"] is not None
    mine = ok(as_lead.get(f"{API}/episodes?lead_professional=me"))
    assert [e["id"] for e in mine["items"]] == [str(episode.pk)]

    # The assessment, with the family's view, the parent's strengths and the child's voice.
    assessment = ok(as_lead.post(url(episode, "/assessment"), {}), 201)
    assert ok(as_lead.get(url(episode)))["assessment_due_date"] == assessment["due_date"]
    assessment = ok(
        as_lead.patch(
            url(episode, "/assessment"),
            {"family_view": "Mornings are hard.", "version": assessment["version"]},
        )
    )
    assessment = ok(
        as_lead.put(
            url(episode, f"/assessment/people/{family.parent.pk}"),
            {
                "strengths": "Loving, keen to get help.",
                "needs": "Support with routines.",
                "version": assessment["version"],
            },
        )
    )
    assessment = ok(
        as_lead.put(
            url(episode, f"/assessment/child-voice/{family.child.pk}"),
            {
                "what_the_child_said": "I like school when I get there on time.",
                "how_gathered": "Talking with her at school.",
                "version": assessment["version"],
            },
        )
    )
    need = ok(
        as_lead.post(
            url(episode, "/needs"),
            {
                "domain": "parenting-capacity",
                "description": "Getting to school on time every day.",
                "outcome_areas": ["SF01"],
                "baseline_score": 3,
                "person": str(family.child.pk),
            },
        ),
        201,
    )
    assert need["baseline_score"] == 3 and need["outcome_areas"] == ["SF01"]
    completed = ok(
        as_lead.post(url(episode, "/assessment/complete"), {"version": assessment["version"]})
    )
    assert completed["completed_on"] == today.isoformat()
    assert completed["child_voices"][0]["child"] == str(family.child.pk)
    assert completed["people"] == [
        {
            "person": str(family.parent.pk),
            "strengths": "Loving, keen to get help.",
            "needs": "Support with routines.",
        }
    ]

    # The Team Around the Family: a school practitioner joins and sees the episode.
    assert as_school.get(url(episode)).status_code == 404
    member = ok(
        as_lead.post(url(episode, "/taf-members"), {"user": teacher.pk, "role_in_taf": "Teacher"}),
        201,
    )
    assert member["is_current"] and member["user"]["agency"] == "school"
    assert ok(as_school.get(url(episode)))["id"] == str(episode.pk)
    meeting = ok(
        as_lead.post(
            url(episode, "/taf-meetings"),
            {
                "held_on": today,
                "decisions": "A morning routine chart; the school checks in weekly.",
                "attendees": [
                    {"user": vcs_worker.pk},
                    {"user": teacher.pk},
                    {"person": str(family.parent.pk)},
                    {"name": "Health visitor", "agency": "health"},
                ],
            },
        ),
        201,
    )
    assert sorted(a["agency"] for a in meeting["attendees"]) == [
        "family",
        "health",
        "school",
        "voluntary",
    ]
    assert TafAttendee.objects.filter(meeting_id=meeting["id"]).count() == 4

    # The plan: an outcome for the need and an action owned by the school.
    plan = ok(as_lead.post(url(episode, "/plan"), {}), 201)
    plan = ok(
        as_lead.post(
            url(episode, "/plan/outcomes"),
            {
                "need": need["id"],
                "description": "Maisie arrives on time every day.",
                "version": plan["version"],
            },
        ),
        201,
    )
    plan = ok(
        as_lead.post(
            url(episode, "/plan/actions"),
            {
                "outcome": plan["outcomes"][0]["id"],
                "description": "Weekly check-in with Maisie's mum at the gate.",
                "owner_user": teacher.pk,
                "due_date": today + timedelta(days=14),
                "version": plan["version"],
            },
        ),
        201,
    )
    action = plan["outcomes"][0]["actions"][0]
    assert action["owner_agency"] == "school"
    assert action["owner_organisation"] == school.name
    assert action["is_overdue"] is False
    plan = ok(
        as_lead.patch(
            url(episode, f"/plan/actions/{action['id']}"),
            {"status": ActionStatus.DONE, "version": plan["version"]},
        )
    )
    assert plan["outcomes"][0]["actions"][0]["status"] == ActionStatus.DONE

    # A review, scoring the need (distance travelled).
    review = ok(
        as_lead.post(
            url(episode, "/reviews"),
            {
                "held_on": today,
                "summary": "On time four days out of five.",
                "scores": [{"need": need["id"], "score": 6}],
            },
        ),
        201,
    )
    assert review["scores"] == [{"need": need["id"], "score": 6}]
    assert review["next_review_due"] == (today + timedelta(weeks=6)).isoformat()
    assert ok(as_lead.get(url(episode, "/reviews")))["count"] == 1
    assert ok(as_lead.get(url(episode)))["status"] == EpisodeStatus.REVIEW

    # The lead professional asks to close; a team manager signs it off, which closes the
    # episode and ends the lead's and the TAF's access.
    version = ok(as_lead.get(url(episode)))["version"]
    asked = ok(
        as_lead.post(
            url(episode, "/closure"),
            {
                "reason": "needs_met",
                "need_outcomes": [{"need": need["id"], "outcome": "achieved"}],
                "closure_scores": [{"need": need["id"], "score": 8}],
                "early_closure_confirmed": True,
                "version": version,
            },
        ),
        202,
    )
    assert asked["decision"] == "pending"
    assert ok(as_lead.get(url(episode)))["status"] == EpisodeStatus.REVIEW
    version = ok(as_manager.get(url(episode)))["version"]
    signed = ok(
        as_manager.post(
            url(episode, f"/closure-requests/{asked['id']}/decision"),
            {"decision": "agreed", "version": version},
        )
    )
    assert signed["decision"] == "agreed"
    closure = ok(as_manager.get(url(episode, "/closure")))
    assert closure["reason"] == "needs_met"
    assert [c["outcome_area"] for c in closure["sustained_checks"]] == ["SF01"]
    assert NeedScore.objects.filter(need_id=need["id"]).count() == 3
    assert as_lead.get(url(episode)).status_code == 404
    assert as_school.get(url(episode)).status_code == 404
    closed = ok(as_manager.get(url(episode)))
    assert closed["status"] == EpisodeStatus.CLOSED
    assert closed["end_date"] == today.isoformat()

    # Six months on, the council's early help staff record whether it was sustained.
    check = closure["sustained_checks"][0]
    with time_machine.travel(timezone.now() + timedelta(days=190), tick=False):
        followed_up = ok(
            Api(manager).post(
                url(episode, f"/closure/sustained-checks/{check['id']}"),
                {"result": "sustained"},
            )
        )
    assert followed_up["result"] == "sustained"


def test_a_step_up_agreed_by_a_manager_reaches_the_front_door_as_a_submitted_contact(
    make_user: Callable[..., User], hartlepool: Council
) -> None:
    place = make_place(hartlepool, "Hartlepool")
    family = make_family(hartlepool, "Jessop")
    worker = make_user(Role.EARLY_HELP_PRACTITIONER, council=hartlepool, username="ehworker.hpl")
    manager = make_user(Role.TEAM_MANAGER, council=hartlepool, username="manager.hpl")
    front_door = make_user(Role.FRONT_DOOR_WORKER, council=hartlepool, username="fd.hpl")
    episode = make_episode(
        council=hartlepool,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child],
    )
    support.allocated(episode, lead=worker, manager=manager)

    requested = ok(
        Api(worker).post(
            url(episode, "/step-ups"),
            {
                "reason": "Mum disclosed new violence at home; the children witnessed it.",
                "family_agreement": "agreed",
                "status": "agreed",  # not a field: changes nothing
            },
        ),
        201,
    )
    assert requested["decision"] == StepUpDecision.PENDING
    decision = url(episode, f"/step-ups/{requested['id']}/decision")
    assert Api(worker).post(decision, {"decision": "agreed"}).status_code == 403

    decided = ok(Api(manager).post(decision, {"decision": "agreed"}))
    assert decided["decision"] == StepUpDecision.AGREED
    contact = Contact.objects.get(pk=decided["contact"])
    assert contact.status == ContactStatus.SUBMITTED
    assert contact.council == hartlepool
    assert contact.referral_source == ReferralSource.EARLY_HELP
    assert list(contact.children.all()) == [family.child]
    assert policy.visible(front_door, Contact).filter(pk=contact.pk).exists()
    assert StepUp.objects.get(pk=requested["id"]).contact == contact
    assert ok(Api(worker).get(url(episode, "/step-ups")))["items"][0]["contact"] == str(contact.pk)
