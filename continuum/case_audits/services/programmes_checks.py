"""The checks on an audit programme's fields, by field (creating and changing it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_audits import sampling
from continuum.case_audits.choices import CaseKind, SampleMethod, TemplateKind
from continuum.case_audits.models import AuditTemplate
from continuum.case_audits.policies import partnership_councils
from continuum.organisations.models import Council

MAX_PER_COUNCIL = 50
MAX_SEED = 2_147_483_647


def _what_and_how(fields: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    if not str(fields["title"]).strip():
        errors["title"] = ["Enter the programme's title."]
    if not str(fields["theme"]).strip():
        errors["theme"] = ["Enter the theme: what the audit looks at."]
    template: AuditTemplate | None = fields["template"]
    if template is None or not template.is_current or template.kind != TemplateKind.CASE_AUDIT:
        errors["template"] = ["Choose a current case audit template."]
    if fields["case_kind"] not in CaseKind.values:
        errors["case_kind"] = ["Choose what is audited: early help episodes or contacts."]
    if fields["sample_method"] not in SampleMethod.values:
        errors["sample_method"] = ["Choose how the sample is drawn."]
    if not 1 <= fields["per_council"] <= MAX_PER_COUNCIL:
        errors["per_council"] = [f"Enter between 1 and {MAX_PER_COUNCIL} cases a council."]
    if not 0 <= fields["regrade_per_council"] <= MAX_PER_COUNCIL:
        errors["regrade_per_council"] = [
            f"Enter between 0 and {MAX_PER_COUNCIL} contacts a council to re-grade."
        ]
    days = fields["exclude_audited_within_days"]
    if days is not None and not 1 <= days <= 3660:
        errors["exclude_audited_within_days"] = ["Enter a number of days between 1 and 3660."]


def _when(fields: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    today = timezone.localdate()
    start: date | None = fields["period_start"]
    end: date | None = fields["period_end"]
    if start is None:
        errors["period_start"] = ["Enter the first day of the period."]
    if end is None:
        errors["period_end"] = ["Enter the last day of the period."]
    elif end > today:
        errors["period_end"] = ["The period must have ended: enter today or an earlier day."]
    elif start is not None and end < start:
        errors["period_end"] = ["The period must end on or after the day it starts."]
    due: date | None = fields["audits_due_on"]
    if due is not None and due < today:
        errors["audits_due_on"] = ["The audits cannot be due in the past."]


def _where(by: User, councils: Sequence[Council], errors: dict[str, list[str]]) -> None:
    served = set(partnership_councils(by).values_list("pk", flat=True))
    if not councils:
        errors["councils"] = ["Choose at least one council."]
    elif outside := sorted(c.name for c in councils if c.pk not in served):
        errors["councils"] = [f"Your partnership does not serve {', '.join(outside)}."]


def check_fields(*, by: User, councils: Sequence[Council], fields: Mapping[str, Any]) -> None:
    """Refuse a programme's fields by field: nothing is saved."""
    errors: dict[str, list[str]] = {}
    _what_and_how(fields, errors)
    _when(fields, errors)
    _where(by, councils, errors)
    seed = fields.get("seed")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        errors["seed"] = [f"Enter a seed between 0 and {MAX_SEED}."]
    if errors:
        raise ValidationError(errors)


def seed_for(seed: int | None, fields: Mapping[str, Any]) -> int | None:
    """The seed given, or a new one for a programme that draws at random."""
    if seed is not None:
        return seed
    if fields["sample_method"] != SampleMethod.BY_HAND or fields["regrade_per_council"]:
        return sampling.new_seed()
    return None
