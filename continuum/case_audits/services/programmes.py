"""Running an audit programme: creating and changing it while it is planned, drawing its
sample (and the blind re-grade sample), adding and withdrawing cases, giving cases to peer
auditors, opening it (which gives each auditor and moderator sight of exactly the sampled
records) and closing it (which ends that sight).

Only the safeguarding partnership's lead does these (``CaseAuditAction.RUN_PROGRAMMES``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from continuum.access import policy
from continuum.access.services import end_involvements_from, end_read_grants_from
from continuum.accounts.models import Role, User
from continuum.accounts.roles import MODERATOR_ROLES
from continuum.case_audits import population, sampling
from continuum.case_audits.choices import (
    CaseKind,
    CaseStatus,
    ProgrammeStatus,
    SampleMethod,
)
from continuum.case_audits.models import AuditCase, AuditProgramme, AuditTemplate, BlindRegrade
from continuum.case_audits.policies import CaseAuditAction, source_of
from continuum.case_audits.services.programmes_checks import check_fields, seed_for
from continuum.case_audits.services.programmes_sight import end_sight_of, give_sight
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council

# How a council's population is said: one, and many.
RECORD_WORDS: dict[str, tuple[str, str]] = {
    CaseKind.EPISODE: ("early help episode open", "early help episodes open"),
    CaseKind.CONTACT: ("decided contact received", "decided contacts received"),
}


def _require_lead(by: User, programme: AuditProgramme | None = None) -> None:
    policy.require(
        by,
        CaseAuditAction.RUN_PROGRAMMES,
        programme,
        message="Only the safeguarding partnership's lead runs audit programmes.",
    )


def _require_planning(programme: AuditProgramme, doing: str) -> None:
    if programme.status != ProgrammeStatus.PLANNING:
        raise InvalidState(
            f"The programme is {programme.get_status_display().lower()}: "
            f"{doing} only while it is being planned."
        )


def _locked(programme: AuditProgramme) -> AuditProgramme:
    """The programme, re-read and locked until the change's transaction ends."""
    return AuditProgramme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def create_programme(
    *,
    by: User,
    title: str,
    theme: str,
    template: AuditTemplate | None,
    case_kind: str,
    period_start: date | None,
    period_end: date | None,
    councils: Sequence[Council],
    sample_method: str,
    per_council: int = 10,
    seed: int | None = None,
    exclude_audited_within_days: int | None = None,
    regrade_per_council: int = 0,
    audits_due_on: date | None = None,
) -> AuditProgramme:
    """A new programme, being planned. A random or stratified one (or one with a re-grade
    sample) given no seed gets one, stored and shown, so the draw can be repeated."""
    _require_lead(by)
    fields: dict[str, Any] = {
        "title": title,
        "theme": theme,
        "template": template,
        "case_kind": case_kind,
        "period_start": period_start,
        "period_end": period_end,
        "sample_method": sample_method,
        "per_council": per_council,
        "exclude_audited_within_days": exclude_audited_within_days,
        "regrade_per_council": regrade_per_council,
        "audits_due_on": audits_due_on,
    }
    check_fields(by=by, councils=councils, fields={**fields, "seed": seed})
    fields["title"], fields["theme"] = title.strip(), theme.strip()
    programme = AuditProgramme.objects.create(**fields, seed=seed_for(seed, fields), created_by=by)
    programme.councils.set(list(councils))
    return programme


