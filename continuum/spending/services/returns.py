"""A council's early help spending return for a financial year (issue 15).

draft --submit--> submitted --sign off--> signed off
                     |
                     +--send back (a reason)--> draft

- ``create_return``: one a council a financial year, never a year not yet started.
- ``save_return``: the whole form at once (amounts by the council's own heading and funding
  source; staff FTE by role), against the version the user saw (``claim_version``).
- ``submit_return``: at least one amount, every heading used mapped in the current
  classification (the unmapped ones named).
- ``sign_off_return`` / ``send_back_return``: by the council's strategic lead who did not
  submit it.

Bad input is refused with a ``ValidationError`` keyed by field (``amount:<heading>:<source>``,
``fte:<role>``); a return in the wrong state, or a year already signed off, with
``InvalidState``; nothing is saved. Every change is kept in the return's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState, NotPermitted
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council
from continuum.spending.choices import FundingSource, ReturnStatus, StaffRole
from continuum.spending.models import (
    CouncilCategory,
    SpendAmount,
    SpendingReturn,
    StaffLine,
    financial_year_label,
)
from continuum.spending.policies import SpendingAction
from continuum.spending.services.classification import current_classification, unmapped_headings
from continuum.ui.dates import govuk_date

# More than this for one heading and source is a slip of the keyboard, not a council's spend.
MAX_AMOUNT = Decimal("1000000000")
MAX_FTE = Decimal("10000")
FIRST_YEAR = 2000
REASON_MAX = 500

Amounts = Mapping[tuple[str, str], Any]  # (heading code, funding source) -> amount
Staff = Mapping[str, Any]  # role -> FTE


def current_financial_year(today: Any = None) -> int:
    """The start year of the financial year today falls in (April to March)."""
    day = today or timezone.localdate()
    return day.year if day.month >= 4 else day.year - 1


def amount_field(code: str, source: str) -> str:
    return f"amount:{code}:{source}"


def fte_field(role: str) -> str:
    return f"fte:{role}"


def signed_off_message(council: Council, year: int) -> str:
    return (
        f"{council.name}'s return for {financial_year_label(year)} has been signed off: it "
        "cannot be changed, imported again or made again."
    )


def parse_money(value: Any) -> Decimal | None:
    """An amount in pounds ("£12,345.60", 12345.6): None when it is not a number."""
    if isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", "").removeprefix("£").strip()
    try:
        found = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_amount(value: Any) -> tuple[Decimal | None, str]:
    """(the amount, "") or (None, why it is refused)."""
    amount = parse_money(value)
    if amount is None:
        return None, "Enter the amount as a number of pounds, like 12500 or 12,500.50."
    if amount < 0:
        return None, "The amount cannot be negative."
    if amount > MAX_AMOUNT:
        return None, "The amount is more than £1,000,000,000: check it."
    if amount != amount.quantize(Decimal("0.01")):
        return None, "Give the amount to the penny at most (two decimal places)."
    return amount, ""


def check_fte(value: Any) -> tuple[Decimal | None, str]:
    fte = parse_money(value) if not isinstance(value, str) or "£" not in value else None
    if fte is None:
        return None, "Enter the full-time equivalent as a number, like 12.5."
    if fte < 0:
        return None, "The full-time equivalent cannot be negative."
    if fte > MAX_FTE:
        return None, f"The full-time equivalent is more than {MAX_FTE:,}: check it."
    if fte != fte.quantize(Decimal("0.01")):
        return None, "Give the full-time equivalent to two decimal places at most."
    return fte, ""


def check_year(council: Council, year: Any) -> int:
    """The financial year (its start year), or a ValidationError on ``financial_year``."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError({"financial_year": "Choose the financial year, like 2024-25."})
    latest = current_financial_year()
    if year > latest:
        raise ValidationError(
            {
                "financial_year": f"{financial_year_label(year)} has not started yet: a return "
                f"is for a year that has begun ({financial_year_label(latest)} or earlier)."
            }
        )
    if year < FIRST_YEAR:
        raise ValidationError(
            {"financial_year": f"A return is for {financial_year_label(FIRST_YEAR)} or later."}
        )
    return year


