"""The retention schedule: each council's made with the defaults when it has none, and
one rule changed at a time by the council's information governance lead (the schedule's
version goes up; both keep their history)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.retention.choices import (
    DEFAULT_SCHEDULE,
    EVENTS_FOR_KIND,
    EVENTS_WITHOUT_PERIOD,
    MAX_PERIOD_MONTHS,
    RecordKind,
    RetentionEvent,
)
from continuum.retention.models import RetentionRule, RetentionSchedule


def _save(obj: Any, *, by: User) -> None:
    obj._history_user = by
    obj.save()


@transaction.atomic
def ensure_schedule(council: Council) -> RetentionSchedule:
    """The council's schedule, made with the default rules if it has none (and any rule a
    newer release adds, at its default)."""
    schedule, _ = RetentionSchedule.objects.get_or_create(council=council)
    have = set(schedule.rules.values_list("kind", flat=True))
    for kind, (months, event) in DEFAULT_SCHEDULE.items():
        if kind not in have:
            RetentionRule.objects.create(
                schedule=schedule, kind=kind, period_months=months, event=event
            )
    return schedule


def rule_errors(*, kind: str, period_months: int | None, event: str) -> dict[str, list[str]]:
    """What is wrong with a rule, by field; empty when it may be saved."""
    errors: dict[str, list[str]] = {}
    if kind not in RecordKind.values:
        return {"kind": ["Choose a kind of record from the schedule."]}
    allowed = EVENTS_FOR_KIND[kind]
    if event not in allowed:
        labels = dict(RetentionEvent.choices)
        errors["event"] = [
            f"{RecordKind(kind).label} can only count from "
            + " or ".join(str(labels[e]) for e in allowed)
            + "."
        ]
    if period_months is None:
        errors["period_months"] = ["Enter the period in months, for example 72 for 6 years."]
    elif period_months < 0:
        errors["period_months"] = ["The period cannot be negative: enter 0 or more months."]
    elif period_months > MAX_PERIOD_MONTHS:
        errors["period_months"] = ["The period must be 1,200 months (100 years) or less."]
    elif event in EVENTS_WITHOUT_PERIOD and period_months != 0:
        errors["period_months"] = [
            "This kind has no period of its own: enter 0 (it goes with the record it sits "
            "on, or is kept)."
        ]
    return errors


@transaction.atomic
def update_rule(
    *, council: Council, kind: str, period_months: int | None, event: str, changed_by: User
) -> RetentionRule:
    """Change how long ``kind`` is kept in the council's schedule; refuses bad input with
    ``ValidationError`` by field, changing nothing."""
    errors = rule_errors(kind=kind, period_months=period_months, event=event)
    if errors:
        raise ValidationError(errors)
    assert period_months is not None
    schedule = ensure_schedule(council)
    schedule = RetentionSchedule.objects.select_for_update().get(pk=schedule.pk)
    rule = schedule.rules.get(kind=kind)
    if rule.period_months == period_months and rule.event == event:
        return rule
    now = timezone.now()
    rule.period_months = period_months
    rule.event = event
    rule.changed_at = now
    rule.changed_by = changed_by
    _save(rule, by=changed_by)
    schedule.version += 1
    schedule.updated_at = now
    _save(schedule, by=changed_by)
    return rule


def schedule_snapshot(schedule: RetentionSchedule) -> list[dict[str, object]]:
    """The rules as the certificate keeps them (kind, period, event; no records)."""
    return [
        {"kind": r.kind, "period_months": r.period_months, "event": r.event}
        for r in schedule.rules.order_by("kind")
    ]
