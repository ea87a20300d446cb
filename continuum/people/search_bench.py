"""Timing person search, for the bench (``continuum.performance.bench``) and by hand.

``sample_queries`` draws realistic name queries from the people recorded (a last name, a
first and last name in either order, a misspelt last name, a first name); ``time_searches``
runs each as the search page does (the count and the first page of results, council
included) and answers the milliseconds each took.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.paginator import Paginator

from continuum.people.models import Person
from continuum.people.selectors import search_people

# The people search page shows this many results a page (``people.views``).
PAGE_SIZE = 20
# Names are drawn from this many people at most.
NAME_SAMPLE = 5000


def _misspelt(name: str, rng: random.Random) -> str:
    """``name`` with one slip: two neighbouring letters swapped, a letter doubled or one
    dropped (never the first letter, as people rarely get that wrong)."""
    if len(name) < 4:
        return name
    at = rng.randrange(1, len(name) - 1)
    slip = rng.choice(["swap", "double", "drop"])
    if slip == "swap":
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if slip == "double":
        return name[:at] + name[at] + name[at:]
    return name[:at] + name[at + 1 :]


def sample_queries(n: int, seed: int) -> list[str]:
    """``n`` name queries drawn (reproducibly for ``seed``) from the people recorded."""
    rng = random.Random(seed)
    names = list(
        Person.objects.exclude(given_name="")
        .exclude(family_name__startswith="Census child")
        .order_by("pk")
        .values_list("given_name", "family_name")[:NAME_SAMPLE]
    )
    if not names:
        return []
    queries: list[str] = []
    for _ in range(n):
        given, family = rng.choice(names)
        kind = rng.random()
        if kind < 0.3:
            queries.append(family)
        elif kind < 0.55:
            queries.append(f"{given} {family}")
        elif kind < 0.7:
            queries.append(f"{family} {given}")
        elif kind < 0.9:
            queries.append(_misspelt(family, rng))
        else:
            queries.append(given)
    return queries


def time_searches(user: Any, queries: list[str]) -> list[float]:
    """Milliseconds for each search of ``queries`` by ``user``, evaluated as the search
    page does: how many matched, and the first page of people with their council."""
    timings: list[float] = []
    for query in queries:
        started = time.perf_counter()
        results = search_people(user=user, query=query).select_related("council")
        page = Paginator(results, PAGE_SIZE).get_page(1)
        _ = page.paginator.count
        list(page)
        timings.append((time.perf_counter() - started) * 1000)
    return timings
