"""The GOV.UK pagination component for a Django ``Page``: numbered links with ellipses."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page


def govuk_pagination(page: Page[Any]) -> dict[str, Any]:
    """What ``ui/pagination.html`` needs: previous/next page numbers and the items (page
    numbers, the current one marked, gaps as ellipses)."""
    paginator = page.paginator
    items = [
        {"ellipsis": True}
        if number == paginator.ELLIPSIS
        else {"number": number, "current": number == page.number}
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return {
        "show": paginator.num_pages > 1,
        "previous": page.previous_page_number() if page.has_previous() else None,
        "next": page.next_page_number() if page.has_next() else None,
        "items": items,
    }
