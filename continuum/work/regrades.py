"""The work tray's section of threshold re-grades: an auditor's sampled contacts to grade
blind in open audit programmes, overdue after the programme's ``audits_due_on``.

Read from the re-grades the user may see (``policy.visible``), so nothing is listed that
they may not open; an item names the contact by reference only (no one's name: the page it
leads to is blind).
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_audits.choices import ProgrammeStatus
from continuum.case_audits.models import BlindRegrade
from continuum.front_door.selectors import reference_of
from continuum.ui.dates import govuk_date
from continuum.work.selectors import WorkItem, WorkSection


def regrades_to_do(*, user: User, today: date) -> WorkSection:
    """The user's ungraded re-grades whose decision they have not seen, soonest due first."""
    regrades = (
        policy.visible(user, BlindRegrade)
        .filter(
            auditor=user,
            programme__status=ProgrammeStatus.OPEN,
            level__isnull=True,
            revealed_at__isnull=True,
        )
        .select_related("programme", "council", "contact")
    )
    items = []
    for regrade in regrades:
        due = regrade.programme.audits_due_on
        detail = f"{regrade.council.name} front door, {regrade.programme.title}"
        if due is not None:
            detail += f"; due by {govuk_date(due)}"
        items.append(
            WorkItem(
                title=f"Re-grade contact {reference_of(regrade.contact)} blind",
                url=reverse("case_audits:regrade", args=[regrade.pk]),
                detail=detail,
                due=due,
                overdue=due is not None and due < today,
            )
        )
    return WorkSection(
        "regrades",
        "Threshold re-grades to do",
        items,
        empty="No contacts to re-grade.",
    )
