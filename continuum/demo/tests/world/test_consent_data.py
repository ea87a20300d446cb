"""The demo's consent: every open episode's family has agreed to early help (once, never
twice over), given by a parent for a young child or by a teenager judged competent; dated
on or before the start, with a date to check it again (some overdue); a few withdrawals;
and, over the five years' history, figures the consent indicators can show."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Q

from continuum.consent.choices import GivenBy, InformationKind
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.consent.selectors import agreement_for
from continuum.demo.generator import World
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.performance import engine
from continuum.performance.catalogue import CONSENT_GRACE_DAYS
from continuum.performance.periods import PeriodKind, last_complete_month
from continuum.timescales.months import add_months

pytestmark = pytest.mark.django_db


def _family(episode: Episode) -> list[Person]:
    adults = Person.objects.filter(
        household_members__household=episode.household_id, kind=PersonKind.ADULT
    )
    return [*episode.children.all(), *adults]


def _open_episodes(world: World) -> list[Episode]:
    return list(
        Episode.objects.filter(end_date__isnull=True)
        .exclude(status=EpisodeStatus.CLOSED)
        .exclude(pk__in=list(world.history_ids))
        .prefetch_related("children")
    )


def test_every_open_episodes_family_agreed_to_early_help(demo_world: World) -> None:
    episodes = _open_episodes(demo_world)
    assert episodes
    for episode in episodes:
        family = _family(episode)
        records = ConsentRecord.objects.filter(person__in=family, agrees_to_early_help=True)
        assert records.exists(), episode
        first = min(r.obtained_on for r in records)
        assert first <= episode.start_date + timedelta(days=CONSENT_GRACE_DAYS), episode
        # Never recorded twice over for a child.
        per_child = Counter(r.person_id for r in records if r.person in episode.children.all())
        assert all(n == 1 for n in per_child.values()), episode


def test_who_gave_it_fits_the_childs_age(demo_world: World) -> None:
    # The adults at home agree for themselves when the episode is opened (the early help
    # step); a child's own record is given by a parent or carer, or by a young person judged
    # competent.
    family = [p for e in _open_episodes(demo_world) for p in _family(e)]
    records = list(
        ConsentRecord.objects.filter(person__in=family).select_related("person", "given_by_person")
    )
    assert records
    for record in records:
        age = record.person.age_on(record.obtained_on)
        assert age is not None
        if record.given_by == GivenBy.SELF and record.person.kind == PersonKind.CHILD:
            assert age >= 13, record
            assert record.person.given_name in record.competence_judgement
        elif record.given_by == GivenBy.SELF:
            assert record.person.kind == PersonKind.ADULT, record
        else:
            assert record.given_by_person is not None
            assert record.given_by_person.kind == PersonKind.ADULT
        if record.review_on is not None:
            assert 180 <= (record.review_on - record.obtained_on).days <= 365
        assert set(record.information_kinds) <= set(InformationKind.values)
        assert InformationKind.FAMILY in record.information_kinds
        assert record.shares_with_taf or record.agencies.exists()
    assert any(r.review_on is not None and r.review_on < demo_world.as_of for r in records)


def test_a_few_withdrawals(demo_world: World) -> None:
    family = [p for e in _open_episodes(demo_world) for p in _family(e)]
    present = ConsentWithdrawal.objects.filter(consent__person__in=family)
    of_an_agency = [w for w in present if w.agencies.exists()]
    assert len({w.consent.council_id for w in of_an_agency}) > 1  # in each council
    early_help = [w for w in present if w.early_help]
    assert len(early_help) == 1
    withdrawn = early_help[0]
    assert withdrawn.consent.obtained_on <= withdrawn.withdrawn_on <= demo_world.as_of
    episode = (
        Episode.objects.filter(
            Q(children=withdrawn.consent.person)
            | Q(household__members__person=withdrawn.consent.person)
        )
        .exclude(pk__in=list(demo_world.history_ids))
        .distinct()
        .latest("start_date")
    )
    assert not agreement_for(_family(episode)).early_help
    for w in of_an_agency:
        agency = w.agencies.get()
        assert not agreement_for([w.consent.person]).shares_with(agency.pk)


def test_the_history_gives_the_indicators_believable_figures(demo_world: World) -> None:
    last = last_complete_month(demo_world.as_of)
    result = engine.compute(
        councils=list(demo_world.councils.values()),
        period_kind=PeriodKind.ROLLING_12_MONTHS,
        first=add_months(last, -12),
        last=last,
        indicators=["eh_consent_agreed_pct", "eh_consent_withdrawals"],
        combined=True,
        as_of=demo_world.as_of,
    )
    agreed = result.series("eh_consent_agreed_pct", None)
    withdrawals = result.series("eh_consent_withdrawals", None)
    assert len(agreed) == len(withdrawals) == 13
    for share, withdrawn in zip(agreed, withdrawals, strict=True):
        # Most families agreed by the start; a few on a lawful basis or recorded late.
        assert share.value is not None and 75 <= share.value < 100, share
        # Some withdrawals every year, far fewer than the episodes started.
        assert share.denominator is not None and withdrawn.value is not None
        assert 0 < withdrawn.value < share.denominator / 5, withdrawn
