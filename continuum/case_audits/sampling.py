"""Drawing an audit programme's sample: pure rules, no Django.

The same seed over the same records draws the same sample. Candidates are sorted by id
before drawing, and each draw has its own stream of random numbers (``stream``: the
council, and whether it is the case sample or the re-grade sample), seeded from the
programme's seed, so councils never share one and adding a council changes nobody else's
cases.

Stratified samples share a council's cases between threshold levels in proportion to the
population at each level (largest remainder, ties to the lower level), then draw at random
within each level.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A record that may be sampled: its id (as text, for a stable order) and its level."""

    id: str
    level: int | None = None


def stream_of(seed: int, stream: str) -> random.Random:
    """The random numbers of one draw: seeded from the programme's seed and the stream's
    name (a string seed is hashed the same way on every run and machine)."""
    return random.Random(f"{seed}:{stream}")


def draw(candidates: Sequence[Candidate], size: int, *, seed: int, stream: str) -> list[Candidate]:
    """``size`` candidates at random, in id order. ``size`` must not exceed the candidates."""
    if size > len(candidates):
        raise ValueError(f"A sample of {size} is larger than the {len(candidates)} candidates.")
    ordered = sorted(candidates, key=lambda c: c.id)
    chosen = stream_of(seed, stream).sample(ordered, size)
    return sorted(chosen, key=lambda c: c.id)


def allocate(populations: Mapping[int, int], size: int) -> dict[int, int]:
    """Share ``size`` between strata in proportion to their ``populations`` by the largest
    remainder method (Hamilton's): each stratum gets the whole part of its quota, then the
    strata with the largest remainders one more each, ties to the stratum that sorts first.
    Never more than a stratum holds."""
    total = sum(populations.values())
    if size > total:
        raise ValueError(f"A sample of {size} is larger than the population of {total}.")
    if total == 0:
        return {key: 0 for key in populations}
    keys = sorted(populations)
    shares = {key: divmod(size * populations[key], total) for key in keys}
    allocation = {key: whole for key, (whole, _) in shares.items()}
    left = size - sum(allocation.values())
    by_remainder = sorted(keys, key=lambda k: -shares[k][1])  # stable: ties keep key order
    for key in by_remainder[:left]:
        allocation[key] += 1
    return allocation


def draw_stratified(
    candidates: Sequence[Candidate], size: int, *, seed: int, stream: str
) -> list[Candidate]:
    """``size`` candidates, shared between levels in proportion (``allocate``), at random
    within each level (each level its own stream)."""
    by_level: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_level.setdefault(candidate.level or 0, []).append(candidate)
    allocation = allocate({level: len(found) for level, found in by_level.items()}, size)
    chosen: list[Candidate] = []
    for level in sorted(by_level):
        chosen.extend(
            draw(by_level[level], allocation[level], seed=seed, stream=f"{stream}:level:{level}")
        )
    return sorted(chosen, key=lambda c: c.id)


def new_seed() -> int:
    """A seed for a programme that was not given one (stored and shown, so the draw can be
    repeated): six digits, easy to read out."""
    return random.SystemRandom().randint(100_000, 999_999)
