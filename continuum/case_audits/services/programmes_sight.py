"""A programme's sight of its sampled records: while it is open, each case's auditor and
the moderators who are peer auditors read the case's episode or contact (a read grant) and
the children it names (a PEER_AUDITOR involvement), all from ``source_of(programme)``, so
they end together when it closes. The contacts to re-grade blind are not given here: the
re-grading part grants each once it is graded or revealed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from continuum.access.models import InvolvementReason
from continuum.access.services import (
    end_involvement,
    end_read_grants_from,
    grant_read,
    record_involvement,
)
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseStatus
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.case_audits.policies import source_of
from continuum.people.models import Person

EPISODE_LABEL = "early_help.Episode"
CONTACT_LABEL = "front_door.Contact"


def label_of(case: AuditCase) -> tuple[str, Any]:
    if case.episode_id:
        return EPISODE_LABEL, case.episode_id
    return CONTACT_LABEL, case.contact_id


def children_named(case: AuditCase) -> list[Person]:
    """The children a case's record names (an episode's children; a contact's)."""
    if case.episode_id:
        return list(Person.objects.filter(early_help_episodes=case.episode_id))
    return list(Person.objects.filter(contact_links__contact=case.contact_id))


def peer_moderators(programme: AuditProgramme) -> list[User]:
    """The programme's moderators who read its cases' records: the peer auditors (the
    partnership's lead moderates from the findings, never reading a person's record)."""
    return [
        m for m in programme.moderators.select_related("organisation") if m.role == Role.AUDITOR
    ]


def readers_of(case: AuditCase, moderators: list[User]) -> list[User]:
    """Who reads a case's record: its auditor, and the peer-auditor ``moderators`` of another
    council (nobody moderates their own council's cases)."""
    readers = [case.auditor] if case.auditor is not None else []
    readers += [
        m
        for m in moderators
        if m.organisation is None or m.organisation.council_id != case.council_id
    ]
    return readers


def grant_sight(
    *, reader: User, source: str, record: tuple[str, Any], children: Iterable[Person]
) -> None:
    """Read-only sight for ``reader`` of one record (its label and id) and of the children
    it names, from ``source``: a sampled case when its programme opens, a re-graded contact
    once its decision has been shown."""
    label, record_id = record
    grant_read(
        user=reader,
        record_label=label,
        record_id=record_id,
        reason=InvolvementReason.PEER_AUDITOR,
        source=source,
    )
    for child in children:
        record_involvement(
            user=reader, person=child, reason=InvolvementReason.PEER_AUDITOR, source=source
        )


def give_sight(programme: AuditProgramme) -> None:
    source = source_of(programme)
    cases = programme.cases.exclude(status=CaseStatus.WITHDRAWN).select_related("auditor")
    moderators = peer_moderators(programme)
    for case in cases:
        children = children_named(case)
        for reader in readers_of(case, moderators):
            grant_sight(reader=reader, source=source, record=label_of(case), children=children)


def end_sight_of(programme: AuditProgramme, case: AuditCase) -> None:
    """End the sight a withdrawn case gave, keeping what the programme's other cases give:
    a reader keeps a child another case they still read names."""
    source = source_of(programme)
    end_read_grants_from(source=source, record=label_of(case))
    moderators = peer_moderators(programme)
    still = [
        (readers_of(other, moderators), {child.pk for child in children_named(other)})
        for other in programme.cases.exclude(status=CaseStatus.WITHDRAWN)
        .exclude(pk=case.pk)
        .select_related("auditor")
    ]
    for reader in readers_of(case, moderators):
        kept = {pk for readers, named in still if reader in readers for pk in named}
        for child in children_named(case):
            if child.pk not in kept:
                end_involvement(user=reader, person=child, source=source)
