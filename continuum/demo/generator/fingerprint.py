"""A fingerprint of everything in the database: per table, its row count and a hash of its
rows, so two seeds can be proved to have made exactly the same data.

Left out, because they differ from run to run whatever the seed: columns the database or
Django fills with the moment of seeding (``auto_now``/``auto_now_add``, the history's
``history_date``) and those listed in ``VOLATILE`` (found by seeding twice with the same
seed and comparing column by column: ``python -m continuum.demo.generator.fingerprint
--columns``).

``stable_ids=True`` renumbers integer (sequence) ids by their order in their table, in the
table itself and wherever a foreign key points at them, so a build inside a test's
transaction (whose sequences start wherever earlier tests left them) fingerprints the same
as one in a fresh database.

    python -m continuum.demo.generator.fingerprint [--stable-ids] [--columns | --sql] > out.json
    python -m continuum.demo.generator.fingerprint --compare expected.json actual.json

(run with Django set up, e.g. through ``manage.py shell -c``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import connection, models

# Columns that differ between two seeds with the same seed on main's code (found with
# ``--columns`` on two fresh databases): what the services called by the steps stamp with
# the present moment or a random id (case audits, consent withdrawals, e-mails, retention),
# and what points at those ids.
VOLATILE_COLUMNS: dict[str, tuple[str, ...]] = {
    # The case audits' sight of records is granted in an order that differs from run to
    # run, so these tables' sequence ids do too (the rows are the same).
    "access_historicalinvolvement": ("ends_at", "source", "starts_at", "id", "history_id"),
    "access_historicalreadgrant": ("ends_at", "source", "starts_at", "id", "history_id"),
    "access_historicalrestrictedaccess": ("granted_at",),
    "access_involvement": ("ends_at", "source", "id"),
    "access_readgrant": ("source", "id"),
    "access_restrictedaccess": ("granted_at",),
    "accounts_user": ("date_joined", "password"),
    "case_audits_actionupdate": ("action_id",),
    "case_audits_auditaction": ("id", "programme_id"),
    "case_audits_auditcase": ("id", "programme_id"),
    "case_audits_auditconversation": ("case_id",),
    "case_audits_auditprogramme": ("id",),
    "case_audits_auditprogramme_councils": ("auditprogramme_id",),
    "case_audits_auditprogramme_moderators": ("auditprogramme_id",),
    "case_audits_blindregrade": ("id", "programme_id"),
    "case_audits_finding": ("case_id",),
    "case_audits_frontdoorobservation": ("id", "programme_id"),
    "case_audits_historicalauditaction": ("created_at", "id", "programme_id"),
    "case_audits_historicalauditcase": ("id", "moderated_at", "programme_id", "submitted_at"),
    "case_audits_historicalauditconversation": ("case_id", "recorded_at"),
    "case_audits_historicalauditprogramme": (
        "closed_at",
        "created_at",
        "id",
        "opened_at",
        "sampled_at",
    ),
    "case_audits_historicalauditprogramme_councils": ("auditprogramme_id",),
    "case_audits_historicalauditprogramme_moderators": ("auditprogramme_id",),
    "case_audits_historicalblindregrade": ("graded_at", "id", "programme_id", "revealed_at"),
    "case_audits_historicalfinding": ("case_id", "recorded_at"),
    "case_audits_historicalfrontdoorobservation": (
        "id",
        "programme_id",
        "recorded_at",
        "submitted_at",
    ),
    "case_audits_observationfinding": ("observation_id",),
    "consent_consentwithdrawal": ("id", "recorded_at"),
    "consent_consentwithdrawal_agencies": ("consentwithdrawal_id",),
    "consent_historicalconsentwithdrawal": ("id", "recorded_at"),
    "django_tasks_database_dbtaskresult": ("args_kwargs", "id"),
    "early_help_consentreview": ("created_at", "withdrawal_id"),
    "early_help_historicalconsentreview": ("created_at", "withdrawal_id"),
    "notifications_email": ("id", "notification_id", "sent_at"),
    "notifications_notification": ("id",),
    "people_historicalchronologyevent": ("recorded_at",),
    "people_historicalhousehold": ("created_at",),
    "people_historicalperson": ("created_at",),
    "retention_disposalrun": ("listed_at",),
    "retention_historicallegalhold": ("placed_at",),
    "retention_historicalretentionrule": ("changed_at",),
    "retention_historicalretentionschedule": ("updated_at",),
    "retention_legalhold": ("placed_at",),
    "retention_retentionrule": ("changed_at",),
    "retention_retentionschedule": ("updated_at",),
    "rights_historicalrightsrequest": ("logged_at",),
}
VOLATILE = frozenset((t, c) for t, cs in VOLATILE_COLUMNS.items() for c in cs)
# Tables that say nothing about the seeded data.
SKIPPED_TABLES = frozenset(
    {
        "django_migrations",
        "django_session",
        "django_admin_log",
        # The maintained figures (issue 16): worked out from the data for the day they are
        # built (today, not the world's date) and stamped with the time; not demo data.
        "performance_monthlyfigure",
        "performance_figurestate",
        "performance_figurechange",
    }
)

Fingerprint = dict[str, dict[str, Any]]


def _is_volatile(model: type[models.Model], field: models.Field[Any, Any]) -> bool:
    if (model._meta.db_table, field.column) in VOLATILE:
        return True
    # A row's own primary key is left out: a row is its content, and every reference to
    # it from another table is still there (renumbered by rank). Link tables (many-to-many
    # and their history) are written in the order of a Python set of the other ends' ids,
    # which changes with where the sequences start (earlier tests in the process), so
    # their own ids say nothing.
    if field.primary_key:
        return True
    if isinstance(field, models.DateTimeField | models.DateField) and (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ):
        return True
    return field.column == "history_date" and hasattr(model, "instance_type")


def _is_sequence(field: models.Field[Any, Any] | None) -> bool:
    return isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField)


def _models() -> list[type[models.Model]]:
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed and m._meta.db_table not in SKIPPED_TABLES
    ]
    return sorted(found, key=lambda m: m._meta.db_table)


# The rows each table held before a build (``existing()``), left out of its fingerprint.
Existing = dict[str, frozenset[Any]]


def existing() -> Existing:
    """Each table's primary keys now: taken before a build inside a test database that
    earlier tests (threads, live servers) may have left rows in, so that only the build's
    own rows are fingerprinted and ranked."""
    return {
        m._meta.db_table: frozenset(m._base_manager.values_list("pk", flat=True)) for m in _models()
    }


def restart_sequences() -> None:
    """PostgreSQL: move every table's id sequence back to just after its highest id, as in
    a fresh database. Earlier tests in the process move sequences on (their rows roll
    back, their ids do not), and Django writes some rows (links set from a Python set of
    ids) in an order that depends on the ids. Safe: no id in use is handed out again."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.relname, t.relname, a.attname FROM pg_class s "
            "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
            "WHERE s.relkind = 'S'"
        )
        for sequence, table, column in cursor.fetchall():
            # Names from the catalogue, quoted by the database's own rules.
            quoted_column = connection.ops.quote_name(column)
            quoted_table = connection.ops.quote_name(table)
            highest = f"SELECT MAX({quoted_column}) FROM {quoted_table}"  # noqa: S608
            cursor.execute(f"SELECT setval(%s, COALESCE(({highest}), 0) + 1, false)", [sequence])