def _may_edit(by: User, council: Council) -> None:
    policy.require(
        by, SpendingAction.EDIT_RETURN, council, f"You may not make {council.name}'s returns."
    )


def _stamp(obj: Any, by: User | None, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason[:100]


@transaction.atomic
def create_return(
    *, by: User, council: Council, financial_year: Any, notes: str = ""
) -> SpendingReturn:
    """A draft return of ``council`` for ``financial_year`` (its start year)."""
    _may_edit(by, council)
    year = check_year(council, financial_year)
    existing = (
        SpendingReturn.objects.select_for_update()
        .filter(council=council, financial_year=year)
        .first()
    )
    if existing is not None:
        if existing.is_signed_off:
            raise InvalidState(signed_off_message(council, year))
        raise ValidationError(
            {
                "financial_year": f"{council.name} already has a return for "
                f"{financial_year_label(year)}: change that one."
            }
        )
    made = SpendingReturn(
        council=council, financial_year=year, notes=(notes or "").strip(), created_by=by
    )
    _stamp(made, by, "Started")
    made.save()
    return made


@dataclass(frozen=True)
class CheckedForm:
    amounts: dict[tuple[int, str], Decimal]  # (heading id, source) -> amount
    staff: dict[str, Decimal]


def check_form(council: Council, amounts: Amounts, staff: Staff) -> CheckedForm:
    """The whole form checked: every bad cell refused at its field, or the amounts and
    staff to store (blank cells are no amount)."""
    headings = {h.code: h for h in CouncilCategory.objects.filter(council=council)}
    sources = set(FundingSource.values)
    roles = set(StaffRole.values)
    errors: dict[str, str] = {}
    found: dict[tuple[int, str], Decimal] = {}
    for (code, source), value in amounts.items():
        name = amount_field(code, source)
        if code not in headings:
            errors[name] = f"{council.name} has no heading {code}: add it on the mapping page."
        elif source not in sources:
            errors[name] = f"There is no funding source {source}."
        elif not _is_blank(value):
            amount, why = check_amount(value)
            if amount is None:
                errors[name] = why
            else:
                found[(headings[code].pk, source)] = amount
    staff_found: dict[str, Decimal] = {}
    for role, value in staff.items():
        name = fte_field(role)
        if role not in roles:
            errors[name] = f"There is no staff role {role}."
        elif not _is_blank(value):
            fte, why = check_fte(value)
            if fte is None:
                errors[name] = why
            else:
                staff_found[role] = fte
    if errors:
        raise ValidationError(errors)
    return CheckedForm(amounts=found, staff=staff_found)


def _ensure_draft(spending_return: SpendingReturn) -> None:
    if spending_return.is_signed_off:
        raise InvalidState(
            signed_off_message(spending_return.council, spending_return.financial_year)
        )
    if spending_return.status != ReturnStatus.DRAFT:
        raise InvalidState(
            f"{spending_return} is waiting to be signed off: it can be changed only once its "
            "strategic lead sends it back."
        )


def write_form(spending_return: SpendingReturn, form: CheckedForm, by: User | None) -> bool:
    """Store ``form`` as the return's whole content; True when anything changed. Each row
    changed, added or removed is kept in its history."""
    changed = False
    stored = {(a.council_category_id, a.funding_source): a for a in spending_return.amounts.all()}
    for key, row in stored.items():
        if key not in form.amounts:
            _stamp(row, by)
            row.delete()
            changed = True
    for (heading_id, source), amount in form.amounts.items():
        found = stored.get((heading_id, source))
        if found is not None and found.amount == amount:
            continue
        row = found or SpendAmount(
            spending_return=spending_return,
            council_category_id=heading_id,
            funding_source=source,
        )
        row.amount = amount
        _stamp(row, by)
        row.save()
        changed = True
    lines = {line.role: line for line in spending_return.staff.all()}
    for role, line in lines.items():
        if role not in form.staff:
            _stamp(line, by)
            line.delete()
            changed = True
    for role, fte in form.staff.items():
        line = lines.get(role) or StaffLine(spending_return=spending_return, role=role)
        if line.pk and line.fte == fte:
            continue
        line.fte = fte
        _stamp(line, by)
        line.save()
        changed = True
    return changed


@transaction.atomic
def save_return(
    *,
    by: User,
    spending_return: SpendingReturn,
    version: int,
    amounts: Amounts,
    staff: Staff,
    notes: str | None = None,
) -> SpendingReturn:
    """Save the whole form: ``amounts`` by (heading code, funding source) and ``staff`` FTE
    by role replace what the return held (a blank cell is no amount)."""
    _may_edit(by, spending_return.council)
    _ensure_draft(spending_return)
    form = check_form(spending_return.council, amounts, staff)
    claim_version(spending_return, version, what="return")
    write_form(spending_return, form, by)
    if notes is not None:
        spending_return.notes = notes.strip()
    _stamp(spending_return, by, "Changed")
    spending_return.save()
    return spending_return


@transaction.atomic
def submit_return(*, by: User, spending_return: SpendingReturn, version: int) -> SpendingReturn:
    """Submit a draft for sign-off: it needs an amount, and every heading it uses mapped
    onto the current classification."""
    _may_edit(by, spending_return.council)
    _ensure_draft(spending_return)
    used = list(
        CouncilCategory.objects.filter(amounts__spending_return=spending_return)
        .distinct()
        .order_by("code")
    )
    if not used:
        raise ValidationError({"amounts": "Enter at least one amount before submitting."})
    classification = current_classification()
    missing = unmapped_headings(classification, used)
    if missing:
        names = "; ".join(f"{h.code} {h.name}" for h in missing)
        raise ValidationError(
            {
                "amounts": f"Map every heading used onto version {classification.version} of "
                f"the classification before submitting. Not mapped: {names}."
            }
        )
    claim_version(spending_return, version, what="return")
    spending_return.status = ReturnStatus.SUBMITTED
    spending_return.submitted_by = by
    spending_return.submitted_at = timezone.now()
    _stamp(spending_return, by, "Submitted for sign-off")
    spending_return.save()
    return spending_return


def _ensure_submitted(spending_return: SpendingReturn, by: User) -> None:
    if spending_return.is_signed_off:
        raise InvalidState(
            signed_off_message(spending_return.council, spending_return.financial_year)
        )
    if spending_return.status != ReturnStatus.SUBMITTED:
        raise InvalidState(f"{spending_return} has not been submitted for sign-off.")
    if spending_return.submitted_by_id == by.pk:
        raise NotPermitted("You submitted this return: another strategic lead signs it off.")
    policy.require(
        by,
        SpendingAction.SIGN_OFF_RETURN,
        spending_return,
        f"Only {spending_return.council.name}'s strategic lead signs its returns off.",
    )


@transaction.atomic
def sign_off_return(*, by: User, spending_return: SpendingReturn, version: int) -> SpendingReturn:
    _ensure_submitted(spending_return, by)
    claim_version(spending_return, version, what="return")
    spending_return.status = ReturnStatus.SIGNED_OFF
    spending_return.signed_off_by = by
    spending_return.signed_off_at = timezone.now()
    _stamp(spending_return, by, "Signed off")
    spending_return.save()
    return spending_return


@transaction.atomic
def send_back_return(
    *, by: User, spending_return: SpendingReturn, version: int, reason: str
) -> SpendingReturn:
    """Return a submitted return to draft, saying why (kept in its notes and history)."""
    _ensure_submitted(spending_return, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the return is sent back."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"The reason may be at most {REASON_MAX} characters."})
    claim_version(spending_return, version, what="return")
    spending_return.status = ReturnStatus.DRAFT
    spending_return.submitted_by = None
    spending_return.submitted_at = None
    when = govuk_date(timezone.localdate())
    sent_back = f"Sent back on {when} by {by.get_full_name() or by.username}: {reason}"
    spending_return.notes = "\n\n".join(p for p in (spending_return.notes, sent_back) if p)
    _stamp(spending_return, by, f"Sent back: {reason}")
    spending_return.save()
    return spending_return
