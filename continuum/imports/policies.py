"""Who may import files for a council, and who may see an import. Registered with the one
access policy; every import page and endpoint asks here.

- A council's team managers and performance analysts (employed by the council) import its
  files and see its imports: the list, each import's progress, result and problems.
- Whoever sent a file sees its import (as long as they may use Continuum at all), even
  after moving to another council.
- Each kind of file has its own action (``Importer.action``), asked with the chosen
  council; by default the rule above, unless the kind's app gives its own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.imports.models import ImportRun
from continuum.organisations.models import Council

# Who imports a council's files and follows its imports.
IMPORT_ROLES = frozenset({Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST})


class ImportsAction:
    # Asked without an object: may the user see the council's imports and send a file?
    # (Whoever sent a file follows its import by its link, whatever their role now.)
    USE = "imports.use"
    # Asked with an ImportRun: may the user follow it and see its result?
    VIEW = "imports.view"
    # Asked with an ImportRun: may the user act on what it found (resolve matches and
    # findings)?
    WORK_ON = "imports.work_on"


def import_council(user: User) -> Council | None:
    """The council whose files the user imports, if any."""
    if user.role not in IMPORT_ROLES:
        return None
    return user.council


def may_import_for(user: User, council: Any) -> bool:
    """The default rule of every kind: the council's own managers and analysts."""
    own = import_council(user)
    return own is not None and council is not None and own.pk == council.pk


def councils_importable(user: User) -> QuerySet[Council]:
    own = import_council(user) if policy.acts(user) else None
    if own is None:
        return Council.objects.none()
    return Council.objects.filter(pk=own.pk)


def runs_visible_to(user: User) -> QuerySet[ImportRun]:
    own = import_council(user)
    mine = Q(uploaded_by=user)
    if own is not None:
        return ImportRun.objects.filter(Q(council=own) | mine)
    return ImportRun.objects.filter(mine)


def _can_use(user: User, _: Any) -> bool:
    return import_council(user) is not None


def _can_view(user: User, run: Any) -> bool:
    return isinstance(run, ImportRun) and runs_visible_to(user).filter(pk=run.pk).exists()


def _can_work_on(user: User, run: Any) -> bool:
    return isinstance(run, ImportRun) and may_import_for(user, run.council)


def register_import_action(action: str, rule: Any = None) -> None:
    """The rule of one kind of file's action (``registry.register`` calls it)."""
    policy.register_rule(action, rule or may_import_for)


policy.register_scope(ImportRun, runs_visible_to)
policy.register_rule(ImportsAction.USE, _can_use)
policy.register_rule(ImportsAction.VIEW, _can_view)
policy.register_rule(ImportsAction.WORK_ON, _can_work_on)