def _new_rows(model: type[models.Model], before: Existing | None) -> models.QuerySet[Any]:
    rows = model._base_manager.all()
    old = (before or {}).get(model._meta.db_table)
    return rows.exclude(pk__in=old) if old else rows


def _id_ranks(model: type[models.Model], before: Existing | None = None) -> dict[Any, int]:
    pks = _new_rows(model, before).order_by("pk").values_list("pk", flat=True)
    return {pk: rank for rank, pk in enumerate(pks.iterator(chunk_size=20_000))}


def _mapper(
    model: type[models.Model], f: Any, ranks_of: Callable[[Any], dict[Any, int]]
) -> dict[Any, int] | None:
    """How to renumber a column's sequence ids (None: as it is)."""
    if f.primary_key and _is_sequence(f):
        return ranks_of(model)
    if f.is_relation and f.related_model is not None:
        return ranks_of(f.related_model) if _is_sequence(f.related_model._meta.pk) else None
    original = getattr(model, "instance_type", None)
    if f.name == "id" and original is not None and _is_sequence(original._meta.pk):
        return ranks_of(original)  # a history row's copy of the original's id
    return None


# JSON columns whose keys are another table's ids ({need id: outcome}), by table and
# column: the model whose ids they are (app label, model name).
ID_KEYED_JSON: dict[tuple[str, str], tuple[str, str]] = {
    ("early_help_closurerequest", "need_outcomes"): ("early_help", "Need"),
    ("early_help_closurerequest", "closure_scores"): ("early_help", "Need"),
    ("early_help_historicalclosurerequest", "need_outcomes"): ("early_help", "Need"),
    ("early_help_historicalclosurerequest", "closure_scores"): ("early_help", "Need"),
}


def _keyed_by_ids(
    model: type[models.Model], f: Any, ranks_of: Callable[[Any], dict[Any, int]]
) -> dict[Any, int] | None:
    """How to renumber the keys of a JSON column keyed by ids (None: not such a column)."""
    found = ID_KEYED_JSON.get((model._meta.db_table, f.column))
    return ranks_of(apps.get_model(*found)) if found else None