@transaction.atomic
def update_programme(
    *,
    programme: AuditProgramme,
    by: User,
    version: int | None = None,
    title: str,
    theme: str,
    template: AuditTemplate | None,
    case_kind: str,
    period_start: date | None,
    period_end: date | None,
    councils: Sequence[Council],
    sample_method: str,
    per_council: int = 10,
    seed: int | None = None,
    exclude_audited_within_days: int | None = None,
    regrade_per_council: int = 0,
    audits_due_on: date | None = None,
) -> AuditProgramme:
    """Change a programme being planned (the same checks as creating it). Changing what the
    sample is drawn from (kind, period, councils, method, size, seed, exclusions) takes the
    drawn sample away: draw it again. ``version``: the version the lead saw."""
    _require_lead(by, programme)
    programme = _locked(programme)
    _require_planning(programme, "it can be changed")
    fields: dict[str, Any] = {
        "title": title,
        "theme": theme,
        "template": template,
        "case_kind": case_kind,
        "period_start": period_start,
        "period_end": period_end,
        "sample_method": sample_method,
        "per_council": per_council,
        "exclude_audited_within_days": exclude_audited_within_days,
        "regrade_per_council": regrade_per_council,
        "audits_due_on": audits_due_on,
    }
    check_fields(by=by, councils=councils, fields={**fields, "seed": seed})
    if version is not None:
        claim_version(programme, version, what="programme")
    fields["title"], fields["theme"] = title.strip(), theme.strip()
    fields["seed"] = seed_for(seed if seed is not None else programme.seed, fields)
    before = {name: getattr(programme, name) for name in SAMPLE_FIELDS}
    before_councils = set(programme.councils.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(programme, name, value)
    after = {name: getattr(programme, name) for name in SAMPLE_FIELDS}
    if before != after or before_councils != {c.pk for c in councils}:
        _forget_drawn(programme, keep_hand_chosen=before["case_kind"] == case_kind)
        programme.sampled_at = None
    programme.save()
    programme.councils.set(list(councils))
    if before["case_kind"] == case_kind:
        programme.cases.exclude(council__in=list(councils)).delete()
    return programme


SAMPLE_FIELDS = (
    "case_kind",
    "period_start",
    "period_end",
    "sample_method",
    "per_council",
    "seed",
    "exclude_audited_within_days",
    "regrade_per_council",
)


def _forget_drawn(programme: AuditProgramme, *, keep_hand_chosen: bool = True) -> None:
    cases = programme.cases.all()
    if keep_hand_chosen:
        cases = cases.filter(chosen_by_hand=False)
    cases.delete()
    programme.regrades.all().delete()


# --- the sample ------------------------------------------------------------------------------


def _too_small(pops: Iterable[population.Population], size: int, kind: str) -> list[str]:
    one, many = RECORD_WORDS[kind]
    return [
        f"{pop.council.name} has {pop.size} {one if pop.size == 1 else many} in the period "
        f"after exclusions: a sample of {size} is larger than that."
        for pop in pops
        if pop.size < size
    ]


@transaction.atomic
def draw_sample(*, programme: AuditProgramme, by: User) -> AuditProgramme:
    """Draw the programme's sample from its seed (replacing a sample drawn before; cases
    chosen by hand stay), and its blind re-grade sample. Refused, with the numbers for each
    council and nothing saved, when a council has fewer records than the sample asks for."""
    _require_lead(by, programme)
    programme = _locked(programme)
    _require_planning(programme, "the sample can be drawn")
    method = programme.sample_method
    if method == SampleMethod.BY_HAND and not programme.regrade_per_council:
        raise InvalidState("This programme's cases are chosen by hand: add them one at a time.")
    if programme.seed is None:
        raise ValidationError({"seed": ["Give the programme a seed before drawing its sample."]})
    now = timezone.now()
    kind = programme.case_kind
    hand_chosen = _hand_chosen_ids(programme)
    new_cases: list[AuditCase] = []
    if method != SampleMethod.BY_HAND:
        pops = population.populations(programme, leave_out=hand_chosen, now=now)
        refusals = _too_small(pops, programme.per_council, kind)
        if refusals:
            raise ValidationError({"per_council": refusals})
        draw = sampling.draw_stratified if method == SampleMethod.STRATIFIED else sampling.draw
        for pop in pops:
            for chosen in draw(
                pop.candidates,
                programme.per_council,
                seed=programme.seed,
                stream=f"cases:council:{pop.council.dfe_la_code}",
            ):
                new_cases.append(_case(programme, pop.council, kind, chosen, method))
    new_regrades = _draw_regrades(programme, new_cases, hand_chosen, now)
    _forget_drawn(programme)
    AuditCase.objects.bulk_create(new_cases)
    BlindRegrade.objects.bulk_create(new_regrades)
    programme.sampled_at = now
    programme.save(update_fields=["sampled_at"])
    return programme


def _hand_chosen_ids(programme: AuditProgramme) -> set[Any]:
    field = "episode_id" if programme.case_kind == CaseKind.EPISODE else "contact_id"
    return set(programme.cases.filter(chosen_by_hand=True).values_list(field, flat=True))


def _case(
    programme: AuditProgramme,
    council: Council,
    kind: str,
    chosen: sampling.Candidate,
    method: str,
) -> AuditCase:
    level = chosen.level if method == SampleMethod.STRATIFIED else None
    record = {"episode_id" if kind == CaseKind.EPISODE else "contact_id": chosen.id}
    return AuditCase(programme=programme, council=council, level=level, **record)


def _draw_regrades(
    programme: AuditProgramme, new_cases: list[AuditCase], hand_chosen: set[Any], now: Any
) -> list[BlindRegrade]:
    size = programme.regrade_per_council
    if not size or programme.seed is None:
        return []
    leave_out: set[Any] = set()
    if programme.case_kind == CaseKind.CONTACT:
        leave_out = {str(c) for c in hand_chosen} | {str(c.contact_id) for c in new_cases}
    pops = population.populations(programme, kind=CaseKind.CONTACT, now=now)
    pops = [
        population.Population(
            council=pop.council,
            candidates=[c for c in pop.candidates if c.id not in leave_out],
            restricted=pop.restricted,
            excluded=pop.excluded,
        )
        for pop in pops
    ]
    refusals = _too_small(pops, size, CaseKind.CONTACT)
    if refusals:
        raise ValidationError({"regrade_per_council": refusals})
    regrades = []
    for pop in pops:
        for chosen in sampling.draw(
            pop.candidates,
            size,
            seed=programme.seed,
            stream=f"regrades:council:{pop.council.dfe_la_code}",
        ):
            regrades.append(
                BlindRegrade(programme=programme, council=pop.council, contact_id=chosen.id)
            )
    return regrades


def _record_of(programme: AuditProgramme, record_id: Any) -> Any:
    """The programme's kind of record ``record_id`` names, in one of its councils and not
    naming a restricted child; or a refusal at ``record_id``."""
    kind = programme.case_kind
    word = "early help episode" if kind == CaseKind.EPISODE else "decided contact"
    records = population.records_in_period(programme)
    try:
        found = records.filter(pk=record_id).first()
    except (ValidationError, ValueError):
        found = None
    if found is None:
        raise ValidationError(
            {
                "record_id": [
                    f"There is no {word} with that ID in the programme's councils and period."
                ]
            }
        )
    if records.filter(population.names_restricted_child(kind), pk=found.pk).exists():
        raise ValidationError(
            {
                "record_id": [
                    f"That {word} names a restricted child: a peer auditor could not read it."
                ]
            }
        )
    return found


@transaction.atomic
def add_case_by_hand(
    *, programme: AuditProgramme, by: User, record_id: Any, reason: str
) -> AuditCase:
    """Add one record to the sample by its ID, with the reason it was chosen. The lead
    never sees the record itself: they name it by the ID the council gave them."""
    _require_lead(by, programme)
    programme = _locked(programme)
    _require_planning(programme, "cases can be added")
    errors: dict[str, list[str]] = {}
    if not str(record_id or "").strip():
        errors["record_id"] = ["Enter the ID of the episode or contact."]
    if not reason.strip():
        errors["reason"] = ["Enter why this case was chosen."]
    if errors:
        raise ValidationError(errors)
    record = _record_of(programme, str(record_id).strip())
    field = "episode" if programme.case_kind == CaseKind.EPISODE else "contact"
    if programme.cases.filter(**{field: record}).exists():
        raise ValidationError({"record_id": ["That case is already in the sample."]})
    if field == "contact":  # a case is audited, not also re-grade blind
        programme.regrades.filter(contact_id=record.pk).delete()
    return AuditCase.objects.create(
        programme=programme,
        council_id=record.council_id,
        chosen_by_hand=True,
        reason=reason.strip(),
        **{field: record},
    )


@transaction.atomic
def withdraw_case(*, case: AuditCase, by: User, reason: str) -> AuditCase:
    """Take a case out of the sample, with why, while the programme is planned or open.
    Once open, its auditor and the moderators no longer see its record (nor the children
    it names, unless another case of the programme names them too)."""
    programme = case.programme
    _require_lead(by, programme)
    programme = _locked(programme)
    case = AuditCase.objects.select_for_update().get(pk=case.pk)
    if programme.status == ProgrammeStatus.CLOSED:
        raise InvalidState("The programme is closed: its sample can no longer change.")
    if case.status in (CaseStatus.WITHDRAWN, CaseStatus.MODERATED):
        raise InvalidState(f"This case is {case.get_status_display().lower()}: it stays as it is.")
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the case is taken out of the sample."]})
    case.status = CaseStatus.WITHDRAWN
    case.withdrawn_reason = reason.strip()
    case.save(update_fields=["status", "withdrawn_reason"])
    if programme.status == ProgrammeStatus.OPEN:
        end_sight_of(programme, case)
    return case


# --- sight of the sampled records ----------------------------------------------------------

# --- auditors and moderators ---------------------------------------------------------------


def _own_council_id(user: User) -> Any:
    return user.organisation.council_id if user.organisation is not None else None


def _auditor_refusal(auditor: User, council: Council) -> str | None:
    if auditor.role != Role.AUDITOR or not auditor.is_active:
        return f"{auditor} is not a peer auditor."
    if _own_council_id(auditor) == council.pk:
        return (
            f"{auditor} works for {council.name}: give {council.name}'s cases to an auditor "
            "from another council."
        )
    return None


def _check_moderators(moderators: Sequence[User]) -> None:
    if not_moderators := [str(m) for m in moderators if m.role not in MODERATOR_ROLES]:
        raise ValidationError(
            {
                "moderators": [
                    "Only peer auditors and the partnership's lead moderate: "
                    f"not {', '.join(not_moderators)}."
                ]
            }
        )


@transaction.atomic
def assign(
    *,
    programme: AuditProgramme,
    by: User,
    assignments: Mapping[Any, User],
    regrade_assignments: Mapping[Any, User] | None = None,
    moderators: Sequence[User] | None = None,
) -> AuditProgramme:
    """Give cases (by id) and re-grades (by id) to peer auditors, never of the case's own
    council, and set the moderators (when given), while the programme is planned."""
    _require_lead(by, programme)
    programme = _locked(programme)
    _require_planning(programme, "cases can be given to auditors")
    errors: list[str] = []
    cases = {str(c.pk): c for c in programme.cases.select_related("council")}
    regrades = {str(r.pk): r for r in programme.regrades.select_related("council")}
    changes: list[tuple[Any, User]] = []
    for rows, given in ((cases, assignments), (regrades, regrade_assignments or {})):
        for key, auditor in given.items():
            item = rows.get(str(key))
            if item is None or getattr(item, "status", None) == CaseStatus.WITHDRAWN:
                errors.append(f"{key} is not a case of this programme's sample.")
                continue
            refusal = _auditor_refusal(auditor, item.council)
            if refusal:
                errors.append(refusal)
            changes.append((item, auditor))
    if errors:
        raise ValidationError({"assignments": sorted(set(errors))})
    if moderators is not None:
        _check_moderators(moderators)
        programme.moderators.set(list(moderators))
    for item, auditor in changes:
        item.auditor = auditor
        item.save(update_fields=["auditor"])
    return programme


def _round_robin(
    items: Sequence[Any], auditors: Sequence[User], load: dict[int, int], what: str
) -> list[tuple[Any, User]]:
    """Each item to the eligible auditor with the fewest so far (ties: the order given)."""
    given: list[tuple[Any, User]] = []
    for item in items:
        eligible = [a for a in auditors if _own_council_id(a) != item.council_id]
        if not eligible:
            raise ValidationError(
                {
                    "auditors": [
                        f"{item.council.name}'s {what} have no auditor from another council: "
                        "add an auditor who does not work for it."
                    ]
                }
            )
        chosen = min(eligible, key=lambda a: load[a.pk])
        load[chosen.pk] += 1
        given.append((item, chosen))
    return given


@transaction.atomic
def assign_automatically(
    *, programme: AuditProgramme, by: User, auditors: Sequence[User], moderators: Sequence[User]
) -> AuditProgramme:
    """Share the sample's cases, then its re-grades, between ``auditors`` as evenly as they
    can be, never to an auditor of the case's own council; and set the moderators."""
    _require_lead(by, programme)
    if not auditors:
        raise ValidationError({"auditors": ["Choose at least one peer auditor."]})
    if not_auditors := [str(a) for a in auditors if a.role != Role.AUDITOR or not a.is_active]:
        raise ValidationError({"auditors": [f"Not peer auditors: {', '.join(not_auditors)}."]})
    _check_moderators(moderators)
    ordered = sorted(set(auditors), key=lambda a: (a.last_name, a.first_name, a.pk))
    load = {a.pk: 0 for a in ordered}
    cases = list(
        programme.cases.exclude(status=CaseStatus.WITHDRAWN)
        .select_related("council")
        .order_by("council__name", "pk")
    )
    regrades = list(programme.regrades.select_related("council").order_by("council__name", "pk"))
    case_plan = _round_robin(cases, ordered, load, "cases")
    regrade_plan = _round_robin(regrades, ordered, load, "contacts to re-grade")
    return assign(
        programme=programme,
        by=by,
        assignments={case.pk: auditor for case, auditor in case_plan},
        regrade_assignments={regrade.pk: auditor for regrade, auditor in regrade_plan},
        moderators=moderators,
    )


# --- opening and closing -------------------------------------------------------------------


def readiness(programme: AuditProgramme) -> list[str]:
    """What stops the programme opening (nothing: it may open)."""
    problems = []
    live = programme.cases.exclude(status=CaseStatus.WITHDRAWN)
    if not live.exists():
        problems.append("The sample has no cases: draw it or add cases by hand.")
    elif programme.sample_method != SampleMethod.BY_HAND and programme.sampled_at is None:
        problems.append("The sample has not been drawn.")
    if unassigned := live.filter(auditor__isnull=True).count():
        problems.append(f"{unassigned} of the sample's cases have no auditor.")
    if programme.regrade_per_council and not programme.regrades.exists():
        problems.append("The contacts to re-grade have not been drawn.")
    if regrades_unassigned := programme.regrades.filter(auditor__isnull=True).count():
        problems.append(f"{regrades_unassigned} of the contacts to re-grade have no auditor.")
    if not programme.moderators.exists():
        problems.append("The programme has no moderator.")
    return problems


@transaction.atomic
def open_programme(*, programme: AuditProgramme, by: User) -> AuditProgramme:
    """Open the programme: each case's auditor and the moderators now read exactly the
    sampled records and the children they name (not the contacts to re-grade: those are
    shown once graded or revealed), until it closes."""
    _require_lead(by, programme)
    programme = _locked(programme)
    _require_planning(programme, "it can be opened")
    if problems := readiness(programme):
        raise InvalidState(" ".join(problems))
    programme.status = ProgrammeStatus.OPEN
    programme.opened_at = timezone.now()
    programme.save(update_fields=["status", "opened_at"])
    give_sight(programme)
    return programme


@transaction.atomic
def close_programme(*, programme: AuditProgramme, by: User) -> AuditProgramme:
    """Close the programme once every case is moderated or withdrawn: everyone's sight of
    its records ends at once."""
    _require_lead(by, programme)
    programme = _locked(programme)
    if programme.status != ProgrammeStatus.OPEN:
        raise InvalidState(
            f"The programme is {programme.get_status_display().lower()}: only an open one closes."
        )
    waiting = programme.cases.exclude(status__in=[CaseStatus.MODERATED, CaseStatus.WITHDRAWN])
    if waiting.exists():
        counts = {
            str(CaseStatus(status).label).lower(): n
            for status, n in sorted(
                (row["status"], row["n"])
                for row in waiting.values("status").annotate(n=models.Count("pk"))
            )
        }
        said = ", ".join(f"{n} {label}" for label, n in counts.items())
        total = sum(counts.values())
        raise InvalidState(
            f"{total} {'case is' if total == 1 else 'cases are'} not yet moderated ({said}): "
            "close the programme once every case is moderated or taken out of the sample."
        )
    programme.status = ProgrammeStatus.CLOSED
    programme.closed_at = timezone.now()
    programme.save(update_fields=["status", "closed_at"])
    source = source_of(programme)
    end_read_grants_from(source=source)
    end_involvements_from(source=source)
    return programme
