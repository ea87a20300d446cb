"""The world a demo run builds: its settings, its random streams and what it has made so far.

Steps read what earlier steps made from here (never by querying in an order the database
chooses), so the same seed always gives the same data.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from continuum.accounts.models import User
from continuum.demo.generator.copying import insert, insert_history
from continuum.demo.generator.presets import Preset
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council, Locality, Organisation, Team
from continuum.people.choices import PersonKind
from continuum.people.models import Household, Person
from continuum.progress import Advance, Step

M = TypeVar("M", bound=Model)

HISTORY_REASON = "Synthetic demo data"


@dataclass
class DemoPerson:
    """A person the people step made, with the facts later steps want about them."""

    person: Person
    council_key: str
    family: int
    household: Household
    locality: Locality
    role: str  # in the family: mother, father, step_father, child, unborn, grandmother, ...
    postcode: str
    moved_in: date
    school: Organisation | None = None
    early_years: Organisation | None = None
    gp_practice: Organisation | None = None
    events: list[str] = field(default_factory=list)  # chronology titles, for later steps

    @property
    def is_unborn(self) -> bool:
        return self.person.kind == PersonKind.UNBORN

    def age_on(self, day: date) -> int | None:
        return self.person.age_on(day)


@dataclass(eq=False)
class DemoContact:
    """A front-door contact the front-door step made, with what later steps want about it:
    the children (as ``DemoPerson``), their household and the decision, if there is one."""

    contact: Contact
    children: list[DemoPerson]
    household: Household
    decision: ContactDecision | None = None

    @property
    def is_submitted(self) -> bool:
        return self.contact.submitted_at is not None


class World:
    def __init__(
        self, *, preset: Preset, seed: int, as_of: date, progress: Step | None = None
    ) -> None:
        self.preset = preset
        self.progress = progress
        self.seed = seed
        self.as_of = as_of
        self.step_name = ""
        self.rng = random.Random(seed)
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)

        self.councils: dict[str, Council] = {}
        self.localities: dict[str, list[Locality]] = {}
        # Named organisations, e.g. "council:stockton", "police", "health-visiting".
        self.organisations: dict[str, Organisation] = {}
        # Local partners by council key and kind: "primary", "secondary", "gp_practice",
        # "early_years", "voluntary", "housing".
        self.local: dict[str, dict[str, list[Organisation]]] = {}
        self.teams: dict[str, Team] = {}
        self.users: dict[str, User] = {}
        # Named workers (not sign-ins) by council key.
        self.staff: dict[str, list[User]] = {}
        self.people: list[DemoPerson] = []
        self.households: list[Household] = []
        # Front-door contacts, oldest first (the front-door step fills it).
        self.contacts: list[DemoContact] = []
        # Ids of the contacts and episodes the five years' history made: lean records,
        # without chronology or involvement of their own (see docs/demo-data.md).
        self.history_ids: set[object] = set()
        # Lines a step wants in the summary (figures such as shares and counts), by step.
        self.notes: dict[str, list[str]] = {}
        self.timings: dict[str, float] = {}

    # --- randomness --------------------------------------------------------------------

    def begin_step(self, name: str) -> None:
        """Give the step its own random streams, seeded from the run's seed and its name."""
        self.step_name = name
        self.rng = random.Random(f"{self.seed}:{name}")
        self.faker.seed_instance(f"{self.seed}:{name}")

    def new_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, day: date, *, hour: int = 9, minute: int = 0) -> datetime:
        """An aware date and time on ``day`` in the service's time zone."""
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    # --- reading what has been made ----------------------------------------------------

    def people_in(self, council_key: str) -> list[DemoPerson]:
        return [p for p in self.people if p.council_key == council_key]

    def council_keys(self) -> list[str]:
        return list(self.councils)

    def counting(self, label: str, total: int | None) -> Advance:
        """A progress bar for part of the running step (``label``, with ``total`` things to
        do, None: a running count); moves on by n with the function it gives. Does nothing
        when the run shows no progress. Never touches the random streams."""
        if self.progress is None:
            return _nothing
        return self.progress(f"  {self.step_name}: {label}", total)

    def note(self, line: str) -> None:
        """Add a line to the summary, under the step that is running."""
        self.notes.setdefault(self.step_name, []).append(line)

    # --- writing -----------------------------------------------------------------------

    def bulk_create(self, model: type[M], objects: Sequence[M], *, history: bool = True) -> list[M]:
        """Insert ``objects`` in batches; with a version (django-simple-history) if kept."""
        if not objects:
            return []
        if connection.vendor == "postgresql":  # COPY: the same rows, a fraction of the time
            insert(model, objects, batch_size=self.preset.batch_size, stamp=True)
            if history and hasattr(model, "history"):
                insert_history(model, objects, reason=HISTORY_REASON)
            return list(objects)
        if history and hasattr(model, "history"):
            return list(
                bulk_create_with_history(
                    list(objects),
                    model,
                    batch_size=self.preset.batch_size,
                    default_change_reason=HISTORY_REASON,
                )
            )
        return model._default_manager.bulk_create(objects, batch_size=self.preset.batch_size)


def _nothing(n: int) -> None:
    return None


def row_counts(app_labels: Iterable[str] | None = None) -> dict[str, int]:
    """Rows in each of Continuum's tables (history tables included), non-empty ones only."""
    counts: dict[str, int] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("continuum."):
            continue
        if app_labels is not None and model._meta.app_label not in app_labels:
            continue
        n = model._default_manager.count()
        if n:
            counts[model._meta.label] = n
    return dict(sorted(counts.items()))


def summary_lines(world: World, counts: dict[str, Any]) -> list[str]:
    lines = [
        f"Demo data: preset {world.preset.name}, seed {world.seed}, "
        f"as of {world.as_of.isoformat()}, {world.preset.years} years of history.",
        "Rows per table:",
    ]
    width = max(len(label) for label in [*counts, *world.timings, "total"])
    lines += [f"  {label:<{width}}  {n:>8,}" for label, n in counts.items()]
    lines.append("Seconds per step:")
    lines += [f"  {name:<{width}}  {seconds:>8.2f}" for name, seconds in world.timings.items()]
    lines.append(f"  {'total':<{width}}  {sum(world.timings.values()):>8.2f}")
    for name, notes in world.notes.items():
        lines.append(f"{name}:")
        lines += [f"  {note}" for note in notes]
    return lines
