"""Early help verbs. Each is keyword-only, typed and atomic, refuses bad input with a
``ValidationError`` naming the field and a change the record's state does not allow with
``InvalidState``, and changes nothing when it refuses. Records that two people may edit at
once (episode, assessment, plan) carry a version: a save made against a stale version is
refused with ``ConcurrentChange`` (``claim_version``).

One module for each part of an episode, as the pages (``views/``) and the API (``api/``)
are split: ``episodes`` (opening, and what the others share), ``allocation``,
``assessment``, ``taf``, ``plan`` (and reviews), ``step_up``, ``handover``, ``closure``
(and the six-month follow-up) and ``closure_sign_off``. Callers use the names here:
``services.allocate(...)``.
"""

from continuum.early_help.services.allocation import allocate, hold_panel
from continuum.early_help.services.assessment import (
    add_need,
    complete_assessment,
    record_child_voice,
    record_person_assessment,
    start_assessment,
    update_assessment,
)
from continuum.early_help.services.closure import (
    EARLY_CLOSURE_DAYS,
    SUSTAINED_AFTER_MONTHS,
    close_episode,
    record_sustained_check,
)
from continuum.early_help.services.closure_sign_off import (
    closes_early,
    decide_closure,
    needs_sign_off,
    pending_request,
    request_closure,
)
from continuum.early_help.services.episodes import (
    EARLY_HELP_OUTCOME_LEVELS,
    ConsentAnswer,
    EpisodePlace,
    can_move,
    carried_from_contact,
    move_episode,
    open_episode_by_partner,
    open_episode_from_decision,
    settings_for,
    step_down,
)
from continuum.early_help.services.handover import hand_over
from continuum.early_help.services.plan import (
    ActionChange,
    add_action,
    add_plan_outcome,
    create_plan,
    next_review_after,
    record_review,
    update_action_status,
)
from continuum.early_help.services.step_up import decide_step_up, request_step_up
from continuum.early_help.services.taf import add_taf_member, record_taf_meeting, remove_taf_member

__all__ = [
    "EARLY_CLOSURE_DAYS",
    "EARLY_HELP_OUTCOME_LEVELS",
    "SUSTAINED_AFTER_MONTHS",
    "ActionChange",
    "ConsentAnswer",
    "EpisodePlace",
    "add_action",
    "add_need",
    "add_plan_outcome",
    "add_taf_member",
    "allocate",
    "can_move",
    "carried_from_contact",
    "close_episode",
    "closes_early",
    "complete_assessment",
    "create_plan",
    "decide_closure",
    "decide_step_up",
    "hand_over",
    "hold_panel",
    "move_episode",
    "needs_sign_off",
    "next_review_after",
    "open_episode_by_partner",
    "open_episode_from_decision",
    "pending_request",
    "record_child_voice",
    "request_closure",
    "record_person_assessment",
    "record_review",
    "record_sustained_check",
    "record_taf_meeting",
    "remove_taf_member",
    "request_step_up",
    "settings_for",
    "start_assessment",
    "step_down",
    "update_action_status",
    "update_assessment",
]
