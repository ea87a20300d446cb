"""Every early help endpoint through the access policy: 401 for anyone not signed in, 404
for another council's staff and for a partner not in the Team Around the Family, 403 for
those who see the episode but may not do the thing (nothing saved); and TAF membership
giving a partner the episode while a member, and not after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.early_help import services
from continuum.early_help.models import (
    AllocationPanel,
    Closure,
    Episode,
    PlanAction,
    Review,
    StepUp,
    TafMeeting,
    TafMember,
)
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import API, Api, ok, url
from continuum.early_help.tests.builders import Family, Place, make_episode
from continuum.front_door.choices import FamilyAgreement
from continuum.organisations.models import Council, Organisation
from continuum.testing import factories

Call = tuple[str, str, Any]


@dataclass(frozen=True)
class Worked:
    """An episode led by the voluntary-sector worker, assessed and planned, with the school
    practitioner in its TAF and a step-up waiting for a manager."""

    episode: Episode
    member: TafMember
    action: PlanAction
    step_up: StepUp


@pytest.fixture
def worked(
    episode: Episode, family: Family, manager: User, vcs_worker: User, teacher: User
) -> Worked:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker)
    member = services.add_taf_member(episode=episode, user=teacher, by=vcs_worker)
    step_up = services.request_step_up(
        episode=episode,
        reason="Concerns have grown since the last review.",
        family_agreement=FamilyAgreement.AGREED,
        by=vcs_worker,
    )
    episode.refresh_from_db()
    action = PlanAction.objects.get(outcome__plan__episode=episode)
    return Worked(episode, member, action, step_up)


def reads(w: Worked) -> list[Call]:
    return [
        ("GET", url(w.episode, suffix), None)
        for suffix in [
            "",
            "/assessment",
            "/taf-members",
            "/taf-meetings",
            "/plan",
            "/reviews",
            "/step-ups",
        ]
    ]


def work(w: Worked, family: Family) -> list[Call]:
    """What only the lead professional and the council's early help staff may do."""
    today = timezone.localdate().isoformat()
    e = w.episode
    return [
        ("POST", url(e, "/assessment"), {}),
        ("PATCH", url(e, "/assessment"), {"summary": "Changed", "version": 1}),
        ("PUT", url(e, f"/assessment/people/{family.parent.pk}"), {"version": 1}),
        ("PUT", url(e, f"/assessment/child-voice/{family.child.pk}"), {"version": 1}),
        (
            "POST",
            url(e, "/needs"),
            {
                "domain": "parenting-capacity",
                "description": "More",
                "outcome_areas": ["SF01"],
                "baseline_score": 4,
            },
        ),
        ("POST", url(e, "/assessment/complete"), {"version": 1}),
        ("POST", url(e, "/taf-members"), {"user": 1}),
        ("DELETE", url(e, f"/taf-members/{w.member.pk}"), None),
        ("POST", url(e, "/taf-meetings"), {"held_on": today, "decisions": "x", "attendees": []}),
        ("POST", url(e, "/plan"), {}),
        ("POST", url(e, "/plan/outcomes"), {"need": 1, "description": "x", "version": 1}),
        (
            "POST",
            url(e, "/plan/actions"),
            {"outcome": 1, "description": "x", "due_date": today, "version": 1},
        ),
        ("PATCH", url(e, f"/plan/actions/{w.action.pk}"), {"status": "done", "version": 1}),
        ("POST", url(e, "/reviews"), {"held_on": today, "summary": "x", "scores": []}),
        ("POST", url(e, "/step-ups"), {"reason": "x", "family_agreement": "agreed"}),
        ("POST", url(e, "/closure"), {"reason": "needs_met", "need_outcomes": [], "version": 1}),
    ]


def managing(w: Worked) -> list[Call]:
    """What only a team manager (or, after closure, the council's staff) may do."""
    e = w.episode
    return [
        (
            "POST",
            url(e, "/allocation"),
            {"panel": 1, "lead_professional": 1, "reason": "x", "version": 1},
        ),
        ("POST", url(e, f"/step-ups/{w.step_up.pk}/decision"), {"decision": "agreed"}),
        ("POST", url(e, "/closure/sustained-checks/1"), {"result": "sustained"}),
    ]


