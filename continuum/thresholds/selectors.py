"""Reading the threshold framework: the shared version, and a council's effective framework.

A council's framework is the shared version with the council's local variation laid on
top. Every indicator in it says whether it is shared, changed locally (with the shared
wording alongside), added locally or not used locally, so a difference is always visible
and never a silent copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db.models import Count, Q, QuerySet

from continuum.organisations.models import Council
from continuum.thresholds.models import (
    ChangeKind,
    Domain,
    FrameworkVersion,
    Indicator,
    IndicatorChange,
    Level,
    LocalVariation,
)
from continuum.thresholds.rules import IndicatorFacts


class NoFrameworkPublished(LookupError):
    """No version of the shared framework is current."""


class Status:
    """How an indicator in a council's framework relates to the shared framework."""

    SHARED = "shared"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"

    LABELS = {
        SHARED: "Shared",
        CHANGED: ChangeKind.CHANGE.label,
        ADDED: ChangeKind.ADD.label,
        REMOVED: ChangeKind.REMOVE.label,
    }


_STATUS_OF_KIND = {
    ChangeKind.CHANGE: Status.CHANGED,
    ChangeKind.ADD: Status.ADDED,
    ChangeKind.REMOVE: Status.REMOVED,
}


@dataclass(frozen=True)
class EffectiveIndicator:
    """One indicator as it applies in a council (or in the shared framework)."""

    code: str
    title: str
    level: int
    guidance: str
    domain: Domain
    status: str
    # The shared indicator (its values are the shared wording); None when added locally.
    shared: Indicator | None = None
    # The council's change; None when the indicator is used as shared.
    change: IndicatorChange | None = None

    @property
    def in_use(self) -> bool:
        return self.status != Status.REMOVED

    @property
    def is_difference(self) -> bool:
        return self.status != Status.SHARED

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def level_name(self) -> str:
        return Level(self.level).label

    @property
    def reason(self) -> str:
        return self.change.reason if self.change is not None else ""

    @property
    def changed_fields(self) -> list[str]:
        """For a changed indicator, which of its values differ from the shared ones."""
        if self.status != Status.CHANGED or self.shared is None:
            return []
        shared = self.shared
        pairs = [
            ("domain", self.domain.pk, shared.domain_id),
            ("title", self.title, shared.title),
            ("level", self.level, shared.level),
            ("guidance", self.guidance, shared.guidance),
        ]
        return [name for name, local, original in pairs if local != original]

    def facts(self) -> IndicatorFacts:
        return IndicatorFacts(
            code=self.code, title=self.title, level=self.level, domain=self.domain.name
        )


T = TypeVar("T", Indicator, EffectiveIndicator)


@dataclass(frozen=True)
class LevelGroup(Generic[T]):
    level: int
    indicators: list[T]

    @property
    def name(self) -> str:
        return Level(self.level).label


@dataclass(frozen=True)
class DomainGroup(Generic[T]):
    domain: Domain
    indicators: list[T] = field(default_factory=list)

    @property
    def by_level(self) -> list[LevelGroup[T]]:
        groups = []
        for level in Level.values:
            items = [i for i in self.indicators if i.level == level]
            if items:
                groups.append(LevelGroup(level=level, indicators=items))
        return groups


def group_by_domain(indicators: Iterable[T], domains: Sequence[Domain]) -> list[DomainGroup[T]]:
    """Group indicators under each domain, in domain order then level and code."""
    groups: dict[int, list[T]] = {d.pk: [] for d in domains}
    for indicator in indicators:
        groups.setdefault(indicator.domain.pk, []).append(indicator)
    return [
        DomainGroup(domain=d, indicators=sorted(groups[d.pk], key=lambda i: (i.level, i.code)))
        for d in domains
    ]


@dataclass(frozen=True)
class EffectiveFramework:
    version: FrameworkVersion
    council: Council | None
    variation: LocalVariation | None
    indicators: list[EffectiveIndicator]
    domains: list[Domain]

    @property
    def differences(self) -> list[EffectiveIndicator]:
        return [i for i in self.indicators if i.is_difference]

    @property
    def in_use(self) -> list[EffectiveIndicator]:
        return [i for i in self.indicators if i.in_use]

    def by_domain(self, *, level: int | None = None) -> list[DomainGroup[EffectiveIndicator]]:
        items = [i for i in self.indicators if level is None or i.level == level]
        return group_by_domain(items, self.domains)

    def find(self, code: str) -> EffectiveIndicator | None:
        wanted = code.strip().upper()
        return next((i for i in self.indicators if i.code.upper() == wanted), None)


# --- the shared framework -------------------------------------------------------------


def current_version() -> FrameworkVersion | None:
    return FrameworkVersion.objects.filter(is_current=True).first()


def _version_or_current(version: FrameworkVersion | None) -> FrameworkVersion:
    version = version or current_version()
    if version is None:
        raise NoFrameworkPublished("No version of the threshold framework is current.")
    return version


def domains() -> list[Domain]:
    return list(Domain.objects.order_by("order", "name"))


