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
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.organisations.models import Organisation
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.people.selectors import break_glass_for_read, households_of, relationships_of
from continuum.ui.dates import govuk_date


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


def agencies_serving(person: Person) -> QuerySet[Organisation]:
    """The agencies a person's family may agree to share with: those serving their council
    (the council's own services among them)."""
    return Organisation.objects.filter(serves=person.council_id).order_by("name")


def is_current(record: ConsentRecord) -> bool:
    """Is ``record`` its person's consent now (no later record replaces it)?"""
    return not (
        ConsentRecord.objects.filter(person_id=record.person_id)
        .filter(
            Q(obtained_on__gt=record.obtained_on)
            | Q(obtained_on=record.obtained_on, recorded_at__gt=record.recorded_at)
        )
        .exists()
    )


def check_overdue(record: ConsentRecord, *, today: date | None = None) -> bool:
    """Is the date to check ``record`` again past?"""
    return record.review_on is not None and record.review_on < (today or timezone.localdate())


def givers_for(*, user: User, person: Person) -> list[tuple[Person, str]]:
    """Who may give consent for ``person`` (a child): the adults of their households now
    and the adults related to them, whom ``user`` may see, with how they are related."""
    found: dict[object, tuple[Person, str]] = {}
    for related in relationships_of(user=user, person=person):
        if related.person.kind == PersonKind.ADULT and related.person.pk != person.pk:
            found.setdefault(related.person.pk, (related.person, related.label))
    for household in households_of(user=user, person=person):
        if household.end_date is not None:
            continue
        for member in household.members:
            adult = member.person
            if adult.kind == PersonKind.ADULT and adult.pk != person.pk and member.end_date is None:
                found.setdefault(adult.pk, (adult, "in their household"))
    return sorted(found.values(), key=lambda pair: (pair[0].family_name, pair[0].given_name))


@dataclass(frozen=True)
class Change:
    """One line of a consent record's history: when, who, what."""

    at: datetime
    who: User | None
    what: str


def history_of(record: ConsentRecord) -> list[Change]:
    """Every saved version of ``record`` and of its withdrawals (django-simple-history),
    oldest first."""
    changes: list[Change] = []
    verbs = {"+": "recorded", "~": "changed", "-": "deleted"}
    for version in record.history.select_related("history_user").order_by("history_date"):
        verb = verbs.get(version.history_type, "changed")
        changes.append(Change(version.history_date, version.history_user, f"Consent {verb}"))
    withdrawals = ConsentWithdrawal.history.filter(consent_id=record.pk)
    for version in withdrawals.select_related("history_user").order_by("history_date"):
        verb = verbs.get(version.history_type, "changed")
        when = version.withdrawn_on
        changes.append(
            Change(
                version.history_date,
                version.history_user,
                f"Withdrawal of {govuk_date(when)} {verb}",
            )
        )
    return sorted(changes, key=lambda change: change.at)


def log_read(request: HttpRequest, *, user: User, person: Person) -> None:
    """One access-log row for reading ``person``'s consent through the API, with the reason
    of the emergency (break-glass) grant it is read through, as the record's pages do."""
    grant = break_glass_for_read(user=user, person=person)
    log_access(
        request=request,
        user=user,
        subject_id=person.pk,
        action=AccessAction.API_READ,
        break_glass_reason=grant.reason if grant else "",
    )
