"""Hartlepool's local variation on the shared threshold framework: one changed indicator
and one added locally, recorded through ``thresholds.services.record_local_change`` so the
demo shows a difference the way a council would record one. The wording is invented."""

from __future__ import annotations

from datetime import timedelta

from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.thresholds import selectors
from continuum.thresholds.models import ChangeKind, Domain, Level
from continuum.thresholds.services import record_local_change

CHANGED_CODE = "DEV-2-01"  # attendance between 90% and 95%
ADDED_CODE = "HPL-FAM-01"


@step(order=600)
def hartlepool_threshold_variation(world: World) -> None:
    version = selectors.current_version()
    hartlepool = world.councils["hartlepool"]
    if version is None or selectors.variation_of(council=hartlepool, version=version):
        return
    agreed_on = world.as_of - timedelta(days=200)
    indicator = selectors.indicator_by_code(version=version, code=CHANGED_CODE) or (
        selectors.indicators_of(version=version, level=Level.EARLY_HELP_SINGLE_AGENCY).first()
    )
    if indicator is not None:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.CHANGE,
            indicator=indicator,
            guidance=(
                f"{indicator.guidance} In Hartlepool the school also tells the family's "
                "health visitor or school nurse, and reviews after four school weeks rather "
                "than half a term."
            ),
            reason="Hartlepool's attendance pilot found that an earlier review stops more "
            "absence becoming persistent.",
            agreed_on=agreed_on,
        )
    domain = (
        Domain.objects.filter(code="family-environment").first()
        or Domain.objects.order_by("-order").first()
    )
    if domain is not None:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.ADD,
            domain=domain,
            code=ADDED_CODE,
            title="A young carer giving regular care at home",
            level=Level.EARLY_HELP_SINGLE_AGENCY,
            guidance=(
                "The child regularly looks after a parent, brother or sister because of "
                "illness, disability or substance misuse. Offer a young carer's assessment "
                "and a referral to the young carers' service; think about a Team Around the "
                "Family if caring affects school or friendships."
            ),
            reason="Hartlepool's young carers' strategy asks every partner to identify "
            "young carers early.",
            agreed_on=agreed_on,
        )
