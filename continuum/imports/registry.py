"""TEMPORARY stand-in for the census-import branch's registry (same interface); replaced by
theirs at merge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    child: str = ""


class FileRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.where}: {p.message}" for p in problems[:5]))
        self.problems = problems


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    ended: int = 0


@dataclass(frozen=True)
class Importer:
    kind: str
    label: str
    extensions: tuple[str, ...]
    max_bytes: int
    action: str
    check: Callable[[bytes, Any], Any]
    apply: Callable[[Any, Any, Callable[[int, int], None]], Counts]
    describe_columns: str = ""


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.kind] = importer
