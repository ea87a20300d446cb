"""Change capture for the maintained figures: a database trigger on every table the
indicator engine reads writes a row to the change queue (``FigureChange``) naming the
council the change concerns (NULL: any council), whoever made the change: a service, an
import, a bulk write, a raw SQL statement or retention's erasure. Decision 0019.

PostgreSQL: one statement-level trigger per table and operation with transition tables,
so a bulk insert of 100,000 rows writes one queue row per council, not 100,000. SQLite
(development, tests): row-level triggers. ``install`` is idempotent (``CREATE OR REPLACE``,
``IF NOT EXISTS``) and runs after every ``migrate`` (``apps.PerformanceConfig``), because
Django's SQLite schema editor rebuilds a table to alter it, dropping its triggers.
"""

# The SQL here is built only from the constant table and column names in TRIGGERED.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connections

QUEUE = "performance_figurechange"

# Each table the engine's sources read -> how to find the council of a changed row: [] its
# own council_id; a chain of (foreign key column, parent table) ending at a table with a
# council_id; None: any council (a change there may concern several councils' figures).
TRIGGERED: dict[str, list[tuple[str, str]] | None] = {
    "consent_consentrecord": [],
    "consent_consentwithdrawal": [("consent_id", "consent_consentrecord")],
    "early_help_assessment": [("episode_id", "early_help_episode")],
    "early_help_childvoice": [
        ("assessment_id", "early_help_assessment"),
        ("episode_id", "early_help_episode"),
    ],
    "early_help_closure": [("episode_id", "early_help_episode")],
    "early_help_earlyhelpsettings": [],
    "early_help_episode": [],
    "early_help_episode_children": [("episode_id", "early_help_episode")],
    "early_help_needclosureoutcome": [
        ("closure_id", "early_help_closure"),
        ("episode_id", "early_help_episode"),
    ],
    "early_help_plan": [("episode_id", "early_help_episode")],
    "early_help_review": [("episode_id", "early_help_episode")],
    "early_help_sustainedoutcomecheck": [
        ("closure_id", "early_help_closure"),
        ("episode_id", "early_help_episode"),
    ],
    "early_help_tafattendee": [
        ("meeting_id", "early_help_tafmeeting"),
        ("episode_id", "early_help_episode"),
    ],
    "early_help_tafmeeting": [("episode_id", "early_help_episode")],
    # Read through the children of any council's episodes.
    "education_attendancerecord": None,
    "front_door_contact": [],
    "front_door_contactchild": [("contact_id", "front_door_contact")],
    "front_door_contactdecision": [("contact_id", "front_door_contact")],
    "front_door_domesticabusenotification": [],
    "front_door_triageoutcome": [("notification_id", "front_door_domesticabusenotification")],
    "organisations_council": None,
    "organisations_locality": None,
    "organisations_organisation": None,
    "organisations_team": None,
    "people_householdmember": None,
    # Only the columns the engine reads (see PERSON_COLUMNS): a new person is in no record
    # yet, and the records that link a person have triggers of their own.
    "people_person": None,
    "statutory_statutoryinvolvement": [],
}
# What the engine reads of a person: the age band, the ethnicity, adult or child (consent).
PERSON_COLUMNS = ("date_of_birth", "ethnicity", "kind")
# Tables the engine reads live at every compute, not through the figures.
READ_LIVE = {"performance_childpopulation"}


def council_expression(chain: list[tuple[str, str]] | None, row: str, *, pg: bool) -> str:
    if chain is None:
        return "NULL::integer" if pg else "NULL"
    if not chain:
        return f"{row}.council_id"
    expression = f"{row}.{chain[0][0]}"
    for i, (_, parent) in enumerate(chain):
        column = chain[i + 1][0] if i + 1 < len(chain) else "council_id"
        expression = f"(SELECT {column} FROM {parent} WHERE id = {expression})"
    return expression


def _postgresql(table: str, chain: list[tuple[str, str]] | None) -> list[str]:
    function = f"figures_capture_{table}"

    def insert(select: str) -> str:
        return (
            f"INSERT INTO {QUEUE} (council_id, source_table) "
            f"SELECT c, '{table}' FROM ({select}) AS changed;"
        )

    new = council_expression(chain, "r", pg=True)
    if table == "people_person":
        changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in PERSON_COLUMNS)
        on_insert = "NULL;"
        on_update = insert(
            "SELECT DISTINCT NULL::integer AS c FROM new_rows n "
            f"JOIN old_rows o ON o.id = n.id WHERE {changed}"
        )
    else:
        on_insert = insert(f"SELECT DISTINCT {new} AS c FROM new_rows r")
        on_update = insert(
            f"SELECT {new} AS c FROM new_rows r UNION SELECT {new} AS c FROM old_rows r"
        )
    on_delete = insert(f"SELECT DISTINCT {new} AS c FROM old_rows r")
    body = (
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n  IF TG_OP = 'INSERT' THEN {on_insert}\n"
        f"  ELSIF TG_OP = 'UPDATE' THEN {on_update}\n"
        f"  ELSE {on_delete}\n  END IF;\n  RETURN NULL;\nEND $$"
    )
    statements = [body]
    for suffix, event, referencing in (
        ("ins", "INSERT", "NEW TABLE AS new_rows"),
        ("upd", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("del", "DELETE", "OLD TABLE AS old_rows"),
    ):
        statements.append(
            f"CREATE OR REPLACE TRIGGER figures_{suffix} AFTER {event} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    return statements


def _sqlite(table: str, chain: list[tuple[str, str]] | None) -> list[str]:
    def insert(expression: str) -> str:
        return f"INSERT INTO {QUEUE} (council_id, source_table) VALUES ({expression}, '{table}');"

    new = council_expression(chain, "NEW", pg=False)
    old = council_expression(chain, "OLD", pg=False)
    statements = []
    if table == "people_person":
        columns = ", ".join(PERSON_COLUMNS)
        events = [("upd", f"UPDATE OF {columns}", insert("NULL"))]
    else:
        events = [("ins", "INSERT", insert(new)), ("upd", "UPDATE", insert(new) + insert(old))]
    events.append(("del", "DELETE", insert(old)))
    for suffix, event, action in events:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS figures_{table}_{suffix} AFTER {event} ON {table} "
            f"FOR EACH ROW BEGIN {action} END"
        )
    return statements


def install(using: str = "default") -> int:
    """(Re)install the triggers on every table in ``TRIGGERED`` that exists; returns how
    many tables have them."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return 0
    existing = set(connection.introspection.table_names())
    if QUEUE not in existing:
        return 0
    done = 0
    with connection.cursor() as cursor:
        for table, chain in TRIGGERED.items():
            if table not in existing:
                continue
            if connection.vendor == "postgresql":
                statements = _postgresql(table, chain)
            else:
                statements = _sqlite(table, chain)
            for statement in statements:
                cursor.execute(statement)
            done += 1
    return done


def installed(using: str = "default") -> set[str]:
    """The tables that have the figures' triggers now."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'figures\\_%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'figures\\_%' ESCAPE '\\'"
            )
        return {row[0] for row in cursor.fetchall()}


def install_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` handler: the triggers, again (idempotent)."""
    install(using)
