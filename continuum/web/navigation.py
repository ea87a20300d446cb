"""The service navigation: each item shows only to users the policy allows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from continuum.access import policy
from continuum.audit.policies import AuditAction
from continuum.case_audits.policies import CaseAuditAction
from continuum.early_help.policies import EarlyHelpAction
from continuum.front_door.policies import FrontDoorAction
from continuum.hubs.policies import HubAction
from continuum.imports.policies import ImportsAction
from continuum.notifications.policies import NotificationsAction
from continuum.notifications.selectors import unread_count
from continuum.people.policies import PeopleAction
from continuum.performance.policies import PerformanceAction
from continuum.programmes.policies import ProgrammeAction
from continuum.retention.policies import RetentionAction
from continuum.retention.selectors import runs_awaiting_approval
from continuum.returns.policies import ReturnsAction
from continuum.rights.policies import RightsAction
from continuum.spending.policies import SpendingAction
from continuum.statutory.policies import StatutoryAction
from continuum.thresholds.policies import ThresholdsAction
from continuum.web.policies import SecondFactorAction


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    action: str | None = None
    # How many things wait there (shown after the text), if anything.
    count: Callable[[Any], int] | None = None


def _unread(user: Any) -> int:
    return unread_count(user=user)


def _runs_to_approve(user: Any) -> int:
    return runs_awaiting_approval(user).count()


NAVIGATION: list[NavItem] = [
    NavItem("Home", "web:home"),
    NavItem("Find a person", "people:search", PeopleAction.SEARCH),
    NavItem("Threshold framework", "thresholds:framework", ThresholdsAction.VIEW),
    NavItem("Access log", "audit:access-log", AuditAction.VIEW_ACCESS_LOG),
    NavItem("Information governance", "audit:information-governance", AuditAction.GOVERN),
    NavItem("Data protection requests", "rights:register", RightsAction.VIEW_REGISTER),
    NavItem("Retention", "retention:schedule", RetentionAction.GOVERN, count=_runs_to_approve),
    NavItem("Front door queue", "front_door:queue", FrontDoorAction.VIEW_QUEUE),
    NavItem("Record a contact", "front_door:contact-new", FrontDoorAction.CREATE_CONTACT),
    NavItem("Domestic abuse", "front_door:notifications", FrontDoorAction.VIEW_NOTIFICATIONS),
    NavItem("Front-door summary", "front_door:summary", FrontDoorAction.VIEW_SUMMARY),
    NavItem("Hubs", "hubs:list", HubAction.VIEW),
    NavItem("Social care timescales", "statutory:timescales", StatutoryAction.VIEW),
    NavItem("Early help", "early_help:waiting-list", EarlyHelpAction.VIEW_WAITING_LIST),
    NavItem("Caseloads", "early_help:caseloads", EarlyHelpAction.VIEW_CASELOADS),
    NavItem("Performance", "performance:index", PerformanceAction.VIEW_DASHBOARDS),
    NavItem("Audits", "case_audits:programmes", CaseAuditAction.VIEW_PROGRAMME),
    NavItem("Local programmes", "programmes:list", ProgrammeAction.VIEW),
    NavItem("Spending", "spending:comparison", SpendingAction.VIEW_COMPARISON),
    NavItem("Imports", "imports:list", ImportsAction.USE),
    NavItem("CIN census", "statutory:census-export", StatutoryAction.EXPORT_CENSUS),
    NavItem("Annex A", "returns:annex-a", ReturnsAction.EXPORT_ANNEX_A),
    NavItem("Second-factor resets", "web:second-factor-resets", SecondFactorAction.RESET),
    NavItem("Notifications", "notifications:list", NotificationsAction.VIEW, count=_unread),
]


def navigation_for(user: object, path: str) -> list[dict[str, object]]:
    if not policy.has_role(user):
        return []
    items = []
    for item in NAVIGATION:
        if item.action is not None and not policy.can(user, item.action):
            continue
        href = reverse(item.url_name)
        active = path == href if href == "/" else path.startswith(href)
        text = item.text
        if item.count is not None and (waiting := item.count(user)):
            text = f"{text} ({waiting})"
        items.append({"text": text, "href": href, "active": active})
    return items
