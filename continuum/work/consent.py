"""The work tray's consent sections: for team managers, the reviews due of episodes whose
family withdrew their agreement to early help; for lead professionals, families on their
open episodes whose consent is due to be checked again (``ConsentRecord.review_on``).

Read through early help's and consent's selectors, starting from the episodes the user may
see, so nothing is listed or counted that they may not open.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.urls import reverse

from continuum.access import policy
from continuum.accounts.models import User
from continuum.consent.selectors import current_records
from continuum.early_help import selectors as early_help
from continuum.early_help.choices import ConsentReviewDecision
from continuum.early_help.models import ConsentReview, Episode
from continuum.people.models import HouseholdMember, Person
from continuum.ui.dates import govuk_date
from continuum.work.selectors import DUE_SOON, WorkItem, WorkSection, family_title


def consent_reviews_due(*, user: User, today: date) -> WorkSection:
    """Pending reviews of early help without the family's agreement, in the manager's
    council, soonest due first."""
    council = policy.council_of(user)
    reviews = ConsentReview.objects.none()
    if council is not None:
        reviews = ConsentReview.objects.filter(
            decision=ConsentReviewDecision.PENDING,
            episode__in=policy.visible(user, Episode).filter(council=council),
        ).select_related("episode__household", "withdrawal")
    return WorkSection(
        "consent_reviews",
        "Consent withdrawn: reviews due",
        [
            WorkItem(
                title=family_title(r.episode),
                url=reverse("early_help:consent-review", args=[r.episode_id, r.pk]),
                detail=(
                    f"Agreement to early help withdrawn {govuk_date(r.withdrawal.withdrawn_on)}; "
                    f"decide by {govuk_date(r.due_on)}"
                ),
                due=r.due_on,
                overdue=r.due_on < today,
            )
            for r in reviews
        ],
        empty="No reviews of withdrawn consent are due.",
    )


def consent_checks_due(*, user: User, today: date) -> WorkSection:
    """Families on the user's open episodes with someone's consent due to be checked again
    within four weeks (or overdue): one item per episode, at the earliest date."""
    episodes = list(early_help.episodes_led_by(user=user))
    # The families in two reads for all the episodes (their children; the households'
    # current members), not two per episode: a lead professional may lead hundreds.
    by_id: dict[object, Episode] = {e.pk: e for e in episodes}
    family: dict[object, set[object]] = defaultdict(set)
    links = Episode.children.through.objects.filter(episode_id__in=list(by_id))
    for episode_id, person_id in links.values_list("episode_id", "person_id"):
        family[episode_id].add(person_id)
    of_household: dict[object, list[Episode]] = defaultdict(list)
    for episode in episodes:
        of_household[episode.household_id].append(episode)
    members = HouseholdMember.objects.filter(
        household_id__in=list(of_household), end_date=None
    ).values_list("household_id", "person_id")
    for household_id, person_id in members:
        for episode in of_household[household_id]:
            family[episode.pk].add(person_id)
    by_person: dict[object, list[Episode]] = defaultdict(list)
    for key, people_ids in family.items():
        for pk in people_ids:
            by_person[pk].append(by_id[key])
    due: dict[object, date] = {}
    people = list(Person.objects.filter(pk__in=list(by_person)))
    for record in current_records(people):
        if record.review_on is None or record.review_on > today + DUE_SOON:
            continue
        for episode in by_person[record.person_id]:
            due[episode.pk] = min(due.get(episode.pk, record.review_on), record.review_on)
    return WorkSection(
        "consent_checks",
        "Consent to check again",
        [
            WorkItem(
                title=family_title(e),
                url=reverse("early_help:consent", args=[e.pk]),
                detail=f"Check the family's consent by {govuk_date(due[e.pk])}",
                due=due[e.pk],
                overdue=due[e.pk] < today,
            )
            for e in episodes
            if e.pk in due
        ],
        empty="No family's consent is due to be checked in the next four weeks.",
    )