def indicators_of(*, version: FrameworkVersion, level: int | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(version=version).select_related("domain")
    if level is not None:
        indicators = indicators.filter(level=level)
    return indicators.order_by("domain__order", "level", "code")


def indicators_by_domain(
    *, version: FrameworkVersion, level: int | None = None
) -> list[DomainGroup[Indicator]]:
    """The version's indicators grouped by domain (every domain, even if empty) and level."""
    return group_by_domain(indicators_of(version=version, level=level), domains())


def indicator_by_code(*, version: FrameworkVersion, code: str) -> Indicator | None:
    return indicators_of(version=version).filter(code=code).first()


def local_changes_to(*, indicator: Indicator) -> QuerySet[IndicatorChange]:
    """Every council's change to one shared indicator (changed or not used locally)."""
    return (
        IndicatorChange.objects.filter(indicator=indicator)
        .select_related("variation__council", "domain")
        .order_by("variation__council__name")
    )


@dataclass(frozen=True)
class CouncilDifferences:
    council: Council
    difference_count: int


def councils_with_difference_counts(*, version: FrameworkVersion) -> list[CouncilDifferences]:
    """Every council, with how many local differences it has on this version."""
    councils = Council.objects.annotate(
        differences=Count(
            "threshold_variations__changes",
            filter=Q(threshold_variations__version=version),
        )
    ).order_by("name")
    return [CouncilDifferences(council=c, difference_count=c.differences) for c in councils]


# --- a council's effective framework ----------------------------------------------------


def _apply(shared: Indicator, change: IndicatorChange | None) -> EffectiveIndicator:
    if change is None:
        return EffectiveIndicator(
            code=shared.code,
            title=shared.title,
            level=shared.level,
            guidance=shared.guidance,
            domain=shared.domain,
            status=Status.SHARED,
            shared=shared,
        )
    if change.kind == ChangeKind.REMOVE:
        return EffectiveIndicator(
            code=shared.code,
            title=shared.title,
            level=shared.level,
            guidance=shared.guidance,
            domain=shared.domain,
            status=Status.REMOVED,
            shared=shared,
            change=change,
        )
    return EffectiveIndicator(
        code=shared.code,
        title=change.title or shared.title,
        level=change.level if change.level is not None else shared.level,
        guidance=change.guidance or shared.guidance,
        domain=change.domain if change.domain is not None else shared.domain,
        status=Status.CHANGED,
        shared=shared,
        change=change,
    )


def _added(change: IndicatorChange) -> EffectiveIndicator:
    assert change.domain is not None and change.level is not None
    return EffectiveIndicator(
        code=change.code,
        title=change.title,
        level=change.level,
        guidance=change.guidance,
        domain=change.domain,
        status=Status.ADDED,
        change=change,
    )


def variation_of(*, council: Council, version: FrameworkVersion) -> LocalVariation | None:
    return LocalVariation.objects.filter(council=council, version=version).first()


def effective_framework(
    *, council: Council | None, version: FrameworkVersion | None = None
) -> EffectiveFramework:
    """The framework as it applies in ``council`` (the shared one when council is None).

    Raises NoFrameworkPublished when no version is given and none is current.
    """
    version = _version_or_current(version)
    variation = variation_of(council=council, version=version) if council else None
    changes: list[IndicatorChange] = []
    if variation is not None:
        changes = list(variation.changes.select_related("domain", "indicator__domain"))
    by_indicator = {c.indicator_id: c for c in changes if c.indicator_id is not None}
    items = [
        _apply(shared, by_indicator.get(shared.pk)) for shared in indicators_of(version=version)
    ]
    items += [_added(c) for c in changes if c.kind == ChangeKind.ADD]
    all_domains = domains()
    order = {d.pk: d.order for d in all_domains}
    items.sort(key=lambda i: (order.get(i.domain.pk, 0), i.level, i.code))
    return EffectiveFramework(
        version=version,
        council=council,
        variation=variation,
        indicators=items,
        domains=all_domains,
    )


def differences(
    *, council: Council, version: FrameworkVersion | None = None
) -> list[EffectiveIndicator]:
    """Only the indicators where ``council`` differs from the shared framework."""
    return effective_framework(council=council, version=version).differences


@dataclass(frozen=True)
class Selection:
    """Indicator codes resolved against a framework: what was found and what was not."""

    indicators: list[EffectiveIndicator]
    unknown: list[str]

    @property
    def facts(self) -> list[IndicatorFacts]:
        return [i.facts() for i in self.indicators]


def select_indicators(*, codes: Iterable[str], framework: EffectiveFramework) -> Selection:
    """Resolve codes to indicators in use in ``framework``; codes not in use are unknown."""
    found: dict[str, EffectiveIndicator] = {}
    unknown: list[str] = []
    for code in dict.fromkeys(c.strip() for c in codes):
        indicator = framework.find(code)
        if indicator is not None and indicator.in_use:
            found[indicator.code] = indicator
        else:
            unknown.append(code)
    return Selection(indicators=list(found.values()), unknown=unknown)
