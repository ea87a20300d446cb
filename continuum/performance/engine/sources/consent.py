"""Consent as sources: the episodes started with the family's agreement to early help
recorded, and the withdrawals of consent.

An episode counts as started with the family's agreement when a consent record of one of
its family - the episode's children, or an adult member of its household - agrees to early
help, was obtained on or before the start date plus ``catalogue.CONSENT_GRACE_DAYS`` (the
agreement is often written up at the first visit, a few days after the episode is opened),
and had not had early help withdrawn by the start date. Episodes opened on a lawful basis without
the family's agreement count in the denominator only. One grouped query, with the check as
two ``Exists`` subqueries (children; adults of the household).

A withdrawal is counted in the month it was withdrawn, in the council of the consent
record; withdrawals of early help itself are counted apart. Never split by a dimension (a
withdrawal belongs to a person, not an episode).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth

from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.early_help.models import Episode
from continuum.people.choices import PersonKind
from continuum.performance.catalogue import CONSENT_GRACE_DAYS
from continuum.performance.engine.dimensions import episode_dimensions
from continuum.performance.engine.source import Context, Flow, Source


def _agreed_by_start() -> QuerySet[ConsentRecord]:
    """Consent records agreeing to early help, obtained by the outer episode's start date
    plus the grace days, whose agreement to early help was not withdrawn by its start."""
    deadline = ExpressionWrapper(
        OuterRef("start_date") + timedelta(days=CONSENT_GRACE_DAYS), output_field=DateField()
    )
    withdrawn = ConsentWithdrawal.objects.filter(
        consent=OuterRef("pk"), early_help=True, withdrawn_on__lte=OuterRef(OuterRef("start_date"))
    )
    return ConsentRecord.objects.filter(
        agrees_to_early_help=True, obtained_on__lte=deadline
    ).filter(~Exists(withdrawn))


def family_agreed() -> Any:
    """Whether an episode (the outer row) started with its family's agreement to early
    help recorded: a condition for a conditional count."""
    by_a_child = _agreed_by_start().filter(person__early_help_episodes=OuterRef("pk"))
    by_an_adult = _agreed_by_start().filter(
        person__kind=PersonKind.ADULT,
        person__household_members__household=OuterRef("household_id"),
    )
    return Exists(by_a_child) | Exists(by_an_adult)


def _episodes_started_in_range(ctx: Context) -> QuerySet[Episode]:
    return Episode.objects.filter(council__in=ctx.council_ids).filter(ctx.in_range("start_date"))


EPISODE_CONSENT = Source(
    name="episode_consent",
    feeds=("ec_",),
    rows=_episodes_started_in_range,
    council="council_id",
    keys={"month": TruncMonth("start_date")},
    counts=lambda ctx: {
        "ec_started": Count("pk"),
        "ec_agreed": Count("pk", filter=family_agreed()),
    },
    dimensions=episode_dimensions(""),
    monthly=(Flow("month", ("ec_started", "ec_agreed")),),
)

WITHDRAWALS = Source(
    name="withdrawals",
    feeds=("cw_",),
    rows=lambda ctx: ConsentWithdrawal.objects.filter(consent__council__in=ctx.council_ids).filter(
        ctx.in_range("withdrawn_on")
    ),
    council="consent__council_id",
    keys={"month": TruncMonth("withdrawn_on")},
    counts=lambda ctx: {
        "cw_withdrawals": Count("pk"),
        "cw_early_help": Count("pk", filter=Q(early_help=True)),
    },
    dimensions={},
    monthly=(Flow("month", ("cw_withdrawals", "cw_early_help")),),
)
