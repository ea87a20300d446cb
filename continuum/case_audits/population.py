"""The records an audit programme's sample is drawn from, per council.

- Episodes: a council's early help episodes open at any time in the period (started on or
  before its end, not ended before its start).
- Contacts: a council's submitted contacts received in the period that have a threshold
  decision (the level is the decision's).
- Never a record naming a restricted child: a peer auditor could not read it.
- Less the exclusions: records sampled into another programme (not taken out of it)
  within ``exclude_audited_within_days`` days of the draw.

These are counts and ids, never a person's details: the lead running a programme names
cases by reference only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from continuum.case_audits.choices import CaseKind, CaseStatus
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.case_audits.sampling import Candidate
from continuum.early_help.models import Episode
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, ContactChild
from continuum.organisations.models import Council


@dataclass(frozen=True)
class Population:
    """One council's population: who may be sampled, and what was left out and why."""

    council: Council
    candidates: list[Candidate]
    restricted: int
    excluded: int

    @property
    def size(self) -> int:
        return len(self.candidates)


def _local_bounds(programme: AuditProgramme) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(programme.period_start, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(programme.period_end + timedelta(days=1), datetime.min.time(), zone)
    return start, end


def episodes_in_period(programme: AuditProgramme) -> QuerySet[Episode]:
    return Episode.objects.filter(
        council__in=programme.councils.all(), start_date__lte=programme.period_end
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=programme.period_start))


def contacts_in_period(programme: AuditProgramme) -> QuerySet[Contact]:
    start, end = _local_bounds(programme)
    return (
        Contact.objects.filter(
            council__in=programme.councils.all(), received_at__gte=start, received_at__lt=end
        )
        .exclude(status=ContactStatus.DRAFT)
        .filter(decision__isnull=False)
    )


def records_in_period(programme: AuditProgramme) -> QuerySet[Any]:
    if programme.case_kind == CaseKind.EPISODE:
        return episodes_in_period(programme)
    return contacts_in_period(programme)


def names_restricted_child(kind: str) -> Q:
    """Records naming a restricted child."""
    if kind == CaseKind.EPISODE:
        through = Episode.children.through.objects.filter(
            episode=OuterRef("pk"), person__is_restricted=True
        )
        return Q(Exists(through))
    return Q(
        Exists(ContactChild.objects.filter(contact=OuterRef("pk"), person__is_restricted=True))
    )


def recently_audited_ids(programme: AuditProgramme, *, kind: str, now: datetime) -> set[Any]:
    """Records in another programme's sample (not taken out of it) within the programme's
    ``exclude_audited_within_days`` of ``now`` (none without it)."""
    days = programme.exclude_audited_within_days
    if not days:
        return set()
    field = "episode_id" if kind == CaseKind.EPISODE else "contact_id"
    since = now - timedelta(days=days)
    return set(
        AuditCase.objects.exclude(programme=programme)
        .exclude(status=CaseStatus.WITHDRAWN)
        .annotate(
            sampled=Coalesce(
                "programme__sampled_at", "programme__opened_at", "programme__created_at"
            )
        )
        .filter(sampled__gte=since, **{f"{field}__isnull": False})
        .values_list(field, flat=True)
    )


def populations(
    programme: AuditProgramme,
    *,
    kind: str | None = None,
    leave_out: set[Any] | None = None,
    now: datetime | None = None,
) -> list[Population]:
    """Each council's population, councils by name. ``kind`` defaults to the programme's
    (the re-grade sample asks for contacts); ``leave_out`` are ids not to draw again."""
    kind = kind or programme.case_kind
    now = now or timezone.now()
    records: QuerySet[Any] = (
        episodes_in_period(programme) if kind == CaseKind.EPISODE else contacts_in_period(programme)
    )
    restricted_filter = names_restricted_child(kind)
    level_field = "level" if kind == CaseKind.EPISODE else "decision__level"
    rows = records.values_list("pk", "council_id", level_field)
    restricted = set(records.filter(restricted_filter).values_list("pk", flat=True))
    excluded = recently_audited_ids(programme, kind=kind, now=now)
    leave_out = leave_out or set()
    found: dict[int, Population] = {}
    councils = list(programme.councils.order_by("name"))
    for council in councils:
        found[council.pk] = Population(council=council, candidates=[], restricted=0, excluded=0)
    counts: dict[int, list[int]] = {council.pk: [0, 0] for council in councils}
    for pk, council_id, level in rows:
        if pk in leave_out:
            continue
        if pk in restricted:
            counts[council_id][0] += 1
        elif pk in excluded:
            counts[council_id][1] += 1
        else:
            found[council_id].candidates.append(Candidate(id=str(pk), level=level))
    return [
        Population(
            council=found[c.pk].council,
            candidates=found[c.pk].candidates,
            restricted=counts[c.pk][0],
            excluded=counts[c.pk][1],
        )
        for c in councils
    ]
