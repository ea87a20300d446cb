"""Data quality: missing or invalid values that make indicators wrong or incomplete.

Each check names the records it looks at, what makes one fail, and the indicators a failure
affects; it counts records (never names them) by council and, where the record has one, by
team. A check is one grouped query (two for checks that count distinct children, whose
council total is not the sum of its teams), so the page costs the same whatever the volume.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Assessment, ChildVoice, Closure, Episode, Need
from continuum.front_door.choices import ContactStatus, ReferralSource
from continuum.front_door.models import Contact, ContactChild, ContactDecision
from continuum.organisations.models import Council, Team
from continuum.people.choices import Ethnicity, PersonKind
from continuum.performance.tables import Cell, Table
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.ui.dates import govuk_date

NO_TEAM = "No team recorded"
ALL_TEAMS = "All teams"


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


Query = Callable[[Sequence[int], date, date], QuerySet[Any]]


@dataclass(frozen=True)
class Check:
    key: str
    name: str
    records: str  # what is checked, in plain words (the denominator)
    affects: str  # the indicators a failure makes wrong or incomplete
    query: Query  # the records checked, for councils and a period
    failing: Q
    council_field: str
    team_field: str | None = None
    # Count distinct values of this field (e.g. children) instead of rows.
    distinct: str | None = None


def _contacts(ids: Sequence[int], first: date, last: date) -> QuerySet[Contact]:
    return Contact.objects.filter(
        council_id__in=ids,
        received_at__gte=_aware(first),
        received_at__lt=_aware(last + timedelta(days=1)),
    ).exclude(status=ContactStatus.DRAFT)


def _decisions(ids: Sequence[int], first: date, last: date) -> QuerySet[ContactDecision]:
    return ContactDecision.objects.filter(
        contact__council_id__in=ids,
        contact__received_at__gte=_aware(first),
        contact__received_at__lt=_aware(last + timedelta(days=1)),
    )


def _children(ids: Sequence[int], first: date, last: date) -> QuerySet[ContactChild]:
    return ContactChild.objects.filter(
        contact__council_id__in=ids,
        contact__received_at__gte=_aware(first),
        contact__received_at__lt=_aware(last + timedelta(days=1)),
        person__kind=PersonKind.CHILD,
    ).exclude(contact__status=ContactStatus.DRAFT)


def _allocated_episodes(ids: Sequence[int], first: date, last: date) -> QuerySet[Episode]:
    return Episode.objects.filter(
        council_id__in=ids, start_date__gte=first, start_date__lte=last
    ).exclude(status=EpisodeStatus.AWAITING_ALLOCATION)


def _assessments(ids: Sequence[int], first: date, last: date) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        episode__council_id__in=ids, completed_on__gte=first, completed_on__lte=last
    )


def _closures(ids: Sequence[int], first: date, last: date) -> QuerySet[Closure]:
    return Closure.objects.filter(
        episode__council_id__in=ids, closed_on__gte=first, closed_on__lte=last
    )


def _statutory_parts(ids: Sequence[int], first: date, last: date) -> QuerySet[StatutoryInvolvement]:
    return StatutoryInvolvement.objects.filter(
        council_id__in=ids, start_date__gte=first, start_date__lte=last
    ).exclude(kind=InvolvementKind.REFERRAL)


def _closed_referrals(
    ids: Sequence[int], first: date, last: date
) -> QuerySet[StatutoryInvolvement]:
    return StatutoryInvolvement.objects.filter(
        council_id__in=ids,
        kind=InvolvementKind.REFERRAL,
        end_date__gte=first,
        end_date__lte=last,
    )


_VOICE_HEARD = ChildVoice.objects.filter(assessment=OuterRef("pk")).filter(
    ~Q(what_the_child_said="") | ~Q(not_gathered_reason="")
)
_NEED_WITHOUT_OUTCOME = Need.objects.filter(
    episode=OuterRef("episode"), closure_outcome__isnull=True
)

CHECKS: tuple[Check, ...] = (
    Check(
        key="contact_referral_source",
        name="Contacts without a referral source",
        records="Contacts received",
        affects="Every front-door indicator split by referral source",
        query=_contacts,
        failing=Q(referral_source="") | Q(referral_source=ReferralSource.UNKNOWN),
        council_field="council_id",
        team_field="team_id",
    ),
    Check(
        key="contact_consent",
        name="Contacts with neither the family's agreement nor a lawful basis",
        records="Contacts received",
        affects="% with consent or lawful basis recorded at submission",
        query=_contacts,
        failing=Q(family_agreement="", lawful_basis=""),
        council_field="council_id",
        team_field="team_id",
    ),
    Check(
        key="decision_reason",
        name="Decisions without the reason they need",
        records="Decisions on contacts received",
        affects="Outcome mix (a decision must say why; a level that differs from the "
        "framework's suggestion must say why it differs)",
        query=_decisions,
        failing=Q(rationale="")
        | (
            Q(suggested_level__isnull=False)
            & ~Q(level=F("suggested_level"))
            & Q(difference_reason="")
        ),
        council_field="contact__council_id",
        team_field="contact__team_id",
    ),
    Check(
        key="child_date_of_birth",
        name="Children without a date of birth",
        records="Children named on contacts received",
        affects="Age-band breakdowns and rates by age",
        query=_children,
        failing=Q(person__date_of_birth__isnull=True),
        council_field="contact__council_id",
        team_field="contact__team_id",
        distinct="person_id",
    ),
    Check(
        key="child_ethnicity",
        name="Children whose ethnicity is not yet obtained",
        records="Children named on contacts received",
        affects="Ethnicity breakdowns",
        query=_children,
        failing=Q(person__ethnicity=Ethnicity.NOBT) | Q(person__ethnicity=""),
        council_field="contact__council_id",
        team_field="contact__team_id",
        distinct="person_id",
    ),
    Check(
        key="episode_lead_agency",
        name="Allocated episodes without a lead professional or their agency",
        records="Allocated early help episodes started",
        affects="% led by a partner agency, by agency; the flow's early help by agency; caseloads",
        query=_allocated_episodes,
        failing=Q(lead_professional__isnull=True) | Q(lead_professional_organisation__isnull=True),
        council_field="council_id",
        team_field="team_id",
    ),
    Check(
        key="assessment_child_voice",
        name="Completed assessments without the child's voice or why it was not gathered",
        records="Early help assessments completed",
        affects="% assessments with the child's voice",
        query=_assessments,
        failing=~Q(Exists(_VOICE_HEARD)),
        council_field="episode__council_id",
        team_field="episode__team_id",
    ),
    Check(
        key="closure_reason_outcomes",
        name="Closures without a reason or an outcome for every need",
        records="Early help episodes closed",
        affects="Closures by reason; % needs with outcome achieved",
        query=_closures,
        failing=Q(reason="") | Q(Exists(_NEED_WITHOUT_OUTCOME)),
        council_field="episode__council_id",
        team_field="episode__team_id",
    ),
    Check(
        key="statutory_before_referral",
        name="Statutory records starting before their referral",
        records="Assessments, plans, enquiries and periods of care started",
        affects="The flow into child protection and care; children in need, child protection "
        "and looked-after rates",
        query=_statutory_parts,
        failing=Q(start_date__lt=F("referral__start_date")),
        council_field="council_id",
    ),
    Check(
        key="statutory_open_under_closed",
        name="Statutory records still open under a closed referral",
        records="Assessments, plans, enquiries and periods of care started",
        affects="Child protection and looked-after rates (counted open after the child in need "
        "episode closed)",
        query=_statutory_parts,
        failing=Q(referral__end_date__isnull=False, end_date__isnull=True)
        | Q(end_date__gt=F("referral__end_date")),
        council_field="council_id",
    ),
    Check(
        key="referral_closure_reason",
        name="Closed referrals without a closure reason",
        records="Referrals (child in need episodes) closed",
        affects="Children in need: why episodes close",
        query=_closed_referrals,
        failing=Q(closure_reason=""),
        council_field="council_id",
    ),
)


@dataclass(frozen=True)
class Tally:
    checked: int
    failing: int

    @property
    def percent(self) -> float | None:
        return 100 * self.failing / self.checked if self.checked else None


@dataclass
class DataQuality:
    councils: list[Council]
    detail: list[Council]
    first: date
    last: date
    totals: dict[tuple[str, int], Tally] = field(default_factory=dict)
    # (check key, council id) -> [(team name, count)], councils in detail only.
    teams: dict[tuple[str, int], list[tuple[str, Tally]]] = field(default_factory=dict)

    def total(self, check: str, council: Council) -> Tally:
        return self.totals.get((check, council.pk), Tally(0, 0))

    def summary_table(self) -> Table:
        rows: list[Sequence[Cell]] = []
        for check in CHECKS:
            for council in self.councils:
                count = self.total(check.key, council)
                rows.append([check.name, council.name, count.checked, count.failing, count.percent])
        return Table(
            caption="Missing or invalid values, by council",
            columns=["Check", "Council", "Records checked", "Missing or invalid", "%"],
            numeric=[False, False, True, True, True],
            rows=rows,
            notes=self._notes(),
        )

    def team_table(self, council: Council) -> Table:
        rows: list[Sequence[Cell]] = []
        for check in CHECKS:
            for team, count in self.teams.get((check.key, council.pk), []):
                rows.append([check.name, team, count.checked, count.failing, count.percent])
        return Table(
            caption=f"Missing or invalid values by team, {council.name}",
            columns=["Check", "Team", "Records checked", "Missing or invalid", "%"],
            numeric=[False, False, True, True, True],
            rows=rows,
        )

    def download_table(self) -> Table:
        """Everything the page shows, in one long table: council totals and teams."""
        rows: list[Sequence[Cell]] = []
        for check in CHECKS:
            for council in self.councils:
                count = self.total(check.key, council)
                rows.append(
                    [
                        check.name,
                        check.affects,
                        council.name,
                        ALL_TEAMS,
                        count.checked,
                        count.failing,
                        count.percent,
                    ]
                )
                for team, team_count in self.teams.get((check.key, council.pk), []):
                    rows.append(
                        [
                            check.name,
                            check.affects,
                            council.name,
                            team,
                            team_count.checked,
                            team_count.failing,
                            team_count.percent,
                        ]
                    )
        return Table(
            caption="Data quality",
            columns=[
                "Check",
                "What it affects",
                "Council",
                "Team",
                "Records checked",
                "Missing or invalid",
                "%",
            ],
            numeric=[False, False, False, False, True, True, True],
            rows=rows,
            notes=self._notes(),
        )

    def _notes(self) -> list[str]:
        return [
            f"Records from {govuk_date(self.first)} to {govuk_date(self.last)}. Counts only.",
            "Teams are shown for the councils you work for; other councils' totals only.",
        ]


def compute_data_quality(
    *, councils: Sequence[Council], detail: Sequence[Council], first: date, last: date
) -> DataQuality:
    """Every check for ``councils`` over records dated ``first`` to ``last``; teams for the
    councils also in ``detail``."""
    ids = [c.pk for c in councils]
    detail_ids = {c.pk for c in detail}
    result = DataQuality(list(councils), [c for c in councils if c.pk in detail_ids], first, last)
    team_counts: list[tuple[str, int, int | None, Tally]] = []
    # Checks on the same records share one query (a count per check in the same GROUP BY).
    groups: dict[tuple[object, ...], list[Check]] = {}
    for check in CHECKS:
        shape = (check.query, check.council_field, check.team_field, check.distinct)
        groups.setdefault(shape, []).append(check)
    for checks in groups.values():
        team_counts += _count(checks, result, ids, detail_ids)

    names = dict(
        Team.objects.filter(pk__in={t for _, _, t, _ in team_counts if t}).values_list("pk", "name")
    )
    for key, council_id, team_id, count in team_counts:
        name = names.get(team_id, NO_TEAM) if team_id else NO_TEAM
        result.teams.setdefault((key, council_id), []).append((name, count))
    for rows_ in result.teams.values():
        rows_.sort(key=lambda item: (item[0] == NO_TEAM, item[0]))
    return result


def _count(
    checks: list[Check], result: DataQuality, ids: Sequence[int], detail_ids: set[int]
) -> list[tuple[str, int, int | None, Tally]]:
    """Run ``checks`` (all on the same records) in one grouped query, adding council totals
    to ``result``; return the teams' counts for the councils in detail."""
    shape = checks[0]
    council_field, team_field, distinct = shape.council_field, shape.team_field, shape.distinct
    records = shape.query(ids, result.first, result.last)
    counted = distinct or "pk"
    measures = {"checked": Count(counted, distinct=bool(distinct))}
    for index, check in enumerate(checks):
        measures[f"failing_{index}"] = Count(counted, filter=check.failing, distinct=bool(distinct))
    if team_field is None or distinct:
        # Council totals of their own: distinct children are not the sum of their teams'.
        for council_id, checked, *failing in (
            records.values_list(council_field).annotate(**measures).order_by()
        ):
            for check, bad in zip(checks, failing, strict=True):
                result.totals[(check.key, council_id)] = Tally(checked, bad)
    if team_field is None:
        return []
    if distinct:
        records = records.filter(**{f"{council_field}__in": detail_ids or [0]})
    teams: list[tuple[str, int, int | None, Tally]] = []
    for council_id, team_id, checked, *failing in (
        records.values_list(council_field, team_field).annotate(**measures).order_by()
    ):
        for check, bad in zip(checks, failing, strict=True):
            if not distinct:
                before = result.totals.get((check.key, council_id), Tally(0, 0))
                result.totals[(check.key, council_id)] = Tally(
                    before.checked + checked, before.failing + bad
                )
            if council_id in detail_ids:
                teams.append((check.key, council_id, team_id, Tally(checked, bad)))
    return teams
