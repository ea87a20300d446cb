"""Recording hubs, agreements, sign-offs and placements: what is saved, and every refusal
saving nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.errors import ConcurrentChange, InvalidState, NotPermitted
from continuum.hubs import services
from continuum.hubs.models import (
    AgreementAgency,
    AgreementCouncil,
    DataSharingAgreement,
    HubPlacement,
)
from continuum.hubs.reach import reach_of
from continuum.hubs.selectors import AgreementState, state_of
from continuum.hubs.services import AgencyTerms
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _counts() -> tuple[int, ...]:
    return (
        Organisation.objects.filter(kind=OrganisationKind.HUB).count(),
        DataSharingAgreement.objects.count(),
        AgreementCouncil.objects.count(),
        AgreementAgency.objects.count(),
        HubPlacement.objects.count(),
        AgreementCouncil.objects.filter(signed_off_on__isnull=False).count(),
    )


def _terms(*councils: Council, **flags: bool) -> list[AgencyTerms]:
    everything = dict.fromkeys(services.FLAGS, True)
    return [
        AgencyTerms(organisation=factories.council_services(c), **(flags or everything))
        for c in councils
    ]


def _create(by: User, hub: Organisation, councils: list[Council], **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "by": by,
        "hub": hub,
        "reference": "MACH-2",
        "title": "MACH information sharing",
        "purpose": "Deciding contacts (UK GDPR 6(1)(e)).",
        "councils": councils,
        "agencies": _terms(*councils),
        "starts_on": TODAY() + timedelta(days=10),
        "ends_on": None,
    }
    fields.update(overrides)
    return services.create_agreement(**fields)


def _refused(call: Any, *fields: str) -> ValidationError:
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        call()
    assert set(fields) <= set(caught.value.message_dict), caught.value.message_dict
    assert _counts() == before
    return caught.value


# --- hubs and agreements -------------------------------------------------------------------


def test_a_strategic_lead_creates_a_hub_and_records_an_agreement_being_signed_off(
    strategic_lead: User, stockton: Council, hartlepool: Council
) -> None:
    hub = services.create_hub(by=strategic_lead, name="Tees MACH", councils=[stockton, hartlepool])
    assert hub.kind == OrganisationKind.HUB
    assert set(hub.serves.all()) == {stockton, hartlepool}
    agreement = _create(strategic_lead, hub, [stockton, hartlepool])
    assert agreement.parties.count() == 2 and agreement.agencies.count() == 2
    assert state_of(agreement) == AgreementState.BEING_SIGNED_OFF


def test_a_hub_needs_a_name_and_two_councils(strategic_lead: User, stockton: Council) -> None:
    _refused(
        lambda: services.create_hub(by=strategic_lead, name=" ", councils=[stockton]),
        "name",
        "councils",
    )


def test_others_may_not_create_a_hub_or_record_an_agreement(
    manager: User, middlesbrough_lead: User, mach: Organisation, stockton: Council,
    hartlepool: Council,
) -> None:  # fmt: skip
    for who in (manager, middlesbrough_lead):
        with pytest.raises(NotPermitted):
            services.create_hub(by=who, name="X hub", councils=[stockton, hartlepool])
        with pytest.raises(NotPermitted):
            _create(who, mach, [stockton, hartlepool])
    assert not DataSharingAgreement.objects.exists()


def test_an_agreement_overlapping_another_for_the_same_council_is_refused_naming_it(
    strategic_lead: User, in_force: DataSharingAgreement, stockton: Council,
    middlesbrough: Council,
) -> None:  # fmt: skip
    other = factories.hub_organisation("South Tees hub", stockton, middlesbrough)
    error = _refused(lambda: _create(strategic_lead, other, [stockton, middlesbrough]), "starts_on")
    message = error.message_dict["starts_on"][0]
    assert "Stockton-on-Tees" in message and "MACH-1" in message and "with no end" in message
    # one that starts before the other and runs into it: the end date is at fault
    in_force.ends_on = TODAY() + timedelta(days=100)
    in_force.starts_on = TODAY() + timedelta(days=50)
    in_force.save()
    error = _refused(
        lambda: _create(
            strategic_lead, other, [stockton, middlesbrough], ends_on=TODAY() + timedelta(days=60)
        ),
        "ends_on",
    )
    assert "MACH-1" in error.message_dict["ends_on"][0]


def test_an_agreement_after_another_ends_is_recorded(
    strategic_lead: User, in_force: DataSharingAgreement, mach: Organisation,
    stockton: Council, hartlepool: Council,
) -> None:  # fmt: skip
    in_force.ends_on = TODAY() + timedelta(days=9)
    in_force.save()
    assert _create(strategic_lead, mach, [stockton, hartlepool]).reference == "MACH-2"


def test_bad_terms_are_refused_each_at_its_field(
    strategic_lead: User, mach: Organisation, stockton: Council, hartlepool: Council,
    police: Organisation,
) -> None:  # fmt: skip
    partnership = factories.safeguarding_partnership()
    agencies = [
        AgencyTerms(organisation=police, sees_contacts=True, decides_contacts=True),
        AgencyTerms(organisation=partnership, sees_contacts=True),
        AgencyTerms(organisation=mach, sees_contacts=True),
    ]
    error = _refused(
        lambda: _create(
            strategic_lead,
            mach,
            [stockton, hartlepool],
            reference="",
            title="",
            purpose="",
            agencies=agencies,
            starts_on=TODAY(),
            ends_on=TODAY() - timedelta(days=1),
        ),
        "reference",
        "title",
        "purpose",
        "agencies",
        "ends_on",
    )
    agencies_message = error.message_dict["agencies"][0]
    assert "only a council's children's services decide" in agencies_message
    assert "not an agency" in agencies_message and partnership.name in agencies_message


def test_no_council_or_a_council_the_hub_does_not_serve_is_refused(
    strategic_lead: User, mach: Organisation, stockton: Council, middlesbrough: Council
) -> None:
    _refused(lambda: _create(strategic_lead, mach, []), "councils")
    error = _refused(lambda: _create(strategic_lead, mach, [stockton, middlesbrough]), "councils")
    assert "does not serve Middlesbrough" in error.message_dict["councils"][0]


def test_a_council_outside_the_agreement_may_not_decide_its_contacts(
    strategic_lead: User, mach: Organisation, stockton: Council, hartlepool: Council,
    middlesbrough: Council,
) -> None:  # fmt: skip
    agencies = _terms(stockton, hartlepool, middlesbrough)
    _refused(
        lambda: _create(strategic_lead, mach, [stockton, hartlepool], agencies=agencies),
        "agencies",
    )


def test_a_reference_is_unique(
    strategic_lead: User, in_force: DataSharingAgreement, stockton: Council, hartlepool: Council
) -> None:
    in_force.ends_on = TODAY()
    in_force.save()
    _refused(
        lambda: _create(strategic_lead, in_force.hub, [stockton, hartlepool], reference="mach-1"),
        "reference",
    )


# --- sign-off -------------------------------------------------------------------------------


def _party(agreement: DataSharingAgreement, council: Council) -> AgreementCouncil:
    return agreement.parties.get(council=council)


def test_each_council_signs_off_for_itself_then_it_is_in_force_from_its_start(
    strategic_lead: User, hartlepool_lead: User, mach: Organisation, stockton: Council,
    hartlepool: Council,
) -> None:  # fmt: skip
    agreement = _create(strategic_lead, mach, [stockton, hartlepool], starts_on=TODAY())
    with pytest.raises(NotPermitted):
        services.sign_off(
            by=strategic_lead,
            party=_party(agreement, hartlepool),
            signatory_name="A",
            signatory_role="B",
            signed_on=TODAY(),
        )
    for who, council in ((strategic_lead, stockton), (hartlepool_lead, hartlepool)):
        services.sign_off(
            by=who,
            party=_party(agreement, council),
            signatory_name="Director",
            signatory_role="Director of Children's Services",
            signed_on=TODAY(),
        )
    assert state_of(agreement) == AgreementState.IN_FORCE
    with pytest.raises(InvalidState):
        services.sign_off(
            by=strategic_lead,
            party=_party(agreement, stockton),
            signatory_name="Again",
            signatory_role="Again",
            signed_on=TODAY(),
        )


def test_a_sign_off_needs_a_name_a_role_and_a_date_not_in_the_future(
    strategic_lead: User, in_force: DataSharingAgreement, stockton: Council
) -> None:
    party = _party(in_force, stockton)
    party.signed_off_on = None
    party.save()
    _refused(
        lambda: services.sign_off(
            by=strategic_lead,
            party=party,
            signatory_name="",
            signatory_role="",
            signed_on=TODAY() + timedelta(days=1),
        ),
        "signatory_name",
        "signatory_role",
        "signed_on",
    )


# --- amending and ending ---------------------------------------------------------------------


def test_an_agreement_not_yet_in_force_is_amended_and_its_sign_offs_cleared(
    strategic_lead: User, mach: Organisation, stockton: Council, hartlepool: Council
) -> None:
    agreement = _create(strategic_lead, mach, [stockton, hartlepool])
    services.sign_off(
        by=strategic_lead,
        party=_party(agreement, stockton),
        signatory_name="D",
        signatory_role="DCS",
        signed_on=TODAY(),
    )
    services.amend_agreement(
        by=strategic_lead,
        agreement=agreement,
        version=1,
        title="New title",
        purpose="New purpose",
        starts_on=TODAY() + timedelta(days=20),
    )
    agreement.refresh_from_db()
    assert agreement.title == "New title" and agreement.version == 2
    assert not agreement.parties.filter(signed_off_on__isnull=False).exists()
    with pytest.raises(ConcurrentChange):
        services.amend_agreement(
            by=strategic_lead,
            agreement=agreement,
            version=1,
            title="Stale",
            purpose="Stale",
            starts_on=TODAY() + timedelta(days=20),
        )


def test_an_agreement_in_force_is_not_amended(
    strategic_lead: User, in_force: DataSharingAgreement
) -> None:
    with pytest.raises(InvalidState):
        services.amend_agreement(
            by=strategic_lead,
            agreement=in_force,
            version=in_force.version,
            title="X",
            purpose="Y",
            starts_on=TODAY() + timedelta(days=1),
        )


def test_ending_an_agreement_ends_access_the_day_after(
    strategic_lead: User, in_force: DataSharingAgreement, worker: User
) -> None:
    factories.HubPlacementFactory(hub=in_force.hub, user=worker)
    assert reach_of(worker).decides
    _refused(
        lambda: services.end_agreement(
            by=strategic_lead, agreement=in_force, version=1, ends_on=None, reason=""
        ),
        "ends_on",
        "reason",
    )
    _refused(
        lambda: services.end_agreement(
            by=strategic_lead,
            agreement=in_force,
            version=1,
            ends_on=in_force.starts_on - timedelta(days=1),
            reason="Replaced",
        ),
        "ends_on",
    )
    services.end_agreement(
        by=strategic_lead, agreement=in_force, version=1, ends_on=TODAY(), reason="Replaced"
    )
    assert reach_of(worker).decides
    assert not reach_of(worker, on=TODAY() + timedelta(days=1))
    in_force.refresh_from_db()
    assert in_force.ended_reason == "Replaced" and in_force.version == 2


def test_an_ended_agreement_is_not_ended_again_nor_extended(
    strategic_lead: User, in_force: DataSharingAgreement
) -> None:
    in_force.ends_on = TODAY() + timedelta(days=5)
    in_force.save()
    _refused(
        lambda: services.end_agreement(
            by=strategic_lead,
            agreement=in_force,
            version=1,
            ends_on=TODAY() + timedelta(days=6),
            reason="Later",
        ),
        "ends_on",
    )
    in_force.ends_on = TODAY() - timedelta(days=1)
    in_force.save()
    with pytest.raises(InvalidState):
        services.end_agreement(
            by=strategic_lead, agreement=in_force, version=1, ends_on=TODAY(), reason="Again"
        )


def test_only_a_party_councils_signatories_end_an_agreement(
    manager: User, middlesbrough_lead: User, in_force: DataSharingAgreement
) -> None:
    for who in (manager, middlesbrough_lead):
        with pytest.raises(NotPermitted):
            services.end_agreement(
                by=who, agreement=in_force, version=1, ends_on=TODAY(), reason="No"
            )
    in_force.refresh_from_db()
    assert in_force.ends_on is None


# --- placements ------------------------------------------------------------------------------


def test_a_manager_places_an_officer_of_an_agency_of_the_agreement(
    manager: User, make_user: Any, stockton: Council, hartlepool: Council, mach: Organisation,
    police: Organisation,
) -> None:  # fmt: skip
    factories.hub_agreement(
        stockton, hartlepool, hub=mach, agencies={police: {"sees_notifications": True}}
    )
    officer = make_user(Role.PARTNER_PRACTITIONER, organisation=police, username="pc.hub")
    placement = services.place_staff(by=manager, hub=mach, user=officer, starts_on=TODAY())
    assert reach_of(officer).notifications == {stockton.pk, hartlepool.pk}
    _refused(
        lambda: services.place_staff(by=manager, hub=mach, user=officer, starts_on=TODAY()),
        "user",
    )
    services.end_placement(by=manager, placement=placement, ends_on=TODAY())
    assert not reach_of(officer, on=TODAY() + timedelta(days=1))


def test_staff_of_an_agency_outside_the_agreement_are_not_placed(
    manager: User, teacher: User, in_force: DataSharingAgreement
) -> None:
    error = _refused(
        lambda: services.place_staff(by=manager, hub=in_force.hub, user=teacher, starts_on=TODAY()),
        "user",
    )
    assert "not an agency" in error.message_dict["user"][0]


def test_a_placement_stays_within_the_agreements_dates(
    manager: User, worker: User, in_force: DataSharingAgreement
) -> None:
    in_force.ends_on = TODAY() + timedelta(days=30)
    in_force.save()
    hub = in_force.hub
    _refused(
        lambda: services.place_staff(
            by=manager, hub=hub, user=worker, starts_on=in_force.starts_on - timedelta(days=1)
        ),
        "starts_on",
    )
    _refused(
        lambda: services.place_staff(
            by=manager,
            hub=hub,
            user=worker,
            starts_on=TODAY(),
            ends_on=TODAY() + timedelta(days=31),
        ),
        "ends_on",
    )
    _refused(
        lambda: services.place_staff(by=manager, hub=hub, user=worker, starts_on=None), "starts_on"
    )


def test_nobody_is_placed_in_a_hub_whose_agreement_has_ended_or_is_unsigned(
    manager: User, worker: User, stockton: Council, hartlepool: Council, mach: Organisation
) -> None:
    ended = factories.hub_agreement(
        stockton, hartlepool, hub=mach, ends_on=TODAY() - timedelta(days=1)
    )
    with pytest.raises(NotPermitted):
        services.place_staff(by=manager, hub=mach, user=worker, starts_on=TODAY())
    factories.hub_agreement(
        stockton, hartlepool, hub=mach, starts_on=TODAY() + timedelta(days=5), signed=False
    )
    assert ended.pk
    _refused(
        lambda: services.place_staff(
            by=manager, hub=mach, user=worker, starts_on=TODAY() + timedelta(days=5)
        ),
        "user",
    )


def test_a_placement_is_ended_once_and_not_before_it_starts(
    manager: User, worker: User, in_force: DataSharingAgreement
) -> None:
    placement: HubPlacement = factories.HubPlacementFactory(hub=in_force.hub, user=worker)  # type: ignore[assignment]
    _refused(
        lambda: services.end_placement(
            by=manager, placement=placement, ends_on=placement.starts_on - timedelta(days=1)
        ),
        "ends_on",
    )
    placement.ends_on = TODAY() - timedelta(days=1)
    placement.save()
    with pytest.raises(InvalidState):
        services.end_placement(by=manager, placement=placement, ends_on=TODAY())


def test_only_managers_and_leads_of_a_party_council_place_staff(
    worker: User, hartlepool_manager: User, middlesbrough_lead: User,
    in_force: DataSharingAgreement, make_user: Any, middlesbrough: Council,
) -> None:  # fmt: skip
    mbro_manager = make_user(Role.TEAM_MANAGER, council=middlesbrough, username="mgr.mbro")
    for who in (worker, middlesbrough_lead, mbro_manager):
        with pytest.raises(NotPermitted):
            services.place_staff(by=who, hub=in_force.hub, user=worker, starts_on=TODAY())
    assert services.place_staff(
        by=hartlepool_manager, hub=in_force.hub, user=worker, starts_on=date.today()
    )