def _renumbered(value: Any, mapper: dict[Any, int] | None, by_key: dict[Any, int] | None) -> Any:
    if value is None:
        return None
    if by_key is not None and isinstance(value, dict):
        return sorted((by_key.get(int(k), k), v) for k, v in value.items())
    return value if mapper is None else mapper.get(value, value)


def fingerprint(
    *, stable_ids: bool = False, columns: bool = False, before: Existing | None = None
) -> Fingerprint:
    """Per table (non-empty ones): ``rows`` and ``hash`` (and with ``columns``, a hash per
    column, to find the columns that differ). With ``before`` (``existing()`` taken before
    the build), rows already there are left out and ids ranked among the new rows only."""
    ranks: dict[type[models.Model], dict[Any, int]] = {}

    def ranks_of(model: type[models.Model]) -> dict[Any, int]:
        model = model._meta.concrete_model or model
        if model not in ranks:
            ranks[model] = _id_ranks(model, before)
        return ranks[model]

    result: Fingerprint = {}
    for model in _models():
        fields = [f for f in model._meta.concrete_fields if not _is_volatile(model, f)]
        rows = _new_rows(model, before)
        if not rows.exists():
            continue
        mappers = [_mapper(model, f, ranks_of) if stable_ids else None for f in fields]
        keyed = [_keyed_by_ids(model, f, ranks_of) if stable_ids else None for f in fields]
        lines: list[list[str]] = []
        query = rows.values_list(*[f.attname for f in fields])
        for row in query.iterator(chunk_size=20_000):
            lines.append(
                [
                    repr(_renumbered(value, mapper, by_key))
                    for value, mapper, by_key in zip(row, mappers, keyed, strict=True)
                ]
            )
        table: dict[str, Any] = {
            "rows": len(lines),
            "hash": _hash("\x1f".join(line) for line in sorted(lines)),
        }
        if columns:
            table["columns"] = {
                f.column: _hash(sorted(line[i] for line in lines)) for i, f in enumerate(fields)
            }
        result[model._meta.db_table] = table
    return result


def fingerprint_in_sql() -> Fingerprint:
    """The same idea computed by PostgreSQL, for databases too big to read into Python
    (the tees preset): per table, rows and an md5 of the sorted rows' text. Comparable only
    with another ``fingerprint_in_sql``; sequence ids as they are."""
    from django.db import connection

    quote = connection.ops.quote_name
    result: Fingerprint = {}
    with connection.cursor() as cursor:
        for model in _models():
            fields = [f for f in model._meta.concrete_fields if not _is_volatile(model, f)]
            row = (
                "concat_ws('|', "
                + ", ".join(f"coalesce({quote(str(f.column))}::text, '~')" for f in fields)
                + ")"
            )
            table = quote(model._meta.db_table)
            sql = (
                f"SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) "  # noqa: S608
                f"FROM (SELECT {row} AS r FROM {table}) AS rows"
            )
            cursor.execute(sql)
            count, digest = cursor.fetchone()
            if count:
                result[model._meta.db_table] = {"rows": count, "hash": digest[:16]}
    return result


def _hash(lines: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def differences(expected: Fingerprint, actual: Fingerprint) -> list[str]:
    """What differs, table by table (and column by column where both have columns)."""
    found = []
    for table in sorted(set(expected) | set(actual)):
        a, b = expected.get(table), actual.get(table)
        if a is None or b is None:
            found.append(f"{table}: only in {'actual' if a is None else 'expected'}")
        elif a["rows"] != b["rows"]:
            found.append(f"{table}: {a['rows']} rows expected, {b['rows']} made")
        elif a["hash"] != b["hash"]:
            cols = [
                c
                for c in a.get("columns", {})
                if c in b.get("columns", {}) and a["columns"][c] != b["columns"][c]
            ]
            found.append(f"{table}: rows differ" + (f" in {', '.join(cols)}" if cols else ""))
    return found


if __name__ == "__main__":  # pragma: no cover - a tool
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "continuum.settings")
    django.setup()
    if len(sys.argv) > 2 and sys.argv[1] == "--compare":
        with open(sys.argv[2]) as a, open(sys.argv[3]) as b:
            diff = differences(json.load(a), json.load(b))
        print("\n".join(diff) or "identical")
        sys.exit(1 if diff else 0)
    json.dump(
        fingerprint_in_sql()
        if "--sql" in sys.argv
        else fingerprint(stable_ids="--stable-ids" in sys.argv, columns="--columns" in sys.argv),
        sys.stdout,
        indent=1,
        sort_keys=True,
    )
