"""The dashboards, in the order the sub-navigation shows them. Each page adds itself here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Dashboard:
    text: str
    url_name: str
    description: str


DASHBOARDS: list[Dashboard] = []
DASHBOARDS.append(
    Dashboard(
        "Council comparison",
        "performance:comparison",
        "One indicator for every council side by side and all councils together, with a "
        "funnel plot showing which differences are bigger than chance.",
    )
)
DASHBOARDS.append(
    Dashboard(
        "Trends",
        "performance:trends",
        "An indicator month by month for a council or all councils, on a statistical "
        "process control chart that shows when something has really changed.",
    )
)

DASHBOARDS.append(
    Dashboard(
        "Continuum flow",
        "performance:flow",
        "Where the children who came to the front door went next: early help by lead "
        "agency, step-ups, social care, child protection, care and step-downs.",
    )
)
DASHBOARDS.append(
    Dashboard(
        "Capacity",
        "performance:capacity",
        "Early help caseloads against the council's norm, the waiting list, time to "
        "allocation and next quarter's projected demand.",
    )
)
DASHBOARDS.append(
    Dashboard(
        "Data quality",
        "performance:data-quality",
        "Missing or invalid values that make indicators wrong or incomplete, by council and team.",
    )
)
DASHBOARDS.append(
    Dashboard(
        "Partnership report",
        "performance:report",
        "The month's headline indicators for each council and all four, with charts and a "
        "commentary written from the numbers; as a page or a PDF.",
    )
)
DASHBOARDS.append(
    Dashboard(
        "Joint front doors",
        "performance:hubs",
        "The front door's headline indicators for each hub that runs several councils' front "
        "doors, with its councils beneath, and each council before and after it joined.",
    )
)


def tabs(path: str) -> list[dict[str, object]]:
    items = []
    for dashboard in DASHBOARDS:
        href = reverse(dashboard.url_name)
        items.append({"text": dashboard.text, "href": href, "active": path.startswith(href)})
    return items