def every_episode_call(w: Worked, family: Family) -> list[Call]:
    return [*reads(w), *work(w, family), *managing(w), ("GET", url(w.episode, "/closure"), None)]


def wrong_answers(api: Api, calls: list[Call], expected: int) -> list[str]:
    found = []
    for method, path, body in calls:
        status = api.call(method, path, body).status_code
        if status != expected:
            found.append(f"{method} {path} -> {status}")
    return found


def snapshot() -> dict[str, int]:
    """Row counts of what the endpoints write."""
    return {
        model.__name__: model.objects.count()
        for model in (AllocationPanel, TafMember, TafMeeting, PlanAction, Review, StepUp, Closure)
    } | {
        "left": TafMember.objects.filter(left_on__isnull=False).count(),
        "done": PlanAction.objects.exclude(status="open").count(),
    }


# --- 401 -------------------------------------------------------------------------------------


def test_anyone_not_signed_in_is_refused_by_every_endpoint(worked: Worked, family: Family) -> None:
    calls = [
        *every_episode_call(worked, family),
        ("GET", f"{API}/episodes", None),
        ("POST", f"{API}/episodes", {"origin": "partner"}),
        ("GET", f"{API}/allocation-panels", None),
        ("POST", f"{API}/allocation-panels", {}),
    ]
    assert wrong_answers(Api(), calls, 401) == []


# --- 404 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.EARLY_HELP_PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR_WORKER]
)
def test_another_councils_staff_find_no_such_episode(
    worked: Worked,
    family: Family,
    make_user: Callable[..., User],
    hartlepool: Council,
    role: Role,
) -> None:
    before = snapshot()
    api = Api(make_user(role, council=hartlepool))
    assert wrong_answers(api, every_episode_call(worked, family), 404) == []
    assert ok(api.get(f"{API}/episodes")) == {"items": [], "count": 0}
    assert snapshot() == before


def test_a_partner_not_in_the_taf_finds_no_such_episode(
    worked: Worked, family: Family, officer: User
) -> None:
    outsider = Api(officer)  # a police officer
    before = snapshot()
    assert wrong_answers(outsider, every_episode_call(worked, family), 404) == []
    assert ok(outsider.get(f"{API}/episodes"))["count"] == 0
    assert snapshot() == before


@pytest.mark.parametrize(
    "role", [Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR]
)
def test_those_who_see_no_names_list_no_episodes(
    worked: Worked, make_user: Callable[..., User], stockton: Council, role: Role
) -> None:
    api = Api(make_user(role, council=stockton))
    assert ok(api.get(f"{API}/episodes")) == {"items": [], "count": 0}
    assert api.get(url(worked.episode)).status_code == 404


# --- 403 -------------------------------------------------------------------------------------


def test_a_taf_member_who_does_not_lead_reads_the_episode_but_may_not_work_on_it(
    worked: Worked, family: Family, teacher: User
) -> None:
    member = Api(teacher)
    assert wrong_answers(member, reads(worked), 200) == []
    before = snapshot()
    assert wrong_answers(member, [*work(worked, family), *managing(worked)], 403) == []
    assert snapshot() == before
    closing = member.post(
        url(worked.episode, "/closure"),
        {"reason": "needs_met", "need_outcomes": [], "version": worked.episode.version},
    )
    assert closing.status_code == 403
    assert "lead professional" in closing.json()["detail"]
    assert not Closure.objects.exists()


