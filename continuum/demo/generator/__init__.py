"""The one synthetic-data generator for Continuum's demo and tests.

``build(preset="small", seed=1)`` runs the registered steps (organisations, users, people,
chronology, access, thresholds, ...) in order against an empty database and returns the
``World`` it made. Same seed, same data: every random choice comes from streams seeded by
the seed and the step's name, and every date counts back from the as-of date.

To extend it, add a module under ``continuum/demo/generator/steps/`` with a function
decorated ``@step(order=...)`` that reads what it needs from the world, and add any
volumes it needs to ``Preset`` (with a default).
"""

from continuum.demo.generator.presets import PRESETS, Preset
from continuum.demo.generator.registry import Step, load_steps, step
from continuum.demo.generator.runner import DEFAULT_AS_OF, DemoDataExists, build, choose_preset
from continuum.demo.generator.world import DemoPerson, World, row_counts, summary_lines

__all__ = [
    "DEFAULT_AS_OF",
    "PRESETS",
    "DemoDataExists",
    "DemoPerson",
    "Preset",
    "Step",
    "World",
    "build",
    "choose_preset",
    "load_steps",
    "row_counts",
    "step",
    "summary_lines",
]
