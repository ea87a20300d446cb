"""The social care timescales panel on the front-door queue and the early help waiting
list (``ui.panels``): how many assessments are past 45 working days from the referral and
initial conferences past 15 working days from the strategy discussion, each with the
earliest date due, linking to the list. Counts only: the list names the children."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from continuum.access import policy
from continuum.statutory import selectors
from continuum.statutory.policies import StatutoryAction
from continuum.ui.panels import Panel


def timescales_panel(request: Any) -> Panel | None:
    user = request.user
    if not policy.can(user, StatutoryAction.VIEW):
        return None
    found = selectors.breaches(user=user, today=timezone.localdate(), include_late=False)
    rows = []
    for kind in (selectors.ASSESSMENT, selectors.CONFERENCE):
        of_kind = [t for t in found if t.kind == kind]
        if of_kind:
            rows.append(
                {
                    "label": selectors.TIMESCALE_LABELS[kind],
                    "count": len(of_kind),
                    "earliest_due": min(t.deadline.due for t in of_kind),
                }
            )
    return Panel("statutory/_panel.html", {"rows": rows})
