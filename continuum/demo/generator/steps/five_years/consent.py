"""The history's consent: for each episode, the family's agreement to early help, and the
few withdrawals, so the consent indicators read like a real service's over five years.

Most families agreed on or before the day the episode started (a few days after it, for
about one in five: written up at the first visit); about one in twenty episodes opened on
a lawful basis instead and have no consent record; about one in sixteen had it recorded
late (weeks after the start). A parent or carer gives it for the youngest child, or an
older teenager for themselves. About half the families whose episodes closed because they
declined further help withdrew their agreement to early help a few days before; a few
others withdrew sharing with the Team Around the Family, or one kind of information, while
the episode was open.

Its own random stream (seeded from the run's seed), so the rest of the history is the
same with or without it; one row per episode at most, written in bulk with the history.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.demo.generator.steps.five_years.builder import Casefile, HistoryBuilder
from continuum.early_help.choices import ClosureReason, ConsentGround, EpisodeOrigin
from continuum.front_door.choices import LawfulBasis

LAWFUL_BASIS_SHARE = 0.05
LATE_SHARE = 0.06
AFTER_START_SHARE = 0.2  # of the rest: recorded within the week after the start
DECLINED_WITHDRAWS = 0.5
SHARING_WITHDRAWN = 0.03
SELF_FROM = 14
WITHOUT_AGREEMENT = (
    "The parents could not be reached before the children's needs had to be met; the school "
    "and the health visitor share the worry. Public task: the council's duty to provide "
    "early help (Children Act 2004, section 10)."
)
HOW = (ObtainedHow.SIGNED_FORM,) * 5 + (ObtainedHow.IN_PERSON,) * 3 + (ObtainedHow.PHONE,)
JUDGEMENT = (
    "{name} took part in the whole conversation, explained back what early help is and "
    "who would be told, and knows they can change their mind. Competent to decide."
)


def consent_history(builder: HistoryBuilder) -> tuple[int, int]:
    """Queue each episode's consent and withdrawals; (records, withdrawals) queued."""
    rng = random.Random(f"{builder.world.seed}:history-consent")
    records = withdrawals = 0
    for case in builder.cases:
        if rng.random() < LAWFUL_BASIS_SHARE:
            _opened_on_a_lawful_basis(case)
            continue
        record = _agreement(builder, rng, case)
        # What the episode went ahead on (docs/consent-in-early-help.md): the family's
        # agreement, or for one from the front door whose family's own agreement was
        # written up after the start, the agreement the referrer obtained for the referral.
        if record is None or record.obtained_on > case.start:
            from_front_door = case.episode.front_door_decision_id is not None
            case.episode.consent_ground = (
                ConsentGround.REFERRAL_AGREEMENT if from_front_door else ""
            )
        else:
            case.episode.consent_ground = ConsentGround.AGREEMENT
        if record is None:
            continue
        builder.add(record)
        records += 1
        withdrawal = _withdrawal(builder, rng, case, record)
        if withdrawal is not None:
            builder.add(withdrawal)
            withdrawals += 1
    return records, withdrawals


def _opened_on_a_lawful_basis(case: Casefile) -> None:
    case.episode.consent_ground = ConsentGround.LAWFUL_BASIS
    case.episode.lawful_basis = LawfulBasis.PUBLIC_TASK
    case.episode.lawful_basis_justification = WITHOUT_AGREEMENT


def _agreement(builder: HistoryBuilder, rng: random.Random, case: Casefile) -> ConsentRecord | None:
    if rng.random() < LATE_SHARE:
        obtained = case.start + timedelta(days=rng.randint(14, 45))
    elif rng.random() < AFTER_START_SHARE:
        obtained = case.start + timedelta(days=rng.randint(1, 7))
    else:
        obtained = case.start - timedelta(days=rng.randint(0, 14))
    if case.episode.front_door_decision_id is None:
        # A partner or a step-down opens an episode on the family's agreement that day;
        # its writing up may come later (``recorded_at``).
        obtained = min(obtained, case.start)
    if case.closed is not None:
        obtained = min(obtained, case.closed)
    if not builder.happened(obtained):
        return None
    children = sorted(
        case.children, key=lambda c: (c.person.date_of_birth or date.min, str(c.person.pk))
    )
    eldest, youngest = children[0], children[-1]
    carers = [c for c in case.kin.carers if c.role not in ("child", "unborn")]
    age = eldest.person.age_on(obtained) or 0
    by_self = not carers or (age >= SELF_FROM and rng.random() < 0.3)
    person = eldest if by_self else youngest
    kinds = [InformationKind.FAMILY, InformationKind.EDUCATION]
    if rng.random() < 0.8:
        kinds.append(InformationKind.HEALTH)
    if rng.random() < 0.35:
        kinds.append(InformationKind.HOUSING_MONEY)
    if case.origin == EpisodeOrigin.STEP_DOWN:
        kinds.append(InformationKind.SOCIAL_CARE)
    lead = case.lead
    assert lead.organisation is not None
    return ConsentRecord(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        person=person.person,
        council=builder.world.councils[case.key],
        given_by=GivenBy.SELF if by_self else GivenBy.PARENT,
        given_by_person=None if by_self else carers[0].person,
        competence_judgement=JUDGEMENT.format(name=person.person.given_name)
        if by_self and age < 18
        else "",
        agrees_to_early_help=True,
        shares_with_taf=case.level == 3 or rng.random() < 0.5,
        information_kinds=[str(k) for k in kinds],
        obtained_how=rng.choice(HOW),
        obtained_on=obtained,
        obtained_by=lead,
        obtained_by_organisation=lead.organisation,
        review_on=obtained + timedelta(days=rng.randint(182, 365)),
        recorded_by=lead,
        recorded_at=builder.at(obtained, 16, rng.randint(0, 59)),
    )


def _withdrawal(
    builder: HistoryBuilder, rng: random.Random, case: Casefile, record: ConsentRecord
) -> ConsentWithdrawal | None:
    closed = case.closed
    early_help = False
    if case.reason == ClosureReason.DECLINED and closed is not None:
        if rng.random() >= DECLINED_WITHDRAWS:
            return None
        day, early_help = closed - timedelta(days=rng.randint(0, 7)), True
    elif rng.random() < SHARING_WITHDRAWN:
        last = closed or builder.as_of - timedelta(days=1)
        span = (last - record.obtained_on).days
        if span < 14:
            return None
        day = record.obtained_on + timedelta(days=rng.randint(14, span))
    else:
        return None
    day = max(day, record.obtained_on)
    if not builder.happened(day):
        return None
    taf = not early_help and record.shares_with_taf
    kinds = [] if early_help or taf else [InformationKind.EDUCATION]
    return ConsentWithdrawal(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        consent=record,
        withdrawn_on=day,
        early_help=early_help,
        taf_sharing=taf,
        information_kinds=[str(k) for k in kinds],
        told_how=rng.choice((ObtainedHow.PHONE, ObtainedHow.IN_PERSON)),
        note="The family told the lead professional."
        if not early_help
        else "The family no longer want early help.",
        recorded_by=record.recorded_by,
        recorded_at=builder.at(day, 15, rng.randint(0, 59)),
    )
