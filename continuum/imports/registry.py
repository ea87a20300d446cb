"""The kinds of file Continuum takes in, each registered by the app that owns its records.

An app describes its file once as an ``Importer`` and registers it from its
``AppConfig.ready``: how to check the whole file (``check``: parse and validate, no writes;
raise ``FileRefused`` listing every problem) and how to write what it holds (``apply``: one
transaction, reporting its progress). This app records each run, stores the file, runs it
in the background and shows it; it never imports the apps that register with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from continuum.accounts.models import User
    from continuum.imports.models import ImportRun


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused, named by where it is."""

    where: str  # e.g. "row 4000, column date_of_birth" or "child LA123, element CINreferralDate"
    message: str
    child: str = ""  # the LA child ID, UPN or row reference, when there is one

    def as_json(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Problem:
        return cls(
            where=str(value.get("where", "")),
            message=str(value.get("message", "")),
            child=str(value.get("child", "")),
        )


class FileRefused(Exception):
    """Raised by ``check``: the whole file is refused and nothing is saved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            "; ".join(f"{problem.where}: {problem.message}" for problem in self.problems[:5])
        )


@dataclass
class Counts:
    """What an import did to the records it holds."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    ended: int = 0

    def as_json(self) -> dict[str, int]:
        return asdict(self)

    def add(self, other: Counts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


# Progress: (done, total) as the records are written.
Progress = Callable[[int, int], None]
# A rule of the access policy: may ``user`` import this kind of file for ``council``?
ImportRule = Callable[["User", Any], bool]


@dataclass(frozen=True)
class Importer:
    kind: str  # URL slug: "cin-census", "police-notifications", "school-attendance"
    label: str  # "CIN census return"
    extensions: tuple[str, ...]  # (".xml",)
    max_bytes: int
    action: str  # the policy action a user needs for the chosen council ("imports.cin_census")
    # Parse and validate the whole file, no writes; raise FileRefused. What it returns is
    # handed to ``apply``.
    check: Callable[[bytes, ImportRun], Any]
    # Write what ``check`` returned, atomically, reporting progress(done, total). It must
    # not save the run (its progress is written beside the transaction); it may set
    # ``run.note`` (kept with the result: saved even for a dry run, whose writes are undone).
    apply: Callable[[Any, ImportRun, Progress], Counts]
    # What the file holds, in words, for the upload page (and the docs/ page saying more).
    describe_columns: str = ""
    # Who may import it for a council; by default the council's team managers and
    # performance analysts (``imports.policies.may_import_for``).
    rule: ImportRule | None = None
    # Extra sections of an import's page (its findings, the matches to resolve): a template
    # included with the context ``result_context(run, request)`` gives (the request's user
    # may see the run; the function logs any read of a person's record it shows).
    result_template: str = ""
    result_context: Callable[[ImportRun, HttpRequest], dict[str, Any]] | None = field(default=None)

    def allows(self, file_name: str) -> bool:
        return file_name.lower().endswith(tuple(ext.lower() for ext in self.extensions))


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Add a kind of file, and the policy rule for its action."""
    from continuum.imports import policies

    _importers[importer.kind] = importer
    policies.register_import_action(importer.action, importer.rule)


def importer(kind: str) -> Importer:
    """The importer of ``kind``; 404 for a kind nobody registered."""
    try:
        return _importers[kind]
    except KeyError as exc:
        raise Http404(f"No kind of import called {kind!r}.") from exc


def importers() -> list[Importer]:
    """Every registered kind, by label."""
    return sorted(_importers.values(), key=lambda found: found.label)


def largest_upload() -> int:
    """The largest file any kind takes (0 when none is registered)."""
    return max((found.max_bytes for found in _importers.values()), default=0)
