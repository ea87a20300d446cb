"""Small builders for the engine's hand-counted fixtures: each makes one real record with
just the dates and values an indicator reads, so a test reads like the sum it checks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.early_help.choices import AgencyKind, EpisodeStatus, NeedOutcome
from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    Closure,
    Episode,
    Need,
    NeedClosureOutcome,
    Plan,
    Review,
    SupportingFamiliesOutcome,
    SustainedOutcomeCheck,
    TafAttendee,
    TafMeeting,
)
from continuum.front_door.choices import OUTCOME_LEVELS, Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council, Locality, Organisation, Team
from continuum.people.choices import Ethnicity, PersonKind
from continuum.people.models import Household, HouseholdMember, Person
from continuum.performance.models import AgeBand, ChildPopulation
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.testing import factories
from continuum.thresholds.models import Domain


def at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock local time on ``day``."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def worker(council: Council) -> User:
    return cast(
        User,
        factories.UserFactory(
            role=Role.EARLY_HELP_PRACTITIONER, organisation=factories.council_services(council)
        ),
    )


def child(council: Council, born: date, ethnicity: str = Ethnicity.WBRI) -> Person:
    return cast(
        Person,
        factories.PersonFactory(council=council, date_of_birth=born, ethnicity=ethnicity),
    )


def population(council: Council, year: int, per_band: int) -> None:
    """``per_band`` children in each of the four age bands in mid-``year``."""
    for band in AgeBand:
        ChildPopulation.objects.create(
            council=council, mid_year=year, age_band=band, children=per_band, source="Test"
        )


def team(council: Council, name: str, locality: str) -> Team:
    place, _ = Locality.objects.get_or_create(council=council, name=locality)
    return cast(
        Team,
        factories.TeamFactory(
            organisation=factories.council_services(council), name=name, locality=place
        ),
    )


def contact(
    council: Council,
    received: datetime,
    *,
    children: list[Person],
    decided: datetime | None = None,
    outcome: str | None = None,
    **fields: Any,
) -> Contact:
    """A submitted contact; decided at ``decided`` (with ``outcome``) if given."""
    made = cast(
        Contact,
        factories.ContactFactory(
            council=council, received_at=received, decided_at=decided, children=children, **fields
        ),
    )
    if outcome is not None:
        assert decided is not None
        ContactDecision.objects.create(
            contact=made,
            level=min(OUTCOME_LEVELS[outcome]),
            outcome=outcome,
            rationale="Test decision.",
            decided_by=made.created_by,
            decided_at=decided,
        )
    return made


def episode(
    council: Council,
    start: date,
    *,
    children: list[Person],
    team_: Team | None = None,
    allocated: date | None = None,
    lead: Organisation | None = None,
    end: date | None = None,
    closure_reason: str | None = None,
) -> Episode:
    """An episode started on ``start``; allocated to ``lead`` on ``allocated``; closed on
    ``end`` with ``closure_reason``."""
    fields: dict[str, Any] = {}
    if team_ is not None:
        fields = {"team": team_, "locality": team_.locality}
    made = cast(
        Episode,
        factories.EpisodeFactory(
            council=council,
            start_date=start,
            children=children,
            status=EpisodeStatus.ALLOCATED if allocated else EpisodeStatus.AWAITING_ALLOCATION,
            allocated_at=at(allocated) if allocated else None,
            lead_professional_organisation=lead
            or (factories.council_services(council) if allocated else None),
            end_date=end,
            **fields,
        ),
    )
    if end is not None:
        Closure.objects.create(
            episode=made,
            closed_on=end,
            reason=closure_reason or "needs_met",
            closed_by=worker(council),
        )
        made.status = EpisodeStatus.CLOSED
        made.save(update_fields=["status"])
    return made


def assessment(
    made: Episode,
    due: date,
    completed: date | None,
    *,
    voice: str = "",
    observed: str = "",
) -> Assessment:
    a = Assessment.objects.create(
        episode=made, started_on=made.start_date, due_date=due, completed_on=completed
    )
    if voice or observed:
        ChildVoice.objects.create(
            assessment=a,
            child=made.children.get(),
            what_the_child_said=voice,
            what_was_observed=observed,
            not_gathered_reason="Too young to say." if observed else "",
        )
    return a


def plan(made: Episode, created: date) -> Plan:
    return Plan.objects.create(episode=made, created_on=created, next_review_due=created)


def review(made: Episode, held: date) -> Review:
    return Review.objects.create(
        episode=made, held_on=held, summary="Reviewed.", recorded_by=worker(made.council)
    )


def taf_meeting(made: Episode, held: date, attendees: list[tuple[str, bool]]) -> TafMeeting:
    """A TAF meeting with one invitee per (agency, attended) pair."""
    meeting = TafMeeting.objects.create(
        episode=made, held_on=held, decisions="Agreed.", recorded_by=worker(made.council)
    )
    for agency, attended in attendees:
        TafAttendee.objects.create(
            meeting=meeting, name=f"{agency} worker", agency=agency, attended=attended
        )
    return meeting


def need_outcomes(made: Episode, outcomes: list[str]) -> None:
    """One need per outcome, recorded at the episode's closure."""
    domain, _ = Domain.objects.get_or_create(code="test-domain", defaults={"name": "Test"})
    closure = made.closure
    for outcome in outcomes:
        need = Need.objects.create(episode=made, domain=domain, description="A need.")
        NeedClosureOutcome.objects.create(closure=closure, need=need, outcome=outcome)


