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
        "Partnership report",
        "performance:report",
        "The month's headline indicators for each council and all four, with charts and a "
        "commentary written from the numbers; as a page or a PDF.",
    )
)


def tabs(path: str) -> list[dict[str, object]]:
    items = []
    for dashboard in DASHBOARDS:
        href = reverse(dashboard.url_name)
        items.append({"text": dashboard.text, "href": href, "active": path.startswith(href)})
    return items
