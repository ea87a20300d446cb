"""Running the steps: one transaction, so a failure half-way leaves nothing behind."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from continuum.demo.generator.presets import PRESETS, Preset
from continuum.demo.generator.registry import load_steps
from continuum.demo.generator.world import World
from continuum.people.models import Person
from continuum.progress import Step

# The day the demo data is "as of": dates of birth, moves and events are counted back from
# it, never from the clock, so the same seed gives the same data on any day.
DEFAULT_AS_OF = date(2026, 11, 1)


class DemoDataExists(Exception):
    """The database already has people; the generator only fills an empty one."""

    def __init__(self, people: int) -> None:
        self.people = people
        super().__init__(
            f"The database already has {people:,} people. The demo data goes into an empty "
            "database: use --if-empty to leave it as it is, or --fresh (demo mode) to start again."
        )


def choose_preset(preset: str | Preset, *, years: int | None = None, scale: float = 1.0) -> Preset:
    if isinstance(preset, str):
        try:
            preset = PRESETS[preset]
        except KeyError as exc:
            known = ", ".join(PRESETS)
            raise ValueError(f"Unknown preset {preset!r}: choose one of {known}.") from exc
    if years is not None:
        preset = preset.with_years(years)
    if scale != 1.0:
        preset = preset.scaled(scale)
    return preset


def build(
    *,
    preset: str | Preset = "small",
    seed: int = 1,
    as_of: date = DEFAULT_AS_OF,
    years: int | None = None,
    scale: float = 1.0,
    log: Callable[[str], None] | None = None,
    progress: Step | None = None,
) -> World:
    """Make the demo world in an empty database and return it (with per-step timings).

    ``progress`` (a ``continuum.progress`` step function): a bar for each step, with the
    step's own counts where it gives them (``World.counting``).

    Raises ``DemoDataExists`` if there are people already, and ``ValueError`` for a preset
    that does not exist or an as-of date after today.
    """
    chosen = choose_preset(preset, years=years, scale=scale)
    if as_of > timezone.localdate():
        raise ValueError("The as-of date must be today or earlier: people cannot be born later.")
    existing = Person.objects.count()
    if existing:
        raise DemoDataExists(existing)
    world = World(preset=chosen, seed=seed, as_of=as_of, progress=progress)
    steps = load_steps()
    with transaction.atomic():
        for number, demo_step in enumerate(steps, start=1):
            world.begin_step(demo_step.name)
            if progress is not None:
                progress(f"Seeding {number}/{len(steps)}: {demo_step.name}", None)
            started = time.perf_counter()
            demo_step.run(world)
            world.timings[demo_step.name] = time.perf_counter() - started
            if log is not None:
                log(f"{demo_step.name}: {world.timings[demo_step.name]:.2f}s")
    return world
