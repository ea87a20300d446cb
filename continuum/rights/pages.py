"""What the register adds to a person's summary (``people.sections``): the notice that
processing is restricted while a restriction request's legal hold stands, and, for the
council's case staff, the link to log a request received about the person."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from continuum.access import policy
from continuum.accounts.models import User
from continuum.people.models import Person
from continuum.people.sections import SummarySection, register_summary_section
from continuum.rights.choices import RequestKind
from continuum.rights.models import RightsRequest
from continuum.rights.policies import RightsAction


def restriction_in_force(person: Person) -> RightsRequest | None:
    """The restriction request whose hold stands on ``person``, if any."""
    return (
        RightsRequest.objects.filter(
            person=person,
            kind=RequestKind.RESTRICTION,
            restricted_at__isnull=False,
            restriction_lifted_at__isnull=True,
        )
        .order_by("-restricted_at")
        .first()
    )


def _summary(user: User, person: Person) -> dict[str, Any] | None:
    restriction = restriction_in_force(person)
    may_log = policy.can(user, RightsAction.LOG_ABOUT, person)
    if restriction is None and not may_log:
        return None
    return {
        "restriction": restriction,
        "log_url": f"{reverse('rights:new')}?person={person.pk}" if may_log else "",
    }


def register() -> None:
    register_summary_section(
        SummarySection(key="rights.restriction", template="rights/_summary.html", context=_summary)
    )
