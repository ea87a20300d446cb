"""The common classification of early help spending, version 1, and the section 251 lines it
is mapped to (loaded by migration 0002; ``load`` is idempotent).

The lines are those of the children's and young people's services part of the DfE's section
251 outturn return (the statement councils make of what they spent, by line). Their numbers
and wording change between years: check them against the guidance for the year being
compared before relying on a line number (docs/spending.md).
"""

from __future__ import annotations

from typing import Any

SECTION_251_LINES: list[tuple[str, str]] = [
    ("3.0.1", "Spend on individual Sure Start children's centres"),
    (
        "3.0.2",
        "Spend for local authority provided or commissioned area-wide services delivered "
        "through Sure Start children's centres",
    ),
    ("3.0.3", "Other spend on children under 5"),
    ("3.2.1", "Other children's and families services"),
    ("3.3.2", "Commissioning and children's services strategy"),
    ("3.4.4", "Targeted family support"),
    ("3.4.5", "Universal family support"),
    ("3.5.1", "Universal services for young people"),
    ("3.5.2", "Targeted services for young people"),
]

# code, name, description, section 251 lines, where spend outside section 251 is reported
CATEGORIES: list[tuple[str, str, str, list[str], str]] = [
    (
        "family_support",
        "Family support and key work",
        "Key workers and family support workers working with families at early help levels, "
        "including the Supporting Families key work.",
        ["3.4.4", "3.4.5"],
        "",
    ),
    (
        "family_hubs",
        "Family hubs and children's centres",
        "Running family hubs and children's centres and the services delivered through them.",
        ["3.0.1", "3.0.2", "3.0.3"],
        "",
    ),
    (
        "parenting",
        "Parenting programmes",
        "Group and one-to-one parenting programmes and parenting practitioners.",
        ["3.4.4"],
        "",
    ),
    (
        "youth",
        "Youth services",
        "Universal and targeted youth work, detached youth work and youth centres.",
        ["3.5.1", "3.5.2"],
        "",
    ),
    (
        "school_based",
        "School-based support",
        "Early help workers based in or attached to schools, and the council's contribution "
        "to school-based pastoral support.",
        ["3.4.4"],
        "Schools' own spending from their budgets is not the council's and is not included.",
    ),
    (
        "health_commissioned",
        "Commissioned health services",
        "Health visiting and school nursing (the healthy child programme) commissioned by the "
        "council.",
        [],
        "The public health grant: reported in the revenue outturn, not the section 251 return.",
    ),
    (
        "domestic_abuse",
        "Domestic-abuse services",
        "Support for children and families affected by domestic abuse, including "
        "commissioned outreach and programmes for children.",
        ["3.4.4"],
        "Safe accommodation funded under the Domestic Abuse Act 2021 is reported by housing.",
    ),
    (
        "voluntary_grants",
        "Voluntary-sector grants",
        "Grants to voluntary and community organisations for early help work with families.",
        ["3.2.1"],
        "",
    ),
    (
        "management",
        "Management and support",
        "Managing, commissioning and supporting early help services: managers above team "
        "level, commissioning, performance and business support.",
        ["3.3.2"],
        "",
    ),
]

NOTE = (
    "The first version, agreed by the four councils to compare early help spending like for "
    "like (the 2015 peer review found each recorded it its own way)."
)


def load(apps: Any, schema_editor: Any) -> None:
    """Create the section 251 lines and version 1 of the classification if absent."""
    line_model = apps.get_model("spending", "Section251Line")
    classification_model = apps.get_model("spending", "Classification")
    category_model = apps.get_model("spending", "Category")
    lines = {}
    for code, description in SECTION_251_LINES:
        lines[code], _ = line_model.objects.get_or_create(
            code=code, defaults={"description": description}
        )
    if classification_model.objects.filter(version=1).exists():
        return
    classification = classification_model.objects.create(
        version=1,
        published_on="2026-04-01",
        note=NOTE,
        is_current=not classification_model.objects.filter(is_current=True).exists(),
    )
    for order, (code, name, description, line_codes, outside) in enumerate(CATEGORIES, 1):
        category = category_model.objects.create(
            classification=classification,
            code=code,
            name=name,
            description=description,
            outside_section_251=outside,
            order=order,
        )
        category.section_251_lines.set([lines[c] for c in line_codes])


def unload(apps: Any, schema_editor: Any) -> None:
    """Remove version 1 and the lines (when no council's mapping or return refers to them)."""
    apps.get_model("spending", "Classification").objects.filter(version=1).delete()
    apps.get_model("spending", "Section251Line").objects.filter(
        code__in=[code for code, _ in SECTION_251_LINES]
    ).delete()
