"""Person search in the database (issue 16): stored match keys on each person, filled for
the people already recorded, and on PostgreSQL the pg_trgm extension with GIN indexes on
them (SQLite migrates without the indexes and searches the simpler way)."""

import json
from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

BATCH = 2000

POSTGRES_INDEXES = [
    (
        "people_person_search_trgm",
        "CREATE INDEX people_person_search_trgm ON people_person "
        "USING gin (search_all_names gin_trgm_ops)",
    ),
    (
        "people_person_search_keys",
        "CREATE INDEX people_person_search_keys ON people_person USING gin (search_keys)",
    ),
]


class TrigramExtensionOnPostgres(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing elsewhere. Reversing leaves the extension in place
    (something else may use it; an unused extension costs nothing)."""

    def database_backwards(self, *args: Any, **kwargs: Any) -> None:
        return None


def fill_match_keys(apps: Any, schema_editor: Any) -> None:
    # The plain-Python key functions the services use (no Django models in them).
    from continuum.people import name_keys

    Person = apps.get_model("people", "Person")
    PersonAlias = apps.get_model("people", "PersonAlias")
    db = schema_editor.connection.alias
    last = None
    while True:
        page = Person.objects.using(db).order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page.values_list("pk", "given_name", "middle_names", "family_name")[:BATCH])
        if not rows:
            return
        last = rows[-1][0]
        aliases: dict[Any, list[tuple[str, str]]] = {}
        for person_id, given, family in (
            PersonAlias.objects.using(db)
            .filter(person_id__in=[row[0] for row in rows])
            .order_by("pk")
            .values_list("person_id", "given_name", "family_name")
        ):
            aliases.setdefault(person_id, []).append((given, family))
        people = []
        for pk, given, middle, family in rows:
            columns = name_keys.search_columns(given, middle, family, aliases.get(pk, ()))
            people.append(Person(pk=pk, **columns))
        if schema_editor.connection.vendor == "postgresql":
            # One UPDATE ... FROM unnest(...) a batch (bulk_update's CASE is quadratic).
            schema_editor.execute(
                "UPDATE people_person AS p SET search_names = v.n, search_all_names = v.a, "
                "search_keys = v.k FROM unnest(%s::uuid[], %s::text[], %s::text[], "
                "%s::jsonb[]) AS v(id, n, a, k) WHERE p.id = v.id",
                [
                    [p.pk for p in people],
                    [p.search_names for p in people],
                    [p.search_all_names for p in people],
                    [json.dumps(p.search_keys) for p in people],
                ],
            )
        else:
            Person.objects.using(db).bulk_update(
                people, ["search_names", "search_all_names", "search_keys"]
            )


def add_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for _, create in POSTGRES_INDEXES:
            schema_editor.execute(create)


def drop_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in POSTGRES_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_without_yes_no_disability"),
    ]

    operations = [
        # CREATE EXTENSION IF NOT EXISTS pg_trgm, on PostgreSQL only (Django skips it
        # elsewhere); pg_trgm is a trusted extension, so the database owner may create it.
        TrigramExtensionOnPostgres(),
        migrations.AddField(
            model_name="person",
            name="search_all_names",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.AddField(
            model_name="person",
            name="search_keys",
            field=models.JSONField(
                blank=True, db_default=models.Value("[]"), default=list, editable=False
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="search_names",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        # The indexes before the keys are filled: an index built over rows updated in the
        # same transaction is marked check-xmin and left unused by the planner while any
        # older transaction runs anywhere on the server.
        migrations.RunPython(add_indexes, drop_indexes),
        migrations.RunPython(fill_match_keys, migrations.RunPython.noop, elidable=True),
    ]
