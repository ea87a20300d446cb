"""Each role lands on its own home page, with its organisation in the header."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from continuum.accounts.models import Role
from continuum.organisations.models import OrganisationKind
from continuum.performance.navigation import DASHBOARDS
from continuum.testing import factories
from continuum.tests.pages import does_not_show

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")

HOME_TEMPLATES = {
    Role.FRONT_DOOR_WORKER: "web/home_front_door.html",
    Role.EARLY_HELP_PRACTITIONER: "web/home_practitioner.html",
    Role.TEAM_MANAGER: "web/home_manager.html",
    Role.PARTNER_PRACTITIONER: "web/home_partner.html",
    Role.AUDITOR: "web/home_auditor.html",
    Role.PERFORMANCE_ANALYST: "web/home_analyst.html",
    Role.STRATEGIC_LEAD: "web/home_strategic_lead.html",
    Role.SYSTEM_ADMINISTRATOR: "web/home_admin.html",
    Role.INFORMATION_GOVERNANCE_LEAD: "web/home_information_governance.html",
    Role.SAFEGUARDING_PARTNERSHIP_LEAD: "web/home_safeguarding_partnership.html",
}


def header_organisation(page: str) -> str:
    match = re.search(r'data-testid="header-organisation">([^<]*)<', page)
    assert match, "the header should name the signed-in user's organisation"
    return match.group(1)


def test_every_role_has_its_own_home_page():
    assert set(HOME_TEMPLATES) == set(Role)
    assert len(set(HOME_TEMPLATES.values())) == len(Role)


@pytest.mark.parametrize(("role", "template"), HOME_TEMPLATES.items())
def test_each_role_lands_on_its_own_home_page_with_its_organisation_in_the_header(
    client, make_user, role, template
):
    user = make_user(role)
    client.force_login(user)

    response = client.get(HOME)

    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    page = response.content.decode()
    assert header_organisation(page) == escape(user.organisation.name)
    assert user.get_role_display() in page


def test_a_police_officer_sees_their_force_in_the_header(client, make_user, stockton):
    police = factories.OrganisationFactory.create(
        name="Cleveland Police", kind=OrganisationKind.POLICE, serves=[stockton]
    )
    client.force_login(make_user(Role.PARTNER_PRACTITIONER, organisation=police))
    assert header_organisation(client.get(HOME).content.decode()) == "Cleveland Police"


@pytest.mark.parametrize(
    "name",
    ["Ottoline", "Quill", "Peregrine", "Vane", "Hester", "Brook", "Zanzibar", "Lockwood"],
)
@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.STRATEGIC_LEAD])
def test_analysts_and_strategic_leads_see_numbers_never_names(
    client, make_user, stockton, hartlepool, role, name
):
    factories.PersonFactory.create(council=stockton, given_name="Ottoline", family_name="Quill")
    factories.PersonFactory.create(council=stockton, given_name="Peregrine", family_name="Vane")
    factories.PersonFactory.create(council=hartlepool, given_name="Hester", family_name="Brook")
    factories.PersonFactory.create(
        council=hartlepool, given_name="Zanzibar", family_name="Lockwood", is_restricted=True
    )
    # A fixed name for the signed-in analyst: a random one (say "Brooks") could contain a
    # name the page must not show, and make this test fail by chance.
    client.force_login(make_user(role, council=stockton, first_name="Alex", last_name="Ng"))

    response = client.get(HOME)

    page = response.content.decode()
    assert does_not_show(page, name)
    figures = {row.name: row.people for row in response.context["people_by_council"]["rows"]}
    assert figures["Stockton-on-Tees"] == 2
    assert figures["Hartlepool"] == 1  # the restricted record is not counted
    assert response.context["people_by_council"]["total"].people == 3
    assert 'data-testid="people-by-council"' in page
    assert reverse("people:search") not in page
    assert "involvements" not in response.context


def test_a_front_door_worker_sees_search_and_the_people_they_are_involved_with(
    client, worker, stockton
):
    involved = factories.InvolvementFactory.create(
        user=worker, person=factories.PersonFactory.create(council=stockton, family_name="Ashdown")
    )
    client.force_login(worker)

    page = client.get(HOME).content.decode()

    assert 'action="/people/"' in page
    assert "Ashdown" in page
    assert reverse("people:detail", args=[involved.person.pk]) in page
    assert "Stockton-on-Tees's front door" in page


def test_a_partner_sees_only_people_they_are_still_involved_with(client, make_user, stockton):
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    factories.InvolvementFactory.create(
        user=partner, person=factories.PersonFactory.create(council=stockton, family_name="Current")
    )
    ended = factories.InvolvementFactory.create(
        user=partner, person=factories.PersonFactory.create(council=stockton, family_name="Former")
    )
    ended.ends_at = ended.starts_at
    ended.save()
    client.force_login(partner)

    page = client.get(HOME).content.decode()

    assert "Current" in page
    assert "Former" not in page


def test_a_system_administrator_sees_log_counts_but_no_names(client, make_user, worker, stockton):
    from continuum.audit.models import AccessAction
    from continuum.audit.services import log_access

    person = factories.PersonFactory.create(council=stockton, family_name="Quartermaine")
    request = RequestFactory().get("/")
    log_access(request=request, user=worker, subject_id=person.pk, action=AccessAction.VIEW_RECORD)
    log_access(
        request=request,
        user=worker,
        subject_id=person.pk,
        action=AccessAction.VIEW_RECORD,
        break_glass_reason="Emergency",
    )
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR, council=stockton))

    response = client.get(HOME)

    assert response.context["access_log_summary"] == {
        "reads_today": 2,
        "break_glass_last_7_days": 1,
    }
    page = response.content.decode()
    assert "Quartermaine" not in page
    assert reverse("audit:access-log") in page


def test_the_holding_councils_ig_lead_sees_emergency_access_to_review_and_others_do_not(
    client, worker, manager, analyst, hartlepool, hartlepool_ig_lead
):
    person = factories.PersonFactory.create(council=hartlepool)
    grant = factories.BreakGlassGrantFactory.create(user=worker, person=person)
    review = reverse("audit:break-glass-review", args=[grant.pk])

    client.force_login(hartlepool_ig_lead)
    assert review in client.get(HOME).content.decode()

    # The grantee's manager no longer reviews it (issue 10, finding 12).
    client.force_login(manager)
    assert review not in client.get(HOME).content.decode()

    client.force_login(analyst)
    page = client.get(HOME).content.decode()
    assert review not in page
    assert "Emergency access to review" not in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_performance_section_lists_its_dashboards():
    assert DASHBOARDS, "the performance section should list its dashboards"


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=lambda d: d.url_name)
@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.STRATEGIC_LEAD, Role.TEAM_MANAGER])
def test_dashboard_users_find_every_dashboard_from_home(
    client, make_user, stockton, role, dashboard
):
    client.force_login(make_user(role, council=stockton))
    page = client.get(HOME).content.decode()
    assert "Performance and outcomes" in page
    assert f'href="{reverse("performance:index")}"' in page  # the service navigation
    assert f'href="{reverse(dashboard.url_name)}"' in page


@pytest.mark.parametrize(
    "role", [Role.FRONT_DOOR_WORKER, Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER]
)
def test_case_workers_are_not_offered_the_dashboards(client, make_user, stockton, role):
    client.force_login(make_user(role, council=stockton))
    page = client.get(HOME).content.decode()
    assert "Performance and outcomes" not in page
    assert f'href="{reverse("performance:index")}"' not in page


def test_the_ig_leads_home_counts_requests_due_and_runs_waiting_for_their_approval(
    client, ig_lead, hartlepool_ig_lead, stockton
):
    from datetime import timedelta

    from django.utils import timezone

    from continuum.retention.choices import RunState
    from continuum.retention.models import DisposalRun

    today = timezone.localdate()
    factories.RightsRequestFactory.create(council=stockton, logged_by=ig_lead)
    factories.RightsRequestFactory.create(
        council=stockton,
        logged_by=ig_lead,
        received_on=today - timedelta(days=40),
        due_on=today - timedelta(days=9),
    )
    DisposalRun.objects.create(
        council=stockton,
        as_of=today,
        state=RunState.AWAITING_APPROVAL,
        schedule_version=1,
        listed_by=ig_lead,
    )

    client.force_login(ig_lead)
    response = client.get(HOME)
    assert response.context["rights_requests_open"] == 2
    assert response.context["rights_requests_overdue"] == 1
    assert response.context["disposal_runs_waiting"] == 1
    page = response.content.decode()
    assert reverse("rights:register") in page and reverse("retention:runs") in page

    # Another council's lead counts only their own council's.
    client.force_login(hartlepool_ig_lead)
    response = client.get(HOME)
    assert response.context["rights_requests_open"] == 0
    assert response.context["disposal_runs_waiting"] == 0
