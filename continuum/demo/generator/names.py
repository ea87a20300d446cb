"""Invented names for schools, GP practices, nurseries, charities and housing providers.

Names follow real-looking patterns ("Larchfield Primary School") but are built from a word
list, not taken from any real organisation. Plain Python, no Django.
"""

from __future__ import annotations

import random

from continuum.demo.generator.places import STREET_SUFFIXES

_FIRST = (
    "Larch", "Bramble", "Willow", "Heather", "Kestrel", "Rowan", "Alder", "Beech", "Hazel",
    "Linnet", "Oak", "Ash", "Elm", "Fern", "Thistle", "Sorrel", "Aspen", "Juniper", "Maple",
    "Holly", "Cedar", "Wren", "Swallow", "Finch", "Plover", "Curlew", "Meadow", "Brook",
    "Heron", "Lark", "Bracken", "Clover", "Poppy", "Teasel", "Otter", "Badger",
)  # fmt: skip
_SECOND = (
    "field", "side", "wood", "bank", "brook", "dale", "gate", "mere", "vale", "hill",
    "croft", "lea", "stone", "ford", "haven", "well", "green", "thorpe",
)  # fmt: skip

_PATTERNS: dict[str, tuple[str, ...]] = {
    "primary": (
        "{place} Primary School", "{place} Primary School", "{place} Primary Academy",
        "{place} Church of England Primary School", "{place} Community Primary School",
    ),
    "secondary": ("{place} Academy", "{place} School", "{place} Community College"),
    "gp_practice": (
        "{place} Medical Centre", "The {place} Surgery", "{place} Health Centre",
        "{place} Family Practice",
    ),
    "early_years": (
        "{place} Day Nursery", "{place} Pre-School", "{place} Children's Nursery",
        "{place} Playgroup",
    ),
    "voluntary": (
        "{place} Family Support", "{place} Young People's Project", "{place} Community Trust",
        "{place} Parents' Network", "{place} Women's Centre", "{place} Youth Project",
    ),
    "housing": ("{place} Homes", "{place} Housing Association"),
}  # fmt: skip


def place_word(rng: random.Random) -> str:
    while True:
        first, second = rng.choice(_FIRST), rng.choice(_SECOND)
        if first[-1] != second[0]:  # not "Swallowwell"
            return first + second


def organisation_name(rng: random.Random, kind: str, taken: set[str]) -> str:
    """A new invented name of ``kind`` (a key of the patterns) not already in ``taken``."""
    patterns = _PATTERNS[kind]
    for _ in range(1000):
        name = rng.choice(patterns).format(place=place_word(rng))
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError(f"Ran out of invented {kind} names.")


def street_name(rng: random.Random, surname: str) -> str:
    """A street: half after a surname ('Butler Road'), half after a word ('Larch Grove')."""
    stem = surname if rng.random() < 0.5 else rng.choice(_FIRST)
    return f"{stem} {rng.choice(STREET_SUFFIXES)}"
