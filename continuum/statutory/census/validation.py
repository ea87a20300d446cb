"""The DfE's validation rules for the CIN census, run over a census file.

The rules are Data to Insight's open-source CIN validator (``csc-validator-be-cin``), which
councils already run before they submit: one rule pack per census year. This module parses
a file safely (``defusedxml``: no entity expansion, no external entities, no DTDs), hands it
to the validator and returns what failed as plain typed records:

    root = parse_census(data)                # bytes -> Element, or CensusFileError
    report = validate_census(root)           # the year is read from the file's header
    report = validate_census(data, year=2026)
    for failure in report.errors: ...        # RuleFailure: code, message, la_child_id, ...

A code ending in "Q" is a query (the council checks it and may explain it); any other code
is an error (the DfE will not accept the return until it is fixed).
"""

from __future__ import annotations

import contextlib
import copy
import enum
import importlib
import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405  (types only; parsing is defusedxml)

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

# The rule pack for each census year (the year ending 31 March): the validator publishes one
# per collection, each built on the one before.
RULE_PACKS = MappingProxyType(
    {
        2023: "cin_validator.rules.cin2022_23",
        2024: "cin_validator.rules.cin2023_24",
        2025: "cin_validator.rules.cin2024_25",
        2026: "cin_validator.rules.cin2025_26",
        2027: "cin_validator.rules.cin2026_27",
    }
)
# Years before the validator's first pack are checked with its oldest rules (the 2022 to
# 2023 collection), the nearest there is.
OLDEST_PACK_YEAR = min(RULE_PACKS)
FIRST_CENSUS_YEAR = 2009


class CensusFileError(ValueError):
    """A file that cannot be read as a CIN census at all (not XML, unsafe XML, no header)."""


class Severity(enum.StrEnum):
    ERROR = "error"
    QUERY = "query"


@dataclass(frozen=True)
class RuleFailure:
    """One failure of one rule: for a child (``la_child_id``) in one table of the return
    (``table``: "CINdetails", "Assessments", ... the census's module names) at the named
    fields, or for the return as a whole (no child, no table: e.g. "2886Q")."""

    code: str
    severity: Severity
    message: str
    la_child_id: str | None = None
    table: str | None = None
    fields: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"child {self.la_child_id}" if self.la_child_id else "",
                self.table or "",
                "/".join(self.fields),
            )
            if part
        )
        return f"{self.code} ({self.severity}) {self.message}" + (f" [{where}]" if where else "")


@dataclass(frozen=True)
class ValidationReport:
    year: int
    rules_run: int
    failures: tuple[RuleFailure, ...]
    # Rules the validator could not run over this file (it raised); their codes.
    rules_not_run: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[RuleFailure, ...]:
        return tuple(f for f in self.failures if f.is_error)

    @property
    def queries(self) -> tuple[RuleFailure, ...]:
        return tuple(f for f in self.failures if not f.is_error)

    @property
    def passed(self) -> bool:
        """No errors (queries allowed): the DfE would accept the return."""
        return not self.errors

    def by_child(self) -> dict[str | None, list[RuleFailure]]:
        grouped: dict[str | None, list[RuleFailure]] = {}
        for failure in self.failures:
            grouped.setdefault(failure.la_child_id, []).append(failure)
        return grouped


