"""Where consent shows on other apps' pages, registered from ``ConsentConfig.ready``: the
"Consent" tab of a person's record (``people.tabs``, for whoever sees the person) and the
link from a chronology entry to the consent record it came from (``people.record_links``,
for readers who may open it)."""

from __future__ import annotations

from typing import Any

from continuum.access import policy
from continuum.consent.policies import ConsentAction
from continuum.people.record_links import RecordLink, register_record_link
from continuum.people.tabs import PersonTab, register_tab


def _shown(user: Any, person: Any) -> bool:
    return policy.can(user, ConsentAction.VIEW_ON, person)


def register() -> None:
    register_tab(PersonTab("consent", "Consent", "consent:person", _shown))
    register_record_link(
        RecordLink(
            kind="consent.record",
            text="the consent record",
            model="consent.ConsentRecord",
            url_name="consent:detail",
        )
    )