def sustained_checks(made: Episode, due: date, results: list[str]) -> None:
    """One six-month check per result (blank: not yet checked), due on ``due``."""
    for i, result in enumerate(results):
        area, _ = SupportingFamiliesOutcome.objects.get_or_create(
            code=f"T{i}", defaults={"name": f"Test outcome {i}"}
        )
        SustainedOutcomeCheck.objects.create(
            closure=made.closure, outcome_area=area, follow_up_due=due, result=result
        )


def referral(
    council: Council,
    person: Person,
    start: date,
    end: date | None = None,
    *,
    source: str = "",
) -> StatutoryInvolvement:
    return StatutoryInvolvement.objects.create(
        council=council,
        person=person,
        kind=InvolvementKind.REFERRAL,
        start_date=start,
        end_date=end,
        referral_source=source,
    )


def part(
    parent: StatutoryInvolvement, kind: str, start: date, end: date | None = None
) -> StatutoryInvolvement:
    return StatutoryInvolvement.objects.create(
        council=parent.council,
        person=parent.person,
        kind=kind,
        referral=parent,
        start_date=start,
        end_date=end,
    )


def days(n: int) -> timedelta:
    return timedelta(days=n)


__all__ = ["AgencyKind", "NeedOutcome", "Outcome"]


# --- consent -----------------------------------------------------------------------------------


def adult(household: Household) -> Person:
    """An adult member of ``household``."""
    person = cast(
        Person,
        factories.PersonFactory(
            council=household.council, kind=PersonKind.ADULT, date_of_birth=date(1990, 1, 1)
        ),
    )
    HouseholdMember.objects.create(household=household, person=person)
    return person


def consent(
    person: Person,
    obtained: date,
    *,
    early_help: bool = True,
    parent: Person | None = None,
) -> ConsentRecord:
    """``person``'s consent obtained on ``obtained`` (given by ``parent`` when named):
    agreeing to early help (or, with ``early_help=False``, only to sharing with the TAF)."""
    by = worker(person.council)
    assert by.organisation is not None
    return ConsentRecord.objects.create(
        person=person,
        council=person.council,
        given_by=GivenBy.PARENT if parent is not None else GivenBy.SELF,
        given_by_person=parent,
        agrees_to_early_help=early_help,
        shares_with_taf=True,
        information_kinds=[InformationKind.FAMILY, InformationKind.EDUCATION],
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=obtained,
        obtained_by=by,
        obtained_by_organisation=by.organisation,
        recorded_by=by,
    )


def withdrawal(record: ConsentRecord, on: date, *, early_help: bool = False) -> ConsentWithdrawal:
    """A withdrawal from ``record`` on ``on``: of early help itself, or of TAF sharing."""
    return ConsentWithdrawal.objects.create(
        consent=record,
        withdrawn_on=on,
        early_help=early_help,
        taf_sharing=not early_help,
        told_how=ObtainedHow.PHONE,
        recorded_by=worker(record.council),
    )
