"""Issue 10, finding 12: the holding council's information governance lead reviews
emergency access (not the grantee's manager, never the grantee) and can revoke it; revoking
ends access on the next request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.access import policy
from continuum.access.models import BreakGlassGrant
from continuum.accounts.models import Role
from continuum.audit.services import review_break_glass
from continuum.errors import InvalidState, NotPermitted
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(worker: Any, hartlepool: Any) -> BreakGlassGrant:
    """Stockton's front-door worker broke the glass on a Hartlepool child's record."""
    person = factories.PersonFactory.create(council=hartlepool)
    return factories.BreakGlassGrantFactory.create(user=worker, person=person)


def url(grant: BreakGlassGrant) -> str:
    return reverse("audit:break-glass-review", args=[grant.pk])


def test_the_holding_councils_lead_reviews_it(
    client: Client, hartlepool_ig_lead: Any, grant: BreakGlassGrant
) -> None:
    client.force_login(hartlepool_ig_lead)
    assert client.get(url(grant)).status_code == 200
    response = client.post(
        url(grant), {"note": "Justified: police call at night.", "outcome": "keep"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == hartlepool_ig_lead
    assert grant.revoked_at is None


@pytest.mark.parametrize("who", ["manager", "ig_lead", "admin", "grantee"])
def test_nobody_else_reviews_it(
    client: Client, who: str, manager: Any, ig_lead: Any, make_user: Any, grant: BreakGlassGrant
) -> None:
    """Not the grantee's manager any more, nor the grantee's own council's lead, nor an
    administrator, and never the grantee."""
    reviewer = {
        "manager": manager,
        "ig_lead": ig_lead,
        "admin": make_user(Role.SYSTEM_ADMINISTRATOR),
        "grantee": grant.user,
    }[who]
    client.force_login(reviewer)
    assert client.get(url(grant)).status_code == 404
    assert client.post(url(grant), {"note": "Fine", "outcome": "revoke"}).status_code == 404
    grant.refresh_from_db()
    assert grant.reviewed_at is None and grant.revoked_at is None


def test_the_grantee_cannot_review_even_as_the_holding_councils_lead(
    hartlepool: Any, make_user: Any
) -> None:
    lead = make_user(Role.INFORMATION_GOVERNANCE_LEAD, council=hartlepool)
    person = factories.PersonFactory.create(council=hartlepool)
    own = factories.BreakGlassGrantFactory.create(user=lead, person=person)
    with pytest.raises(NotPermitted):
        review_break_glass(grant=own, reviewer=lead, note="All fine")


def test_revoking_ends_access_on_the_next_request(
    client: Client, hartlepool_ig_lead: Any, grant: BreakGlassGrant
) -> None:
    grantee = Client()
    grantee.force_login(grant.user)
    person_url = reverse("people:detail", args=[grant.person_id])
    api_url = f"/api/v1/people/{grant.person_id}"
    assert grantee.get(person_url).status_code == 200
    assert grantee.get(api_url).status_code == 200

    client.force_login(hartlepool_ig_lead)
    response = client.post(
        url(grant), {"note": "No reason to see this child's record.", "outcome": "revoke"}
    )
    assert response.status_code == 302

    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == hartlepool_ig_lead
    assert grant.reviewed_by == hartlepool_ig_lead
    assert grantee.get(person_url).status_code == 404
    assert grantee.get(api_url).status_code == 404
    assert not policy.visible(grant.user, Person).filter(pk=grant.person_id).exists()


def test_revoking_needs_a_note_and_changes_nothing_without_one(
    client: Client, hartlepool_ig_lead: Any, grant: BreakGlassGrant
) -> None:
    client.force_login(hartlepool_ig_lead)
    response = client.post(url(grant), {"note": "", "outcome": "revoke"})
    assert response.status_code == 200
    assert "Enter what you found" in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_at is None and grant.reviewed_at is None


def test_an_expired_grant_can_be_reviewed_but_not_revoked(
    hartlepool_ig_lead: Any, grant: BreakGlassGrant
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from continuum.audit.services import revoke_break_glass

    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - timedelta(hours=5),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    grant.refresh_from_db()
    with pytest.raises(InvalidState, match="already ended"):
        revoke_break_glass(grant=grant, reviewer=hartlepool_ig_lead, note="Too late")


def test_the_lead_cannot_open_the_record_itself(
    client: Client, hartlepool_ig_lead: Any, grant: BreakGlassGrant
) -> None:
    client.force_login(hartlepool_ig_lead)
    assert client.get(reverse("people:detail", args=[grant.person_id])).status_code in (403, 404)


def test_reads_after_a_revocation_are_not_counted_under_the_grant(
    record_read: Any, hartlepool_ig_lead: Any, grant: BreakGlassGrant
) -> None:
    from continuum.audit.selectors import access_under_break_glass
    from continuum.audit.services import revoke_break_glass

    record_read(grant.user, grant.person_id, break_glass_reason=grant.reason)
    revoke_break_glass(grant=grant, reviewer=hartlepool_ig_lead, note="Not needed any more.")
    grant.refresh_from_db()
    # A read recorded afterwards (it could not happen through the policy) is not under it.
    record_read(grant.user, grant.person_id)
    assert access_under_break_glass(grant=grant).count() == 1
