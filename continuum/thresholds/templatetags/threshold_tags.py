"""Template helpers for the threshold pages: GOV.UK tag colours for levels and differences."""

from __future__ import annotations

from django import template

from continuum.thresholds.selectors import Status

register = template.Library()

_LEVEL_TAGS = {
    1: "govuk-tag--green",
    2: "govuk-tag--teal",
    3: "govuk-tag--orange",
    4: "govuk-tag--red",
}

_STATUS_TAGS = {
    Status.SHARED: "govuk-tag--grey",
    Status.CHANGED: "govuk-tag--yellow",
    Status.ADDED: "govuk-tag--purple",
    Status.REMOVED: "govuk-tag--grey",
}


@register.filter
def level_tag_class(level: int | None) -> str:
    return _LEVEL_TAGS.get(level or 0, "govuk-tag--grey")


@register.filter
def status_tag_class(status: str) -> str:
    return _STATUS_TAGS.get(status, "govuk-tag--grey")
