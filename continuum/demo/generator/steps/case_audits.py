"""Case audits (issue 14): the partnership's peer audit of last spring, closed, and this
autumn's, open, made through the case audits' own services so the records obey the same
rules as the app's (samples drawn from a seed, auditors never of the case's own council,
moderators never of their own cases, sight of the records ending when a programme closes).

The services stamp what they do with the present moment; the step then dates each thing
to when it would have happened (the spring, or the weeks before the as-of date). The
local programmes (Fairer Start and the others) are the five years' history's.

Runs last (order 1020): it samples the episodes every earlier step has made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from continuum.access.models import Involvement, ReadGrant
from continuum.accounts.models import User
from continuum.case_audits.choices import (
    SCALE_OPTIONS,
    CaseKind,
    CaseStatus,
    ConversationWith,
    SampleMethod,
    Scale,
    TemplateKind,
)
from continuum.case_audits.models import (
    ActionUpdate,
    AuditAction,
    AuditCase,
    AuditConversation,
    AuditProgramme,
    AuditTemplate,
    BlindRegrade,
    Finding,
    FrontDoorObservation,
)
from continuum.case_audits.policies import source_of
from continuum.case_audits.population import populations
from continuum.case_audits.services import actions as action_services
from continuum.case_audits.services.auditing import (
    managers_for,
    practitioners_for,
    questions_for_case,
    record_conversation,
    record_findings,
    submit_case,
)
from continuum.case_audits.services.moderation import moderate_case
from continuum.case_audits.services.observations import record_observation
from continuum.case_audits.services.programmes import (
    assign,
    close_programme,
    create_programme,
    draw_sample,
    open_programme,
)
from continuum.case_audits.services.regrades import grade_blind
from continuum.case_audits.services.templates import ensure_default_templates, questions_of
from continuum.demo.generator.registry import step
from continuum.demo.generator.steps import case_audit_words as words
from continuum.demo.generator.world import World
from continuum.front_door.models import ContactDecision

CLOSED_TITLE = "Early help peer audit: assessments and plans"
OPEN_TITLE = "Front door and early help: step-down and step-up"
AUDITORS = ("auditor.hartlepool", "auditor.middlesbrough", "auditor.redcar", "auditor.stockton")
LEAD = "partnership.lead"
# How well each council's cases go (a shift in grade: below 0 better, above worse), and how
# far its auditors' blind levels stray from the front door's: councils differ a little.
QUALITY = {"stockton": -0.3, "hartlepool": 0.0, "middlesbrough": 0.4, "redcar": 0.1}
STRAY = {"stockton": 0.15, "hartlepool": 0.25, "middlesbrough": 0.35, "redcar": 0.2}


class Auditing:
    """Does the audits of one programme, on the step's random stream."""

    def __init__(self, world: World, programme: AuditProgramme) -> None:
        self.world = world
        self.rng = world.rng
        self.programme = programme
        self.lead = world.users[LEAD]
        self.keys = {c.pk: k for k, c in world.councils.items()}

    def grade(self, council_id: Any, scale: str) -> int | None:
        if scale == Scale.COMMENT_ONLY:
            return None
        shift = QUALITY.get(self.keys.get(council_id, ""), 0.0)
        value = self.rng.gauss(2.2 + shift, 0.75)
        if scale == Scale.GRADES:
            return min(4, max(1, round(value)))
        return min(3, max(1, round(value - 0.6)))

    def comment(self, code: str, scale: str, grade: int | None) -> str:
        good, partly, bad = words.COMMENTS.get(code, ("", "", ""))
        if grade is None:
            return self.rng.choice((good, partly, bad))
        worst = len(SCALE_OPTIONS[scale])
        return good if grade <= worst // 2 else (partly if grade < worst else bad)

    def audit(self, case: AuditCase, *, complete: bool) -> AuditCase:
        by = case.auditor
        assert by is not None
        questions = questions_for_case(case)
        if not complete:
            questions = questions[: self.rng.randint(2, max(2, len(questions) // 2))]
        answers: dict[int, tuple[int | None, str]] = {}
        for question in questions:
            grade = self.grade(case.council_id, question.scale)
            needs = question.comment_required or question.scale == Scale.COMMENT_ONLY
            text = self.comment(question.code, question.scale, grade)
            answers[question.pk] = (grade, text if needs or self.rng.random() < 0.5 else "")
        graded = [g for q in questions if (g := answers[q.pk][0]) and q.scale == Scale.GRADES]
        overall = round(sum(graded) / len(graded)) if graded and complete else None
        case = record_findings(
            case=case,
            by=by,
            answers=answers,
            overall_grade=overall,
            strengths=self.rng.choice(words.STRENGTHS) if complete else "",
            areas_for_improvement=self.rng.choice(words.AREAS) if complete else "",
        )
        if not complete:
            return case
        self.converse(case)
        return submit_case(case=case, by=by)

    def converse(self, case: AuditCase) -> None:
        practitioner = (
            practitioners_for(case).order_by("last_name", "first_name", "username").first()
        )
        if case.episode_id and case.episode and case.episode.lead_professional_id:
            practitioner = (
                practitioners_for(case).filter(pk=case.episode.lead_professional_id).first()
                or practitioner
            )
        manager = managers_for(case).order_by("last_name", "first_name", "username").first()
        assert case.auditor is not None
        record_conversation(
            case=case,
            by=case.auditor,
            held_on=timezone.localdate(),
            held_with=ConversationWith.BOTH if manager else ConversationWith.PRACTITIONER,
            practitioner=practitioner,
            manager=manager,
            notes=self.rng.choice(words.CONVERSATIONS),
        )

    def moderate(self, case: AuditCase, moderators: Sequence[User]) -> AuditCase:
        # Never the case's own auditor, nor (in the demo) one of the case's own council.
        by = next(
            m
            for m in moderators
            if m.pk != case.auditor_id
            and (m.organisation is None or m.organisation.council_id != case.council_id)
        )
        grade = case.overall_grade
        note = ""
        if grade is not None and self.rng.random() < 0.15:
            grade = grade + 1 if grade < 4 and self.rng.random() < 0.6 else max(1, grade - 1)
            note = self.rng.choice(words.MODERATION_NOTES)
        return moderate_case(case=case, by=by, grade=grade, note=note)

    def regrade(self, regrade: BlindRegrade) -> BlindRegrade:
        decided = ContactDecision.objects.filter(contact_id=regrade.contact_id).first()
        level = decided.level if decided and decided.level else 2
        stray = STRAY.get(self.keys.get(regrade.council_id, ""), 0.2)
        roll = self.rng.random()
        if roll < stray / 5:
            level += self.rng.choice((-2, 2))
        elif roll < stray:
            level += self.rng.choice((-1, 1))
        level = min(4, max(1, level))
        assert regrade.auditor is not None
        return grade_blind(
            regrade=regrade,
            by=regrade.auditor,
            level=level,
            rationale=words.RATIONALES[{3: 0, 2: 1, 4: 2, 1: 3}[level]],
        )


def _templates() -> tuple[AuditTemplate, AuditTemplate]:
    current = {t.kind: t for t in ensure_default_templates()}
    return current[TemplateKind.CASE_AUDIT], current[TemplateKind.FRONT_DOOR_OBSERVATION]


def _sizes(programme: AuditProgramme, cases: int, regrades: int) -> tuple[int, int]:
    """As many cases (up to ``cases``) and re-grades (up to ``regrades``) a council as every
    council has to sample: a small world (the tests', the benchmark's tiniest) has fewer
    episodes in a period than the partnership's ten, and a sample larger than its
    population is refused."""
    smallest = min((p.size for p in populations(programme)), default=0)
    contacts = min((p.size for p in populations(programme, kind=CaseKind.CONTACT)), default=0)
    return min(cases, smallest), min(regrades, contacts)


def _programme(
    world: World, *, title: str, theme: str, start: date, end: date, regrades: int
) -> AuditProgramme | None:
    """The programme drawn, shared out and opened; None when a council has nothing in the
    period to sample (a world too small to audit)."""
    lead = world.users[LEAD]
    auditors = [world.users[name] for name in AUDITORS]
    template, _ = _templates()
    programme = create_programme(
        by=lead,
        title=title,
        theme=theme,
        template=template,
        case_kind=CaseKind.EPISODE,
        period_start=start,
        period_end=end,
        councils=[world.councils[k] for k in sorted(world.councils) if k in QUALITY],
        sample_method=SampleMethod.STRATIFIED,
        per_council=10,
        seed=world.rng.randrange(1, 2**31 - 1),
        regrade_per_council=regrades,
    )
    per_council, regrades = _sizes(programme, 10, regrades)
    if per_council == 0:
        programme.delete()
        return None
    AuditProgramme.objects.filter(pk=programme.pk).update(
        per_council=per_council, regrade_per_council=regrades
    )
    programme.refresh_from_db()
    draw_sample(programme=programme, by=lead)
    moderators = [lead, world.users["auditor.redcar"]]
    assign(
        programme=programme,
        by=lead,
        assignments=_round_robin(_cases(programme), auditors),
        regrade_assignments=_round_robin(_regrades(programme), auditors),
        moderators=moderators,
    )
    return open_programme(programme=programme, by=lead)


def _round_robin(
    items: Sequence[AuditCase | BlindRegrade], auditors: list[User]
) -> dict[Any, User]:
    """Each item (in the order of its record, so the same seed gives the same auditors) to
    the auditor of another council with the fewest so far."""
    load = {a.pk: 0 for a in auditors}
    given: dict[Any, User] = {}
    for item in items:
        eligible = [
            a
            for a in auditors
            if a.organisation is None or a.organisation.council_id != item.council_id
        ]
        chosen = min(eligible, key=lambda a: load[a.pk])
        load[chosen.pk] += 1
        given[item.pk] = chosen
    return given


def _cases(programme: AuditProgramme) -> list[AuditCase]:
    return list(
        programme.cases.select_related("programme", "episode", "auditor", "council").order_by(
            "council__name", "episode__start_date", "episode_id"
        )
    )


def _regrades(programme: AuditProgramme) -> list[BlindRegrade]:
    return list(
        programme.regrades.select_related("programme", "auditor", "contact").order_by(
            "council__name", "contact__received_at", "contact_id"
        )
    )


def _at(world: World, day: date, hour: int = 10) -> Any:
    return world.moment(day, hour=hour, minute=world.rng.randrange(0, 60, 5))


def _date_sight(programme: AuditProgramme, starts: Any, ends: Any) -> None:
    """The sight a programme gave, dated from its opening (to its closing)."""
    for model in (ReadGrant, Involvement):
        rows = model.objects.filter(source=source_of(programme))
        rows.update(starts_at=starts)
        if ends is not None:
            rows.exclude(ends_at=None).update(ends_at=ends)


def _date_case(world: World, case: AuditCase, day: date) -> None:
    AuditCase.objects.filter(pk=case.pk).update(
        submitted_at=_at(world, day) if case.submitted_at else None,
        moderated_at=_at(world, day + timedelta(days=world.rng.randint(4, 14)), 15)
        if case.moderated_at
        else None,
    )
    Finding.objects.filter(case=case).update(recorded_at=_at(world, day - timedelta(days=2)))
    AuditConversation.objects.filter(case=case).update(
        held_on=day - timedelta(days=1), recorded_at=_at(world, day - timedelta(days=1), 16)
    )


def _closed_actions(world: World, programme: AuditProgramme, closed: date) -> None:
    lead = world.users[LEAD]
    today = timezone.localdate()
    for n, council in enumerate(programme.councils.order_by("name")):
        owners = list(action_services.owners_for(council)[:3])
        picks = world.rng.sample(words.ACTIONS, 3)
        for i, description in enumerate(picks):
            action = action_services.add_action(
                programme=programme,
                by=lead,
                council=council,
                description=description,
                owner=owners[i % len(owners)],
                due_on=today,
            )
            # Done; open and due after the as-of date; open and overdue (two councils).
            if i == 0:
                assert action.owner is not None
                action_services.update_action(
                    action=action,
                    by=action.owner,
                    note="Done and shared with teams.",
                    status="done",
                )
                due, done = closed + timedelta(days=60), closed + timedelta(days=50)
            elif i == 2 and n % 2 == 0:
                due, done = world.as_of - timedelta(days=14 + 7 * n), None
            else:
                due, done = world.as_of + timedelta(days=30 + 15 * i), None
            AuditAction.objects.filter(pk=action.pk).update(
                due_on=due, done_on=done, created_at=_at(world, closed - timedelta(days=5))
            )
            ActionUpdate.objects.filter(action=action).update(recorded_at=_at(world, done or due))


def _observe(world: World, programme: AuditProgramme, day: date) -> None:
    _, template = _templates()
    for n, key in enumerate(sorted(k for k in world.councils if k in QUALITY)):
        council = world.councils[key]
        observer = world.users[AUDITORS[(n + 1) % len(AUDITORS)]]
        if observer.organisation and observer.organisation.council_id == council.pk:
            observer = world.users[AUDITORS[(n + 2) % len(AUDITORS)]]
        auditing = Auditing(world, programme)
        answers = {}
        for question in questions_of(template, council):
            grade = auditing.grade(council.pk, question.scale)
            answers[question.pk] = (grade, auditing.comment(question.code, question.scale, grade))
        graded = [g for g in (a[0] for a in answers.values()) if g]
        observation = record_observation(
            by=observer,
            council=council,
            template=template,
            observed_on=day + timedelta(days=7 * n),
            what_was_observed=world.rng.choice(words.OBSERVED),
            answers=answers,
            overall_grade=min(4, max(1, round(sum(graded) / len(graded)))),
            strengths=world.rng.choice(words.STRENGTHS),
            areas_for_improvement=world.rng.choice(words.AREAS),
            programme=programme,
        )
        moment = _at(world, day + timedelta(days=7 * n), 16)
        FrontDoorObservation.objects.filter(pk=observation.pk).update(
            recorded_at=moment, submitted_at=moment
        )


@step(order=1020)
def closed_peer_audit(world: World) -> None:
    """Last spring's peer audit: every case audited and moderated, re-grades graded, actions
    followed up, each front door observed; closed in the summer."""
    if not all(k in world.councils for k in QUALITY) or LEAD not in world.users:
        return
    year = world.as_of.year if world.as_of.month >= 7 else world.as_of.year - 1
    programme = _programme(
        world,
        title=CLOSED_TITLE,
        theme="The quality of early help assessments and plans, and the difference they make.",
        start=date(year - 1, 10, 1),
        end=date(year, 3, 31),
        regrades=10,
    )
    if programme is None:
        return
    auditing = Auditing(world, programme)
    moderators = list(
        programme.moderators.select_related("organisation").order_by("role", "username")
    )
    opened = date(year, 4, 14)
    for case in _cases(programme):
        case = auditing.audit(case, complete=True)
        case = auditing.moderate(case, moderators)
        _date_case(world, case, opened + timedelta(days=world.rng.randint(10, 40)))
    for regrade in _regrades(programme):
        auditing.regrade(regrade)
        moment = _at(world, opened + timedelta(days=world.rng.randint(3, 30)))
        BlindRegrade.objects.filter(pk=regrade.pk).update(graded_at=moment, revealed_at=moment)
    _observe(world, programme, date(year, 5, 5))
    closed = date(year, 6, 30)
    _closed_actions(world, programme, closed)
    close_programme(programme=programme, by=world.users[LEAD])
    AuditProgramme.objects.filter(pk=programme.pk).update(
        created_at=_at(world, date(year, 4, 1)),
        sampled_at=_at(world, date(year, 4, 7)),
        opened_at=_at(world, opened),
        closed_at=_at(world, closed, 16),
        audits_due_on=date(year, 5, 29),
    )
    _date_sight(programme, _at(world, opened), _at(world, closed, 16))
    world.note(f"{CLOSED_TITLE}: closed, {programme.cases.count()} cases moderated.")


@step(order=1030)
def open_peer_audit(world: World) -> None:
    """This autumn's audit, open: some cases not started, some in progress, a few awaiting
    moderation, and re-grades still to do."""
    if not all(k in world.councils for k in QUALITY) or LEAD not in world.users:
        return
    programme = _programme(
        world,
        title=OPEN_TITLE,
        theme="How families move between the front door, early help and social care.",
        start=world.as_of - timedelta(days=150),
        end=world.as_of - timedelta(days=45),
        regrades=6,
    )
    if programme is None:
        return
    auditing = Auditing(world, programme)
    opened = world.as_of - timedelta(days=21)
    for n, case in enumerate(_cases(programme)):
        stage = n % 10
        if stage < 3:
            continue  # not started
        case = auditing.audit(case, complete=stage >= 7)
        _date_case(world, case, world.as_of - timedelta(days=world.rng.randint(1, 12)))
    for n, regrade in enumerate(_regrades(programme)):
        if n % 2:
            continue  # still to do
        auditing.regrade(regrade)
        moment = _at(world, opened + timedelta(days=world.rng.randint(1, 15)))
        BlindRegrade.objects.filter(pk=regrade.pk).update(graded_at=moment, revealed_at=moment)
    AuditProgramme.objects.filter(pk=programme.pk).update(
        created_at=_at(world, opened - timedelta(days=10)),
        sampled_at=_at(world, opened - timedelta(days=7)),
        opened_at=_at(world, opened),
        audits_due_on=world.as_of + timedelta(days=28),
    )
    _date_sight(programme, _at(world, opened), None)
    waiting = programme.cases.filter(status=CaseStatus.SUBMITTED).count()
    world.note(f"{OPEN_TITLE}: open, {waiting} cases awaiting moderation.")
