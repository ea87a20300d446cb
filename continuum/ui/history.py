"""Change history for people to read: django-simple-history's records of a model turned into
entries saying when, who, what and which fields changed from what to what.

One renderer for every history page (a person's record, an episode): each page passes the
records of each model it shows, and the fields that mean nothing to a reader (versions,
links to the parent record).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Model

from continuum.ui.dates import govuk_date, govuk_datetime

NOT_RECORDED = "Not recorded"
KINDS = {"+": "Added", "~": "Changed", "-": "Removed"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: Any
    what: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


def field_label(model: type[Model], name: str) -> str:
    """The field's verbose name, capitalised."""
    verbose = str(getattr(model._meta.get_field(name), "verbose_name", name))
    return verbose[:1].upper() + verbose[1:]


def shown(model: type[Model], name: str, value: Any) -> str:
    """A stored value as a reader should see it: the choice's label, the related record,
    a date in words, or "Not recorded"."""
    if value in (None, ""):
        return NOT_RECORDED
    model_field = model._meta.get_field(name)
    related = getattr(model_field, "related_model", None)
    if model_field.is_relation and related is not None:
        found = related._default_manager.filter(pk=value).first()
        return str(found) if found is not None else NOT_RECORDED
    choices = dict(getattr(model_field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if isinstance(value, datetime):
        return govuk_datetime(value)
    if isinstance(value, date):
        return govuk_date(value)
    return str(value)


def history_entries(
    records: Iterable[Any],
    model: type[Model],
    what: str,
    *,
    hidden: Collection[str] = (),
    kinds: Mapping[str, str] = KINDS,
    name_added: bool = False,
) -> list[HistoryEntry]:
    """One entry per historical record of ``model`` (``records`` oldest first), each change
    listing the fields that changed, ``hidden`` fields left out; a change to hidden fields
    only is no entry. With ``name_added`` an addition names the record it added."""
    entries: list[HistoryEntry] = []
    previous: dict[Any, Any] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        changes: list[FieldChange] = []
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before)
            changes = [
                FieldChange(
                    field_label(model, change.field),
                    shown(model, change.field, change.old),
                    shown(model, change.field, change.new),
                )
                for change in delta.changes
                if change.field not in hidden
            ]
            if not changes:
                continue
        added = record.history_type == "+" and name_added
        entries.append(
            HistoryEntry(
                at=record.history_date,
                who=record.history_user,
                what=f"{what}: {record.instance}" if added else what,
                kind=kinds.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries
