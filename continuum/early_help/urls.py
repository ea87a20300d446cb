from django.urls import path

from continuum.early_help.views import (
    allocation,
    assessment,
    closure,
    consent,
    episode,
    handover,
    lists,
    plan,
    step_up,
    taf,
)

app_name = "early_help"

EPISODE = "episodes/<uuid:pk>/"

urlpatterns = [
    path("waiting-list", lists.waiting_list, name="waiting-list"),
    path("decisions/<int:pk>/open", lists.open_from_decision, name="open-from-decision"),
    path("start", lists.start, name="start"),
    path("step-down", lists.step_down, name="step-down"),
    path("caseloads", lists.caseloads, name="caseloads"),
    path("panels/new", allocation.panel_new, name="panel-new"),
    path("panels/<int:pk>/", allocation.panel, name="panel"),
    path("panels/<int:pk>/allocate/<uuid:episode_pk>", allocation.allocate, name="allocate"),
    path(EPISODE, episode.summary, name="episode"),
    path(EPISODE + "history", episode.history, name="history"),
    path(
        EPISODE + "lead-professionals",
        handover.lead_professionals,
        name="lead-professionals",
    ),
    path(EPISODE + "handover", handover.handover, name="handover"),
    path(EPISODE + "assessment", assessment.assessment, name="assessment"),
    path(EPISODE + "assessment/start", assessment.assessment_start, name="assessment-start"),
    path(EPISODE + "assessment/edit", assessment.assessment_edit, name="assessment-edit"),
    path(
        EPISODE + "assessment/people/<uuid:person_pk>",
        assessment.person_assessment,
        name="person-assessment",
    ),
    path(EPISODE + "assessment/voices/<uuid:child_pk>", assessment.child_voice, name="child-voice"),
    path(EPISODE + "assessment/needs/new", assessment.need_new, name="need-new"),
    path(
        EPISODE + "assessment/complete",
        assessment.assessment_complete,
        name="assessment-complete",
    ),
    path(EPISODE + "taf", taf.taf, name="taf"),
    path(EPISODE + "taf/members/new", taf.member_new, name="taf-member-new"),
    path(
        EPISODE + "taf/members/<int:member_pk>/remove",
        taf.member_remove,
        name="taf-member-remove",
    ),
    path(EPISODE + "taf/meetings/new", taf.meeting_new, name="taf-meeting-new"),
    path(EPISODE + "plan", plan.plan, name="plan"),
    path(EPISODE + "plan/new", plan.plan_create, name="plan-create"),
    path(EPISODE + "plan/outcomes/new", plan.outcome_new, name="plan-outcome-new"),
    path(
        EPISODE + "plan/outcomes/<int:outcome_pk>/actions/new",
        plan.action_new,
        name="plan-action-new",
    ),
    path(
        EPISODE + "plan/actions/<int:action_pk>/status",
        plan.action_status,
        name="plan-action-status",
    ),
    path(EPISODE + "reviews", plan.reviews, name="reviews"),
    path(EPISODE + "reviews/new", plan.review_new, name="review-new"),
    path(EPISODE + "step-up", step_up.step_up, name="step-up"),
    path(EPISODE + "step-up/new", step_up.step_up_new, name="step-up-new"),
    path(
        EPISODE + "step-up/<int:step_up_pk>/requested",
        step_up.step_up_requested,
        name="step-up-requested",
    ),
    path(
        EPISODE + "step-up/<int:step_up_pk>/decide",
        step_up.step_up_decide,
        name="step-up-decide",
    ),
    path(EPISODE + "closure", closure.closure, name="closure"),
    path(EPISODE + "closure/close", closure.close, name="close"),
    path(
        EPISODE + "closure/requests/<int:request_pk>/sign-off",
        closure.sign_off,
        name="closure-sign-off",
    ),
    path(EPISODE + "closure/follow-ups/<int:check_pk>", closure.follow_up, name="follow-up"),
    path(EPISODE + "consent", consent.consent, name="consent"),
    path(
        EPISODE + "consent/reviews/<int:review_pk>",
        consent.consent_review,
        name="consent-review",
    ),
]
