"""Recording hubs, their data-sharing agreements, sign-offs and placements (issue 15).

Each service asks the policy, refuses bad input with every problem at once
(``ValidationError`` keyed by field), a record in the wrong state with ``InvalidState``, and
saves nothing when it refuses. Access through a hub is worked out from these facts each time
(``hubs.reach``), so ending an agreement or a placement ends access the day after its end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.hubs.models import (
    AgreementAgency,
    AgreementCouncil,
    DataSharingAgreement,
    HubPlacement,
)
from continuum.hubs.policies import HubAction
from continuum.hubs.selectors import AgreementState, state_of
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.ui.dates import govuk_date

MANAGE_REFUSED = (
    "Only a strategic lead or information governance lead of a council party to the "
    "agreement records or changes it."
)
SIGN_OFF_REFUSED = (
    "Only the council's own strategic lead or information governance lead signs the "
    "agreement off for it."
)
PLACE_REFUSED = (
    "Only the team managers and strategic leads of a council party to the hub's agreement "
    "place staff in it."
)
FLAGS = (
    "sees_contacts",
    "sees_notifications",
    "sees_triage",
    "sees_childrens_records",
    "decides_contacts",
)
NOT_AGENCIES = {OrganisationKind.HUB, OrganisationKind.SAFEGUARDING_PARTNERSHIP}


@dataclass(frozen=True)
class AgencyTerms:
    """An agency whose staff work in the hub, and what the agreement lets them see and do."""

    organisation: Organisation
    sees_contacts: bool = False
    sees_notifications: bool = False
    sees_triage: bool = False
    sees_childrens_records: bool = False
    decides_contacts: bool = False

    def flags(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in FLAGS}


def _span(starts_on: date, ends_on: date | None) -> str:
    if ends_on is None:
        return f"from {govuk_date(starts_on)} with no end"
    return f"from {govuk_date(starts_on)} to {govuk_date(ends_on)}"


# --- hubs ----------------------------------------------------------------------------------


@transaction.atomic
def create_hub(*, by: User, name: str, councils: Sequence[Council]) -> Organisation:
    """A hub (an organisation of kind ``hub``) serving ``councils``, by a strategic lead or
    information governance lead of one of them."""
    problems: dict[str, str] = {}
    name = name.strip()
    if not name:
        problems["name"] = "Enter the hub's name"
    elif len(name) > 200:
        problems["name"] = "The name must be 200 characters or fewer"
    elif Organisation.objects.filter(name__iexact=name).exists():
        problems["name"] = "There is already an organisation with this name"
    if len(set(councils)) < 2:
        problems["councils"] = "Select the councils the hub serves: at least two"
    else:
        policy.require(by, HubAction.MANAGE_AGREEMENT, list(councils), MANAGE_REFUSED)
    if problems:
        raise ValidationError(problems)
    hub = Organisation.objects.create(name=name, kind=OrganisationKind.HUB)
    hub.serves.set(councils)
    return hub


# --- agreements ----------------------------------------------------------------------------


def _dates_problems(
    *, starts_on: date | None, ends_on: date | None, reference: str, title: str, purpose: str
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not reference.strip():
        problems["reference"] = "Enter the agreement's reference"
    elif len(reference.strip()) > 50:
        problems["reference"] = "The reference must be 50 characters or fewer"
    if not title.strip():
        problems["title"] = "Enter the agreement's title"
    elif len(title.strip()) > 200:
        problems["title"] = "The title must be 200 characters or fewer"
    if not purpose.strip():
        problems["purpose"] = "Enter why the councils share information in the hub"
    if starts_on is None:
        problems["starts_on"] = "Enter the date the agreement starts"
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "The end date must be on or after the start date"
    return problems


def _overlap_problems(
    *,
    councils: Sequence[Council],
    starts_on: date,
    ends_on: date | None,
    other_than: DataSharingAgreement | None = None,
) -> dict[str, str]:
    """A council is party to one agreement at a time (any hub): each overlap named."""
    overlapping = AgreementCouncil.objects.filter(
        Q(council__in=councils)
        & (Q(agreement__ends_on__isnull=True) | Q(agreement__ends_on__gte=starts_on))
    ).select_related("agreement", "council")
    if ends_on is not None:
        overlapping = overlapping.filter(agreement__starts_on__lte=ends_on)
    if other_than is not None:
        overlapping = overlapping.exclude(agreement=other_than)
    messages: dict[str, list[str]] = {}
    for party in overlapping.order_by("council__name", "agreement__starts_on"):
        other = party.agreement
        field = "ends_on" if other.starts_on > starts_on else "starts_on"
        messages.setdefault(field, []).append(
            f"{party.council.name} is already party to agreement {other.reference} "
            f"{_span(other.starts_on, other.ends_on)}: a council may be party to only one "
            "agreement at a time"
        )
    return {field: " ".join(texts) for field, texts in messages.items()}


def _agency_problems(
    agencies: Sequence[AgencyTerms], councils: Sequence[Council]
) -> dict[str, str]:
    council_ids = {c.pk for c in councils}
    messages: list[str] = []
    seen: set[int] = set()
    for terms in agencies:
        org = terms.organisation
        if org.pk in seen:
            messages.append(f"{org.name} is named more than once")
            continue
        seen.add(org.pk)
        if org.kind in NOT_AGENCIES:
            messages.append(
                f"{org.name} is a {org.get_kind_display().lower()}, not an agency whose "
                "staff work in the hub"
            )
            continue
        if not any(terms.flags().values()):
            messages.append(f"Choose what {org.name}'s staff may see in the hub")
        if terms.decides_contacts and not org.is_council:
            messages.append(
                f"{org.name} may not screen and decide contacts: only a council's "
                "children's services decide"
            )
        elif org.is_council and org.council_id not in council_ids:
            messages.append(f"{org.name} works for a council that is not party to the agreement")
    return {"agencies": " ".join(messages)} if messages else {}


def _council_problems(hub: Organisation, councils: Sequence[Council]) -> dict[str, str]:
    if not councils:
        return {"councils": "Select the councils party to the agreement"}
    if len({c.pk for c in councils}) != len(councils):
        return {"councils": "Name each council once"}
    served = set(hub.serves.values_list("pk", flat=True))
    outside = sorted(c.name for c in councils if c.pk not in served)
    if outside:
        return {"councils": f"{hub.name} does not serve {', '.join(outside)}"}
    return {}


def _set_agencies(agreement: DataSharingAgreement, agencies: Sequence[AgencyTerms]) -> None:
    agreement.agencies.all().delete()
    for terms in agencies:
        AgreementAgency.objects.create(
            agreement=agreement, organisation=terms.organisation, **terms.flags()
        )


@transaction.atomic
def create_agreement(
    *,
    by: User,
    hub: Organisation,
    reference: str,
    title: str,
    purpose: str,
    councils: Sequence[Council],
    agencies: Sequence[AgencyTerms],
    starts_on: date | None,
    ends_on: date | None = None,
) -> DataSharingAgreement:
    """A new agreement for ``hub`` over ``councils``, to be signed off by each of them."""
    if hub.kind != OrganisationKind.HUB:
        raise ValidationError({"hub": f"{hub.name} is not a hub"})
    councils = list(councils)
    problems = _council_problems(hub, councils)
    if not problems:
        policy.require(by, HubAction.MANAGE_AGREEMENT, councils, MANAGE_REFUSED)
    problems.update(
        _dates_problems(
            starts_on=starts_on, ends_on=ends_on, reference=reference, title=title, purpose=purpose
        )
    )
    if "reference" not in problems and (
        DataSharingAgreement.objects.filter(reference__iexact=reference.strip()).exists()
    ):
        problems["reference"] = "There is already an agreement with this reference"
    problems.update(_agency_problems(agencies, councils))
    if starts_on is not None and "councils" not in problems and "ends_on" not in problems:
        problems.update(_overlap_problems(councils=councils, starts_on=starts_on, ends_on=ends_on))
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None
    agreement = DataSharingAgreement.objects.create(
        hub=hub,
        reference=reference.strip(),
        title=title.strip(),
        purpose=purpose.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    for council in councils:
        AgreementCouncil.objects.create(agreement=agreement, council=council)
    _set_agencies(agreement, agencies)
    return agreement


def refuse_unless_amendable(agreement: DataSharingAgreement) -> None:
    """Refuse (``InvalidState``) to change an agreement in force or ended."""
    state = state_of(agreement)
    if state in (AgreementState.IN_FORCE, AgreementState.ENDED):
        raise InvalidState(
            f"The agreement is {state.label.lower()}: only an agreement not yet in force is "
            "changed. End it and record a new one."
        )


@transaction.atomic
def amend_agreement(
    *,
    by: User,
    agreement: DataSharingAgreement,
    version: int,
    title: str,
    purpose: str,
    starts_on: date | None,
    ends_on: date | None = None,
    agencies: Sequence[AgencyTerms] | None = None,
) -> DataSharingAgreement:
    """Change an agreement not yet in force (being signed off, or starting later). The
    councils signed off other terms: their sign-offs are cleared, to be given again."""
    policy.require(by, HubAction.MANAGE_AGREEMENT, agreement, MANAGE_REFUSED)
    refuse_unless_amendable(agreement)
    councils = list(Council.objects.filter(hub_parties__agreement=agreement))
    problems = _dates_problems(
        starts_on=starts_on,
        ends_on=ends_on,
        reference=agreement.reference,
        title=title,
        purpose=purpose,
    )
    if starts_on is not None and starts_on < timezone.localdate():
        problems["starts_on"] = "An agreement not yet in force starts today or later"
    if agencies is not None:
        problems.update(_agency_problems(agencies, councils))
    if starts_on is not None and "ends_on" not in problems:
        problems.update(
            _overlap_problems(
                councils=councils, starts_on=starts_on, ends_on=ends_on, other_than=agreement
            )
        )
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None
    claim_version(agreement, version, what="agreement")
    agreement.title, agreement.purpose = title.strip(), purpose.strip()
    agreement.starts_on, agreement.ends_on = starts_on, ends_on
    agreement.save(update_fields=["title", "purpose", "starts_on", "ends_on"])
    if agencies is not None:
        _set_agencies(agreement, agencies)
    for party in agreement.parties.filter(signed_off_on__isnull=False):
        party.signed_off_by_name = party.signed_off_by_role = ""
        party.signed_off_on = None
        party.recorded_by = None
        party.save()
    return agreement


@transaction.atomic
def sign_off(
    *,
    by: User,
    party: AgreementCouncil,
    signatory_name: str,
    signatory_role: str,
    signed_on: date | None,
) -> AgreementCouncil:
    """Record who signed the agreement off for ``party``'s council, and when. Once every
    council has, it is in force from its start date."""
    policy.require(by, HubAction.SIGN_OFF, party, SIGN_OFF_REFUSED)
    party = (
        AgreementCouncil.objects.select_for_update().select_related("agreement").get(pk=party.pk)
    )
    if party.signed_off:
        raise InvalidState(
            f"{party.council} signed the agreement off on {govuk_date(party.signed_off_on)}."
        )
    if state_of(party.agreement) == AgreementState.ENDED:
        raise InvalidState("The agreement has ended: it is no longer signed off.")
    problems: dict[str, str] = {}
    if not signatory_name.strip():
        problems["signatory_name"] = "Enter the name of the person who signed it off"
    elif len(signatory_name.strip()) > 150:
        problems["signatory_name"] = "The name must be 150 characters or fewer"
    if not signatory_role.strip():
        problems["signatory_role"] = "Enter their role"
    elif len(signatory_role.strip()) > 150:
        problems["signatory_role"] = "The role must be 150 characters or fewer"
    if signed_on is None:
        problems["signed_on"] = "Enter the date it was signed off"
    elif signed_on > timezone.localdate():
        problems["signed_on"] = "The date it was signed off must be today or in the past"
    if problems:
        raise ValidationError(problems)
    assert signed_on is not None
    party.signed_off_by_name = signatory_name.strip()
    party.signed_off_by_role = signatory_role.strip()
    party.signed_off_on = signed_on
    party.recorded_by = by
    party.save()
    return party


@transaction.atomic
def end_agreement(
    *,
    by: User,
    agreement: DataSharingAgreement,
    version: int,
    ends_on: date | None,
    reason: str,
) -> DataSharingAgreement:
    """End the agreement on ``ends_on`` (today or later, and not after an end it already
    has). Access through it ends the day after."""
    policy.require(by, HubAction.END_AGREEMENT, agreement, MANAGE_REFUSED)
    if state_of(agreement) == AgreementState.ENDED:
        raise InvalidState(f"The agreement ended on {govuk_date(agreement.ends_on)}.")
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if ends_on is None:
        problems["ends_on"] = "Enter the date the agreement ends"
    elif ends_on < agreement.starts_on:
        problems["ends_on"] = (
            f"The agreement starts on {govuk_date(agreement.starts_on)}: it must end on or "
            "after then"
        )
    elif ends_on < today:
        problems["ends_on"] = "The end date must be today or later"
    elif agreement.ends_on is not None and ends_on > agreement.ends_on:
        problems["ends_on"] = (
            f"The agreement already ends on {govuk_date(agreement.ends_on)}: it may be ended "
            "earlier, never extended"
        )
    if not reason.strip():
        problems["reason"] = "Enter why the agreement ends"
    if problems:
        raise ValidationError(problems)
    claim_version(agreement, version, what="agreement")
    agreement.ends_on = ends_on
    agreement.ended_reason = reason.strip()
    agreement.save(update_fields=["ends_on", "ended_reason"])
    return agreement


# --- placements ----------------------------------------------------------------------------


def _agreement_for_placement(
    hub: Organisation, user: User, starts_on: date
) -> tuple[DataSharingAgreement | None, dict[str, str]]:
    """The agreement (in force or starting later) whose agency the user works for and
    whose dates include ``starts_on``, or why there is none."""
    candidates = [
        a
        for a in DataSharingAgreement.objects.filter(
            hub=hub, agencies__organisation=user.organisation
        ).order_by("starts_on")
        if state_of(a) in (AgreementState.IN_FORCE, AgreementState.STARTS_LATER)
    ]
    if not candidates:
        org = user.organisation.name if user.organisation else "No organisation"
        return None, {
            "user": f"{user.get_full_name() or user.username} works for {org}, which is not "
            f"an agency of an agreement of {hub.name} in force or starting later"
        }
    for agreement in candidates:
        if agreement.covers(starts_on):
            return agreement, {}
    spans = "; ".join(f"{a.reference} runs {_span(a.starts_on, a.ends_on)}" for a in candidates)
    return None, {"starts_on": f"The placement must start within the agreement's dates: {spans}"}


@transaction.atomic
def place_staff(
    *,
    by: User,
    hub: Organisation,
    user: User,
    starts_on: date | None,
    ends_on: date | None = None,
) -> HubPlacement:
    """Place ``user`` (of an agency of the hub's agreement) in ``hub`` from ``starts_on``."""
    policy.require(by, HubAction.PLACE_STAFF, hub, PLACE_REFUSED)
    problems: dict[str, str] = {}
    if not user.is_active or not user.role:
        problems["user"] = "Only an active member of staff with a role is placed in a hub"
    if starts_on is None:
        problems["starts_on"] = "Enter the date the placement starts"
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "The end date must be on or after the start date"
    if starts_on is not None and "user" not in problems:
        agreement, why = _agreement_for_placement(hub, user, starts_on)
        problems.update(why)
        if (
            agreement is not None
            and agreement.ends_on is not None
            and ends_on is not None
            and ends_on > agreement.ends_on
        ):
            problems["ends_on"] = (
                f"Agreement {agreement.reference} ends on {govuk_date(agreement.ends_on)}: "
                "the placement must end by then"
            )
        overlapping = HubPlacement.objects.filter(
            Q(hub=hub, user=user) & (Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        )
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        other = overlapping.order_by("starts_on").first()
        if other is not None:
            problems["user"] = (
                f"{user.get_full_name() or user.username} is already placed in {hub.name} "
                f"{_span(other.starts_on, other.ends_on)}"
            )
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None
    return HubPlacement.objects.create(
        hub=hub, user=user, starts_on=starts_on, ends_on=ends_on, placed_by=by
    )


@transaction.atomic
def end_placement(*, by: User, placement: HubPlacement, ends_on: date | None) -> HubPlacement:
    """End a placement on ``ends_on`` (today or later, not before it starts): the member of
    staff's access through the hub ends the day after."""
    policy.require(by, HubAction.PLACE_STAFF, placement.hub, PLACE_REFUSED)
    placement = HubPlacement.objects.select_for_update().get(pk=placement.pk)
    today = timezone.localdate()
    if placement.ends_on is not None and placement.ends_on < today:
        raise InvalidState(f"The placement ended on {govuk_date(placement.ends_on)}.")
    if ends_on is None:
        raise ValidationError({"ends_on": "Enter the date the placement ends"})
    if ends_on < placement.starts_on:
        raise ValidationError(
            {
                "ends_on": f"The placement starts on {govuk_date(placement.starts_on)}: it "
                "must end on or after then"
            }
        )
    if ends_on < today:
        raise ValidationError({"ends_on": "The end date must be today or later"})
    placement.ends_on = ends_on
    placement.save(update_fields=["ends_on"])
    return placement
