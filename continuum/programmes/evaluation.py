"""What a local programme achieves, against matched comparison families (issue 14).

Population: the closed early help episodes of the programme's councils that started within
its dates and closed at least 12 months before the evaluation date (so every outcome is
complete). Participants are those with a ``Participation``; the comparison pool is the rest.

Method (decision 0015): a propensity score by logistic regression (statsmodels ``Logit``)
on the covariates; 1:1 nearest-neighbour matching on the logit of the score, without
replacement, within a caliper of 0.2 standard deviations of that logit (Austin 2011);
balance as standardised mean differences before and after matching; each effect on the
participants (ATT) as the mean of the matched pairs' differences, with a 95% confidence
interval from the t distribution (statsmodels ``DescrStatsW``).

``evaluate(rows)`` is pure computation; ``rows_for(programme, on)`` reads the rows in a
few queries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from statsmodels.discrete.discrete_model import Logit
from statsmodels.stats.weightstats import DescrStatsW

from continuum.early_help.choices import SustainedResult
from continuum.early_help.models import Episode, Need, SustainedOutcomeCheck
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import ContactChild
from continuum.organisations.models import Council
from continuum.programmes.models import Participation, Programme
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement

FOLLOW_UP_DAYS = 365
MINIMUM_PARTICIPANTS = 30
MINIMUM_PAIRS = 30
CALIPER_SD = 0.2
BALANCED_SMD = 0.1

COVARIATES = {
    "youngest_age": "Youngest child's age at the start",
    "children": "Number of children",
    "level_3": "Level 3 (targeted early help)",
    "needs": "Number of needs",
    "previous_contacts": "Contacts about the children in the 12 months before",
}
OUTCOMES = {
    "back": "Back at the front door within 12 months of closure",
    "stepped_up": "Referred to social care within 12 months of closure",
    "sustained": "Outcomes sustained at the six-month check",
}


@dataclass(frozen=True)
class Row:
    """One closed episode: whether its family took part, its covariates and outcomes
    (``sustained`` is None when no six-month check has a result)."""

    episode_id: Any
    took_part: bool
    covariates: dict[str, float]
    back: bool
    stepped_up: bool
    sustained: bool | None


@dataclass(frozen=True)
class Balance:
    key: str
    label: str
    before: float
    after: float

    @property
    def balanced(self) -> bool:
        return abs(self.after) < BALANCED_SMD


@dataclass(frozen=True)
class Effect:
    key: str
    label: str
    pairs: int
    participants_rate: float
    comparison_rate: float
    difference: float
    low: float
    high: float


@dataclass
class Evaluation:
    participants: int
    pool: int
    pairs: int
    unmatched: int
    caliper: float
    balance: list[Balance] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    matched: list[tuple[Any, Any]] = field(default_factory=list)  # (participant, comparison)

    def effect(self, key: str) -> Effect:
        return next(e for e in self.effects if e.key == key)


def _refuse(message: str) -> ValidationError:
    return ValidationError({"programme": [message]})


def _families(n: int) -> str:
    return f"{n} famil{'y' if n == 1 else 'ies'}"


def _design(rows: list[Row]) -> tuple[list[str], np.ndarray]:
    """The covariates that vary (a constant one cannot be fitted) and their matrix."""
    keys = sorted({k for r in rows for k in r.covariates}, key=_order)
    x = np.array([[r.covariates.get(k, 0.0) for k in keys] for r in rows], dtype=float)
    varying = [i for i in range(len(keys)) if np.ptp(x[:, i]) > 0]
    return [keys[i] for i in varying], x[:, varying]


def _order(key: str) -> tuple[int, str]:
    names = list(COVARIATES)
    return (names.index(key), key) if key in names else (len(names), key)


def _logits(treated: np.ndarray, x: np.ndarray) -> np.ndarray:
    design = np.column_stack([np.ones(len(x)), x])
    try:
        fit = Logit(treated, design).fit(disp=0, maxiter=200, method="bfgs")
    except (np.linalg.LinAlgError, ValueError) as error:  # pragma: no cover - degenerate data
        raise _refuse(f"The propensity score could not be fitted: {error}") from error
    return np.asarray(design @ fit.params, dtype=float)


def match(logit: np.ndarray, treated: np.ndarray, caliper: float) -> list[tuple[int, int]]:
    """Greedy 1:1 nearest neighbour on ``logit`` without replacement within ``caliper``,
    taking the participants from the highest score down (the hardest to match first)."""
    controls = np.flatnonzero(~treated)
    available = np.ones(len(controls), dtype=bool)
    pairs: list[tuple[int, int]] = []
    for t in sorted(np.flatnonzero(treated), key=lambda i: (-logit[i], i)):
        if not available.any():
            break
        distance = np.where(available, np.abs(logit[controls] - logit[t]), np.inf)
        best = int(np.argmin(distance))
        if distance[best] <= caliper:
            available[best] = False
            pairs.append((int(t), int(controls[best])))
    return pairs


def smd(a: np.ndarray, b: np.ndarray) -> float:
    """Standardised mean difference: the difference in means over the pooled SD."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    pooled = math.sqrt((float(np.var(a, ddof=1 if len(a) > 1 else 0)) + float(
        np.var(b, ddof=1 if len(b) > 1 else 0))) / 2)  # fmt: skip
    difference = float(np.mean(a) - np.mean(b))
    return 0.0 if pooled == 0 else difference / pooled


def paired(key: str, t: list[bool | None], c: list[bool | None]) -> Effect:
    both = [
        (float(a), float(b)) for a, b in zip(t, c, strict=True) if a is not None and b is not None
    ]
    diffs = np.array([a - b for a, b in both])
    if len(both) == 0:
        return Effect(key, OUTCOMES[key], 0, math.nan, math.nan, math.nan, math.nan, math.nan)
    mean = float(diffs.mean())
    if len(both) < 2 or float(diffs.std()) == 0:
        low = high = mean
    else:
        low, high = (float(v) for v in DescrStatsW(diffs).tconfint_mean(alpha=0.05))
    return Effect(
        key,
        OUTCOMES[key],
        len(both),
        float(np.mean([a for a, _ in both])),
        float(np.mean([b for _, b in both])),
        mean,
        low,
        high,
    )


def evaluate(rows: list[Row]) -> Evaluation:
    """Match the participants to comparison families and estimate the effects; refuses
    (ValidationError, with the numbers) when there are too few families to match."""
    participants = sum(r.took_part for r in rows)
    pool = len(rows) - participants
    if participants < MINIMUM_PARTICIPANTS:
        raise _refuse(
            f"{_families(participants)} took part and had a full year after closure; an "
            f"evaluation needs at least {MINIMUM_PARTICIPANTS}."
        )
    if pool < MINIMUM_PAIRS:
        raise _refuse(
            f"{_families(pool)} did not take part and had a full year after closure to "
            f"compare with; an evaluation needs at least {MINIMUM_PAIRS}."
        )
    keys, x = _design(rows)
    treated = np.array([r.took_part for r in rows])
    logit = _logits(treated.astype(float), x)
    caliper = CALIPER_SD * float(np.std(logit, ddof=1))
    pairs = match(logit, treated, caliper)
    if len(pairs) < MINIMUM_PAIRS:
        raise _refuse(
            f"Only {len(pairs)} of the {_families(participants)} who took part could be "
            f"matched to a similar family; an evaluation needs at least {MINIMUM_PAIRS} "
            "matched pairs."
        )
    t_idx = np.array([p[0] for p in pairs])
    c_idx = np.array([p[1] for p in pairs])
    balance = [
        Balance(
            key,
            COVARIATES.get(key, key.replace("council:", "Council: ")),
            smd(x[treated, i], x[~treated, i]),
            smd(x[t_idx, i], x[c_idx, i]),
        )
        for i, key in enumerate(keys)
    ]
    effects = [
        paired(key, [getattr(rows[i], key) for i in t_idx], [getattr(rows[i], key) for i in c_idx])
        for key in OUTCOMES
    ]
    return Evaluation(
        participants=participants,
        pool=pool,
        pairs=len(pairs),
        unmatched=participants - len(pairs),
        caliper=caliper,
        balance=balance,
        effects=effects,
        matched=[(rows[a].episode_id, rows[b].episode_id) for a, b in pairs],
    )


