"""Disposing of a person's consent with the person (issue 13), called by the ``retention``
app: each consent record and withdrawal keeps what the indicators count (who agreed to
early help and when, what was withdrawn and when), and loses its words (the competence
judgement, notes) and every historical copy."""

from __future__ import annotations

from typing import Any

from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.people.disposal import scrub


def anonymise_consent_of(person_id: Any) -> int:
    """Scrub the consent records of the person and their withdrawals; how many records."""
    records = ConsentRecord.objects.filter(person_id=person_id)
    ids = list(records.values_list("pk", flat=True))
    if not ids:
        return 0
    # Their chronology entries are the person's, and go with the person's chronology.
    scrub(ConsentWithdrawal.objects.filter(consent_id__in=ids))
    return scrub(records)
