"""The effect of early help built into the five years' history (its own, bigger world)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from continuum.demo.generator import PRESETS, World, build
from continuum.early_help.choices import ClosureReason
from continuum.early_help.models import Closure
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactDecision

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bigger_world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Enough families for the effect of early help to show beyond chance."""
    preset = dataclasses.replace(PRESETS["small"], history_share=0.04, years=4)
    with django_db_blocker.unblock(), transaction.atomic():
        yield build(preset=preset, seed=3)
        transaction.set_rollback(True)


def back_within_a_year(
    starts: list[tuple[set[Any], date]], contacts: dict[Any, list[date]]
) -> float:
    back = sum(
        any(day < d <= day + timedelta(days=365) for child in children for d in contacts[child])
        for children, day in starts
    )
    return back / len(starts)


def test_early_help_that_met_needs_keeps_families_away_from_the_front_door(
    bigger_world: World,
) -> None:
    """Children whose early help (level 2) closed with needs met come back to the front door
    within 12 months less often than children whose level 2 contact was no further action."""
    last = bigger_world.as_of - timedelta(days=365)
    contacts: dict[Any, list[date]] = defaultdict(list)
    for person, received in Contact.objects.exclude(status=ContactStatus.DRAFT).values_list(
        "children", "received_at"
    ):
        contacts[person].append(timezone.localtime(received).date())
    met = [
        ({c.pk for c in closure.episode.children.all()}, closure.closed_on)
        for closure in Closure.objects.filter(
            reason=ClosureReason.NEEDS_MET, closed_on__lt=last, episode__level=2
        ).prefetch_related("episode__children")
    ]
    nfa = [
        ({c.pk for c in d.contact.children.all()}, timezone.localtime(d.decided_at).date())
        for d in ContactDecision.objects.filter(
            outcome=Outcome.NO_FURTHER_ACTION, level=2, decided_at__lt=timezone.make_aware(
                datetime.combine(last, time.min))
        ).prefetch_related("contact__children")
    ]  # fmt: skip
    assert len(met) >= 50 and len(nfa) >= 50, (len(met), len(nfa))
    assert back_within_a_year(met, contacts) < back_within_a_year(nfa, contacts) - 0.05
