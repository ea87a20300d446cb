"""/api/v1/hubs, /api/v1/data-sharing-agreements, /api/v1/hub-placements.

The hubs a user sees and their agreements (each with its state worked out from its dates
and sign-offs), recording a hub, an agreement, a change to one not yet in force (409 once
in force or ended, or for a stale version), a council's sign-off and an agreement's end, and
placing staff in a hub and ending a placement. Bad input is 422 naming its field; a record
the user may not see is 404; one they see but may not change, 403; a record in the wrong
state (signed off already, ended), 409. Nothing here names a child: no access-log row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.hubs import selectors, services
from continuum.hubs.models import (
    AgreementAgency,
    AgreementCouncil,
    DataSharingAgreement,
    HubPlacement,
)
from continuum.hubs.policies import hubs_visible_to
from continuum.organisations.models import Council, Organisation
from continuum.ui.api import MAX_INTEGER, invalid_field, limit_offset, paginated

router = Router(tags=["hubs"])
Pages = limit_offset("HubPages", default=50, maximum=200)


class HubOut(Schema):
    id: int
    name: str
    councils: list[int]

    @staticmethod
    def resolve_councils(hub: Organisation) -> list[int]:
        return sorted(c.pk for c in hub.serves.all())


class HubPartyOut(Schema):
    council: int
    signed_off_by_name: str
    signed_off_by_role: str
    signed_off_on: date | None

    @staticmethod
    def resolve_council(party: AgreementCouncil) -> int:
        return party.council_id


class HubAgencyIn(Schema):
    organisation: int
    sees_contacts: bool = False
    sees_notifications: bool = False
    sees_triage: bool = False
    sees_childrens_records: bool = False
    decides_contacts: bool = False


class HubAgencyOut(Schema):
    organisation: int
    sees_contacts: bool
    sees_notifications: bool
    sees_triage: bool
    sees_childrens_records: bool
    decides_contacts: bool

    @staticmethod
    def resolve_organisation(agency: AgreementAgency) -> int:
        return agency.organisation_id


class HubAgreementOut(Schema):
    id: int
    hub: int
    reference: str
    title: str
    purpose: str
    starts_on: date
    ends_on: date | None
    ended_reason: str
    state: str
    version: int
    parties: list[HubPartyOut]
    agencies: list[HubAgencyOut]

    @staticmethod
    def resolve_hub(agreement: DataSharingAgreement) -> int:
        return agreement.hub_id

    @staticmethod
    def resolve_state(agreement: DataSharingAgreement) -> str:
        return str(selectors.state_of(agreement))

    @staticmethod
    def resolve_parties(agreement: DataSharingAgreement) -> list[AgreementCouncil]:
        return list(agreement.parties.all())

    @staticmethod
    def resolve_agencies(agreement: DataSharingAgreement) -> list[AgreementAgency]:
        return list(agreement.agencies.all())


class HubAgreementIn(Schema):
    hub: int
    reference: str = ""
    title: str = ""
    purpose: str = ""
    councils: list[int] = []
    agencies: list[HubAgencyIn] = []
    starts_on: date | None = None
    ends_on: date | None = None


class HubNewIn(Schema):
    name: str = ""
    councils: list[int] = []


class HubAgreementAmendIn(Schema):
    version: int
    title: str = ""
    purpose: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    # Left out: the agencies stay as they are; given (even empty): they replace them.
    agencies: list[HubAgencyIn] | None = None


class HubSignOffIn(Schema):
    council: int
    signatory_name: str = ""
    signatory_role: str = ""
    signed_on: date | None = None


class HubEndIn(Schema):
    version: int
    ends_on: date | None = None
    reason: str = ""


class HubPlacementOut(Schema):
    id: int
    hub: int
    user: int
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_hub(placement: HubPlacement) -> int:
        return placement.hub_id

    @staticmethod
    def resolve_user(placement: HubPlacement) -> int:
        return placement.user_id


class HubPlacementIn(Schema):
    hub: int
    user: int
    starts_on: date | None = None
    ends_on: date | None = None


class HubPlacementEndIn(Schema):
    ends_on: date | None = None


def _hub(user: User, hub_id: int, *, field: str | None = None) -> Organisation:
    in_range = 1 <= hub_id <= MAX_INTEGER
    hub = hubs_visible_to(user).filter(pk=hub_id).first() if in_range else None
    if hub is None:
        if field:
            raise invalid_field(field, "No such hub")
        raise Http404
    return hub


def _councils(ids: list[int]) -> list[Council]:
    if any(not 1 <= pk <= MAX_INTEGER for pk in ids):
        raise invalid_field("councils", "No such council")
    found = Council.objects.in_bulk(ids)
    if len(found) != len(set(ids)):
        raise invalid_field("councils", "No such council")
    return [found[pk] for pk in dict.fromkeys(ids)]


def _agency_terms(wanted: list[HubAgencyIn]) -> list[services.AgencyTerms]:
    ids = [a.organisation for a in wanted]
    if any(not 1 <= pk <= MAX_INTEGER for pk in ids):
        raise invalid_field("agencies", "No such organisation")
    organisations = Organisation.objects.in_bulk(ids)
    if any(pk not in organisations for pk in ids):
        raise invalid_field("agencies", "No such organisation")
    return [
        services.AgencyTerms(
            organisation=organisations[a.organisation],
            **{flag: bool(getattr(a, flag)) for flag in services.FLAGS},
        )
        for a in wanted
    ]


@router.get("/hubs", response=list[HubOut], summary="The hubs you see")
@paginated(Pages)
def list_hubs(request: HttpRequest) -> QuerySet[Organisation]:
    return hubs_visible_to(user_of(request)).prefetch_related("serves").order_by("name")


@router.get("/hubs/{hub_id}", response=HubOut, summary="A hub")
def get_hub(request: HttpRequest, hub_id: int) -> Organisation:
    return _hub(user_of(request), hub_id)


@router.post("/hubs", response={201: HubOut}, summary="Record a hub")
def create_hub(request: HttpRequest, body: HubNewIn) -> Any:
    hub = services.create_hub(
        by=user_of(request), name=body.name, councils=_councils(body.councils)
    )
    return Status(201, hub)


@router.get(
    "/data-sharing-agreements",
    response=list[HubAgreementOut],
    summary="The hubs' data-sharing agreements you see",
)
@paginated(Pages)
def list_agreements(request: HttpRequest) -> QuerySet[DataSharingAgreement]:
    return selectors.agreements_for(user_of(request))


@router.post(
    "/data-sharing-agreements",
    response={201: HubAgreementOut},
    summary="Record a data-sharing agreement",
)
def create_agreement(request: HttpRequest, body: HubAgreementIn) -> Any:
    user = user_of(request)
    hub = _hub(user, body.hub, field="hub")
    if any(not 1 <= pk <= MAX_INTEGER for pk in body.councils):
        raise invalid_field("councils", "No such council")
    councils = list(Council.objects.filter(pk__in=body.councils))
    if len(councils) != len(set(body.councils)):
        raise invalid_field("councils", "No such council")
    agreement = services.create_agreement(
        by=user,
        hub=hub,
        reference=body.reference,
        title=body.title,
        purpose=body.purpose,
        councils=councils,
        agencies=_agency_terms(body.agencies),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    return Status(201, agreement)


@router.get(
    "/data-sharing-agreements/{agreement_id}",
    response=HubAgreementOut,
    summary="A data-sharing agreement",
)
def get_agreement(request: HttpRequest, agreement_id: int) -> DataSharingAgreement:
    return policy.get_visible_or_404(user_of(request), DataSharingAgreement, agreement_id)


@router.put(
    "/data-sharing-agreements/{agreement_id}",
    response=HubAgreementOut,
    summary="Change a data-sharing agreement not yet in force (its sign-offs are cleared)",
)
def amend(
    request: HttpRequest, agreement_id: int, body: HubAgreementAmendIn
) -> DataSharingAgreement:
    user = user_of(request)
    agreement = policy.get_visible_or_404(user, DataSharingAgreement, agreement_id)
    return services.amend_agreement(
        by=user,
        agreement=agreement,
        version=body.version,
        title=body.title,
        purpose=body.purpose,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        agencies=None if body.agencies is None else _agency_terms(body.agencies),
    )


@router.post(
    "/data-sharing-agreements/{agreement_id}/sign-off",
    response=HubAgreementOut,
    summary="Record a council's sign-off",
)
def sign_off(request: HttpRequest, agreement_id: int, body: HubSignOffIn) -> DataSharingAgreement:
    user = user_of(request)
    agreement = policy.get_visible_or_404(user, DataSharingAgreement, agreement_id)
    in_range = 1 <= body.council <= MAX_INTEGER
    party = agreement.parties.filter(council_id=body.council).first() if in_range else None
    if party is None:
        raise invalid_field("council", "The council is not party to the agreement")
    services.sign_off(
        by=user,
        party=party,
        signatory_name=body.signatory_name,
        signatory_role=body.signatory_role,
        signed_on=body.signed_on,
    )
    return agreement


@router.post(
    "/data-sharing-agreements/{agreement_id}/end",
    response=HubAgreementOut,
    summary="End a data-sharing agreement",
)
def end(request: HttpRequest, agreement_id: int, body: HubEndIn) -> DataSharingAgreement:
    user = user_of(request)
    agreement = policy.get_visible_or_404(user, DataSharingAgreement, agreement_id)
    return services.end_agreement(
        by=user,
        agreement=agreement,
        version=body.version,
        ends_on=body.ends_on,
        reason=body.reason,
    )


@router.get(
    "/hub-placements",
    response=list[HubPlacementOut],
    summary="Staff placed in the hubs you see",
)
@paginated(Pages)
def list_placements(request: HttpRequest) -> QuerySet[HubPlacement]:
    return policy.visible(user_of(request), HubPlacement).order_by("hub__name", "starts_on", "pk")


@router.post("/hub-placements", response={201: HubPlacementOut}, summary="Place staff in a hub")
def place(request: HttpRequest, body: HubPlacementIn) -> Any:
    user = user_of(request)
    hub = _hub(user, body.hub, field="hub")
    placed = User.objects.filter(pk=body.user).first() if 1 <= body.user <= MAX_INTEGER else None
    if placed is None:
        raise invalid_field("user", "No such member of staff")
    return Status(
        201,
        services.place_staff(
            by=user, hub=hub, user=placed, starts_on=body.starts_on, ends_on=body.ends_on
        ),
    )


@router.post(
    "/hub-placements/{placement_id}/end",
    response=HubPlacementOut,
    summary="End a placement",
)
def end_placement(request: HttpRequest, placement_id: int, body: HubPlacementEndIn) -> HubPlacement:
    user = user_of(request)
    placement = policy.get_visible_or_404(user, HubPlacement, placement_id)
    return services.end_placement(by=user, placement=placement, ends_on=body.ends_on)
