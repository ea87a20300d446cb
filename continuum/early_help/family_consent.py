"""The family's consent as early help's pages and API show it: for each family member, their
current consent (what they agreed to now, with what they withdrew) or that none is
recorded; the episode's lawful basis; the manager's review of a withdrawal.

Reads only: what may be done about consent is the consent app's (each person's Consent
tab), and what follows from a withdrawal is ``services.withdrawal``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from continuum.consent.selectors import Standing, current_records, standing_of
from continuum.early_help.choices import ConsentReviewDecision
from continuum.early_help.models import ConsentReview, Episode
from continuum.early_help.services.consent import family_members
from continuum.organisations.models import Organisation
from continuum.people.models import Person


@dataclass(frozen=True)
class MemberConsent:
    person: Person
    standing: Standing | None

    @property
    def early_help(self) -> str:
        if self.standing is None:
            return "No consent recorded"
        if self.standing.early_help_withdrawn:
            return "Withdrawn"
        return "Agreed" if self.standing.early_help else "Not agreed"

    @property
    def sharing(self) -> str:
        """Who they agree information may be shared with, in words."""
        if self.standing is None:
            return ""
        parts = []
        if self.standing.taf:
            parts.append("the whole Team Around the Family")
        names = sorted(o.name for o in Organisation.objects.filter(pk__in=self.standing.agencies))
        parts.extend(names)
        return ", ".join(parts) if parts else "Nobody"

    @property
    def review_on(self) -> date | None:
        return self.standing.record.review_on if self.standing else None

    @property
    def review_due(self) -> bool:
        review_on = self.review_on
        return review_on is not None and review_on <= timezone.localdate()


def consent_of(people: Sequence[Person]) -> list[MemberConsent]:
    """Each person's current consent (``None`` when none is recorded), in the order given."""
    records = {r.person_id: r for r in current_records(people)}
    return [
        MemberConsent(person=p, standing=standing_of(records[p.pk]) if p.pk in records else None)
        for p in people
    ]


def family_consent(episode: Episode) -> list[MemberConsent]:
    return consent_of(family_members(episode.household, list(episode.children.all())))


def pending_review(episode: Episode) -> ConsentReview | None:
    return episode.consent_reviews.filter(decision=ConsentReviewDecision.PENDING).first()


def reviews_of(episode: Episode) -> list[ConsentReview]:
    return list(
        episode.consent_reviews.select_related("withdrawal", "decided_by").order_by(
            "-created_at", "-pk"
        )
    )
