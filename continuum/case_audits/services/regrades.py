"""Blind re-grading of sampled contacts' threshold level (issue 14).

The auditor a re-grade is given to sets a level with their rationale while the front
door's decision is still hidden from them (``revealed_at`` empty); setting it reveals the
decision. They may instead choose to see the decision without grading: the contact then
counts as not re-graded. Either way the decision is then shown, and the auditor is given
read access to the contact and the children it names from the programme
(``source_of(programme)``), which ends when the programme closes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_audits.models import BlindRegrade
from continuum.case_audits.policies import CaseAuditAction, source_of
from continuum.case_audits.services.programmes_sight import CONTACT_LABEL, grant_sight
from continuum.errors import InvalidState
from continuum.thresholds.models import Level

ALREADY_REVEALED = (
    "The front door's decision on this contact has already been shown to you, so it can no "
    "longer be re-graded blind."
)


def _claim(regrade: BlindRegrade, by: User) -> BlindRegrade:
    """The re-grade locked for this change, once the policy allows ``by`` and the decision
    is still hidden."""
    locked = BlindRegrade.objects.select_for_update().select_related("programme").get(pk=regrade.pk)
    policy.require(by, CaseAuditAction.REGRADE, locked, "This re-grade is not yours to do.")
    if locked.revealed_at is not None:
        raise InvalidState(ALREADY_REVEALED)
    return locked


def _grant_contact(regrade: BlindRegrade) -> None:
    auditor = regrade.auditor
    assert auditor is not None
    grant_sight(
        reader=auditor,
        source=source_of(regrade.programme),
        record=(CONTACT_LABEL, regrade.contact_id),
        children=[link.person for link in regrade.contact.child_links.select_related("person")],
    )


@transaction.atomic
def grade_blind(*, regrade: BlindRegrade, by: User, level: int, rationale: str) -> BlindRegrade:
    """Set the auditor's blind level and why; the decision is shown from then on."""
    locked = _claim(regrade, by)
    errors: dict[str, str] = {}
    if level not in Level.values:
        errors["level"] = "Select the threshold level you would give this contact"
    if not (rationale or "").strip():
        errors["rationale"] = "Enter why you would give this level"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    locked.level = level
    locked.rationale = rationale.strip()
    locked.graded_at = now
    locked.revealed_at = now
    locked.save(update_fields=["level", "rationale", "graded_at", "revealed_at"])
    _grant_contact(locked)
    return locked


@transaction.atomic
def reveal_without_grading(*, regrade: BlindRegrade, by: User) -> BlindRegrade:
    """Show the auditor the decision without a level of theirs: the contact is then left out
    of the agreement (counted as revealed without grading)."""
    locked = _claim(regrade, by)
    locked.revealed_at = timezone.now()
    locked.save(update_fields=["revealed_at"])
    _grant_contact(locked)
    return locked
