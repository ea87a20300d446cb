"""The ordered steps that build a demo world.

A step is a function ``(world) -> None`` registered with ``@step(order=...)`` in a module
under ``continuum/demo/generator/steps/``; every module there is imported when the
generator runs, so adding a module is all it takes to add a step. Steps run in ``order``
(then name). Each step gets its own random stream, seeded from the run's seed and the
step's name, so adding or changing one step never changes what the others make.

Orders in use: 100 organisations, 200 users, 220 hubs (issue 15), 300 people, 400
chronology, 500 access, 600 thresholds, 700 front door, 800 early help, 850 closures
waiting for sign-off, 900 five years of history, 920 spending returns (issue 15), 950
census details of the referred children (and attendance), 960 case notes and documents on
open episodes, 990 reminders and notifications.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from continuum.demo.generator.world import World

StepFunction = Callable[["World"], None]


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: StepFunction


_STEPS: dict[str, Step] = {}


def step(*, order: int, name: str | None = None) -> Callable[[StepFunction], StepFunction]:
    """Register ``function`` as a step of the generator, run at position ``order``."""

    def register(function: StepFunction) -> StepFunction:
        step_name = name or f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"
        existing = _STEPS.get(step_name)
        if existing is not None and _where(existing.run) != _where(function):
            raise ValueError(f"Two demo steps are called {step_name!r}.")
        _STEPS[step_name] = Step(name=step_name, order=order, run=function)
        return function

    return register


def _where(function: StepFunction) -> tuple[str, str]:
    return function.__module__, function.__qualname__


def load_steps() -> list[Step]:
    """Import every module in ``generator.steps`` and return the steps in running order."""
    package = importlib.import_module("continuum.demo.generator.steps")
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))
