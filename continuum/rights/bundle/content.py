"""What a bundle holds, as plain data that is both the JSON file and what the PDF is laid
out from: sections of records of fields. A field that holds another person's details is
marked (``mark``: its key, and why) for the reviewer; the release replaces each item the
reviewer redacted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models

from continuum.people.models import Person
from continuum.ui.dates import govuk_date, govuk_datetime

ANOTHER_PERSON = "Another person's details"
REFERRER = "The referrer's details"
REDACTED = "[redacted]"
# Never shown: keys, versions and the other record a row belongs to (its section says).
SKIPPED = frozenset({"id", "version", "name_keys"})


@dataclass
class Field:
    label: str
    value: Any
    text: str
    mark_reason: str = ""


@dataclass
class Record:
    title: str
    fields: list[Field] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    records: list[Record] = field(default_factory=list)
    empty: str = "Nothing is held."


def _text(value: Any) -> tuple[Any, str]:
    """The machine-readable value and the words the PDF shows."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, datetime):
        return value.isoformat(), govuk_datetime(value)
    if isinstance(value, date):
        return value.isoformat(), govuk_date(value)
    if isinstance(value, bool):
        return value, "Yes" if value else "No"
    if isinstance(value, list | dict):
        return value, json.dumps(value, ensure_ascii=False)
    return str(value) if not isinstance(value, int | float) else value, str(value)


def name_of(obj: Any) -> str:
    if obj is None:
        return ""
    if isinstance(obj, Person):
        return obj.full_name
    full = getattr(obj, "get_full_name", None)
    if callable(full):
        return str(full() or getattr(obj, "username", ""))
    return str(obj)


def fields_of(
    obj: models.Model,
    subject: Person,
    *,
    skip: tuple[str, ...] = (),
    marked: dict[str, str] | None = None,
) -> list[Field]:
    """Every field ``obj`` holds, in words. A link to another person than ``subject`` is
    marked, and so is each field named in ``marked`` (with its reason) that holds
    something."""
    marked = marked or {}
    found: list[Field] = []
    for model_field in obj._meta.concrete_fields:
        name = model_field.name
        if name in SKIPPED or name in skip or isinstance(model_field, models.BinaryField):
            continue
        label = str(model_field.verbose_name).capitalize()
        reason = marked.get(name, "")
        if isinstance(model_field, models.ForeignKey):
            related = getattr(obj, name)
            if related is None:
                continue
            if isinstance(related, Person) and related.pk != subject.pk:
                reason = reason or ANOTHER_PERSON
            text = name_of(related)
            found.append(Field(label, text, text, reason))
            continue
        raw = getattr(obj, name)
        if model_field.choices and raw not in (None, ""):
            display = getattr(obj, f"get_{name}_display")()
            found.append(Field(label, raw, str(display), reason))
            continue
        value, text = _text(raw)
        if value is None:
            continue
        found.append(Field(label, value, text, reason))
    return found


def people_field(label: str, people: list[Person], subject: Person) -> list[Field]:
    """One field per person linked to a record (the children of a contact, say), the
    others than ``subject`` marked."""
    return [
        Field(label, p.full_name, p.full_name, "" if p.pk == subject.pk else ANOTHER_PERSON)
        for p in people
    ]


def as_data(sections: list[Section]) -> list[dict[str, Any]]:
    """The sections as the JSON file holds them, each marked field with its key."""
    data = []
    for section in sections:
        records = []
        for r_index, record in enumerate(section.records):
            fields = []
            for f_index, item in enumerate(record.fields):
                entry: dict[str, Any] = {
                    "label": item.label,
                    "value": item.value,
                    "text": item.text,
                }
                if item.mark_reason:
                    entry["mark"] = {
                        "key": f"{section.key}/{r_index}/{f_index}",
                        "reason": item.mark_reason,
                    }
                fields.append(entry)
            records.append({"title": record.title, "fields": fields})
        data.append(
            {"key": section.key, "title": section.title, "empty": section.empty, "records": records}
        )
    return data


def marks_in(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every marked item of the sections: key, section, label, text, reason."""
    return [
        {
            "key": entry["mark"]["key"],
            "section": section["title"],
            "label": entry["label"],
            "text": entry["text"],
            "reason": entry["mark"]["reason"],
        }
        for section in sections
        for record in section["records"]
        for entry in record["fields"]
        if "mark" in entry
    ]


def redacted(sections: list[dict[str, Any]], redact: set[str]) -> list[dict[str, Any]]:
    """The sections with each item whose key is in ``redact`` replaced, and the marks
    (the reviewer's working) taken out."""
    released = []
    for section in sections:
        records = []
        for record in section["records"]:
            fields = []
            for entry in record["fields"]:
                mark = entry.get("mark")
                if mark and mark["key"] in redact:
                    fields.append({"label": entry["label"], "value": REDACTED, "text": REDACTED})
                else:
                    fields.append({k: v for k, v in entry.items() if k != "mark"})
            records.append({"title": record["title"], "fields": fields})
        released.append({**section, "records": records})
    return released