def rows_for(programme: Programme, on: date) -> list[Row]:
    """The programme's population on ``on``, read in nine queries."""
    councils = sorted(programme.councils.values_list("pk", flat=True))
    last_closed = on - timedelta(days=FOLLOW_UP_DAYS)
    starts = {"start_date__gte": programme.starts_on}
    if programme.ends_on is not None:
        starts["start_date__lte"] = programme.ends_on
    population = Episode.objects.filter(
        council__in=councils, closure__closed_on__lte=last_closed, **starts
    )
    episodes = list(
        population.values_list("pk", "council_id", "level", "start_date", "closure__closed_on")
    )
    # The population as a subquery, so each read below is one join in the database rather
    # than thousands of ids sent back to it.
    ids = population.values("pk")
    people = Episode.children.through.objects.filter(episode__in=ids).values("person_id")
    took_part = set(
        Participation.objects.filter(programme=programme, episode__in=ids).values_list(
            "episode_id", flat=True
        )
    )
    children: dict[Any, list[tuple[Any, date | None]]] = defaultdict(list)
    for episode_id, person_id, born in Episode.children.through.objects.filter(
        episode__in=ids
    ).values_list("episode_id", "person_id", "person__date_of_birth"):
        children[episode_id].append((person_id, born))
    needs: dict[Any, int] = defaultdict(int)
    for episode_id in Need.objects.filter(episode__in=ids).values_list("episode_id", flat=True):
        needs[episode_id] += 1
    contacts: dict[Any, list[tuple[Any, date]]] = defaultdict(list)
    for person_id, contact_id, received in (
        ContactChild.objects.filter(person__in=people)
        .exclude(contact__status=ContactStatus.DRAFT)
        .values_list("person_id", "contact_id", "contact__received_at__date")
    ):
        contacts[person_id].append((contact_id, received))
    referred: dict[Any, list[date]] = defaultdict(list)
    for person_id, start in StatutoryInvolvement.objects.filter(
        person__in=people, kind=InvolvementKind.REFERRAL
    ).values_list("person_id", "start_date"):
        referred[person_id].append(start)
    sustained: dict[Any, list[str]] = defaultdict(list)
    for episode_id, result in (
        SustainedOutcomeCheck.objects.filter(closure__episode__in=ids)
        .exclude(result="")
        .exclude(result=SustainedResult.UNKNOWN)
        .values_list("closure__episode_id", "result")
    ):
        sustained[episode_id].append(result)
    several = len(councils) > 1
    names = dict(Council.objects.filter(pk__in=councils).values_list("pk", "name"))
    rows = []
    for pk, council_id, level, start, closed in episodes:
        kids = children[pk]
        ages = [_age(born, start) for _, born in kids if born is not None]
        year_after = closed + timedelta(days=FOLLOW_UP_DAYS)
        before = {
            c for p, _ in kids for c, d in contacts[p] if start - timedelta(days=365) <= d < start
        }
        covariates = {
            "youngest_age": float(min(ages, default=0)),
            "children": float(len(kids)),
            "level_3": 1.0 if level == 3 else 0.0,
            "needs": float(needs[pk]),
            "previous_contacts": float(len(before)),
        }
        if several:
            for other in councils[1:]:
                covariates[f"council:{names[other]}"] = 1.0 if council_id == other else 0.0
        results = sustained.get(pk)
        rows.append(
            Row(
                episode_id=pk,
                took_part=pk in took_part,
                covariates=covariates,
                back=any(closed < d <= year_after for p, _ in kids for _, d in contacts[p]),
                stepped_up=any(closed <= d <= year_after for p, _ in kids for d in referred[p]),
                sustained=(
                    None if not results else all(r == SustainedResult.SUSTAINED for r in results)
                ),
            )
        )
    rows.sort(key=lambda r: str(r.episode_id))
    return rows


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
