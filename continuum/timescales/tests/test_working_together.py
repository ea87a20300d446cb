"""The Working Together timescales after the front door: assessments from the referral
date, initial conferences from the strategy discussion."""

from __future__ import annotations

from datetime import date

from continuum.timescales.working_together import (
    assessment_deadline,
    icpc_deadline,
    icpc_due_date,
)


def test_icpc_is_due_15_working_days_after_the_strategy_discussion() -> None:
    # Wednesday 19 August 2026 + 15 working days, over the 31 August bank holiday.
    assert icpc_due_date(date(2026, 8, 19), date(2026, 8, 21)) == date(2026, 9, 10)


def test_icpc_counts_from_the_enquiry_start_without_a_strategy_discussion() -> None:
    assert icpc_due_date(None, date(2026, 8, 21)) == date(2026, 9, 14)


def test_a_conference_held_on_its_due_date_is_in_time_and_the_day_after_is_late() -> None:
    on_time = icpc_deadline(
        strategy_discussion_on=date(2026, 8, 19),
        enquiry_started_on=date(2026, 8, 19),
        held_on=date(2026, 9, 10),
        today=date(2026, 10, 1),
    )
    assert on_time.met_in_time and not on_time.breached
    late = icpc_deadline(
        strategy_discussion_on=date(2026, 8, 19),
        enquiry_started_on=date(2026, 8, 19),
        held_on=date(2026, 9, 11),
        today=date(2026, 10, 1),
    )
    assert late.late and late.breached and late.working_days_late == 1


def test_an_open_assessment_past_45_working_days_is_overdue() -> None:
    # Referral Monday 2 March 2026: 45 working days later is Thursday 7 May 2026 (Good
    # Friday 3 April, Easter Monday 6 April and the 4 May bank holiday are not counted).
    deadline = assessment_deadline(
        referral_on=date(2026, 3, 2), authorised_on=None, today=date(2026, 5, 11)
    )
    assert deadline.due == date(2026, 5, 7)
    assert deadline.overdue and deadline.working_days_late == 2
    waiting = assessment_deadline(
        referral_on=date(2026, 3, 2), authorised_on=None, today=date(2026, 5, 5)
    )
    assert not waiting.breached
    assert waiting.days_remaining == 2 and waiting.working_days_remaining == 2
