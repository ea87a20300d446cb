"""Reading a partner's CSV file whole before anything is saved: text in UTF-8, a header
naming known columns, each row the header's width; values parsed with the row and column
named in every problem.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is
row 2. Importers (``front_door.feeds``, ``education.feeds``) gather every problem in the file
with a ``ProblemList`` and refuse the file whole with ``FileRefused`` (nothing saved).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from continuum.imports.registry import Counts, FileRefused, Problem

# More than this many problems are summarised: the first ones name where to start.
MAX_PROBLEMS = 200

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class CountsWithNotes(Counts):
    """What an import did, with the rows someone should look at (a UPN that matched no
    record, a new record that may be someone already known): not problems that refuse the
    file, but kept with the run and shown on its page."""

    notes: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, int]:
        return Counts(
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            refused=self.refused,
            ended=self.ended,
        ).as_json()


@dataclass
class Row:
    """One data row: its number as a spreadsheet shows it and its values by column."""

    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass
class ProblemList:
    """Every problem found in a file, in the order found."""

    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, where: str, message: str, child: str = "") -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where=where, message=message, child=child))

    def at(self, row: Row, column: str, message: str, child: str = "") -> None:
        self.add(f"row {row.number}, column {column}", message, child)

    def __bool__(self) -> bool:
        return self.total > 0

    def refuse_if_any(self) -> None:
        if not self.total:
            return
        problems = list(self.problems)
        if self.total > len(problems):
            problems.append(
                Problem(
                    where="the file",
                    message=f"{self.total - len(problems)} more problems are not listed: "
                    "correct the ones above and load the file again.",
                )
            )
        raise FileRefused(problems)


def refuse(where: str, message: str) -> FileRefused:
    return FileRefused([Problem(where=where, message=message)])


def decode(data: bytes) -> str:
    """The file as text: UTF-8, with or without a byte-order mark."""
    if not data.strip():
        raise refuse("the file", "The file is empty.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise refuse(
            f"row {row}",
            "The file is not UTF-8 text (a character here cannot be read). Save it as "
            "‘CSV UTF-8’ and load it again.",
        ) from exc
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise refuse(f"row {row}", "The file holds a null character: it is not a CSV file.")
    return text


def _check_header(
    header: list[str],
    required: Sequence[str],
    optional: Iterable[str],
    also_allowed: Callable[[str], bool] | None,
    problems: ProblemList,
) -> None:
    known = set(required) | set(optional)
    seen: set[str] = set()
    for name in header:
        if not name:
            problems.add("row 1", "A column has no name.")
        elif name in seen:
            problems.add(f"row 1, column {name}", "The column is named twice.")
        elif name not in known and not (also_allowed and also_allowed(name)):
            problems.add(
                f"row 1, column {name}",
                "This is not a column the file may have (see docs/partner-feeds.md).",
            )
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.add(f"column {name}", "The column is missing from the header (row 1).")


def read_rows(
    data: bytes,
    *,
    required: Sequence[str],
    optional: Iterable[str] = (),
    also_allowed: Callable[[str], bool] | None = None,
) -> tuple[list[str], list[Row]]:
    """The header and the non-empty rows of a CSV file, or ``FileRefused`` naming every
    problem with the header or the rows' shape. Column names are matched ignoring case and
    spaces at either end."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems = ProblemList()
    try:
        header_row = next(reader, None)
    except csv.Error as exc:
        raise refuse("row 1", f"The header cannot be read as CSV: {exc}.") from exc
    if header_row is None or not any(h.strip() for h in header_row):
        raise refuse("row 1", "The first row must name the columns.")
    header = [h.strip().lower() for h in header_row]
    _check_header(header, required, optional, also_allowed, problems)
    problems.refuse_if_any()
    rows: list[Row] = []
    number = 1
    try:
        for values in reader:
            number += 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.add(
                    f"row {number}",
                    f"The row has {len(values)} values but the header names {len(header)} columns.",
                )
                continue
            rows.append(Row(number=number, values=dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        problems.add(f"row {number + 1}", f"The row cannot be read as CSV: {exc}.")
    if not rows and not problems:
        problems.add("the file", "The file has a header but no rows.")
    problems.refuse_if_any()
    return header, rows


# --- values ----------------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """2026-03-27 or 27/03/2026; None when it is not a real date."""
    text = text.strip()
    match = _ISO_DATE.match(text)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = int(match[1]), int(match[2]), int(match[3])
    else:
        match = _UK_DATE.match(text)
        if match:
            parts = int(match[3]), int(match[2]), int(match[1])
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def parse_date_time(text: str) -> datetime | None:
    """A date and a 24-hour time, 'T' or a space between (2026-03-27 21:30); naive."""
    text = text.strip().replace("T", " ")
    day_text, _, time_text = text.partition(" ")
    day = parse_date(day_text)
    match = _TIME.match(time_text.strip())
    if day is None or not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return datetime.combine(day, time(hour, minute))


def parse_whole_number(text: str) -> int | None:
    text = text.strip()
    if not text or not text.isdigit() or not text.isascii():
        return None
    return int(text)


def parse_yes_no(text: str) -> bool | None:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None
