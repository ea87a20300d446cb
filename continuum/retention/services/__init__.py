"""The retention app's services: the schedule, legal holds, disposal runs and erasure."""

from continuum.retention.services.holds import lift_legal_hold, place_legal_hold
from continuum.retention.services.runs import (
    approve_run,
    cancel_run,
    carry_out,
    erase_person,
    list_run,
    start_run,
)
from continuum.retention.services.schedule import ensure_schedule, update_rule

__all__ = [
    "approve_run",
    "cancel_run",
    "carry_out",
    "ensure_schedule",
    "erase_person",
    "lift_legal_hold",
    "list_run",
    "place_legal_hold",
    "start_run",
    "update_rule",
]
