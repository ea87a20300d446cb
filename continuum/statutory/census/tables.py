"""A census file as the tables the DfE rules read, built in one pass.

Data to Insight's validator (``csc-validator-be-cin``) turns a census file into one pandas
table per module (``cin_validator.cin_validator.convert_data``) before its rules run over
them. Its converter appends to each table child by child (a ``pd.concat`` per child and per
module), which takes about 20 ms a child: 2 to 3 minutes for a council of 5,000 children,
when the rules themselves take seconds. ``census_tables`` builds the very same tables (the
same columns, values, order and numbering: the tests compare the two) from lists, once, so
the rules run over a large return in seconds. The rules are not touched.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405  (types only; parsing is defusedxml)

import pandas as pd

HEADER = ("Collection", "Year", "ReferenceDate")
SOURCE = ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime")


def _columns() -> dict[str, list[str]]:
    """Each table's columns, as the validator's converter declares them."""
    from cin_validator.ingress import XMLtoCSV

    names = (
        "Header",
        "ChildIdentifiers",
        "ChildCharacteristics",
        "ChildProtectionPlans",
        "CINdetails",
        "CINplanDates",
        "Reviews",
        "Section47",
        "Assessments",
        "Disabilities",
        "AssessmentFactorsList",
    )
    return {name: list(getattr(XMLtoCSV, name).columns) for name in names}


def _value(block: Element | None, name: str) -> Any:
    found = block.find(name) if block is not None else None
    return found.text if found is not None else pd.NA


def _values(block: Element | None, names: list[str], row: dict[str, Any]) -> dict[str, Any]:
    for name in names:
        if name not in row:
            row[name] = _value(block, name)
    return row


def census_tables(root: Element) -> dict[str, pd.DataFrame]:
    """The tables ``convert_data(root)`` gives, built in one pass."""
    columns = _columns()
    ids = {"LAchildID", "CINdetailsID", "AssessmentID", "CPPID"}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in columns}
    header = root.find("Header")
    header_row: dict[str, Any] = {}
    details = header.find("CollectionDetails") if header is not None else None
    source = header.find("Source") if header is not None else None
    for name in HEADER:
        header_row[name] = _value(details, name)
    for name in SOURCE:
        header_row[name] = _value(source, name)
    children = root.find("Children")
    for child in children.findall("Child") if children is not None else []:
        _child(child, columns, ids, rows)
    tables = {name: _frame(rows[name], columns[name]) for name in columns if name != "Header"}
    tables["Header"] = pd.DataFrame.from_dict([header_row])
    return {
        name: tables[name]
        for name in (
            "Header",
            "ChildIdentifiers",
            "ChildCharacteristics",
            "ChildProtectionPlans",
            "CINdetails",
            "CINplanDates",
            "Reviews",
            "Section47",
            "Assessments",
            "AssessmentFactorsList",
            "Disabilities",
        )
    }


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """As the converter's concatenation leaves it: object columns, in the declared order
    first, then any others (none, for a census file)."""
    empty = pd.DataFrame(columns=columns)
    if not rows:
        return empty
    return pd.concat([empty, pd.DataFrame(rows)], ignore_index=True)


def _child(
    child: Element,
    columns: dict[str, list[str]],
    ids: set[str],
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    identifiers = _values(child.find("ChildIdentifiers"), columns["ChildIdentifiers"], {})
    la_child_id = identifiers.get("LAchildID", pd.NA)
    rows["ChildIdentifiers"].append(identifiers)
    characteristics = child.find("ChildCharacteristics")
    rows["ChildCharacteristics"].append(
        _values(
            characteristics,
            [c for c in columns["ChildCharacteristics"] if c not in ids],
            {"LAchildID": la_child_id},
        )
    )
    disabilities = characteristics.find("Disabilities") if characteristics is not None else None
    for disability in disabilities if disabilities is not None else []:
        rows["Disabilities"].append({"LAchildID": la_child_id, "Disability": disability.text})
    for number, detail in enumerate(child.findall("CINdetails"), start=1):
        key = {"LAchildID": la_child_id, "CINdetailsID": number}
        rows["CINdetails"].append(
            _values(detail, [c for c in columns["CINdetails"] if c not in ids], dict(key))
        )
        _assessments(detail, key, columns, ids, rows)
        for table, tag in (("CINplanDates", "CINPlanDates"), ("Section47", "Section47")):
            for block in detail.findall(tag):
                rows[table].append(
                    _values(block, [c for c in columns[table] if c not in ids], dict(key))
                )
        for plan_number, plan in enumerate(detail.findall("ChildProtectionPlans"), start=1):
            plan_key = {**key, "CPPID": plan_number}
            rows["ChildProtectionPlans"].append(
                _values(
                    plan,
                    [c for c in columns["ChildProtectionPlans"] if c not in ids],
                    dict(plan_key),
                )
            )
            for review in plan.findall("Reviews[CPPreviewDate]"):
                rows["Reviews"].append(
                    _values(review, [c for c in columns["Reviews"] if c not in ids], dict(plan_key))
                )


def _assessments(
    detail: Element,
    key: dict[str, Any],
    columns: dict[str, list[str]],
    ids: set[str],
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    wanted = [c for c in columns["Assessments"] if c not in ids]
    for number, assessment in enumerate(detail.findall("Assessments"), start=1):
        assessment_key = {**key, "AssessmentID": number}
        row = _values(assessment, wanted, dict(assessment_key))
        factors = assessment.find("FactorsIdentifiedAtAssessment")
        if factors is not None and len(factors):
            found = [factor.text for factor in factors]
            for text in found:
                rows["AssessmentFactorsList"].append({**assessment_key, "AssessmentFactor": text})
            row["AssessmentFactors"] = found
        rows["Assessments"].append(row)
