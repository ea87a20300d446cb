"""Reviewing emergency (break-glass) access: who may (the information governance lead of the
council holding the record, since issue 10 finding 12), what they see, and what it records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from continuum.access.models import BreakGlassGrant
from continuum.accounts.models import Role
from continuum.audit.models import AccessAction
from continuum.audit.services import review_break_glass
from continuum.errors import InvalidState, NotPermitted
from continuum.testing import factories
from continuum.ui.dates import govuk_datetime

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(worker, hartlepool):
    """Stockton's front-door worker broke the glass on a Hartlepool child's record."""
    person = factories.PersonFactory.create(council=hartlepool, family_name="Quartermaine-Zebedee")
    return factories.BreakGlassGrantFactory.create(
        user=worker,
        person=person,
        reason="Police called at 2am about a child found alone; records needed tonight.",
    )


def url(grant: BreakGlassGrant) -> str:
    return reverse("audit:break-glass-review", args=[grant.pk])


def test_the_holding_councils_ig_lead_sees_who_when_why_and_until_when(
    client, hartlepool_ig_lead, grant
):
    client.force_login(hartlepool_ig_lead)

    response = client.get(url(grant))

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(str(grant.user)) in page  # names like O'Brien are escaped in HTML
    assert "frontdoor.stockton" in page
    assert "Police called at 2am about a child found alone" in page
    assert govuk_datetime(grant.granted_at) in page
    assert govuk_datetime(grant.expires_at) in page
    assert "Still active" in page
    assert str(grant.person_id) in page
    assert "Quartermaine-Zebedee" not in page  # the record is named by id, not by name
    assert "Record the review" in page


def test_a_system_administrator_no_longer_reviews_grants(client, make_user, grant, hartlepool):
    """Issue 10, finding 12: the holding council's information governance lead reviews."""
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, council=hartlepool)
    client.force_login(admin)
    assert client.get(url(grant)).status_code == 404


def test_a_manager_from_another_organisation_gets_404(client, hartlepool_manager, grant):
    client.force_login(hartlepool_manager)
    assert client.get(url(grant)).status_code == 404
    response = client.post(url(grant), {"note": "Looked into it"})
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.reviewed_at is None


@pytest.mark.parametrize(
    "role",
    [
        Role.FRONT_DOOR_WORKER,
        Role.EARLY_HELP_PRACTITIONER,
        Role.TEAM_MANAGER,  # the grantee's manager no longer reviews (finding 12)
        Role.INFORMATION_GOVERNANCE_LEAD,  # of the grantee's council, not the holding one
        Role.PARTNER_PRACTITIONER,
        Role.AUDITOR,
        Role.PERFORMANCE_ANALYST,
        Role.STRATEGIC_LEAD,
    ],
)
def test_other_roles_get_404(client, make_user, stockton, grant, role):
    client.force_login(make_user(role, council=stockton))
    assert client.get(url(grant)).status_code == 404


def test_the_holder_of_a_grant_cannot_review_it(client, grant):
    grant.user.role = Role.TEAM_MANAGER
    grant.user.save()
    client.force_login(grant.user)
    assert client.get(url(grant)).status_code == 404
    with pytest.raises(NotPermitted, match="your own emergency access"):
        review_break_glass(grant=grant, reviewer=grant.user, note="All fine")


def test_a_missing_grant_is_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("audit:break-glass-review", args=[999999])).status_code == 404


def test_shows_how_many_reads_happened_under_the_grant_by_request(
    client, manager, hartlepool_ig_lead, grant, record_read
):
    record_read(grant.user, grant.person_id, break_glass_reason=grant.reason)
    record_read(
        grant.user,
        grant.person_id,
        action=AccessAction.VIEW_CHRONOLOGY,
        break_glass_reason=grant.reason,
    )
    # Not under the grant: someone else's read, and a read of another record.
    record_read(manager, grant.person_id)
    record_read(grant.user, factories.PersonFactory.create().pk)
    client.force_login(hartlepool_ig_lead)

    response = client.get(url(grant))

    assert response.context["read_count"] == 2
    assert len(response.context["reads_by_request"]) == 2
    assert "read 2 times under this access, in 2 requests" in response.content.decode()


def test_recording_a_review_needs_a_note(client, hartlepool_ig_lead, grant):
    client.force_login(hartlepool_ig_lead)

    response = client.post(url(grant), {"note": "   "})

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#id_note"' in page
    assert "Enter what you found when you reviewed this access" in page
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_recording_a_review_sets_who_when_and_the_note_and_clears_it_from_home(
    client, hartlepool_ig_lead, grant
):
    client.force_login(hartlepool_ig_lead)
    home = client.get(reverse("web:home")).content.decode()
    assert url(grant) in home

    response = client.post(url(grant), {"note": "Justified: the child was found alone."})

    assert response.status_code == 302
    assert response["Location"] == reverse("audit:information-governance")
    grant.refresh_from_db()
    assert grant.reviewed_by == hartlepool_ig_lead
    assert grant.revoked_at is None  # left to run its course
    assert grant.reviewed_at is not None
    assert timezone.now() - grant.reviewed_at < timedelta(minutes=1)
    assert grant.review_note == "Justified: the child was found alone."
    review_page = client.get(response["Location"]).content.decode()
    assert "review is recorded" in review_page
    home = client.get(reverse("web:home")).content.decode()
    assert url(grant) not in home
    assert "There is no emergency access waiting for review." in home


def test_a_reviewed_grant_shows_its_review_and_cannot_be_reviewed_again(
    client, hartlepool_ig_lead, make_user, hartlepool, grant
):
    review_break_glass(grant=grant, reviewer=hartlepool_ig_lead, note="Checked with the worker.")
    second = make_user(Role.INFORMATION_GOVERNANCE_LEAD, council=hartlepool)
    client.force_login(second)

    page = client.get(url(grant)).content.decode()
    assert "Checked with the worker." in page
    assert "Record the review" not in page

    client.post(url(grant), {"note": "Overwrite the first review"})
    grant.refresh_from_db()
    assert grant.reviewed_by == hartlepool_ig_lead
    assert grant.review_note == "Checked with the worker."
    with pytest.raises(InvalidState, match="already been reviewed"):
        review_break_glass(grant=grant, reviewer=second, note="Again")


def test_home_lists_only_grants_to_the_leads_own_councils_records(
    client, manager, ig_lead, hartlepool_manager, hartlepool_ig_lead, grant
):
    for other in (hartlepool_manager, manager, ig_lead):
        client.force_login(other)
        assert url(grant) not in client.get(reverse("web:home")).content.decode()
    client.force_login(hartlepool_ig_lead)
    assert url(grant) in client.get(reverse("web:home")).content.decode()


def test_a_review_is_logged_for_security(hartlepool_ig_lead, grant, caplog):
    with caplog.at_level("INFO", logger="continuum.security"):
        review_break_glass(grant=grant, reviewer=hartlepool_ig_lead, note="Checked.")
    assert any("reviewed" in record.getMessage() for record in caplog.records)
