"""Reads of hubs, their agreements and placements, starting from what the user may see.

An agreement's state is worked out from its dates and sign-offs each time (as
``hubs.reach`` works out access): being signed off until every council has; then starting
later, in force, or ended (the day after its end date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.hubs.models import (
    AgreementAgency,
    AgreementCouncil,
    DataSharingAgreement,
    HubPlacement,
)
from continuum.hubs.policies import hubs_visible_to
from continuum.organisations.models import Organisation, OrganisationKind


class AgreementState(models.TextChoices):
    BEING_SIGNED_OFF = "being_signed_off", "Being signed off"
    STARTS_LATER = "starts_later", "Starts later"
    IN_FORCE = "in_force", "In force"
    ENDED = "ended", "Ended"


# The GOV.UK tag colour each state is shown in.
STATE_TAGS = {
    AgreementState.BEING_SIGNED_OFF: "govuk-tag--yellow",
    AgreementState.STARTS_LATER: "govuk-tag--blue",
    AgreementState.IN_FORCE: "govuk-tag--green",
    AgreementState.ENDED: "govuk-tag--grey",
}


def state_of(agreement: DataSharingAgreement, on: date | None = None) -> AgreementState:
    day = on or timezone.localdate()
    if agreement.ends_on is not None and agreement.ends_on < day:
        return AgreementState.ENDED
    if any(not party.signed_off for party in agreement.parties.all()):
        return AgreementState.BEING_SIGNED_OFF
    if agreement.starts_on > day:
        return AgreementState.STARTS_LATER
    return AgreementState.IN_FORCE


def with_terms(agreements: QuerySet[DataSharingAgreement]) -> QuerySet[DataSharingAgreement]:
    """Agreements with their hub, parties (and councils) and agencies, in a few queries."""
    return agreements.select_related("hub").prefetch_related(
        Prefetch("parties", AgreementCouncil.objects.select_related("council", "recorded_by")),
        Prefetch("agencies", AgreementAgency.objects.select_related("organisation")),
    )


@dataclass(frozen=True)
class AgreementRow:
    agreement: DataSharingAgreement
    state: AgreementState

    @property
    def tag(self) -> str:
        return STATE_TAGS[self.state]


@dataclass(frozen=True)
class HubRow:
    hub: Organisation
    councils: list[str]
    agreements: list[AgreementRow]

    @property
    def current(self) -> AgreementRow | None:
        """The agreement that matters now: in force, else the next, else the last."""
        for wanted in (
            AgreementState.IN_FORCE,
            AgreementState.BEING_SIGNED_OFF,
            AgreementState.STARTS_LATER,
        ):
            for row in self.agreements:
                if row.state == wanted:
                    return row
        return self.agreements[-1] if self.agreements else None


def hubs_for(user: User) -> list[HubRow]:
    """The hubs ``user`` sees, each with its councils and agreements (oldest first)."""
    hubs = list(hubs_visible_to(user).order_by("name").prefetch_related("serves"))
    agreements = with_terms(
        DataSharingAgreement.objects.filter(hub__in=[h.pk for h in hubs]).order_by("starts_on")
    )
    by_hub: dict[int, list[AgreementRow]] = {}
    for agreement in agreements:
        by_hub.setdefault(agreement.hub_id, []).append(AgreementRow(agreement, state_of(agreement)))
    return [
        HubRow(
            hub=hub,
            councils=sorted(c.name for c in hub.serves.all()),
            agreements=by_hub.get(hub.pk, []),
        )
        for hub in hubs
    ]


def hub_for(user: User, pk: int) -> HubRow | None:
    for row in hubs_for(user):
        if row.hub.pk == pk:
            return row
    return None


def agreements_for(user: User) -> QuerySet[DataSharingAgreement]:
    return with_terms(policy.visible(user, DataSharingAgreement)).order_by("hub__name", "starts_on")


def placements_now(hub: Organisation, on: date | None = None) -> QuerySet[HubPlacement]:
    """Who is placed in ``hub`` today (or on ``on``)."""
    day = on or timezone.localdate()
    return (
        HubPlacement.objects.filter(
            Q(hub=hub) & Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        )
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name", "starts_on")
    )


def placements_other(hub: Organisation, on: date | None = None) -> QuerySet[HubPlacement]:
    """Placements in ``hub`` that have ended or start later."""
    day = on or timezone.localdate()
    return (
        HubPlacement.objects.filter(hub=hub)
        .exclude(pk__in=placements_now(hub, day).values("pk"))
        .select_related("user", "user__organisation")
        .order_by("-starts_on")
    )


def history_of(agreement: DataSharingAgreement) -> list[dict[str, object]]:
    """The agreement's changes, newest first: what changed, when and by whom."""
    entries: list[dict[str, object]] = []
    records = list(agreement.history.select_related("history_user").order_by("history_date"))
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is None:
            changed = ["Recorded"]
        else:
            delta = record.diff_against(previous)
            changed = [
                str(getattr(DataSharingAgreement._meta.get_field(c.field), "verbose_name", c.field))
                .replace("_", " ")
                .capitalize()
                for c in delta.changes
                if c.field != "version"
            ]
        if changed:
            entries.append(
                {"when": record.history_date, "by": record.history_user, "changed": changed}
            )
        previous = record
    return entries[::-1]


def possible_agencies(hub: Organisation) -> QuerySet[Organisation]:
    """Agencies an agreement of ``hub`` may name: organisations serving one of its councils
    (their children's services among them), never a hub or a partnership."""
    councils = hub.serves.all()
    return (
        Organisation.objects.filter(Q(serves__in=councils) | Q(council__in=councils))
        .exclude(kind__in=[OrganisationKind.HUB, OrganisationKind.SAFEGUARDING_PARTNERSHIP])
        .distinct()
        .order_by("name")
    )


def agencies_for_terms(agreement: DataSharingAgreement) -> QuerySet[Organisation]:
    """The agencies a change to ``agreement`` may name: those its hub's agreements may,
    and any it already names."""
    return (
        Organisation.objects.filter(
            Q(pk__in=possible_agencies(agreement.hub).values("pk"))
            | Q(pk__in=agreement.agencies.values("organisation_id"))
        )
        .distinct()
        .order_by("name")
    )


def placeable_staff(hub: Organisation) -> QuerySet[User]:
    """Active staff with a role whose organisation is an agency of one of ``hub``'s
    agreements that has not ended."""
    today = timezone.localdate()
    agencies = AgreementAgency.objects.filter(
        Q(agreement__hub=hub)
        & (Q(agreement__ends_on__isnull=True) | Q(agreement__ends_on__gte=today))
    ).values("organisation_id")
    return (
        User.objects.filter(is_active=True, organisation_id__in=agencies)
        .exclude(role="")
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )
