"""Five years of history: every month has activity, statutory records hang together, the
child population estimates exist, early help makes the difference built into it, and
--scale repeats the councils."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from continuum.demo.generator import World
from continuum.demo.generator.steps.five_years.builder import months_between
from continuum.early_help.models import Closure
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council
from continuum.performance.models import ChildPopulation
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement

pytestmark = pytest.mark.django_db


def test_every_council_has_contacts_in_every_month_of_its_years(demo_world: World) -> None:
    first = date(demo_world.as_of.year - demo_world.preset.years, demo_world.as_of.month, 1)
    months = months_between(first, demo_world.as_of)
    assert len(months) == 12 * demo_world.preset.years
    seen: set[tuple[int, int, int]] = set()
    for council_id, received in Contact.objects.exclude(status=ContactStatus.DRAFT).values_list(
        "council", "received_at"
    ):
        day = timezone.localtime(received).date()
        seen.add((council_id, day.year, day.month))
    for council in Council.objects.all():
        missing = [m for m, _ in months if (council.pk, m.year, m.month) not in seen]
        assert not missing, (council.name, missing)
    # Decisions, early help and referrals run through the years too.
    assert ContactDecision.objects.filter(decided_at__lt=timezone.make_aware(
        datetime(first.year + 1, first.month, 1))).exists()  # fmt: skip
    referrals = StatutoryInvolvement.objects.filter(kind=InvolvementKind.REFERRAL)
    assert referrals.filter(start_date__lt=first + timedelta(days=180)).exists()
    assert Closure.objects.filter(closed_on__lt=first + timedelta(days=365)).exists()


def test_statutory_records_hang_together(demo_world: World) -> None:
    records = list(StatutoryInvolvement.objects.select_related("referral"))
    assert records
    kinds = {r.kind for r in records}
    assert kinds == set(InvolvementKind.values), kinds
    by_referral: dict[Any, list[StatutoryInvolvement]] = defaultdict(list)
    for r in records:
        assert r.end_date is None or r.end_date >= r.start_date
        assert r.start_date < demo_world.as_of
        assert r.source == "census"
        if r.kind == InvolvementKind.REFERRAL:
            assert r.referral_id is None
            assert bool(r.closure_reason) == (r.end_date is not None)
            continue
        parent = r.referral
        assert parent is not None and parent.person_id == r.person_id
        assert parent.council_id == r.council_id
        assert r.start_date >= parent.start_date
        if parent.end_date is not None:  # a part of a closed referral ends within it
            assert r.end_date is not None and r.end_date <= parent.end_date
        # Factors are identified when an assessment is authorised (its end).
        assert bool(r.factors) == (r.kind == InvolvementKind.ASSESSMENT and r.end_date is not None)
        assert bool(r.abuse_category) == (r.kind == InvolvementKind.CHILD_PROTECTION_PLAN)
        by_referral[r.referral_id].append(r)
    for parts in by_referral.values():
        conferences = [p.start_date for p in parts if p.kind == InvolvementKind.INITIAL_CONFERENCE]
        for plan in (p for p in parts if p.kind == InvolvementKind.CHILD_PROTECTION_PLAN):
            assert conferences and min(conferences) <= plan.start_date
    # A referral from a contact began with the front door's decision for social care.
    from_contacts = StatutoryInvolvement.objects.filter(
        kind=InvolvementKind.REFERRAL, contact__isnull=False
    ).select_related("contact__decision")
    assert from_contacts.exists()
    for r in from_contacts:
        decision = r.contact.decision  # type: ignore[union-attr]
        assert decision.outcome in (Outcome.SOCIAL_CARE_ASSESSMENT, Outcome.STRATEGY_DISCUSSION)
        assert r.start_date == timezone.localtime(r.contact.decided_at).date()  # type: ignore[union-attr]
        assert r.contact.children.filter(pk=r.person_id).exists()  # type: ignore[union-attr]
    # The detailed month's referrals have their records too.
    referral = (Outcome.SOCIAL_CARE_ASSESSMENT, Outcome.STRATEGY_DISCUSSION)
    referred = [
        c
        for c in demo_world.contacts
        if c.decision is not None and c.contact.decided_at and c.decision.outcome in referral
    ]
    assert referred
    for c in referred:
        assert StatutoryInvolvement.objects.filter(contact=c.contact).exists()


def test_child_population_estimates_for_every_council_and_year(demo_world: World) -> None:
    for council in Council.objects.all():
        rows = ChildPopulation.objects.filter(council=council)
        years = set(rows.values_list("mid_year", flat=True))
        assert (
            set(range(demo_world.as_of.year - demo_world.preset.years, demo_world.as_of.year + 1))
            <= years
        )
        latest = sum(rows.filter(mid_year=demo_world.as_of.year).values_list("children", flat=True))
        share = demo_world.preset.history_share
        assert (
            abs(latest - council.child_population * share)
            <= 0.05 * council.child_population * share
        )
        assert all(
            "ONS" in s and "synthetic" in s.lower() for s in rows.values_list("source", flat=True)
        )
