"""What a family agrees to now: their consent records less what they withdrew.

Each person's consent is their latest record (a new record replaces an older one); the
family's agreement is read across the people given (an episode's children and the adults
of its household):

- early help is agreed when someone's current record agrees to it, and is withdrawn when
  anyone's current record has withdrawn it;
- sharing with an agency is agreed when someone's current record agrees to share with the
  whole Team Around the Family or names that agency, and nobody's current record has
  withdrawn it (by name, or by withdrawing sharing with the whole team where the agency
  was not named).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.people.models import Person


@dataclass(frozen=True)
class Standing:
    """One consent record with its withdrawals applied."""

    record: ConsentRecord
    early_help: bool
    early_help_withdrawn: bool
    taf: bool
    taf_withdrawn: bool
    agencies: frozenset[int]
    withdrawn_agencies: frozenset[int]
    information_kinds: frozenset[str]
    withdrawals: tuple[ConsentWithdrawal, ...]

    def shares_with(self, organisation_id: int) -> bool:
        if organisation_id in self.withdrawn_agencies:
            return False
        return organisation_id in self.agencies or self.taf


@dataclass(frozen=True)
class Agreement:
    """What the people given agree to now (``agreement_for``)."""

    standings: tuple[Standing, ...] = field(default=())

    @property
    def recorded(self) -> bool:
        return bool(self.standings)

    @property
    def early_help_withdrawn(self) -> bool:
        return any(s.early_help_withdrawn for s in self.standings)

    @property
    def early_help(self) -> bool:
        return not self.early_help_withdrawn and any(s.early_help for s in self.standings)

    def shares_with(self, organisation_id: int) -> bool:
        """Has the family agreed to share with this agency, with nobody withdrawing it?"""
        if any(
            organisation_id in s.withdrawn_agencies
            or (s.taf_withdrawn and organisation_id not in s.agencies)
            for s in self.standings
        ):
            return False
        return any(s.shares_with(organisation_id) for s in self.standings)

    @property
    def withdrawals(self) -> tuple[ConsentWithdrawal, ...]:
        return tuple(w for s in self.standings for w in s.withdrawals)


def _with_withdrawals(records: QuerySet[ConsentRecord]) -> QuerySet[ConsentRecord]:
    related = records.select_related("person", "given_by_person", "obtained_by_organisation")
    return related.prefetch_related(
        "agencies",
        Prefetch(
            "withdrawals",
            queryset=ConsentWithdrawal.objects.prefetch_related("agencies").order_by(
                "withdrawn_on", "recorded_at"
            ),
        ),
    )


def standing_of(record: ConsentRecord, *, on: date | None = None) -> Standing:
    """``record`` with the withdrawals made by ``on`` (all of them when not given)."""
    withdrawals = tuple(w for w in record.withdrawals.all() if on is None or w.withdrawn_on <= on)
    agreed_agencies = frozenset(a.pk for a in record.agencies.all())
    withdrawn_agencies = frozenset(a.pk for w in withdrawals for a in w.agencies.all())
    early_help_withdrawn = any(w.early_help for w in withdrawals)
    taf_withdrawn = any(w.taf_sharing for w in withdrawals)
    withdrawn_kinds = {k for w in withdrawals for k in w.information_kinds}
    return Standing(
        record=record,
        early_help=record.agrees_to_early_help and not early_help_withdrawn,
        early_help_withdrawn=record.agrees_to_early_help and early_help_withdrawn,
        taf=record.shares_with_taf and not taf_withdrawn,
        taf_withdrawn=record.shares_with_taf and taf_withdrawn,
        agencies=agreed_agencies - withdrawn_agencies,
        withdrawn_agencies=withdrawn_agencies,
        information_kinds=frozenset(record.information_kinds) - withdrawn_kinds,
        withdrawals=withdrawals,
    )


def current_records(people: Iterable[Person], *, on: date | None = None) -> list[ConsentRecord]:
    """Each person's latest consent record obtained by ``on`` (today's when not given)."""
    ids = [p.pk for p in people]
    records = ConsentRecord.objects.filter(person_id__in=ids)
    if on is not None:
        records = records.filter(obtained_on__lte=on)
    latest: dict[object, ConsentRecord] = {}
    for record in _with_withdrawals(records).order_by("-obtained_on", "-recorded_at"):
        latest.setdefault(record.person_id, record)
    return list(latest.values())


def agreement_for(people: Iterable[Person], *, on: date | None = None) -> Agreement:
    """What ``people`` (a family) agree to on ``on`` (now when not given)."""
    return Agreement(standings=tuple(standing_of(r, on=on) for r in current_records(people, on=on)))


def records_of(person: Person) -> QuerySet[ConsentRecord]:
    """Every consent record of ``person``, newest first, with their withdrawals."""
    return _with_withdrawals(ConsentRecord.objects.filter(person=person)).order_by(
        "-obtained_on", "-recorded_at"
    )
