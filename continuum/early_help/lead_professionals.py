"""Reads about an episode's lead professionals: who could lead it (the allocation and
handover picker: search, locality and agency filters, each person's caseload against the
council's norm, in one query) and who has led it (the history of lead professionals).

Kept apart from ``selectors`` (which is long enough) and used the same way: every list
of episodes starts from the policy; the picker lists professionals, not families.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from continuum.accounts.models import User
from continuum.accounts.roles import LEAD_PROFESSIONAL_ROLES
from continuum.early_help.choices import OPEN_EPISODE_STATUSES, EpisodeOrigin
from continuum.early_help.models import Episode, LeadProfessionalHandover
from continuum.early_help.selectors import AGENCY_OF_KIND
from continuum.early_help.services import settings_for
from continuum.organisations.models import Organisation, Team

# At most this many people are listed at once: the filters narrow the rest.
MOST_LISTED = 50


@dataclass(frozen=True)
class CandidateFilters:
    """What the panel narrows the list by (each optional)."""

    name: str = ""
    locality_id: int | None = None
    agency: str = ""
    # Include people whose organisation does not serve the episode's council (their
    # allocation needs a recorded reason).
    outside_area: bool = False


@dataclass(frozen=True)
class Candidate:
    user: User
    caseload: int
    norm: int
    serves_council: bool

    @property
    def over_norm(self) -> bool:
        return self.caseload > self.norm

    @property
    def at_or_over_norm(self) -> bool:
        return self.caseload >= self.norm


@dataclass(frozen=True)
class Candidates:
    people: list[Candidate]
    count: int  # how many match, of which at most MOST_LISTED are listed
    norm: int


def _kinds_of_agency(agency: str) -> list[str]:
    return [kind for kind, of in AGENCY_OF_KIND.items() if of == agency]


def lead_professional_candidates(
    *, episode: Episode, filters: CandidateFilters = CandidateFilters()
) -> Candidates:
    """Active practitioners and team managers of any agency who could lead ``episode``:
    those whose organisation serves its council (and, asked, those whose organisation does
    not), matching the name, in a team of the locality and of the agency given; each with
    their caseload (the open episodes they lead, in any council) against the council's
    caseload norm (``EarlyHelpSettings.caseload_norm``). Serving first, then by name; the
    current lead professional is left out. One query for the people, one for the count."""
    council_id = episode.council_id
    serving = Exists(
        Organisation.serves.through.objects.filter(
            organisation_id=OuterRef("organisation_id"), council_id=council_id
        )
    )
    caseload = (
        Episode.objects.filter(lead_professional=OuterRef("pk"), status__in=OPEN_EPISODE_STATUSES)
        .order_by()
        .values("lead_professional")
        .annotate(n=Count("pk"))
        .values("n")
    )
    people = (
        User.objects.filter(is_active=True, role__in=LEAD_PROFESSIONAL_ROLES)
        .exclude(organisation__isnull=True)
        .annotate(
            serves_council=serving,
            caseload=Coalesce(Subquery(caseload, output_field=IntegerField()), Value(0)),
        )
    )
    if episode.lead_professional_id is not None:
        people = people.exclude(pk=episode.lead_professional_id)
    if not filters.outside_area:
        people = people.filter(serves_council=True)
    for term in filters.name.split():
        people = people.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(username__icontains=term)
        )
    if filters.locality_id is not None:
        people = people.filter(
            Exists(Team.objects.filter(members=OuterRef("pk"), locality_id=filters.locality_id))
        )
    if filters.agency:
        people = people.filter(organisation__kind__in=_kinds_of_agency(filters.agency))
    norm = settings_for(episode.council).caseload_norm
    listed = people.select_related("organisation").order_by(
        "-serves_council", "last_name", "first_name", "username"
    )[:MOST_LISTED]
    found = [
        Candidate(
            user=u,
            caseload=u.caseload,
            norm=norm,
            serves_council=u.serves_council,
        )
        for u in listed
    ]
    count = len(found) if len(found) < MOST_LISTED else people.count()
    return Candidates(people=found, count=count, norm=norm)


def may_lead(episode: Episode, user_id: int) -> User | None:
    """The active practitioner or team manager with this id, of any agency (the service
    decides whether they may lead this episode, and whether a reason is needed)."""
    return (
        User.objects.filter(pk=user_id, is_active=True)
        .exclude(organisation__isnull=True)
        .select_related("organisation")
        .first()
    )


# --- who has led the episode ---------------------------------------------------------------


@dataclass(frozen=True)
class LeadSpell:
    """One lead professional's time leading the episode."""

    user: User
    organisation: Organisation | None
    started_on: date
    ended_on: date | None  # None while they lead it
    reason: str
    out_of_area_reason: str
    decided_by: User | None
    how: str


def _local(moment: object) -> date:
    return timezone.localtime(moment).date()  # type: ignore[arg-type]


def lead_professionals(episode: Episode) -> list[LeadSpell]:
    """The episode's lead professionals, first first: who, from when to when, why and who
    decided (the panel's chair, the partner who opened it, the manager who handed it
    over). Empty until it is allocated."""
    if episode.allocated_at is None or episode.lead_professional is None:
        return []
    handovers = list(
        LeadProfessionalHandover.objects.filter(episode=episode).select_related(
            "from_user", "from_organisation", "to_user", "to_organisation", "decided_by"
        )
    )
    by_partner = episode.origin == EpisodeOrigin.PARTNER
    first = handovers[0] if handovers else None
    spells = [
        LeadSpell(
            user=first.from_user if first else episode.lead_professional,
            organisation=first.from_organisation
            if first
            else episode.lead_professional_organisation,
            started_on=_local(episode.allocated_at),
            ended_on=None,
            reason=episode.allocation_reason,
            out_of_area_reason=first.from_out_of_area_reason
            if first
            else episode.out_of_area_reason,
            decided_by=episode.opened_by
            if by_partner
            else (episode.panel.chaired_by if episode.panel else None),
            how="Started early help themselves" if by_partner else "Allocated at panel",
        )
    ]
    for handover in handovers:
        spells.append(
            LeadSpell(
                user=handover.to_user,
                organisation=handover.to_organisation,
                started_on=_local(handover.handed_over_at),
                ended_on=None,
                reason=handover.reason,
                out_of_area_reason=handover.out_of_area_reason,
                decided_by=handover.decided_by,
                how="Handed over",
            )
        )
    ends = [s.started_on for s in spells[1:]] + [episode.end_date]
    return [
        LeadSpell(**{**spell.__dict__, "ended_on": end})
        for spell, end in zip(spells, ends, strict=True)
    ]
