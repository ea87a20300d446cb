"""What a council does with what a census import found: resolving a child whose match was
ambiguous (the person it is, or a new person: then its record is imported) and marking a
data-quality finding resolved. Keyword-only, atomic; refusals raise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.imports.registry import Counts
from continuum.people.models import Person
from continuum.statutory.census.importing import write_one
from continuum.statutory.census.reading import CensusFile, CensusRecord
from continuum.statutory.census.writing import census_period
from continuum.statutory.models import CensusChild, CensusFinding, CensusMatch
from continuum.statutory.policies import CensusImportAction

NEW_PERSON = "new"


@transaction.atomic
def resolve_match(*, user: User, match: CensusMatch, choice: str) -> Counts:
    """Import the waiting child as the candidate ``choice`` (a person's id) or as a new
    person (``"new"``)."""
    policy.require(
        user,
        CensusImportAction.RESOLVE_MATCHES,
        match.council,
        message="Only the council's team managers say who a census child is.",
    )
    match = CensusMatch.objects.select_for_update().get(pk=match.pk)
    if match.resolved_at is not None:
        raise InvalidState("Someone has already said who this child is.")
    person: Person | None = None
    if choice != NEW_PERSON:
        person = match.candidates.filter(pk__in=[choice] if _is_uuid(choice) else []).first()
        if person is None:
            raise ValidationError({"choice": "Choose one of the people listed, or a new person."})
        if (
            CensusChild.objects.filter(council=match.council, person=person)
            .exclude(la_child_id=match.la_child_id)
            .exists()
        ):
            raise ValidationError(
                {"choice": "That person already has another LA child ID in this council."}
            )
    start, reference = census_period(match.year)
    census = CensusFile(
        council=match.council,
        year=match.year,
        reference_date=reference,
        period_start=start,
        children=[],
        root=None,  # not read again: the child's record was kept
    )
    counts = write_one(census, CensusRecord.from_json(match.record), person)
    if person is None:
        person = CensusChild.objects.get(
            council=match.council, la_child_id=match.la_child_id
        ).person
    match.resolved_at = timezone.now()
    match.resolved_by = user
    match.person = person
    match.save(update_fields=["resolved_at", "resolved_by", "person"])
    CensusFinding.objects.filter(
        council=match.council, la_child_id=match.la_child_id, census_child__isnull=True
    ).update(census_child=CensusChild.objects.get(council=match.council, person=person))
    return counts


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@transaction.atomic
def resolve_finding(*, user: User, finding: CensusFinding) -> CensusFinding:
    """Mark a finding worked through (the data fixed at source, or the query explained)."""
    policy.require(user, CensusImportAction.WORK_ON_FINDINGS, finding.council)
    finding = CensusFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.resolved_at is not None:
        raise InvalidState("This finding is already resolved.")
    finding.resolved_at = timezone.now()
    finding.resolved_by = user
    finding.save(update_fields=["resolved_at", "resolved_by"])
    return finding