def test_only_a_team_manager_holds_a_panel_allocates_or_decides_a_step_up(
    worked: Worked, episode: Episode, eh_worker: User, stockton_place: Place, manager: User
) -> None:
    fresh = make_episode(
        council=stockton_place.council,
        locality=stockton_place.locality,
        team=stockton_place.team,
        opened_by=manager,
    )
    worker = Api(eh_worker)
    before = snapshot()
    panel = worker.post(
        f"{API}/allocation-panels",
        {
            "locality": stockton_place.locality.pk,
            "held_on": timezone.localdate().isoformat(),
            "agencies_present": [manager.organisation_id],
        },
    )
    assert panel.status_code == 403
    allocation = worker.post(
        url(fresh, "/allocation"),
        {"panel": 1, "lead_professional": eh_worker.pk, "reason": "x", "version": 1},
    )
    assert allocation.status_code == 403
    decision = worker.post(
        url(worked.episode, f"/step-ups/{worked.step_up.pk}/decision"), {"decision": "agreed"}
    )
    assert decision.status_code == 403
    assert snapshot() == before
    assert StepUp.objects.get(pk=worked.step_up.pk).contact is None
    # The council's early help worker does the work itself.
    assert ok(worker.get(url(worked.episode)))["status"] == "plan"


def test_the_follow_up_after_closure_is_recorded_by_the_councils_staff_only(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    episode.refresh_from_db()
    need = episode.needs.get()
    closure = services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={need.pk: "achieved"},
    )
    check = closure.sustained_checks.get()
    path = url(episode, f"/closure/sustained-checks/{check.pk}")
    # The lead professional no longer sees the closed episode.
    assert Api(vcs_worker).post(path, {"result": "sustained"}).status_code == 404
    assert Api(manager).get(url(episode, "/closure")).status_code == 200
    early = Api(manager).post(path, {"result": "sustained"})
    assert early.status_code == 422  # not yet due
    check.refresh_from_db()
    assert check.result == ""


# --- TAF membership gives access while it lasts --------------------------------------------


def test_a_partner_sees_the_episode_while_in_the_taf_and_not_after(
    worked: Worked, vcs_worker: User, teacher: User, school: Organisation
) -> None:
    member = Api(teacher)
    listed = ok(member.get(f"{API}/episodes"))
    assert [e["id"] for e in listed["items"]] == [str(worked.episode.pk)]
    assert listed["count"] == 1
    members = ok(member.get(url(worked.episode, "/taf-members")))
    assert members["items"][0]["user"]["organisation"] == school.name

    ended = ok(Api(vcs_worker).delete(url(worked.episode, f"/taf-members/{worked.member.pk}")))
    assert ended["left_on"] == timezone.localdate().isoformat()
    assert ended["is_current"] is False
    assert TafMember.objects.filter(pk=worked.member.pk).exists()  # the row is kept

    assert wrong_answers(member, reads(worked), 404) == []
    assert ok(member.get(f"{API}/episodes")) == {"items": [], "count": 0}
    again = Api(vcs_worker).delete(url(worked.episode, f"/taf-members/{worked.member.pk}"))
    assert again.status_code == 409


def test_reading_an_episode_logs_one_read_of_each_childs_record(
    worked: Worked, family: Family, manager: User
) -> None:
    ok(Api(manager).get(url(worked.episode)))
    entries = AccessLogEntry.objects.filter(subject_id=family.child.pk, user=manager)
    assert entries.count() == 1
    assert entries.get().action == AccessAction.API_READ


def test_the_assessment_answers_only_the_family_members_the_user_may_see(
    episode: Episode, family: Family, vcs_worker: User, manager: User
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    assessment = support.started(episode, lead=vcs_worker)
    for person in (family.child, family.parent):
        services.record_person_assessment(
            assessment=assessment,
            person=person,
            strengths="Determined to get mornings right.",
            needs="A routine that survives night shifts.",
            by=vcs_worker,
            expected_version=assessment.version,
        )
    both = [str(family.child.pk), str(family.parent.pk)]
    assert [
        p["person"] for p in ok(Api(vcs_worker).get(url(episode, "/assessment")))["people"]
    ] == both

    # The parent's record is restricted to the people on its access list.
    type(family.parent).objects.filter(pk=family.parent.pk).update(is_restricted=True)
    factories.RestrictedAccessFactory.create(person=family.parent, user=manager)
    hidden = ok(Api(vcs_worker).get(url(episode, "/assessment")))
    assert [p["person"] for p in hidden["people"]] == [str(family.child.pk)]
    listed = ok(Api(manager).get(url(episode, "/assessment")))
    assert [p["person"] for p in listed["people"]] == both
