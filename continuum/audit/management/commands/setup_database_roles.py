"""Set up the application's PostgreSQL role so that it may insert and read the access log
but never change, delete, truncate it or turn its trigger off (docs/database-roles.md).

    DATABASE_URL=postgres://OWNER@HOST/DB python manage.py setup_database_roles \\
        --app-role continuum_app [--password-env CONTINUUM_APP_PASSWORD]

Run it as the role that owns the tables (the one that runs ``migrate``) or a superuser,
after every ``migrate``; it is safe to run again. The application then connects as the
application's role, which owns nothing and is no superuser.
"""

from __future__ import annotations

import os
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

ACCESS_LOG = "audit_accesslogentry"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# What the application's role may do to the access log, and what it must not.
LOG_ALLOWED = ("SELECT", "INSERT")
LOG_REFUSED = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def statements(role: str, database: str) -> list[str]:
    """The grants, each statement on its own: the role's privileges on every table, less
    those on the access log that would let it change history."""
    r = connection.ops.quote_name(role)
    db = connection.ops.quote_name(database)
    return [
        f"ALTER ROLE {r} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        f"GRANT CONNECT ON DATABASE {db} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"REVOKE {', '.join(LOG_REFUSED)} ON {ACCESS_LOG} FROM {r}",
        f"REVOKE {', '.join(LOG_REFUSED)} ON {ACCESS_LOG} FROM PUBLIC",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]


class Command(BaseCommand):
    help = "Give the application's PostgreSQL role its privileges: insert and read the log only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", required=True, help="The application's role.")
        parser.add_argument(
            "--password-env",
            help="The environment variable holding the role's password; the role may then "
            "sign in (LOGIN). Without it the role is left as it is, or created NOLOGIN.",
        )
        parser.add_argument(
            "--print", action="store_true", help="Print the statements instead of running them."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role: str = options["app_role"]
        if not ROLE_NAME.match(role):
            raise CommandError("A role name is lower-case letters, digits and underscores.")
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are set up on PostgreSQL only.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
        if options["print"]:
            for statement in statements(role, database):
                self.stdout.write(f"{statement};")
            return
        if role == owner:
            raise CommandError(
                "The application's role must not be the one that owns the tables: run this "
                "as the owner, naming another role."
            )
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"{options['password_env']} is not set.")
        with transaction.atomic(), connection.cursor() as cursor:
            self._create_role(cursor, role, password)
            for statement in statements(role, database):
                cursor.execute(statement)
            self._check(cursor, role)
        self.stdout.write(
            self.style.SUCCESS(
                f"{role} may read and write the application's tables, and only insert into "
                f"and read the access log."
            )
        )

    def _create_role(self, cursor: Any, role: str, password: str | None) -> None:
        quoted = connection.ops.quote_name(role)
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {quoted} NOLOGIN")
        if password is not None:
            cursor.execute(f"ALTER ROLE {quoted} LOGIN PASSWORD %s", [password])

    def _check(self, cursor: Any, role: str) -> None:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, pg_has_role(%s, tableowner, 'MEMBER') "
            "FROM pg_roles, pg_tables WHERE rolname = %s AND tablename = %s",
            [role, role, ACCESS_LOG],
        )
        row = cursor.fetchone()
        if row is None:
            raise CommandError(f"No {ACCESS_LOG} table: run migrate first.")
        superuser, bypasses, owns = row
        if superuser or bypasses or owns:
            raise CommandError(
                f"{role} is a superuser, bypasses row security or is (a member of) the owner "
                f"of the tables: it would be able to change the access log."
            )
        for privilege in (*LOG_ALLOWED, *LOG_REFUSED):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, ACCESS_LOG, privilege])
            has = cursor.fetchone()[0]
            if has != (privilege in LOG_ALLOWED):
                raise CommandError(f"{role} {'has' if has else 'lacks'} {privilege} on the log.")
