"""The Working Together 2023 timescales after the front door's decision, as plain rules.

- **Assessment**: a social work assessment is completed (authorised) within 45 working
  days of the referral date: the date the referral reached children's social care (for a
  referral made at the front door, the day the contact was received), not the day of the
  front door's decision.
- **Initial child protection conference**: held within 15 working days of the strategy
  discussion that started the section 47 enquiry; where no strategy discussion was
  recorded, of the enquiry's start.

Both count as ``working_days``: the starting day is day 0 and "within N working days" is
by the end of the Nth working day after it. A timescale is *breached* when it is still
open after its due date ("overdue") or was met after it ("late").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from continuum.timescales.working_days import (
    ASSESSMENT_WORKING_DAYS,
    add_working_days,
    assessment_due_date,
    working_days_between,
)

ICPC_WORKING_DAYS = 15


def icpc_counted_from(strategy_discussion_on: date | None, enquiry_started_on: date) -> date:
    """The day an initial conference's 15 working days count from: the strategy
    discussion, or the section 47 enquiry's start when none was recorded."""
    return strategy_discussion_on or enquiry_started_on


def icpc_due_date(strategy_discussion_on: date | None, enquiry_started_on: date) -> date:
    """When the initial child protection conference is due."""
    return add_working_days(
        icpc_counted_from(strategy_discussion_on, enquiry_started_on), ICPC_WORKING_DAYS
    )


@dataclass(frozen=True)
class Deadline:
    """One timescale for one record: what it counts from, when it is due, when it was met
    (None: not yet) and the day it is looked at."""

    counted_from: date
    due: date
    met_on: date | None
    today: date

    @property
    def late(self) -> bool:
        """Met, but after the due date."""
        return self.met_on is not None and self.met_on > self.due

    @property
    def overdue(self) -> bool:
        """Not met, and the due date has passed."""
        return self.met_on is None and self.today > self.due

    @property
    def breached(self) -> bool:
        return self.late or self.overdue

    @property
    def met_in_time(self) -> bool:
        return self.met_on is not None and self.met_on <= self.due

    @property
    def days_remaining(self) -> int:
        """Calendar days to the due date (negative once past it); 0 once met."""
        return 0 if self.met_on is not None else (self.due - self.today).days

    @property
    def working_days_remaining(self) -> int:
        """Working days left before the due date, counting it (0 on the day it is due or
        after, or once met)."""
        if self.met_on is not None:
            return 0
        return working_days_between(self.today, self.due)

    @property
    def working_days_late(self) -> int:
        """Working days after the due date it was met (late) or is still open (overdue)."""
        end = self.met_on if self.met_on is not None else self.today
        return working_days_between(self.due, end)


def assessment_deadline(*, referral_on: date, authorised_on: date | None, today: date) -> Deadline:
    """The assessment's 45 working days from the referral date."""
    return Deadline(referral_on, assessment_due_date(referral_on), authorised_on, today)


def icpc_deadline(
    *,
    strategy_discussion_on: date | None,
    enquiry_started_on: date,
    held_on: date | None,
    today: date,
) -> Deadline:
    """The initial conference's 15 working days from the strategy discussion (or the
    enquiry's start)."""
    start = icpc_counted_from(strategy_discussion_on, enquiry_started_on)
    return Deadline(
        start, icpc_due_date(strategy_discussion_on, enquiry_started_on), held_on, today
    )


__all__ = [
    "ASSESSMENT_WORKING_DAYS",
    "ICPC_WORKING_DAYS",
    "Deadline",
    "assessment_deadline",
    "icpc_counted_from",
    "icpc_deadline",
    "icpc_due_date",
]
