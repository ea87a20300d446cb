"""Write the access log as JSON lines for a council's security monitoring, from a cursor.

    python manage.py export_access_log --since CURSOR [--council CODE] [--limit N]

The cursor is a position in the log's hash chain: rows after it are written, oldest first,
one JSON object a line (every field of the row, its hashes included, so the receiver can
check the chain). The cursor to continue from is written last, on standard error and
(with ``--cursor-file``) to a file read as the default ``--since`` next time. With
``--council`` (a DfE LA code), only rows about a person that council holds or by a user it
employs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.audit.chain import canonical_value
from continuum.audit.selectors import access_log_since


class Command(BaseCommand):
    help = "Write access-log rows after a cursor as JSON lines, for security monitoring."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            type=int,
            default=None,
            help="The cursor: write the rows after this position (0 for all).",
        )
        parser.add_argument("--council", help="Only this council's rows (its DfE LA code).")
        parser.add_argument("--limit", type=int, default=10000, help="At most this many rows.")
        parser.add_argument(
            "--cursor-file",
            type=Path,
            help="Read the cursor from this file (if --since is not given), and write the "
            "next cursor to it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cursor_file: Path | None = options["cursor_file"]
        since = options["since"]
        if since is None:
            if cursor_file is not None and cursor_file.exists():
                since = _read_cursor(cursor_file)
            else:
                raise CommandError("Give --since CURSOR (0 to start from the beginning).")
        if since < 0 or options["limit"] < 1:
            raise CommandError("The cursor must be 0 or more, and the limit 1 or more.")
        try:
            rows = access_log_since(
                cursor=since, council_code=options["council"], limit=options["limit"]
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        cursor = since
        written = 0
        for entry in rows:
            record = {
                field.attname: canonical_value(field.value_from_object(entry))
                for field in entry._meta.concrete_fields
            }
            self.stdout.write(json.dumps(record, sort_keys=True, ensure_ascii=False))
            cursor = entry.sequence
            written += 1
        if cursor_file is not None:
            cursor_file.write_text(f"{cursor}\n")
        self.stderr.write(f"{written} row(s) written. Continue with --since {cursor}")


def _read_cursor(path: Path) -> int:
    try:
        return int(path.read_text().strip())
    except ValueError as exc:
        raise CommandError(f"{path} does not hold a cursor.") from exc
