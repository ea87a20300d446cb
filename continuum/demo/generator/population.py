"""Plausible proportions for the demo population of each Tees council: ethnicity (DfE census
codes), first languages and recorded disabilities.

The ethnicity weights are rounded approximations in the spirit of the 2021 census for
children in each area (mostly White British; Middlesbrough more diverse, with a larger
Pakistani heritage community). They make the demo look right; they are not statistics.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from continuum.people.choices import Ethnicity as E

ETHNICITY_WEIGHTS: dict[str, dict[str, float]] = {
    "hartlepool": {
        E.WBRI: 92.5, E.WIRI: 0.1, E.WIRT: 0.1, E.WROM: 0.2, E.WOTH: 1.8, E.MWBC: 0.6,
        E.MWBA: 0.3, E.MWAS: 0.7, E.MOTH: 0.8, E.AIND: 0.3, E.APKN: 0.4, E.ABAN: 0.2,
        E.AOTH: 0.4, E.BCRB: 0.1, E.BAFR: 0.6, E.BOTH: 0.1, E.CHNE: 0.2, E.OOTH: 0.4,
        E.REFU: 0.2, E.NOBT: 0.1,
    },
    "middlesbrough": {
        E.WBRI: 74.0, E.WIRI: 0.1, E.WIRT: 0.1, E.WROM: 0.8, E.WOTH: 4.0, E.MWBC: 1.0,
        E.MWBA: 0.8, E.MWAS: 1.6, E.MOTH: 1.4, E.AIND: 1.0, E.APKN: 8.0, E.ABAN: 0.7,
        E.AOTH: 1.5, E.BCRB: 0.1, E.BAFR: 2.5, E.BOTH: 0.3, E.CHNE: 0.3, E.OOTH: 1.5,
        E.REFU: 0.2, E.NOBT: 0.1,
    },
    "redcar": {
        E.WBRI: 95.0, E.WIRI: 0.1, E.WROM: 0.1, E.WOTH: 1.2, E.MWBC: 0.4, E.MWBA: 0.2,
        E.MWAS: 0.6, E.MOTH: 0.6, E.AIND: 0.3, E.APKN: 0.2, E.AOTH: 0.3, E.BAFR: 0.3,
        E.CHNE: 0.2, E.OOTH: 0.3, E.REFU: 0.1, E.NOBT: 0.1,
    },
    "stockton": {
        E.WBRI: 87.0, E.WIRI: 0.1, E.WROM: 0.3, E.WOTH: 2.8, E.MWBC: 0.7, E.MWBA: 0.5,
        E.MWAS: 1.2, E.MOTH: 1.0, E.AIND: 1.0, E.APKN: 2.0, E.ABAN: 0.3, E.AOTH: 1.0,
        E.BCRB: 0.1, E.BAFR: 1.4, E.BOTH: 0.2, E.CHNE: 0.3, E.OOTH: 0.8, E.REFU: 0.2,
        E.NOBT: 0.1,
    },
}  # fmt: skip

# A mixed-heritage child's parents: (one parent, the other parent's possible codes).
MIXED_PARENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    E.MWBC: (E.WBRI, (E.BCRB,)),
    E.MWBA: (E.WBRI, (E.BAFR,)),
    E.MWAS: (E.WBRI, (E.APKN, E.AIND, E.ABAN)),
    E.MOTH: (E.WBRI, (E.OOTH, E.AOTH, E.BOTH)),
}

# First languages other than English, by ethnicity, with weights; English takes the rest.
LANGUAGES: dict[str, tuple[tuple[str, float], ...]] = {
    E.WOTH: (("Polish", 35), ("Romanian", 20), ("Lithuanian", 10), ("Latvian", 5)),
    E.WROM: (("Romanian", 40), ("Slovak", 30), ("Czech", 10)),
    E.APKN: (("Urdu", 35), ("Punjabi", 20)),
    E.AIND: (("Punjabi", 20), ("Gujarati", 15), ("Hindi", 15)),
    E.ABAN: (("Bengali", 50),),
    E.AOTH: (("Pashto", 15), ("Tamil", 10), ("Urdu", 10), ("Malayalam", 10)),
    E.BAFR: (("Tigrinya", 15), ("Arabic", 15), ("Somali", 10), ("French", 10), ("Amharic", 10)),
    E.OOTH: (("Arabic", 45), ("Kurdish", 25), ("Farsi", 15)),
    E.CHNE: (("Cantonese", 35), ("Mandarin", 35)),
}

# Each disability as a practitioner writes it, with its census disability codes.
CHILD_DISABILITIES: dict[str, tuple[str, ...]] = {
    "Autistic spectrum condition": ("AUT",),
    "Attention deficit hyperactivity disorder": ("BEH",),
    "Speech, language and communication needs": ("COMM",),
    "Hearing impairment": ("HEAR",),
    "Visual impairment": ("VIS",),
    "Cerebral palsy": ("MOB", "HAND"),
    "Type 1 diabetes": ("DDA",),
    "Epilepsy": ("CON",),
    "Down's syndrome": ("LD", "COMM"),
    "Global developmental delay": ("LD",),
}
ADULT_DISABILITIES: dict[str, tuple[str, ...]] = {
    "Depression and anxiety": ("DDA",),
    "Mobility impairment": ("MOB",),
    "Learning disability": ("LD",),
    "Hearing impairment": ("HEAR",),
    "Type 2 diabetes": ("DDA",),
    "Fibromyalgia": ("MOB",),
    "Visual impairment": ("VIS",),
    "Chronic obstructive pulmonary disease": ("DDA",),
}


def weighted_choice(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys: Sequence[str] = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def first_language(rng: random.Random, ethnicity: str) -> str:
    options = LANGUAGES.get(ethnicity, ())
    english = 100 - sum(weight for _, weight in options)
    return weighted_choice(rng, {"English": english, **dict(options)})
