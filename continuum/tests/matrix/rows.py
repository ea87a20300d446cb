"""The permission matrix's rows: ``permission_matrix.csv`` read, one ``Row`` per situation,
each action column allow or deny (or - where the action does not exist for that record)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from continuum.accounts.models import Role

MATRIX = Path(__file__).parent.parent / "permission_matrix.csv"
COLUMNS = ("view_page", "view_api", "search", "count", "edit", "queue", "decide", "work")
# The actions each record has; its other columns are "-".
ACTIONS_OF = {
    "person": ("view_page", "view_api", "search", "count", "edit"),
    "contact": ("view_page", "view_api", "search", "count", "queue", "decide"),
    "notification": ("view_page", "view_api", "search", "count"),
    "episode": ("view_page", "view_api", "search", "count", "work"),
}
EMPLOYERS_OF = {
    "person": ("council", "partner"),
    "contact": ("council", "partner"),
    "notification": ("council", "partner", "police"),
    "episode": ("council", "partner"),
}
COUNCILS = ("own", "other")
RELATIONSHIPS_OF = {
    "person": (
        "none",
        "involved",
        "involvement_ended",
        "involvement_future",
        "break_glass",
        "break_glass_expired",
        "break_glass_revoked",
    ),
    "contact": ("none", "made_it", "others_draft"),
    "notification": ("none", "force_made_it"),
    "episode": (
        "none",
        "lead_professional",
        "lead_professional_closed",
        "taf_member",
        "taf_member_left",
    ),
}
RESTRICTED = ("no", "listed", "unlisted")
# The person every situation is about (the contact's, notification's or episode's child).
SUBJECT = {"given_name": "Elowen", "family_name": "Quarrington"}


@dataclass(frozen=True)
class Row:
    line: int
    record: str
    role: str
    employer: str
    council: str
    relationship: str
    restricted: str
    # The record's actions only: True = allow, False = deny.
    expected: dict[str, bool]

    @property
    def id(self) -> str:
        return "-".join(
            [self.role, self.employer, self.council, self.relationship, self.restricted]
        )


def load_matrix() -> list[Row]:
    with MATRIX.open(newline="") as handle:
        lines = [(n, text) for n, text in enumerate(handle, start=1)]
    data = [(n, text) for n, text in lines if text.strip() and not text.startswith("#")]
    reader = csv.DictReader(text for _, text in data)
    rows = []
    for (line, _), record in zip(data[1:], reader, strict=True):
        kind = record["record"]
        assert kind in ACTIONS_OF, f"line {line}: unknown record {kind!r}"
        expected = {}
        for action in COLUMNS:
            value = record[action]
            if action in ACTIONS_OF[kind]:
                assert value in ("allow", "deny"), f"line {line}: {action}={value!r}"
                expected[action] = value == "allow"
            else:
                assert value == "-", f"line {line}: a {kind} has no {action} ({value!r})"
        rows.append(
            Row(
                line=line,
                record=kind,
                role=record["role"],
                employer=record["employer"],
                council=record["council"],
                relationship=record["relationship"],
                restricted=record["restricted"],
                expected=expected,
            )
        )
    return rows


ALL_ROWS = load_matrix()


def rows_for(record: str) -> list[Row]:
    return [row for row in ALL_ROWS if row.record == record]


ROWS = rows_for("person")
CONTACT_ROWS = rows_for("contact")
NOTIFICATION_ROWS = rows_for("notification")
EPISODE_ROWS = rows_for("episode")
# Roles employed by a council (every role but the partner practitioner).
COUNCIL_EMPLOYED_ROLES = [role for role in Role.values if role != Role.PARTNER_PRACTITIONER]
