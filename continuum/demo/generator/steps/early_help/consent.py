"""The family's agreement to early help for the demo's episodes, as opening an episode asks
(docs/consent-in-early-help.md): each adult at home agrees for themselves, to early help
and to sharing with the whole Team Around the Family, on the day the episode opens, to be
checked again six months on; a family with no adult at home goes ahead on a lawful basis.
Used by the episodes step and by the five-year history (bulk rows, with or without
history)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from continuum.accounts.models import User
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.early_help.choices import ConsentGround
from continuum.front_door.choices import LawfulBasis
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.timescales.months import add_months

SHARED = [InformationKind.FAMILY, InformationKind.EDUCATION, InformationKind.HEALTH]
CHECK_AFTER_MONTHS = 6
WITHOUT_ADULTS = (
    "No adult lives with the children; their welfare needs support now (a young carer's household)."
)


def agreement_rows(
    *,
    new_id: Callable[[], Any],
    family: Sequence[Person],
    council: Council,
    by: User,
    on: date,
    at: datetime,
) -> tuple[list[ConsentRecord], dict[str, str]]:
    """The consent records to write, and the episode's consent fields."""
    adults = [p for p in family if p.kind == PersonKind.ADULT][:2]
    if not adults or by.organisation is None:
        return [], {
            "consent_ground": ConsentGround.LAWFUL_BASIS,
            "lawful_basis": LawfulBasis.PUBLIC_TASK,
            "lawful_basis_justification": WITHOUT_ADULTS,
        }
    records = [
        ConsentRecord(
            id=new_id(),
            person=adult,
            council=council,
            given_by=GivenBy.SELF,
            agrees_to_early_help=True,
            shares_with_taf=True,
            information_kinds=list(SHARED),
            obtained_how=ObtainedHow.SIGNED_FORM,
            obtained_on=on,
            obtained_by=by,
            obtained_by_organisation=by.organisation,
            review_on=add_months(on, CHECK_AFTER_MONTHS),
            recorded_by=by,
            recorded_at=at,
        )
        for adult in adults
    ]
    return records, {"consent_ground": ConsentGround.AGREEMENT}