def parse_census(data: bytes) -> Element:
    """The root element of a census file, parsed safely. Refuses (``CensusFileError``)
    malformed XML, DTDs, entities and external references."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise CensusFileError(
            "The file uses XML features a census file never needs (a DTD, entities or "
            "external references), so it was not read."
        ) from exc
    except SafeET.ParseError as exc:
        raise CensusFileError(f"The file is not well-formed XML: {exc}.") from exc
    if not isinstance(root, Element):  # pragma: no cover - defusedxml gives stdlib elements
        raise CensusFileError("The file is not XML.")
    return root


def census_year_of(root: Element) -> int:
    """The census year a file says it is for (its header's Year)."""
    text = (root.findtext("Header/CollectionDetails/Year") or "").strip()
    if not re.fullmatch(r"\d{4}", text):
        raise CensusFileError(
            "The file's header has no census year (Header/CollectionDetails/Year)."
        )
    return int(text)


def rule_pack_year(year: int) -> int:
    """The year of the rule pack that checks census year ``year``."""
    if year < FIRST_CENSUS_YEAR or year > max(RULE_PACKS):
        raise ValueError(
            f"There are no census rules for {year}: the validator knows the years "
            f"{OLDEST_PACK_YEAR} to {max(RULE_PACKS)}."
        )
    return max(OLDEST_PACK_YEAR, year)


def rules_for_year(year: int) -> dict[str, Any]:
    """The validator's rule registry for census year ``year`` (rule code -> rule)."""
    module = importlib.import_module(RULE_PACKS[rule_pack_year(year)])
    return dict(module.registry.items())


def validate_census(
    xml: bytes | Element, *, year: int | None = None, rules: Iterable[str] | None = None
) -> ValidationReport:
    """Run the DfE rules for the census year over a census file (bytes, parsed safely, or
    an already parsed root). ``year`` defaults to the file's own; ``rules`` limits the run
    to those codes."""
    root = parse_census(xml) if isinstance(xml, bytes) else xml
    if root.find("Header") is None or root.find("Children") is None:
        raise CensusFileError("The file has no Header or no Children: it is not a CIN census.")
    year = census_year_of(root) if year is None else year
    registry = rules_for_year(year)
    selected = [str(code) for code in rules] if rules is not None else None
    return _run(_one_review_per_group(root), year, registry, selected)


def _one_review_per_group(root: Element) -> Element:
    """A copy of the file in which each review date has its own Reviews group.

    The census puts all of a plan's review dates in one ``Reviews`` group; the validator
    reads only the first date of each group, so the rules would never see the others."""
    if not any(len(reviews.findall("CPPreviewDate")) > 1 for reviews in root.iter("Reviews")):
        return root
    root = copy.deepcopy(root)
    for plan in root.iter("ChildProtectionPlans"):
        for reviews in plan.findall("Reviews"):
            dates = reviews.findall("CPPreviewDate")
            if len(dates) < 2:
                continue
            position = list(plan).index(reviews)
            plan.remove(reviews)
            for offset, review_date in enumerate(dates):
                group = Element("Reviews")
                group.append(review_date)
                plan.insert(position + offset, group)
    return root


def _run(
    root: Element, year: int, registry: dict[str, Any], selected: list[str] | None
) -> ValidationReport:
    from cin_validator.cin_validator import CinValidator, convert_data, process_data

    said = io.StringIO()
    # The validator prints the rules it could not run; keep them in the report instead.
    with contextlib.redirect_stdout(said), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' deprecation warnings from inside the rules
        tables = process_data(convert_data(root))
        validator = CinValidator(tables, registry, selected_rules=selected)
    not_run = tuple(re.findall(r"Error with rule (\S+?):", said.getvalue()))
    severity = {
        str(code): (
            Severity.QUERY
            if getattr(getattr(rule, "rule_type", None), "name", "") == "QUERY"
            or str(code).endswith("Q")
            else Severity.ERROR
        )
        for code, rule in registry.items()
    }
    failures: dict[tuple[Any, ...], RuleFailure] = {}
    for row in validator.full_issue_df.to_dict("records"):
        code = str(row["rule_code"])
        child = _text(row.get("child_id"))
        table = _text(row.get("tables_affected"))
        key = (code, child, table)
        columns = _columns(row.get("columns_affected"))
        known = failures.get(key)
        if known is not None:
            columns = tuple(dict.fromkeys(known.fields + columns))
        failures[key] = RuleFailure(
            code=code,
            severity=severity.get(code, Severity.QUERY if code.endswith("Q") else Severity.ERROR),
            message=str(row["rule_description"]).strip(),
            la_child_id=child,
            table=table,
            fields=columns,
        )
    for row in validator.multichild_issues.to_dict("records"):
        code = str(row["rule_code"])
        key = (code, None, None)
        failures.setdefault(
            key,
            RuleFailure(
                code=code,
                severity=severity.get(code, Severity.ERROR),
                message=str(row["rule_description"]).strip(),
                table="Header" if code in _header_rules(registry) else None,
            ),
        )
    ordered = sorted(
        failures.values(),
        key=lambda f: (f.severity != Severity.ERROR, f.code, f.la_child_id or "", f.table or ""),
    )
    rules_run = len(selected) if selected is not None else len(registry)
    return ValidationReport(
        year=year, rules_run=rules_run, failures=tuple(ordered), rules_not_run=not_run
    )


def _header_rules(registry: dict[str, Any]) -> set[str]:
    return {
        str(code)
        for code, rule in registry.items()
        if getattr(getattr(rule, "module", None), "name", "") == "Header"
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def _columns(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    text = _text(value)
    return (text,) if text else ()
