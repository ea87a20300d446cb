"""Writing the planned contacts as the front door's services would have: the contact, its
status changes, decision, sharing decisions, the referrer's involvement and chronology."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.demo.generator.fitting import fits_someone, is_worry
from continuum.demo.generator.historic import Rows, Version, chronology, involve
from continuum.demo.generator.steps.front_door.figures import (
    PREFERRED_INDICATORS,
    SOURCE_GROUPS,
    SOURCE_PREFIX,
)
from continuum.demo.generator.steps.front_door.planning import FrontDoorPlanner
from continuum.demo.generator.steps.front_door.records import Planned, local
from continuum.demo.generator.steps.front_door.referrers import Referrers
from continuum.demo.generator.steps.front_door.triage import TriageWriter
from continuum.demo.generator.steps.front_door.words import (
    NOT_SHARED,
    SHARED_WITH,
    concerns,
    difference_reason,
    rationale,
)
from continuum.demo.generator.world import DemoPerson, World
from continuum.front_door.choices import (
    OUTCOME_LEVELS,
    ContactStatus,
    LawfulBasis,
    Outcome,
    ReferralSource,
)
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    DomesticAbuseNotification,
    NotificationChild,
    SharingDecision,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.services import (
    REFERRER_INVOLVEMENT_AFTER_DECISION,
)
from continuum.people.choices import ChronologyCategory
from continuum.people.models import ChronologyEvent
from continuum.thresholds.models import Indicator
from continuum.thresholds.rules import IndicatorFacts, Suggestion, suggest_level
from continuum.thresholds.selectors import current_version
from continuum.timescales.working_days import (
    assessment_due_date,
)


class FrontDoorWriter:
    """Turns the plan into the rows the front door's services would have written."""

    def __init__(self, world: World, planner: FrontDoorPlanner, rows: Rows | None = None) -> None:
        self.world = world
        self.plan = planner
        self.rng = world.rng
        self.faker = world.faker
        self.rows = rows if rows is not None else Rows(world)
        self.referrers = Referrers(world)
        self.triage = TriageWriter(world, self.rows)
        version = current_version()
        if version is None:
            raise LookupError("The threshold framework has no current version.")
        self.indicators = list(
            Indicator.objects.filter(version=version).select_related("domain").order_by("code")
        )

    def write(self) -> None:
        for p in self.plan.contacts:
            self.contact(p)
        for n in self.plan.notifications:
            self.triage.notification(n)
        for meeting, notifications in self.plan.meetings:
            self.triage.meeting(meeting, notifications)
        self.rows.save(
            Contact,
            ContactChild,
            ContactAdult,
            Contact.presenting_indicators.through,
            ContactStatusChange,
            SharingDecision,
            ContactDecision,
            ContactDecision.indicators.through,
            DomesticAbuseNotification,
            NotificationChild,
            TriageMeeting,
            TriageAttendance,
            TriageOutcome,
            Involvement,
            ChronologyEvent,
        )

    def contact(self, p: Planned) -> None:
        world, rng, key = self.world, self.rng, p.key
        referrer, how = self.referrers.referrer(p)
        created_by = p.created_by
        assert created_by is not None
        contact = Contact(
            id=world.new_uuid(),
            council=world.councils[key],
            team=(
                world.teams[f"{key}:front-door"]
                if created_by.role == Role.FRONT_DOOR_WORKER and p.notification is None
                else None
            ),
            received_at=p.received_at,
            how_received=how,
            referral_source=p.source,
            referrer_name=referrer.name,
            referrer_organisation=referrer.organisation,
            referrer_organisation_name=referrer.organisation_name,
            referrer_role=referrer.role,
            referrer_phone=referrer.phone,
            referrer_email=referrer.email,
            referrer_address=referrer.address,
            # As record_contact: the recorder is the referrer unless a front-door worker
            # took it (a triage contact is the front door's own).
            referrer_user=(
                created_by
                if created_by.role != Role.FRONT_DOOR_WORKER and p.notification is None
                else None
            ),
            created_by=created_by,
            is_repeat=p.is_repeat,
            # As joint triage: the notification's flag and DASH risk level on the contact
            # (the MARAC decision is added when the triage is written).
            domestic_abuse=p.notification is not None,
            dash_risk=p.notification.risk if p.notification is not None else "",
        )
        p.row = contact
        self.referrers.consent(p, referrer, contact)
        level, suggest = self.decision_level(p)
        indicators = self.indicators_for(p, level, suggest=suggest)
        if p.sign_off:
            level3 = [i for i in self.fitting(p) if i.level == 3 and i not in indicators]
            indicators = sorted([*indicators, rng.choice(level3)], key=lambda i: i.code)
        contact.concerns = concerns(self.rng, p, indicators)
        if p.step_up is not None:
            contact.referrer_view_of_level = 4
        elif not p.draft and rng.random() < 0.7:
            contact.referrer_view_of_level = max(1, min(4, level + rng.choice((-1, 0, 0, 0, 1))))
        # What the referrer ticked: worries only (a level 1 indicator is a strength).
        presenting = (
            [i for i in indicators if is_worry(i.level)]
            if rng.random() < 0.6 and p.step_up is None
            else []
        )
        if p.decided_at is not None and not p.draft:
            self.decision(p, contact, level, indicators)
        contact.status = p.status
        contact.submitted_at = p.submitted_at
        contact.decided_at = p.decided_at
        contact.created_at = p.events[0][1]
        contact.version = len(p.events) if p.notification is None else len(p.events) - 1
        self.rows.add(contact, *self.contact_versions(p))
        self.status_changes(p, contact)
        for child in p.children:
            self.rows.add(ContactChild(contact=contact, person=child.person))
        for adult, relationship in self.adults_of(p):
            self.rows.add(
                ContactAdult(contact=contact, person=adult.person, relationship=relationship)
            )
        through = Contact.presenting_indicators.through
        for indicator in presenting:
            self.rows.add(through(contact=contact, indicator=indicator))
        if not p.draft:
            self.sharing(p, contact, created_by)
            self.submission(p, contact, created_by)

    def contact_versions(self, p: Planned) -> list[Version]:
        versions = []
        for status, at, by, _ in p.events:
            state: dict[str, object] = {"status": status}
            if status == ContactStatus.DRAFT:
                state.update(submitted_at=None, is_repeat=False)
            if status not in (ContactStatus.DECIDED, ContactStatus.CLOSED):
                state["decided_at"] = None
            versions.append(Version(at=at, by=by, state=state))
        if p.notification is not None:
            # Saved straight into screening, then its repeat flag (see the triage service).
            screening = versions[1]
            first = Version(screening.at, screening.by, {**screening.state, "is_repeat": False})
            versions = [first, *versions[1:]]
        return versions

    def status_changes(self, p: Planned, contact: Contact) -> None:
        previous = ContactStatus.DRAFT if p.notification is not None else ""
        for status, at, by, note in p.events:
            self.rows.add(
                ContactStatusChange(
                    contact=contact,
                    from_status=previous,
                    to_status=status,
                    changed_by=by,
                    changed_at=at,
                    note=note,
                )
            )
            previous = status

    def adults_of(self, p: Planned) -> list[tuple[DemoPerson, str]]:
        if p.notification is not None:
            n = p.notification
            adults = [(n.victim, "Victim")]
            if n.perpetrator is not None:
                adults.append((n.perpetrator, "Alleged perpetrator"))
            return adults
        names = {
            "mother": "Mother", "father": "Father", "step_father": "Stepfather",
            "grandmother": "Grandmother", "grandfather": "Grandfather",
        }  # fmt: skip
        return [(a, names.get(a.role, "Adult in the household")) for a in p.family.adults]

    def decision_level(self, p: Planned) -> tuple[int, int | None]:
        """(the worker's level, the level the indicators suggest when it differs)."""
        if p.draft:
            return 2, None
        levels = sorted(OUTCOME_LEVELS[p.outcome])
        level = levels[0] if len(levels) == 1 else (1 if self.rng.random() < 0.55 else 2)
        if p.notification is not None:
            level = max(level, 2)
        if self.rng.random() < 0.08:  # the worker's judgement differs from the suggestion
            if level in (1, 4):
                return level, 2 if level == 1 else 3
            return level, level + self.rng.choice((-1, 1))
        return level, None

    def fitting(self, p: Planned) -> list[Indicator]:
        """The indicators that fit one of the contact's children at their age."""
        ages = [c.age_on(p.received_on) for c in p.children]
        return [i for i in self.indicators if fits_someone(i.code, ages)]

    def indicators_for(self, p: Planned, level: int, *, suggest: int | None) -> list[Indicator]:
        """Indicators from the current framework whose suggested level is ``suggest`` (the
        level itself unless the worker's judgement differs), the kind the referrer would
        describe where there is a choice."""
        target, rng = suggest or level, self.rng
        group = "domestic abuse" if p.notification else SOURCE_GROUPS.get(p.source, "other")
        preferred = set(PREFERRED_INDICATORS.get(group, ()))
        usable = self.fitting(p)

        def liked(candidates: list[Indicator]) -> list[Indicator]:
            return [i for i in candidates if i.code in preferred] or candidates

        level_2 = [i for i in usable if i.level == 2]
        if target == 3 and rng.random() < 0.25:
            # Several level 2 needs across domains: the framework suggests level 3.
            chosen = rng.sample(level_2, 3)
            if len({i.domain.code for i in chosen}) >= 2:
                return sorted(chosen, key=lambda i: i.code)
        chosen = [rng.choice(liked([i for i in usable if i.level == target]))]
        lower = liked([i for i in usable if i.level < target])
        chosen += rng.sample(lower, min(rng.choice((0, 1, 1, 2)), len(lower)))
        if target == 2:  # at most two level 2 needs, or the framework suggests level 3
            chosen = [i for i in chosen if i.level < 2] + [i for i in chosen if i.level == 2][:2]
        if suggestion_for(chosen).level != target:
            chosen = chosen[:1]
        return sorted(chosen, key=lambda i: i.code)

    def decision(
        self, p: Planned, contact: Contact, level: int, indicators: list[Indicator]
    ) -> None:
        """The threshold decision (and its sign-off) as ``decide_contact`` records it."""
        decided_at = p.decided_at
        assert decided_at is not None
        by = self.decider(p)
        suggestion = suggestion_for(indicators)
        needs_sign_off = p.outcome == Outcome.NO_FURTHER_ACTION and any(
            i.level >= 3 for i in indicators
        )
        decision = ContactDecision(
            contact=contact,
            level=level,
            suggested_level=suggestion.level,
            suggestion_reasons="\n".join(suggestion.reasons),
            difference_reason=(
                difference_reason(self.rng, level, suggestion.level)
                if suggestion.level != level
                else ""
            ),
            outcome=p.outcome,
            rationale=rationale(p, indicators),
            decided_by=by,
            decided_at=decided_at,
            needs_manager_sign_off=needs_sign_off,
        )
        if p.outcome == Outcome.SOCIAL_CARE_ASSESSMENT:
            decision.assessment_due_date = assessment_due_date(local(decided_at).date())
        versions = [Version(at=decided_at, by=by)]
        finisher = by
        final: datetime | None = decided_at
        if needs_sign_off:
            manager = self.plan.managers[p.key]
            signed = decided_at if by == manager else self.plan.office_time(decided_at, 20, 300)
            if p.hold_sign_off or signed > self.plan.cutoff:
                final = None
            else:
                decision.signed_off_by, decision.signed_off_at = manager, signed
                finisher, final = manager, signed
                if signed != decided_at:
                    unsigned = {"signed_off_by": None, "signed_off_at": None}
                    versions = [Version(at=decided_at, by=by, state=unsigned)]
                    versions.append(Version(at=signed, by=manager))
        self.rows.add(decision, *versions)
        through = ContactDecision.indicators.through
        for indicator in indicators:
            self.rows.add(through(contactdecision=decision, indicator=indicator))
        p.decision = decision
        p.decided_at = final
        if final is None:  # waiting for the manager: still in screening
            return
        p.events.append((ContactStatus.DECIDED, final, finisher, ""))
        self.decision_chronology(p, decision, finisher, final)
        closed = self.plan.office_time(final, 60 * 6, 60 * 24 * 8)
        if closed <= self.plan.cutoff and (p.earlier or self.rng.random() < 0.6):
            p.events.append((ContactStatus.CLOSED, closed, self.plan.worker(p.key), ""))

    def decider(self, p: Planned) -> User:
        if p.outcome == Outcome.STRATEGY_DISCUSSION and self.rng.random() < 0.5:
            return self.plan.managers[p.key]
        return self.plan.worker(p.key)

    def submission(self, p: Planned, contact: Contact, created_by: User) -> None:
        """Submitting writes the children's chronology and, for a referrer with an
        account, their involvement, which ends 28 days after the decision (a triage
        contact's chronology event is the police incident)."""
        submitted = p.submitted_at
        assert submitted is not None
        source = f"{SOURCE_PREFIX}{contact.pk}"
        for child in p.children:
            if p.notification is not None:
                chronology(
                    self.rows,
                    person=child,
                    on=local(p.notification.incident_at).date(),
                    category=ChronologyCategory.POLICE,
                    title="Domestic-abuse incident notified by the police; joint triage held",
                    source=source,
                    by=created_by,
                    at=submitted,
                )
                continue
            chronology(
                self.rows,
                person=child,
                on=p.received_on,
                category=ChronologyCategory.CONTACT,
                title=f"Contact to the front door from {ReferralSource(p.source).label}",
                source=source,
                by=created_by,
                at=submitted,
            )
            if contact.referrer_user is not None:
                decided = p.decided_at
                involve(
                    self.rows,
                    user=contact.referrer_user,
                    person=child,
                    reason=InvolvementReason.REFERRER,
                    source=source,
                    starts_at=submitted,
                    ends_at=decided + REFERRER_INVOLVEMENT_AFTER_DECISION if decided else None,
                    ended_recorded_at=decided,
                )

    def decision_chronology(
        self, p: Planned, decision: ContactDecision, by: User, at: datetime
    ) -> None:
        assert p.row is not None
        title = f"Front-door decision: {Outcome(decision.outcome).label} (level {decision.level})"
        for child in p.children:
            chronology(
                self.rows,
                person=child,
                on=local(at).date(),
                category=ChronologyCategory.DECISION,
                title=title,
                detail=decision.rationale,
                source=f"{SOURCE_PREFIX}{p.row.pk}",
                by=by,
                at=at,
            )

    def sharing(self, p: Planned, contact: Contact, created_by: User) -> None:
        """Now and then the referrer records a decision to share, or not to share."""
        if p.notification is not None or self.rng.random() >= 0.1:
            return
        at = p.received_at + timedelta(minutes=self.rng.randint(1, 20))
        if self.rng.random() < 0.6:
            with_whom, what, purpose = self.rng.choice(SHARED_WITH)
            lawful_basis, reason, shared = str(LawfulBasis.PUBLIC_TASK), "", True
        else:
            what, with_whom, purpose, reason = self.rng.choice(NOT_SHARED)
            lawful_basis, shared = "", False
        self.rows.add(
            SharingDecision(
                contact=contact,
                shared=shared,
                what=what,
                with_whom=with_whom,
                purpose=purpose,
                lawful_basis=lawful_basis,
                reason=reason,
                recorded_by=created_by,
                recorded_at=at,
            )
        )


def suggestion_for(indicators: Iterable[Indicator]) -> Suggestion:
    return suggest_level(
        [
            IndicatorFacts(code=i.code, title=i.title, level=i.level, domain=i.domain.code)
            for i in indicators
        ]
    )
