"""The demo's joint front doors and early help spending (issue 15): the two hubs and their
agreements, the staff placed in them, and five years of each council's spending returns in
its own headings, mapped onto the common classification.

Built from the steps they need (organisations, users, the hubs and spending steps), not the
whole world, so these tests stay quick; ``tests/world`` checks the whole world has them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum

from continuum.demo.generator import PRESETS, World, load_steps
from continuum.demo.generator.steps.spending import financial_years
from continuum.hubs.models import AgreementCouncil, DataSharingAgreement, HubPlacement
from continuum.hubs.reach import hub_of, reach_of
from continuum.organisations.models import Council
from continuum.spending.choices import ReturnStatus
from continuum.spending.models import (
    CategoryMapping,
    CouncilCategory,
    SpendAmount,
    SpendingReturn,
    StaffLine,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 1)
BEFORE = ("organisations.organisations", "users.demo_sign_ins", "users.council_staff")
OURS = ("hubs.hubs", "spending.spending")
MACH = "Hartlepool and Stockton MACH"
SOUTH_TEES = "South Tees Multi-Agency Children's Hub"


def build_part(
    seed: int = 1, *, councils: tuple[str, ...] | None = None, police: bool = True
) -> World:
    """The steps the hubs and spending need, then theirs; ``councils`` keeps only those
    councils (by key) and ``police=False`` drops the force, as a tiny world would."""
    steps = {s.name: s for s in load_steps()}
    world = World(preset=PRESETS["small"], seed=seed, as_of=AS_OF)
    for name in BEFORE:
        world.begin_step(name)
        steps[name].run(world)
    if councils is not None:
        world.councils = {k: c for k, c in world.councils.items() if k in councils}
    if not police:
        world.organisations.pop("police")
    for name in OURS:
        world.begin_step(name)
        steps[name].run(world)
    return world


def council(name: str) -> Council:
    return Council.objects.get(name=name)


class TestTheSmallWorldsHubsAndSpending:
    """Read tests on one build (rolled back after the class), so the determinism and
    tiny-world tests below build into an empty database."""

    @pytest.fixture(scope="class")
    @classmethod
    def world(cls, django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
        with django_db_blocker.unblock(), transaction.atomic():
            yield build_part()
            transaction.set_rollback(True)

    # --- hubs --------------------------------------------------------------------------------

    def test_the_mach_serves_hartlepool_and_stockton_from_the_start_of_the_history(
        self, world: World
    ) -> None:
        agreement = DataSharingAgreement.objects.get(hub__name=MACH)
        assert agreement.hub.kind == "hub"
        assert agreement.starts_on == date(AS_OF.year - world.preset.years, AS_OF.month, 1)
        assert agreement.ends_on is None
        parties = agreement.parties.order_by("council__name")
        assert [p.council.name for p in parties] == ["Hartlepool", "Stockton-on-Tees"]
        for party in parties:
            assert party.signed_off_by_name
            assert party.signed_off_by_role == "Director of Children's Services"
            assert party.signed_off_on is not None and party.signed_off_on <= agreement.starts_on
        assert hub_of(council("Stockton-on-Tees").pk, agreement.starts_on) == agreement
        assert hub_of(council("Hartlepool").pk, AS_OF) == agreement

    def test_south_tees_joins_part_way_so_there_is_a_before_and_after(self, world: World) -> None:
        agreement = DataSharingAgreement.objects.get(hub__name=SOUTH_TEES)
        first = date(AS_OF.year - world.preset.years, AS_OF.month, 1)
        assert first < agreement.starts_on < AS_OF
        assert agreement.starts_on.day == 1
        assert sorted(agreement.parties.values_list("council__name", flat=True)) == [
            "Middlesbrough",
            "Redcar and Cleveland",
        ]
        for name in ("Middlesbrough", "Redcar and Cleveland"):
            assert hub_of(council(name).pk, first) is None
            assert hub_of(council(name).pk, AS_OF) == agreement

    def test_the_agencies_see_what_the_agreement_lets_them(self, world: World) -> None:
        agreement = DataSharingAgreement.objects.get(hub__name=MACH)
        flags = {
            a.organisation.name: (
                a.sees_contacts, a.sees_notifications, a.sees_triage, a.sees_childrens_records,
                a.decides_contacts,
            )
            for a in agreement.agencies.select_related("organisation")
        }  # fmt: skip
        assert flags == {
            "Hartlepool Children's Services": (True, True, True, True, True),
            "Stockton-on-Tees Children's Services": (True, True, True, True, True),
            "Cleveland Police": (True, True, True, False, False),
            "North Tees and Hartlepool NHS Foundation Trust": (True, False, False, True, False),
        }

    def test_the_hub_sign_ins_are_placed_in_the_mach_and_reach_both_councils(
        self, world: World
    ) -> None:
        both = {council("Hartlepool").pk, council("Stockton-on-Tees").pk}
        for username in ("hub.worker", "hub.manager", "hub.police", "hub.health"):
            user = world.users[username]
            assert HubPlacement.objects.filter(user=user, hub__name=MACH).exists(), username
            assert reach_of(user, AS_OF).contacts == both, username
        assert reach_of(world.users["hub.worker"], AS_OF).decides == both
        assert reach_of(world.users["hub.manager"], AS_OF).decides == both
        assert not reach_of(world.users["hub.police"], AS_OF).decides
        assert not reach_of(world.users["hub.health"], AS_OF).decides
        assert reach_of(world.users["hub.police"], AS_OF).notifications == both
        assert not reach_of(world.users["hub.police"], AS_OF).childrens_records
        assert reach_of(world.users["hub.health"], AS_OF).childrens_records == both
        # The councils' own sign-ins are not placed: they keep to their own council.
        assert not HubPlacement.objects.filter(
            user__username__in=["frontdoor.stockton", "manager.hartlepool", "police.cleveland"]
        ).exists()

    def test_only_staff_of_an_agency_in_the_agreement_are_placed(self, world: World) -> None:
        for placement in HubPlacement.objects.select_related("user", "hub"):
            agreement = DataSharingAgreement.objects.get(hub=placement.hub)
            assert agreement.agencies.filter(organisation=placement.user.organisation_id).exists()
        south = HubPlacement.objects.filter(hub__name=SOUTH_TEES)
        assert set(south.values_list("user__organisation__council__name", flat=True)) == {
            "Middlesbrough",
            "Redcar and Cleveland",
        }

    def test_no_council_is_party_to_two_agreements_at_once(self, world: World) -> None:
        parties = list(AgreementCouncil.objects.select_related("agreement"))
        for a in parties:
            for b in parties:
                if a.pk < b.pk and a.council_id == b.council_id:
                    first, second = sorted((a.agreement, b.agreement), key=lambda x: x.starts_on)
                    assert first.ends_on is not None and first.ends_on < second.starts_on

    # --- spending ----------------------------------------------------------------------------

    def test_five_years_of_returns_per_council_but_redcars_earliest(self, world: World) -> None:
        years = financial_years(AS_OF)
        assert years == [2021, 2022, 2023, 2024, 2025]
        by_council = {
            name: sorted(
                SpendingReturn.objects.filter(council__name=name).values_list(
                    "financial_year", flat=True
                )
            )
            for name in ("Hartlepool", "Middlesbrough", "Stockton-on-Tees", "Redcar and Cleveland")
        }
        assert by_council["Stockton-on-Tees"] == years
        assert by_council["Hartlepool"] == years
        assert by_council["Middlesbrough"] == years
        assert by_council["Redcar and Cleveland"] == years[1:]  # a missing year

    def test_returns_are_signed_off_by_a_strategic_lead_but_hartlepools_latest(
        self, world: World
    ) -> None:
        submitted = SpendingReturn.objects.exclude(status=ReturnStatus.SIGNED_OFF)
        assert [(r.council.name, r.financial_year, r.status) for r in submitted] == [
            ("Hartlepool", 2025, ReturnStatus.SUBMITTED)
        ]
        for r in SpendingReturn.objects.filter(status=ReturnStatus.SIGNED_OFF):
            assert r.signed_off_by is not None and r.submitted_by is not None
            assert r.signed_off_by.role == "strategic_lead"
            assert r.signed_off_by_id != r.submitted_by_id
            assert r.signed_off_by.council == r.council
            assert r.submitted_at is not None and r.signed_off_at is not None
            assert r.submitted_at <= r.signed_off_at <= world.moment(AS_OF)

    def test_each_councils_headings_map_onto_the_classification_adding_to_100(
        self, world: World
    ) -> None:
        for heading in CouncilCategory.objects.all():
            shares = heading.mappings.aggregate(total=Sum("share"))["total"]
            assert shares == Decimal(100), heading
        stockton = CategoryMapping.objects.filter(
            council_category__council__name="Stockton-on-Tees"
        )
        assert stockton.count() == 9
        assert set(stockton.values_list("share", flat=True)) == {Decimal(100)}
        hartlepool = CategoryMapping.objects.filter(
            council_category__council__name="Hartlepool", share__lt=100
        )
        assert sorted(hartlepool.values_list("category__code", "share")) == [
            ("family_support", Decimal(70)),
            ("parenting", Decimal(30)),
        ]
        assert not CategoryMapping.objects.filter(
            council_category__council__name="Middlesbrough", category__code="domestic_abuse"
        ).exists()
        redcar = CategoryMapping.objects.filter(
            council_category__council__name="Redcar and Cleveland"
        )
        assert redcar.filter(category__code="youth").count() == 2
        assert redcar.filter(category__isnull=True, share__lt=100).exists()

    def test_amounts_are_by_funding_source_with_staff_and_grow_year_on_year(
        self, world: World
    ) -> None:
        sources = set(SpendAmount.objects.values_list("funding_source", flat=True))
        assert sources == {
            "council",
            "supporting_families",
            "health",
            "police",
            "voluntary_in_kind",
        }
        assert not SpendAmount.objects.filter(amount__lt=0).exists()
        for name in ("Stockton-on-Tees", "Middlesbrough"):
            totals = [
                r.amounts.aggregate(total=Sum("amount"))["total"]
                for r in SpendingReturn.objects.filter(council__name=name).order_by(
                    "financial_year"
                )
            ]
            assert totals[-1] > totals[0]
        assert StaffLine.objects.filter(role="key_worker", fte__gt=0).count() == (
            SpendingReturn.objects.count()
        )

    def test_full_scale_totals_are_a_few_million_a_year(self, world: World) -> None:
        """The small preset spends its share of the councils' children (as its history is):
        scaled back up, each council spends a few £ million a year."""
        share = world.preset.history_share
        for r in SpendingReturn.objects.select_related("council"):
            total = r.amounts.aggregate(total=Sum("amount"))["total"]
            assert 2_000_000 < float(total) / share < 10_000_000, (r.council.name, total)

    # --- running again

    def test_running_the_steps_again_adds_nothing(self, world: World) -> None:
        before = fingerprint()
        counts = (CouncilCategory.objects.count(), CategoryMapping.objects.count())
        steps = {s.name: s for s in load_steps()}
        with transaction.atomic():
            for name in OURS:
                world.begin_step(name)
                steps[name].run(world)
            assert fingerprint() == before
            assert (CouncilCategory.objects.count(), CategoryMapping.objects.count()) == counts
            transaction.set_rollback(True)


# --- determinism and tiny worlds ---------------------------------------------------------


def fingerprint() -> str:
    rows = [
        *DataSharingAgreement.objects.order_by("reference").values_list(
            "reference", "starts_on", "ends_on"
        ),
        *AgreementCouncil.objects.order_by("agreement__reference", "council__name").values_list(
            "council__name", "signed_off_by_name", "signed_off_on"
        ),
        *HubPlacement.objects.order_by("hub__name", "user__username").values_list(
            "hub__name", "user__username", "starts_on"
        ),
        *SpendingReturn.objects.order_by("council__name", "financial_year").values_list(
            "council__name", "financial_year", "status", "submitted_at", "signed_off_at"
        ),
        *SpendAmount.objects.order_by(
            "spending_return__council__name", "spending_return__financial_year",
            "council_category__code", "funding_source",
        ).values_list(
            "spending_return__council__name", "spending_return__financial_year",
            "council_category__code", "funding_source", "amount",
        ),
        *StaffLine.objects.order_by(
            "spending_return__council__name", "spending_return__financial_year", "role"
        ).values_list("spending_return__financial_year", "role", "fte"),
    ]  # fmt: skip
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def built(seed: int) -> str:
    with transaction.atomic():
        build_part(seed)
        made = fingerprint()
        transaction.set_rollback(True)
    return made


def test_the_same_seed_gives_the_same_hubs_and_spending() -> None:
    assert built(1) == built(1)
    assert built(1) != built(2)


def test_a_tiny_world_without_police_or_some_councils_makes_what_it_can() -> None:
    with transaction.atomic():
        world = build_part(3, councils=("stockton", "middlesbrough"), police=False)
        mach = DataSharingAgreement.objects.get(hub__name=MACH)
        assert list(mach.parties.values_list("council__name", flat=True)) == ["Stockton-on-Tees"]
        assert not mach.agencies.filter(organisation__name="Cleveland Police").exists()
        # hub.police's force is not in the agreement, nor is Hartlepool: neither is placed.
        placed = set(HubPlacement.objects.values_list("user__username", flat=True))
        assert "hub.police" not in placed and "hub.manager" not in placed
        assert "hub.worker" in placed
        assert set(SpendingReturn.objects.values_list("council__name", flat=True)) == {
            "Stockton-on-Tees",
            "Middlesbrough",
        }
        assert world.notes["spending.spending"]
        transaction.set_rollback(True)
