"""The permission matrix for a manager's review of early help without the family's agreement
(issue 13): permission_matrix.csv's consent_review rows, one test per row. Each builds the
episode as the episode rows do (``matrix.situations.build_episode``), with the family's
agreement to early help withdrawn and a review due, and checks the review's page, its API
detail and deciding it over the API. A review the user may not see is 404; a refused
decision saves nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.consent.choices import GivenBy, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.early_help.models import ConsentReview, Episode
from continuum.front_door.choices import LawfulBasis
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import CONSENT_REVIEW_ROWS, Row
from continuum.tests.matrix.situations import build_episode


def _review_of(episode: Episode, child: Person) -> ConsentReview:
    """The child's agreement to early help, withdrawn today, and the review now due."""
    by = episode.opened_by
    assert by.organisation is not None
    today = timezone.localdate()
    record = ConsentRecord.objects.create(
        person=child,
        council=episode.council,
        given_by=GivenBy.SELF,
        competence_judgement="Fifteen, and understands what early help involves.",
        agrees_to_early_help=True,
        shares_with_taf=True,
        information_kinds=["family"],
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=today,
        obtained_by=by,
        obtained_by_organisation=by.organisation,
        recorded_by=by,
    )
    withdrawal = ConsentWithdrawal.objects.create(
        consent=record,
        withdrawn_on=today,
        early_help=True,
        told_how=ObtainedHow.PHONE,
        recorded_by=by,
    )
    return ConsentReview.objects.create(episode=episode, withdrawal=withdrawal, due_on=today)


@pytest.mark.parametrize("row", CONSENT_REVIEW_ROWS, ids=[row.id for row in CONSENT_REVIEW_ROWS])
def test_consent_review_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, episode, child = build_episode(row, stockton, hartlepool)
    review = _review_of(episode, child)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)

    url = reverse("early_help:consent-review", args=[episode.pk, review.pk])
    status = client.get(url).status_code
    if status != (200 if row.expected["view_page"] else 404):
        check.fail("view_page", f"GET {url} -> {status}")

    api = f"/api/v1/episodes/{episode.pk}/consent-reviews/{review.pk}"
    response = client.get(api)
    if response.status_code != (200 if row.expected["view_api"] else 404):
        check.fail("view_api", f"GET {api} -> {response.status_code}")
    elif row.expected["view_api"] and response.json()["id"] != review.pk:
        check.fail("view_api", f"GET {api} answered another review")

    decided = client.post(
        f"{api}/decision",
        {
            "decision": "continue",
            "lawful_basis": LawfulBasis.PUBLIC_TASK,
            "justification": "The children's attendance is falling week by week.",
        },
        content_type="application/json",
    )
    review.refresh_from_db()
    check.work("decide", f"POST {api}/decision", decided.status_code, 200, not review.is_pending)
    check.assert_as_expected()
