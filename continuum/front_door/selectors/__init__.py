"""Reading the front door's records for its pages and the API. Every read starts from
``policy.visible``, so nothing a user may not see is listed or counted.

One module for each part of the front door's work: ``contacts`` (one contact, a
referrer's own contacts, the queue), ``decisions`` (the indicators to choose from, the
outcome, sign-off), ``sharing``, ``letters`` (the outcome letter), ``summary`` (the
front-door summary), ``notifications`` and ``triage`` (domestic abuse). The contact
readers are re-exported here, as their callers have always imported them; the
notification and triage readers are imported from their modules (each module has its own
``people_named``).
"""

from continuum.front_door.selectors.contacts import (
    Queue,
    QueueRow,
    adults_of,
    children_of,
    contacts_made_by,
    people_named,
    previous_contacts_visible_to,
    queue,
    queue_councils,
    reference_of,
    teams_of,
    timeline_of,
    with_people,
)
from continuum.front_door.selectors.decisions import (
    IndicatorGroup,
    awaiting_sign_off,
    decisions_not_agreed,
    indicator_codes,
    indicator_groups,
    outcome_is_final,
    suggestion_for,
    suggestion_rules,
)
from continuum.front_door.selectors.letters import FrontDoorContactLine, front_door_contact_line
from continuum.front_door.selectors.sharing import sharing_decisions_of
from continuum.front_door.selectors.summary import (
    CouncilSummary,
    Period,
    SummaryRow,
    councils_for_summary,
    front_door_summary,
    period_label,
    period_start,
)

__all__ = [
    "CouncilSummary",
    "FrontDoorContactLine",
    "IndicatorGroup",
    "Period",
    "Queue",
    "QueueRow",
    "SummaryRow",
    "adults_of",
    "awaiting_sign_off",
    "children_of",
    "contacts_made_by",
    "decisions_not_agreed",
    "councils_for_summary",
    "front_door_contact_line",
    "front_door_summary",
    "indicator_codes",
    "indicator_groups",
    "outcome_is_final",
    "people_named",
    "period_label",
    "period_start",
    "previous_contacts_visible_to",
    "queue",
    "queue_councils",
    "reference_of",
    "sharing_decisions_of",
    "suggestion_for",
    "suggestion_rules",
    "teams_of",
    "timeline_of",
    "with_people",
]
