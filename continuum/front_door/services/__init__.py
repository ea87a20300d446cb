"""Front-door verbs: record, submit, screen and decide contacts; record information-sharing
decisions; notify and triage domestic abuse. Each is keyword-only, typed and atomic; each
refuses bad input with a ``ValidationError`` naming the field, a change the record's state
does not allow with ``InvalidState`` and a change made against a stale version with
``ConcurrentChange``, and changes nothing when it refuses.

One module for each part of the front door's work: ``contacts``, ``decisions``, ``sharing``,
``notifications`` and ``triage`` (``common`` holds the checks they share). The verbs are
re-exported here, so callers write ``services.record_contact`` wherever they live.
"""

from continuum.front_door.services.contacts import (
    CONTACT_DETAIL_FIELDS,
    REPEAT_WINDOW_DAYS,
    ContactDetails,
    change_status,
    concerns_errors,
    consent_errors,
    previous_contacts,
    record_contact,
    submission_errors,
    submit_contact,
    update_draft,
)
from continuum.front_door.services.decisions import (
    REFERRER_INVOLVEMENT_AFTER_DECISION,
    check_decision,
    decide_contact,
    not_agree_decision,
    sign_off_decision,
)
from continuum.front_door.services.notifications import (
    HIGH_RISK_TICKS,
    NotificationDetails,
    record_notification,
)
from continuum.front_door.services.sharing import record_sharing_decision
from continuum.front_door.services.triage import (
    check_may_hold_meeting,
    hold_triage_meeting,
    triage_notification,
)

__all__ = [
    "CONTACT_DETAIL_FIELDS",
    "HIGH_RISK_TICKS",
    "REFERRER_INVOLVEMENT_AFTER_DECISION",
    "REPEAT_WINDOW_DAYS",
    "ContactDetails",
    "NotificationDetails",
    "change_status",
    "check_may_hold_meeting",
    "check_decision",
    "concerns_errors",
    "consent_errors",
    "decide_contact",
    "hold_triage_meeting",
    "not_agree_decision",
    "previous_contacts",
    "record_contact",
    "record_notification",
    "record_sharing_decision",
    "sign_off_decision",
    "submission_errors",
    "submit_contact",
    "triage_notification",
    "update_draft",
]
