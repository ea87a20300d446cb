"""Mapping a council's headings: whole, split by shares adding to 100, or outside early help
with a note; the differences as the classification page shows them; a new version copies
mappings where the category codes remain; bad input saves nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from continuum.accounts.models import User
from continuum.errors import NotPermitted
from continuum.organisations.models import Council
from continuum.spending.models import CategoryMapping, Classification, CouncilCategory
from continuum.spending.services import classification as services
from continuum.spending.tests.conftest import no_change

pytestmark = pytest.mark.django_db
snapshot = no_change(CouncilCategory, CategoryMapping, Classification)


def test_a_heading_is_split_across_categories_with_a_note(analyst: User, stockton: Council) -> None:
    heading = services.add_council_heading(
        by=analyst, council=stockton, code="EH10", name="Early help locality teams"
    )
    services.map_heading(
        by=analyst,
        heading=heading,
        shares=[("family_support", "70"), ("parenting", "30")],
        note="Parenting workers sit in the locality teams.",
    )
    found = services.differences(services.current_classification(), stockton)
    assert [(d.heading.code, d.kind) for d in found] == [("EH10", "split")]
    # Mapped again: the earlier rows are kept in the history.
    services.map_heading(by=analyst, heading=heading, shares=[("family_support", 100)])
    assert heading.mappings.count() == 1
    assert CategoryMapping.history.filter(history_type="-").count() == 2


@pytest.mark.parametrize(
    ("shares", "note", "field"),
    [
        ([("family_support", "60"), ("parenting", "30")], "a note", "shares"),
        ([("astrology", "100")], "", "category"),
        ([("family_support", "-10"), ("youth", "110")], "n", "shares"),
        ([("family_support", "abc")], "", "shares"),
        ([(None, "100")], "", "note"),
        ([], "", "category"),
    ],
)
def test_bad_mappings_are_refused_and_nothing_saved(
    analyst: User, stockton: Council, shares: list, note: str, field: str
) -> None:
    heading = CouncilCategory.objects.create(council=stockton, code="X1", name="X")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.map_heading(by=analyst, heading=heading, shares=shares, note=note)
    assert field in refused.value.message_dict
    assert snapshot() == before


def test_merged_and_outside_are_shown_as_differences(analyst: User, stockton: Council) -> None:
    a = services.add_council_heading(by=analyst, council=stockton, code="A", name="Hub north")
    b = services.add_council_heading(by=analyst, council=stockton, code="B", name="Hub south")
    c = services.add_council_heading(by=analyst, council=stockton, code="C", name="Libraries")
    services.map_heading(by=analyst, heading=a, shares=[("family_hubs", 100)])
    services.map_heading(by=analyst, heading=b, shares=[("family_hubs", 100)])
    services.map_heading(by=analyst, heading=c, shares=[(None, 100)], note="Not early help.")
    kinds = {
        d.heading.code: d.kind
        for d in services.differences(services.current_classification(), stockton)
    }
    assert kinds == {"A": "merged", "B": "merged", "C": "outside"}


def test_only_the_councils_analysts_and_leads_map_its_headings(
    manager: User, hartlepool_manager: User, stockton: Council
) -> None:
    with pytest.raises(NotPermitted):
        services.add_council_heading(by=manager, council=stockton, code="Z", name="Z")
    assert not CouncilCategory.objects.exists()


def test_a_new_version_copies_mappings_where_the_codes_remain(
    analyst: User, partnership_lead: User, stockton: Council
) -> None:
    kept = services.add_council_heading(by=analyst, council=stockton, code="K", name="Kept")
    gone = services.add_council_heading(by=analyst, council=stockton, code="G", name="Gone")
    services.map_heading(by=analyst, heading=kept, shares=[("youth", 100)])
    services.map_heading(by=analyst, heading=gone, shares=[("voluntary_grants", 100)])
    old = services.current_classification()
    new = services.publish_classification(
        by=partnership_lead,
        note="Voluntary-sector grants counted under the service they pay for.",
        remove=["voluntary_grants"],
        rename={"youth": "Youth work"},
    )
    assert new.version == old.version + 1 and new.is_current
    old.refresh_from_db()
    assert not old.is_current and old.categories.filter(code="voluntary_grants").exists()
    kinds = {d.heading.code: d.kind for d in services.differences(new, stockton)}
    assert kinds == {"G": "unmapped", "K": "same"}
    assert new.categories.get(code="youth").name == "Youth work"
    with pytest.raises(NotPermitted):
        services.publish_classification(by=analyst, note="x", remove=["youth"])
    before = snapshot()
    with pytest.raises(ValidationError):
        services.publish_classification(by=partnership_lead, note="", remove=["nothing"])
    assert snapshot() == before
