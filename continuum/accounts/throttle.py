"""Throttling sign-in attempts with atomic counters, per account, per address and per pair.

Each attempt is *charged* before its password is checked: in one transaction the rows of
its keys are locked (``SELECT ... FOR UPDATE``, in key order so two attempts never wait on
each other crosswise), and either every key has room and the attempt is counted on each, or
one is full and the attempt is refused without its password ever being checked. Forty
simultaneous attempts therefore check at most a limit's worth of passwords.

Three limits (``LIMITS``), each a sliding window:

- an account from one address: tight (5 in 15 minutes, then 15 minutes' lockout);
- an account from anywhere: loose (20 in 15 minutes), and not counted for a device that has
  signed in to that account before (a signed "known device" cookie), so an attacker
  elsewhere slows the account down but cannot lock its owner out of their own device;
- an address for any account: 50 in 15 minutes (password spraying).

A successful sign-in clears the failures before it from its account-and-address key and
gives back the attempt it was charged on the others: only failures use up the limits. While
other attempts on the same pair were charged after it (a race), it clears nothing there:
they were counted against a full limit, and must stay so, or a right password arriving
early in forty simultaneous attempts would make room for five more wrong ones.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import SignInThrottle


@dataclass(frozen=True)
class Limit:
    kind: str
    attempts: int
    window: timedelta
    lockout: timedelta
    describes: str  # how a refusal names it, for the person and the security log


PAIR = Limit("account-address", 5, timedelta(minutes=15), timedelta(minutes=15), "this username")
ACCOUNT = Limit("account", 20, timedelta(minutes=15), timedelta(minutes=15), "this username")
ADDRESS = Limit("address", 50, timedelta(minutes=15), timedelta(minutes=15), "this network address")
LIMITS = (PAIR, ACCOUNT, ADDRESS)
# Rows untouched for this long can no longer refuse anyone and are pruned.
KEEP_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Key:
    limit: Limit
    key: str


@dataclass(frozen=True)
class Refusal:
    limit: Limit
    until: datetime


def username_key(username: str) -> str:
    """Attempts count against the username however it is capitalised or padded."""
    return username.strip().casefold()[:150]


def keys_for(*, username: str, address: str, known_device: bool) -> list[Key]:
    account = username_key(username)
    keys = [Key(PAIR, f"pair:{account}@{address}"), Key(ADDRESS, f"address:{address}")]
    if not known_device:
        keys.append(Key(ACCOUNT, f"account:{account}"))
    return sorted(keys, key=lambda k: k.key)


def _now() -> float:
    return time.time()


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _locked_rows(keys: Sequence[Key]) -> dict[str, SignInThrottle]:
    """The keys' rows, created if need be, locked until the transaction ends."""
    names = [k.key for k in keys]
    SignInThrottle.objects.bulk_create(
        [SignInThrottle(key=name) for name in names], ignore_conflicts=True
    )
    rows = SignInThrottle.objects.select_for_update().filter(key__in=names).order_by("key")
    return {row.key: row for row in rows}


def _recent(row: SignInThrottle, limit: Limit, now: float) -> list[float]:
    since = now - limit.window.total_seconds()
    return [float(at) for at in row.attempts if float(at) > since]


def _refusal(row: SignInThrottle, limit: Limit, now: float) -> Refusal | None:
    if row.locked_until is not None and row.locked_until.timestamp() > now:
        return Refusal(limit, row.locked_until)
    recent = _recent(row, limit, now)
    if len(recent) >= limit.attempts:
        # Full, though no failure has locked it yet (attempts still being checked).
        return Refusal(limit, _at(recent[-limit.attempts] + limit.window.total_seconds()))
    return None


def charge(keys: Sequence[Key]) -> Refusal | None:
    """Count one attempt on every key, or refuse it (counting nothing) if one is full."""
    refusal, _ = charge_attempt(keys)
    return refusal


def charge_attempt(keys: Sequence[Key]) -> tuple[Refusal | None, float]:
    """``charge``, also answering when the attempt was counted (its mark in each key's
    attempts), which ``settle_success`` gives back."""
    now = _now()
    with transaction.atomic():
        rows = _locked_rows(keys)
        refusals = [r for k in keys if (r := _refusal(rows[k.key], k.limit, now))]
        if refusals:
            return max(refusals, key=lambda r: r.until), now
        for k in keys:
            row = rows[k.key]
            row.attempts = [*_recent(row, k.limit, now), now][-k.limit.attempts :]
            if row.locked_until is not None and row.locked_until.timestamp() <= now:
                row.locked_until = None
            row.save(update_fields=["attempts", "locked_until", "changed_at"])
    prune()
    return None, now


def settle_failure(keys: Sequence[Key]) -> list[Refusal]:
    """After a wrong password: lock each key whose limit is now used up."""
    now = _now()
    locked = []
    with transaction.atomic():
        rows = _locked_rows(keys)
        for k in keys:
            row = rows[k.key]
            if len(_recent(row, k.limit, now)) >= k.limit.attempts:
                until = _at(now + k.limit.lockout.total_seconds())
                if row.locked_until is None or row.locked_until < until:
                    row.locked_until = until
                    row.save(update_fields=["locked_until", "changed_at"])
                locked.append(Refusal(k.limit, row.locked_until))
    return locked


def settle_success(keys: Sequence[Key], *, charged_at: float) -> None:
    """After the right password, counted at ``charged_at``: the pair starts afresh, unless
    attempts were counted on it after this one (they stand, and so does any lockout); the
    other keys get this attempt back."""
    with transaction.atomic():
        rows = _locked_rows(keys)
        for k in keys:
            row = rows[k.key]
            attempts = [float(at) for at in row.attempts]
            if k.limit is PAIR:
                if any(at > charged_at for at in attempts):
                    continue  # a race: the attempts counted since stay counted
                row.attempts, row.locked_until = [], None
            elif charged_at in attempts:
                attempts.remove(charged_at)
                row.attempts = attempts
            row.save(update_fields=["attempts", "locked_until", "changed_at"])


def prune() -> None:
    """Forget keys nobody has tried for a day."""
    SignInThrottle.objects.filter(changed_at__lt=timezone.now() - KEEP_FOR).delete()
