"""The common classification and councils' mappings onto it (issue 15).

- ``add_council_heading``: a heading a council records its spending under, in its own words.
- ``map_heading``: a council's heading counted wholly under one common category, split across
  several by shares adding to 100, or outside early help; a split or "outside" needs a note
  saying how it was fitted. The earlier mapping's rows are kept in their history.
- ``publish_classification``: a new version (a copy of the current one with a change and a
  note); councils' mappings copied to it where the category codes remain; old versions kept.

Each is keyword-only and atomic, asks the policy, and refuses bad input with a
``ValidationError`` keyed by field, saving nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.spending.models import (
    Category,
    CategoryMapping,
    Classification,
    CouncilCategory,
    Section251Line,
)
from continuum.spending.policies import SpendingAction

HUNDRED = Decimal("100")
CODE_MAX = 40
NAME_MAX = 150


def current_classification() -> Classification:
    """The version in use (InvalidState when none is published)."""
    found = Classification.objects.filter(is_current=True).first()
    if found is None:
        raise InvalidState("No version of the common classification has been published.")
    return found


# --- a council's headings -----------------------------------------------------------------


@transaction.atomic
def add_council_heading(
    *, by: User, council: Council, code: str, name: str, description: str = ""
) -> CouncilCategory:
    """Add a heading ``council`` records its spending under (its own code and name)."""
    policy.require(
        by, SpendingAction.MAP_CATEGORIES, council, f"You may not map {council.name}'s headings."
    )
    code, name = (code or "").strip(), (name or "").strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = "Enter the heading's code, as the council's ledger names it."
    elif len(code) > CODE_MAX:
        errors["code"] = f"The code may be at most {CODE_MAX} characters."
    elif CouncilCategory.objects.filter(council=council, code__iexact=code).exists():
        errors["code"] = f"{council.name} already has a heading {code}."
    if not name:
        errors["name"] = "Enter the heading's name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"The name may be at most {NAME_MAX} characters."
    if errors:
        raise ValidationError(errors)
    return CouncilCategory.objects.create(
        council=council, code=code, name=name, description=(description or "").strip()
    )


# --- mapping a heading --------------------------------------------------------------------


def parse_share(value: Any) -> Decimal | None:
    """A share as a percentage (None when not a number)."""
    if isinstance(value, bool):
        return None
    try:
        share = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        return None
    return share if share.is_finite() else None


def _checked_shares(
    classification: Classification, shares: Sequence[tuple[str | None, Any]]
) -> list[tuple[Category | None, Decimal]]:
    categories = {c.code: c for c in classification.categories.all()}
    errors: dict[str, str] = {}
    checked: list[tuple[Category | None, Decimal]] = []
    seen: set[str | None] = set()
    for code, value in shares:
        key = (code or "").strip() or None
        if key is not None and key not in categories:
            errors["category"] = (
                f"Version {classification.version} of the classification has no category {key}."
            )
            continue
        if key in seen:
            errors["category"] = "Each category may be given once."
            continue
        seen.add(key)
        share = parse_share(value)
        if share is None:
            errors["shares"] = "Each share must be a number, the percentage of the heading."
            continue
        if share <= 0 or share > HUNDRED or share != share.quantize(Decimal("0.01")):
            errors["shares"] = "Each share must be more than 0 and at most 100 (two decimals)."
            continue
        checked.append((categories[key] if key else None, share))
    if not shares:
        errors["category"] = "Choose the category the heading counts under."
    if not errors and sum((share for _, share in checked), Decimal("0")) != HUNDRED:
        total = sum((share for _, share in checked), Decimal("0"))
        errors["shares"] = f"The shares must add up to 100; they add up to {total.normalize():f}."
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def map_heading(
    *,
    by: User,
    heading: CouncilCategory,
    shares: Sequence[tuple[str | None, Any]],
    note: str = "",
) -> list[CategoryMapping]:
    """Map ``heading`` onto the current classification: ``shares`` are (category code, or
    None for outside early help, percentage). One category at 100 maps it whole."""
    council = heading.council
    policy.require(
        by, SpendingAction.MAP_CATEGORIES, council, f"You may not map {council.name}'s headings."
    )
    classification = current_classification()
    checked = _checked_shares(classification, shares)
    note = (note or "").strip()
    fitted = len(checked) > 1 or any(category is None for category, _ in checked)
    if fitted and not note:
        raise ValidationError(
            {"note": "Say how the heading was fitted (a split or outside early help needs a note)."}
        )
    existing = CategoryMapping.objects.filter(
        classification=classification, council_category=heading
    )
    for old in existing:
        old._history_user = by  # type: ignore[attr-defined]
        old.delete()
    now = timezone.now()
    made = []
    for category, share in checked:
        mapping = CategoryMapping(
            classification=classification,
            council_category=heading,
            category=category,
            share=share,
            note=note,
            mapped_by=by,
            mapped_at=now,
        )
        mapping._history_user = by  # type: ignore[attr-defined]
        mapping.save()
        made.append(mapping)
    return made


# --- the differences ----------------------------------------------------------------------


@dataclass
class HeadingDifference:
    """How one council heading sits against the common categories."""

    heading: CouncilCategory
    kind: str  # "same", "split", "merged", "outside", "unmapped"
    mappings: list[CategoryMapping] = field(default_factory=list)

    @property
    def label(self) -> str:
        return DIFFERENCE_LABELS[self.kind]


DIFFERENCE_LABELS = {
    "same": "Same as the common category",
    "split": "Split across categories",
    "merged": "Merged with other headings into one category",
    "outside": "Outside early help",
    "unmapped": "Not mapped",
}


def differences(classification: Classification, council: Council) -> list[HeadingDifference]:
    """Each heading of ``council`` against ``classification``: same (wholly one category no
    other heading of the council shares), split (several categories), merged (wholly one
    category that other headings count under too), outside early help, or not mapped."""
    headings = list(CouncilCategory.objects.filter(council=council).order_by("code"))
    by_heading: dict[int, list[CategoryMapping]] = {h.pk: [] for h in headings}
    for mapping in CategoryMapping.objects.filter(
        classification=classification, council_category__council=council
    ).select_related("category"):
        by_heading[mapping.council_category_id].append(mapping)
    whole_into: dict[int, int] = {}
    for rows in by_heading.values():
        for mapping in rows:
            if mapping.category_id is not None:
                whole_into[mapping.category_id] = whole_into.get(mapping.category_id, 0) + 1
    found = []
    for heading in headings:
        rows = by_heading[heading.pk]
        if not rows:
            kind = "unmapped"
        elif len(rows) > 1:
            kind = "split"
        elif rows[0].category_id is None:
            kind = "outside"
        elif whole_into.get(rows[0].category_id, 0) > 1:
            kind = "merged"
        else:
            kind = "same"
        found.append(HeadingDifference(heading=heading, kind=kind, mappings=rows))
    return found


def unmapped_headings(
    classification: Classification, headings: Iterable[CouncilCategory]
) -> list[CouncilCategory]:
    mapped = set(
        CategoryMapping.objects.filter(
            classification=classification, council_category__in=list(headings)
        ).values_list("council_category_id", flat=True)
    )
    return [h for h in headings if h.pk not in mapped]


# --- publishing a new version -------------------------------------------------------------


@dataclass(frozen=True)
class NewCategory:
    code: str
    name: str
    description: str = ""
    section_251_lines: tuple[str, ...] = ()
    outside_section_251: str = ""


def _check_changes(
    current: Classification,
    add: Sequence[NewCategory],
    remove: Sequence[str],
    rename: Mapping[str, str],
    note: str,
) -> dict[str, str]:
    codes = set(current.categories.values_list("code", flat=True))
    lines = set(Section251Line.objects.values_list("code", flat=True))
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = "Say what changed from the previous version."
    if not (add or remove or rename):
        errors["changes"] = "A new version must change something: add, remove or rename."
    for code in remove:
        if code not in codes:
            errors["remove"] = f"Version {current.version} has no category {code}."
    for code, name in rename.items():
        if code not in codes:
            errors["rename"] = f"Version {current.version} has no category {code}."
        elif not (name or "").strip() or len(name) > NAME_MAX:
            errors["rename"] = f"Give {code} a new name of at most {NAME_MAX} characters."
    for new in add:
        if not new.code.strip() or len(new.code) > CODE_MAX or not new.name.strip():
            errors["add"] = "Each new category needs a code and a name."
        elif new.code in codes and new.code not in remove:
            errors["add"] = f"Version {current.version} already has a category {new.code}."
        unknown = [line for line in new.section_251_lines if line not in lines]
        if unknown:
            errors["add"] = f"There is no section 251 line {', '.join(unknown)}."
    return errors


@transaction.atomic
def publish_classification(
    *,
    by: User,
    note: str,
    add: Sequence[NewCategory] = (),
    remove: Sequence[str] = (),
    rename: Mapping[str, str] | None = None,
) -> Classification:
    """A new version: the current one copied with ``add``, ``remove`` and ``rename`` and a
    ``note``; councils' mappings copied where their category code remains (a heading mapped
    to a removed category is left unmapped in the new version: its council maps it again).
    The previous version is kept, no longer current."""
    policy.require(
        by,
        SpendingAction.MANAGE_CLASSIFICATION,
        None,
        "Only the safeguarding partnership's lead publishes the classification.",
    )
    rename = dict(rename or {})
    note = (note or "").strip()
    current = Classification.objects.select_for_update().get(pk=current_classification().pk)
    errors = _check_changes(current, add, remove, rename, note)
    if errors:
        raise ValidationError(errors)
    version = (Classification.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    Classification.objects.filter(pk=current.pk).update(is_current=False)
    new = Classification.objects.create(
        version=version,
        published_on=timezone.localdate(),
        note=note,
        is_current=True,
        created_by=by,
    )
    copied: dict[int, Category] = {}
    for old in current.categories.prefetch_related("section_251_lines"):
        if old.code in remove:
            continue
        category = Category.objects.create(
            classification=new,
            code=old.code,
            name=rename.get(old.code, old.name).strip(),
            description=old.description,
            outside_section_251=old.outside_section_251,
            order=old.order,
        )
        category.section_251_lines.set(old.section_251_lines.all())
        copied[old.pk] = category
    order = max((c.order for c in copied.values()), default=0)
    for offset, item in enumerate(add, start=1):
        category = Category.objects.create(
            classification=new,
            code=item.code.strip(),
            name=item.name.strip(),
            description=item.description,
            outside_section_251=item.outside_section_251,
            order=order + offset,
        )
        category.section_251_lines.set(
            Section251Line.objects.filter(code__in=item.section_251_lines)
        )
    _copy_mappings(current, new, copied, by)
    return new


def _copy_mappings(
    old: Classification, new: Classification, copied: dict[int, Category], by: User
) -> None:
    rows = list(old.mappings.all())
    dropped = {m.council_category_id for m in rows if m.category_id and m.category_id not in copied}
    for mapping in rows:
        if mapping.council_category_id in dropped:
            continue  # part of it counted under a removed category: mapped again by hand
        copy = CategoryMapping(
            classification=new,
            council_category_id=mapping.council_category_id,
            category=copied[mapping.category_id] if mapping.category_id else None,
            share=mapping.share,
            note=mapping.note,
            mapped_by=mapping.mapped_by,
            mapped_at=mapping.mapped_at,
        )
        copy._history_user = by  # type: ignore[attr-defined]
        copy.save()
