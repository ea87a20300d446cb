"""Ofsted's Annex A over the demo world: for each council and the year before the demo's
date, every list holds only that council's children, each named by its LA child ID (the
generator gives every child in its census one) or the pseudonymous id, with the headings
in order and the census details the generator writes (strategy discussions, conferences
linked to their enquiry, plan reviews) reaching their columns."""

from __future__ import annotations

import re

import pytest

from continuum.demo.generator import World
from continuum.returns.annex_a import HEADINGS, build_annex_a
from continuum.statutory.models import CensusChild
from continuum.timescales.months import add_months

pytestmark = pytest.mark.django_db

PSEUDONYMOUS = re.compile(r"CN[0-9A-F]{10}")


def test_annex_a_of_each_council_names_only_its_own_children(demo_world: World) -> None:
    last = demo_world.as_of
    first = add_months(last, -12)
    totals: dict[int, int] = dict.fromkeys(HEADINGS, 0)
    strategy_discussions = conferences = reviews = 0
    for council in demo_world.councils.values():
        annex = build_annex_a(council=council, first=first, last=last)
        ids = dict(
            CensusChild.objects.filter(council=council).values_list("la_child_id", "person_id")
        )
        others = set(
            CensusChild.objects.exclude(council=council).values_list("la_child_id", flat=True)
        )
        for annex_list in annex.lists:
            assert annex_list.headings == HEADINGS[annex_list.number]
            totals[annex_list.number] += len(annex_list.rows)
            for row, person_id in zip(annex_list.rows, annex_list.person_ids, strict=True):
                child_id = row[0]
                assert isinstance(child_id, str)
                if child_id in ids:
                    assert ids[child_id] == person_id
                else:
                    assert PSEUDONYMOUS.fullmatch(child_id), child_id
                    assert child_id not in others
                assert row[1] in ("M", "F", "U")
        strategy_discussions += sum(1 for row in annex.lists[4].rows if row[6] is not None)
        conferences += sum(1 for row in annex.lists[4].rows if row[8] is not None)
        reviews += sum(1 for row in annex.lists[6].rows if row[11] is not None)
    assert all(totals.values()), totals
    assert strategy_discussions and conferences and reviews
