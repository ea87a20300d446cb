"""Writing records that happened in the past, in bulk, the way the apps' services would
have written them at the time.

The services stamp records with the clock (``auto_now_add``, ``timezone.now()``) and keep
one version (django-simple-history) per save, dated now. Demo records happened on dates
counted back from the as-of date, so here every time is explicit:

- ``Rows`` gathers rows per model and inserts them in the order given, one bulk insert per
  model, with ``auto_now_add`` fields keeping the value each row was given.
- Each row of a model with history gets its versions written with it: the version made
  when the row was created and one for each later change, each dated when it happened and
  naming who made it (as the services' ``_history_user`` would).
- ``involve`` and ``chronology`` write the involvement and chronology rows the services
  write through ``access.services`` and ``people.services``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.db.models import Model

from continuum.access.models import Involvement
from continuum.accounts.models import User
from continuum.demo.generator.world import HISTORY_REASON, DemoPerson, World
from continuum.people.choices import sensitivity_for
from continuum.people.models import ChronologyEvent

SECOND = timedelta(seconds=1)


@cache
def keeps_history(model: type[Model]) -> bool:
    """Whether django-simple-history keeps versions of ``model`` (asking ``model.history``
    builds a manager each time, so the answer is kept)."""
    return hasattr(model, "history")


@contextmanager
def explicit_times(model: type[Model]) -> Iterator[None]:
    """Let ``auto_now_add`` fields of ``model`` keep the values given to the rows."""
    fields = [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    for f in fields:
        f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True  # type: ignore[attr-defined]


@dataclass
class Version:
    """One version of a row: when, by whom, and the fields that differed then from the
    row as finally written (``{}`` for the row as written)."""

    at: datetime
    by: User | None
    state: dict[str, Any] = field(default_factory=dict)


class Rows:
    """Rows to insert, by model, each with its versions when the model keeps history."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rows: dict[type[Model], list[Model]] = {}
        self.versions: dict[int, list[Version]] = {}

    def add(self, obj: Model, *versions: Version) -> Any:
        """Queue ``obj``; a model with history needs its versions, oldest first."""
        model = type(obj)
        if keeps_history(model):
            if not versions:
                raise ValueError(f"A {model.__name__} row needs the versions it went through.")
            self.versions[id(obj)] = list(versions)
        self.rows.setdefault(model, []).append(obj)
        return obj

    def count(self, model: type[Model]) -> int:
        return len(self.rows.get(model, []))

    def save(self, *order: type[Model]) -> None:
        """Insert every queued row, model by model in ``order`` (parents first)."""
        missing = [m.__name__ for m in self.rows if m not in order]
        if missing:
            raise ValueError(f"No place in the insert order for {', '.join(missing)}.")
        for model in order:
            objs = self.rows.pop(model, [])
            if not objs:
                continue
            with explicit_times(model):
                model._default_manager.bulk_create(objs, batch_size=self.world.preset.batch_size)
            if keeps_history(model):
                self._save_versions(model, objs)

    def _save_versions(self, model: type[Model], objs: Sequence[Model]) -> None:
        historical: Any = model.history.model  # type: ignore[attr-defined]
        tracked = historical.tracked_fields
        records = []
        for obj in objs:
            previous: datetime | None = None
            for n, version in enumerate(self.versions.pop(id(obj))):
                # Versions of a row are in order: one made the same day never comes first.
                at = version.at if previous is None else max(version.at, previous + SECOND)
                previous = at
                values = {f.attname: getattr(obj, f.attname) for f in tracked}
                for name, value in version.state.items():
                    attname = getattr(model._meta.get_field(name), "attname", name)
                    values[attname] = value.pk if isinstance(value, Model) else value
                records.append(
                    historical(
                        history_date=at,
                        history_user=version.by,
                        history_change_reason=HISTORY_REASON,
                        history_type="+" if n == 0 else "~",
                        **values,
                    )
                )
        historical.objects.bulk_create(records, batch_size=self.world.preset.batch_size)


def involve(
    rows: Rows,
    *,
    user: User,
    person: DemoPerson,
    reason: str,
    source: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    ended_recorded_at: datetime | None = None,
) -> Involvement:
    """An involvement as ``access.services.record_involvement`` writes it, ended (as
    ``end_involvement`` ends it, recorded at ``ended_recorded_at``) when ``ends_at`` is
    given."""
    involvement = Involvement(
        user=user, person=person.person, reason=reason, source=source, starts_at=starts_at
    )
    versions = [Version(at=starts_at, by=None, state={"ends_at": None})]
    if ends_at is not None:
        involvement.ends_at = max(ends_at, starts_at)
        versions.append(Version(at=ended_recorded_at or ends_at, by=None))
    return rows.add(involvement, *versions)


def chronology(
    rows: Rows,
    *,
    person: DemoPerson,
    on: date,
    category: str,
    title: str,
    source: str,
    by: User | None,
    at: datetime,
    detail: str = "",
) -> ChronologyEvent:
    """A chronology event as ``people.services.record_chronology_event`` writes it."""
    person.events.append(title)
    return rows.add(
        ChronologyEvent(
            person=person.person,
            occurred_on=on,
            category=category,
            sensitivity=sensitivity_for(category),
            title=title,
            detail=detail,
            source=source,
            recorded_by=by,
            recorded_at=at,
        ),
        Version(at=at, by=by),
    )
