"""Consent for the present day's early help (issue 13): for each open episode's family with
no consent recorded yet (opening an episode may already have recorded one: never a second),
a consent record for each child of the episode, through ``consent.services.record_consent``
as a practitioner would: given by a parent or carer for a young child, and by some
teenagers themselves with the practitioner's judgement of their competence; agreeing to
early help and to sharing with the Team Around the Family or with named agencies (the
child's school, nursery or GP practice), the kinds of information, how it was obtained, a
date on or before the episode started and a date to check it again six to twelve months on
(some now overdue). Then a few withdrawals through ``withdraw_consent``: in each council a
family stops sharing with one agency, and one family withdraws from early help itself.

Deterministic by seed (the step's own random stream); synthetic people only.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.consent.policies import ConsentAction
from continuum.consent.services import record_consent, withdraw_consent
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import DemoPerson, World
from continuum.early_help.choices import EpisodeOrigin, EpisodeStatus
from continuum.early_help.models import Episode
from continuum.notifications.models import Email, EmailState
from continuum.notifications.sending import send_email
from continuum.organisations.models import Organisation, OrganisationKind
from continuum.people.choices import PersonKind
from continuum.people.models import Person

# A young person this old or older may be judged competent to decide for themselves.
COMPETENT_FROM = 13
SELF_SHARE = 0.45  # of those teenagers
PARENT_ROLES = ("mother", "father", "step_father", "grandmother", "grandfather", "adult")
OBTAINED_HOW = {
    ObtainedHow.SIGNED_FORM: 50,
    ObtainedHow.IN_PERSON: 30,
    ObtainedHow.PHONE: 10,
    ObtainedHow.ELECTRONIC: 10,
}

COMPETENCE = (
    "{name} is {age} and took part in the whole conversation. {name} could tell me in "
    "their own words what early help is, who would be told what, and that they can say no "
    "or change their mind at any time. I am satisfied {name} understands and can decide.",
    "Spoke with {name} ({age}) on their own first. {name} asked sensible questions about "
    "what school would be told and weighed up sharing with the GP before agreeing. Judged "
    "competent to consent for themselves (Gillick).",
    "{name} ({age}) explained back to me why the family wanted help and what the TAF "
    "would do; clear, settled views, not led by anyone in the room. Competent to decide.",
)
NOTES = (
    "",
    "",
    "A copy of the consent form was left with the family.",
    "Went through the consent form at the first home visit; no questions.",
    "Explained what the Team Around the Family is and who would be invited.",
)
AGENCY_WITHDRAWN = (
    "The family asked that {agency} is no longer sent information about them; they are "
    "happy for everyone else in the plan to stay involved.",
    "Rang to say they would rather {agency} was not told about the plan any more. Agreed "
    "and told the TAF.",
)
EARLY_HELP_WITHDRAWN = (
    "Rang to say the family no longer want early help: things have settled and they feel "
    "able to manage with school's support. Explained that they can come back at any time "
    "and how."
)


@dataclass
class Recorded:
    """The consent recorded for one episode's family in this step."""

    episode: Episode
    by: User
    records: list[ConsentRecord] = field(default_factory=list)


@step(order=870)
def family_consent(world: World) -> None:
    writer = ConsentWriter(world)
    recorded = writer.record_all()
    agencies, early_help = writer.withdraw_some(recorded)
    # The lead professionals and managers told of a withdrawal: their emails go to the
    # demo's outbox now, as the worker would send them (a task run later finds them sent).
    for email_id in Email.objects.exclude(state=EmailState.SENT).values_list("pk", flat=True):
        send_email(email_id=email_id)
    records = sum(len(r.records) for r in recorded) - writer.found
    world.note(
        f"Consent: {records} records for {writer.families} families of open episodes "
        f"({writer.already} already had one, {writer.by_self} given by a young person "
        f"judged competent, {writer.overdue} with the check overdue); withdrawals: "
        f"sharing with an agency {agencies}, early help itself {early_help}."
    )


class ConsentWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.key_of = {c.pk: key for key, c in world.councils.items()}
        self.demo: dict[object, DemoPerson] = {p.person.pk: p for p in world.people}
        self.households: dict[object, list[DemoPerson]] = defaultdict(list)
        for p in world.people:
            self.households[p.household.pk].append(p)
        self.today = min(world.as_of, timezone.localdate())
        self.already = self.by_self = self.overdue = 0
        self.found = 0  # records made when the episodes were opened
        self.families = 0  # families whose consent this step records

    # --- who ---------------------------------------------------------------------------

    def _open_episodes(self) -> list[Episode]:
        return list(
            Episode.objects.filter(
                council__in=list(self.world.councils.values()), end_date__isnull=True
            )
            .exclude(pk__in=list(self.world.history_ids))
            .exclude(status=EpisodeStatus.CLOSED)
            .select_related("lead_professional__organisation", "household")
            .prefetch_related("children")
            .order_by("start_date", "pk")
        )

    def _adults(self, episode: Episode) -> list[DemoPerson]:
        found = [
            p
            for p in self.households[episode.household_id]
            if p.person.kind == PersonKind.ADULT and p.role in PARENT_ROLES
        ]
        return sorted(found, key=lambda p: PARENT_ROLES.index(p.role))

    def _recorder(self, episode: Episode, child: Person) -> User | None:
        """The lead professional if they may record it, else an early help practitioner
        of the council."""
        lead = episode.lead_professional
        if lead is not None and policy.can(lead, ConsentAction.RECORD, child):
            return lead
        staff = [
            u
            for u in self.world.staff.get(self.key_of[episode.council_id], [])
            if u.role == Role.EARLY_HELP_PRACTITIONER
        ]
        self.rng.shuffle(staff)
        return next((u for u in staff if policy.can(u, ConsentAction.RECORD, child)), None)

    # --- recording ---------------------------------------------------------------------

    def record_all(self) -> list[Recorded]:
        episodes = self._open_episodes()
        family_ids = {
            e.pk: {c.pk for c in e.children.all()}
            | {a.person.pk for a in self.households[e.household_id]}
            for e in episodes
        }
        everyone = set().union(*family_ids.values()) if family_ids else set()
        consented = set(
            ConsentRecord.objects.filter(person__in=everyone).values_list("person_id", flat=True)
        )
        recorded = []
        for episode in episodes:
            if family_ids[episode.pk] & consented:
                # Recorded when the episode was opened (the early help step): those records
                # may be withdrawn from below like this step's own.
                self.already += 1
                found = self._recorded_already(episode, family_ids[episode.pk])
                if found is not None:
                    recorded.append(found)
                continue
            made = self._record_family(episode)
            if made is not None and made.records:
                recorded.append(made)
                self.families += 1
        return recorded

    def _recorded_already(self, episode: Episode, family: set[uuid.UUID]) -> Recorded | None:
        records = list(
            ConsentRecord.objects.filter(person__in=family).order_by("obtained_on", "pk")
        )
        by = self._recorder(episode, records[0].person) if records else None
        if by is None:
            return None
        self.found += len(records)
        return Recorded(episode, by, records)

    def _record_family(self, episode: Episode) -> Recorded | None:
        children = sorted(
            (c for c in episode.children.all() if c.kind == PersonKind.CHILD and c.date_of_birth),
            key=lambda c: (c.date_of_birth, c.pk),
        )
        adults = self._adults(episode)
        if not children:  # only an unborn baby: the expectant parent agrees for themselves
            children = [a.person for a in adults[:1]]
        if not children:
            return None
        by = self._recorder(episode, children[0])
        if by is None:
            return None
        rng = self.rng
        obtained = min(episode.start_date - timedelta(days=rng.randint(0, 7)), self.today)
        review = obtained + timedelta(days=rng.randint(182, 365))
        since = (self.world.as_of - obtained).days
        if since > 190 and rng.random() < 0.75:  # a six-month check, not yet made
            review = obtained + timedelta(days=rng.randint(182, since - 1))
        self.overdue += review < self.world.as_of
        taf = episode.level == 3 or rng.random() < 0.5
        how = rng.choices(list(OBTAINED_HOW), weights=list(OBTAINED_HOW.values()))[0]
        note = rng.choice(NOTES) if how == ObtainedHow.SIGNED_FORM else ""
        made = Recorded(episode, by)
        for child in children:
            demo = self.demo.get(child.pk)
            age = child.age_on(obtained) or 0
            agencies = self._agencies(demo, named=not taf or rng.random() < 0.3)
            parent: Person | None = None
            judgement = ""
            if child.kind == PersonKind.ADULT:
                pass
            elif age >= COMPETENT_FROM and (not adults or rng.random() < SELF_SHARE):
                judgement = rng.choice(COMPETENCE).format(name=child.given_name, age=age)
                self.by_self += 1
            elif adults:
                parent = adults[0].person
            else:
                continue
            made.records.append(
                record_consent(
                    by=by,
                    person=child,
                    given_by=GivenBy.PARENT if parent is not None else GivenBy.SELF,
                    given_by_person=parent,
                    competence_judgement=judgement,
                    agrees_to_early_help=True,
                    shares_with_taf=taf,
                    agencies=agencies,
                    information_kinds=self._kinds(episode, demo, age),
                    obtained_how=how,
                    obtained_on=obtained,
                    review_on=review,
                    notes=note,
                )
            )
        return made

    def _agencies(self, demo: DemoPerson | None, *, named: bool) -> list[Organisation]:
        if not named:
            return []
        found = [] if demo is None else [demo.school or demo.early_years, demo.gp_practice]
        agencies = [a for a in found if a is not None]
        health = self.world.organisations.get("health-visiting")
        if not agencies and health is not None:
            agencies = [health]
        return agencies

    def _kinds(self, episode: Episode, demo: DemoPerson | None, age: int) -> list[str]:
        rng = self.rng
        kinds = [InformationKind.FAMILY]
        if demo is not None and (demo.school or demo.early_years) or age >= 4:
            kinds.append(InformationKind.EDUCATION)
        if rng.random() < 0.8:
            kinds.append(InformationKind.HEALTH)
        if rng.random() < 0.4:
            kinds.append(InformationKind.HOUSING_MONEY)
        if episode.origin == EpisodeOrigin.STEP_DOWN:
            kinds.append(InformationKind.SOCIAL_CARE)
        if rng.random() < 0.15:
            kinds.append(InformationKind.POLICE)
        return [str(k) for k in kinds]

    # --- withdrawing -------------------------------------------------------------------

    def _withdrawn_on(self, record: ConsentRecord) -> date:
        day = self.world.as_of - timedelta(days=self.rng.randint(2, 25))
        return min(max(day, record.obtained_on + timedelta(days=1)), self.today)

    def _agencies_shared(self, episode: Episode, record: ConsentRecord) -> list[Organisation]:
        """The agencies ``record`` shares with that the family might stop sharing with: those
        it names, or, when it shares with the whole Team Around the Family, the partner
        agencies in the episode's team (never the council's own services)."""
        # Never the lead professional's own agency: the family's key worker stays theirs.
        lead_agency = episode.lead_professional_organisation_id
        named = sorted(
            (a for a in record.agencies.all() if a.pk != lead_agency), key=lambda a: a.name
        )
        if named or not record.shares_with_taf:
            return named
        members = episode.taf_members.filter(left_on__isnull=True).exclude(
            organisation__kind=OrganisationKind.COUNCIL_CHILDRENS_SERVICES
        )
        if lead_agency is not None:
            members = members.exclude(organisation_id=lead_agency)
        return sorted({m.organisation for m in members}, key=lambda a: a.name)

    def withdraw_some(self, recorded: list[Recorded]) -> tuple[int, int]:
        """In each council, one family stops sharing with one named agency; in the first,
        another family withdraws from early help itself."""
        agencies = early_help = 0
        used: set[object] = set()
        for council in self.world.councils.values():
            mine = [r for r in recorded if r.episode.council_id == council.pk]
            named = [
                (r, record, agency)
                for r in mine
                for record in r.records
                for agency in self._agencies_shared(r.episode, record)[:1]
            ]
            if named:
                made, record, agency = self.rng.choice(named)
                withdraw_consent(
                    by=made.by,
                    consent=record,
                    withdrawn_on=self._withdrawn_on(record),
                    told_how=ObtainedHow.PHONE,
                    agencies=[agency],
                    note=self.rng.choice(AGENCY_WITHDRAWN).format(agency=agency.name),
                )
                used.add(made.episode.pk)
                agencies += 1
            allocated = [
                r
                for r in mine
                if r.episode.pk not in used and r.episode.lead_professional_id is not None
            ]
            if early_help == 0 and allocated:
                made = self.rng.choice(allocated)
                record = made.records[0]
                withdraw_consent(
                    by=made.by,
                    consent=record,
                    withdrawn_on=self._withdrawn_on(record),
                    told_how=ObtainedHow.PHONE,
                    early_help=True,
                    note=EARLY_HELP_WITHDRAWN,
                )
                early_help += 1
        return agencies, early_help
