"""Template helpers for the contact pages: status tag colours, and the panels other pages
include (a partner's own contacts, decisions awaiting a manager's sign-off)."""

from __future__ import annotations

from typing import Any

from django import template

from continuum.access import policy
from continuum.front_door import selectors
from continuum.front_door.choices import ContactStatus, DashRisk
from continuum.front_door.policies import FrontDoorAction
from continuum.front_door.selectors.notifications import notification_reference_of

register = template.Library()

_STATUS_TAGS: dict[str, str] = {
    ContactStatus.DRAFT: "govuk-tag--grey",
    ContactStatus.SUBMITTED: "govuk-tag--blue",
    ContactStatus.IN_SCREENING: "govuk-tag--light-blue",
    ContactStatus.AWAITING_INFORMATION: "govuk-tag--yellow",
    ContactStatus.RETURNED: "govuk-tag--pink",
    ContactStatus.DECIDED: "govuk-tag--green",
    ContactStatus.CLOSED: "govuk-tag--grey",
}

# DASH risk levels as GOV.UK tags, each its own colour so high risk never looks like
# medium: high red, medium yellow, standard grey.
_DASH_RISK_TAGS: dict[str, str] = {
    DashRisk.HIGH: "govuk-tag--red",
    DashRisk.MEDIUM: "govuk-tag--yellow",
    DashRisk.STANDARD: "govuk-tag--grey",
}

HOME_PANEL_ROWS = 10


@register.filter
def dash_risk_tag_class(risk: str) -> str:
    return _DASH_RISK_TAGS.get(risk, "govuk-tag--grey")


@register.filter
def contact_status_tag_class(status: str) -> str:
    return _STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def contact_reference(contact: Any) -> str:
    return selectors.reference_of(contact)


@register.inclusion_tag("front_door/contacts/_my_contacts.html", takes_context=True)
def my_contacts_panel(context: template.Context) -> dict[str, Any]:
    """The signed-in user's own contacts, newest first, with their status and outcome."""
    user = context["request"].user
    contacts = selectors.contacts_made_by(user=user)
    return {
        "contacts": list(contacts[:HOME_PANEL_ROWS]),
        "more": contacts.count() > HOME_PANEL_ROWS,
        "can_create": policy.can(user, FrontDoorAction.CREATE_CONTACT),
    }


@register.filter
def outcome_counts(row: selectors.SummaryRow, summary: selectors.CouncilSummary) -> list[int]:
    """A summary row's decisions by outcome, in the summary's column order."""
    return row.outcome_counts(summary.outcome_codes)


@register.filter
def source_counts(row: selectors.SummaryRow, summary: selectors.CouncilSummary) -> list[int]:
    """A summary row's contacts by referral source, in the summary's column order."""
    return row.source_counts(summary.source_codes)


@register.filter
def checked_count(group: selectors.IndicatorGroup, checked: set[str]) -> int:
    """How many of a domain's indicators are ticked."""
    return sum(1 for indicator in group.indicators if indicator.code in checked)


@register.filter
def notification_reference(notification: Any) -> str:
    """A domestic-abuse notification's short reference (what the force keeps of it)."""
    return notification_reference_of(notification)
