"""Changing the threshold framework: a council records a local difference from the shared one."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.thresholds import selectors
from continuum.thresholds.models import (
    ChangeKind,
    Domain,
    FrameworkVersion,
    Indicator,
    IndicatorChange,
    Level,
    LocalVariation,
)

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
CODE_MAX_LENGTH = 20

Errors = dict[str, list[str]]


def _add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_level(errors: Errors, level: int | None) -> None:
    if level is not None and level not in Level.values:
        _add_error(errors, "level", "Level must be 1, 2, 3 or 4.")


def _check_added(
    errors: Errors,
    *,
    version: FrameworkVersion,
    variation: LocalVariation | None,
    indicator: Indicator | None,
    domain: Domain | None,
    code: str,
    title: str,
    level: int | None,
    guidance: str,
) -> None:
    if indicator is not None:
        _add_error(errors, "indicator", "An added indicator is new: do not name a shared one.")
    if domain is None:
        _add_error(errors, "domain", "Select the domain of the added indicator.")
    if not title:
        _add_error(errors, "title", "Enter the title of the added indicator.")
    if level is None:
        _add_error(errors, "level", "Select the level of the added indicator.")
    if not guidance:
        _add_error(errors, "guidance", "Enter guidance for the added indicator.")
    if not code:
        _add_error(errors, "code", "Enter a code for the added indicator.")
        return
    if len(code) > CODE_MAX_LENGTH or not CODE_PATTERN.match(code):
        _add_error(
            errors,
            "code",
            f"Code must be at most {CODE_MAX_LENGTH} capital letters, numbers and hyphens.",
        )
    elif Indicator.objects.filter(version=version, code=code).exists():
        _add_error(errors, "code", f"{code} is already a shared indicator; choose another code.")
    elif (
        variation is not None and variation.changes.filter(kind=ChangeKind.ADD, code=code).exists()
    ):
        _add_error(errors, "code", f"{code} has already been added locally.")


def _changed_values(
    errors: Errors,
    *,
    indicator: Indicator,
    domain: Domain | None,
    code: str,
    title: str,
    level: int | None,
    guidance: str,
) -> dict[str, object]:
    """The values that differ from the shared indicator (blank or None keeps the shared)."""
    if code and code != indicator.code:
        _add_error(errors, "code", f"A changed indicator keeps its shared code, {indicator.code}.")
    values: dict[str, object] = {}
    if domain is not None and domain.pk != indicator.domain_id:
        values["domain"] = domain
    if title and title != indicator.title:
        values["title"] = title
    if level is not None and level != indicator.level:
        values["level"] = level
    if guidance and guidance != indicator.guidance:
        values["guidance"] = guidance
    if not values:
        _add_error(
            errors,
            NON_FIELD_ERRORS,
            f"A local change must differ from the shared indicator {indicator.code}: give a "
            "different title, level, guidance or domain.",
        )
    return values


def _check_removed(
    errors: Errors,
    *,
    domain: Domain | None,
    code: str,
    title: str,
    level: int | None,
    guidance: str,
) -> None:
    given = {
        "domain": domain is not None,
        "code": bool(code),
        "title": bool(title),
        "level": level is not None,
        "guidance": bool(guidance),
    }
    for field, is_given in given.items():
        if is_given:
            _add_error(errors, field, f"An indicator not used locally takes no new {field}.")


@transaction.atomic
def record_local_change(
    *,
    council: Council,
    kind: str,
    reason: str,
    indicator: Indicator | None = None,
    domain: Domain | None = None,
    code: str = "",
    title: str = "",
    level: int | None = None,
    guidance: str = "",
    agreed_on: datetime.date | None = None,
) -> IndicatorChange:
    """Record one difference between ``council``'s framework and the shared one.

    - ``kind="change"``: ``indicator`` (shared) and at least one of ``domain``, ``title``,
      ``level``, ``guidance`` that differs from it; blank values keep the shared ones.
    - ``kind="add"``: a new indicator: ``domain``, ``code``, ``title``, ``level`` and
      ``guidance`` are all required; the code must not be a shared or already added one.
    - ``kind="remove"``: ``indicator`` (shared) only; the council does not use it.

    Every change needs a ``reason``. The change belongs to the council's variation on the
    indicator's version (the current version for an added indicator), created when the
    first change is recorded. ``agreed_on`` is when the council agreed the variation
    (default today); given for an existing variation, it records a later agreement.

    Raises ValidationError naming the field at fault; nothing is saved then.
    """
    errors: Errors = {}
    code = code.strip().upper()
    title = title.strip()
    guidance = guidance.strip()
    reason = reason.strip()
    if not reason:
        _add_error(errors, "reason", "Enter the reason for the local change.")
    if kind not in ChangeKind.values:
        _add_error(errors, "kind", "Kind must be add, change or remove.")
        raise ValidationError(errors)
    _check_level(errors, level)

    if kind == ChangeKind.ADD:
        version = selectors.current_version()
        if version is None:
            raise ValidationError("No version of the threshold framework is current.")
    elif indicator is None:
        _add_error(errors, "indicator", "Select the shared indicator that is changed or not used.")
        raise ValidationError(errors)
    else:
        version = indicator.version

    variation = selectors.variation_of(council=council, version=version)
    if (
        indicator is not None
        and variation is not None
        and variation.changes.filter(indicator=indicator).exists()
    ):
        _add_error(
            errors,
            "indicator",
            f"{council.name} already has a local change to {indicator.code}.",
        )

    values: dict[str, object] = {}
    if kind == ChangeKind.ADD:
        _check_added(
            errors,
            version=version,
            variation=variation,
            indicator=indicator,
            domain=domain,
            code=code,
            title=title,
            level=level,
            guidance=guidance,
        )
        values = {
            "domain": domain,
            "code": code,
            "title": title,
            "level": level,
            "guidance": guidance,
        }
    elif kind == ChangeKind.CHANGE:
        assert indicator is not None
        values = _changed_values(
            errors,
            indicator=indicator,
            domain=domain,
            code=code,
            title=title,
            level=level,
            guidance=guidance,
        )
    else:
        _check_removed(
            errors, domain=domain, code=code, title=title, level=level, guidance=guidance
        )
    if errors:
        raise ValidationError(errors)

    if variation is None:
        variation = LocalVariation.objects.create(
            council=council, version=version, agreed_on=agreed_on or timezone.localdate()
        )
    elif agreed_on is not None and agreed_on > variation.agreed_on:
        variation.agreed_on = agreed_on
        variation.save(update_fields=["agreed_on"])

    change = IndicatorChange(
        variation=variation, kind=kind, indicator=indicator, reason=reason, **values
    )
    change.full_clean()
    change.save()
    return change
