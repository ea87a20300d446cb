"""The permission matrix for early help spending returns (issue 15): for each role, of
Stockton's children's services (own council) or Hartlepool's (other), the return's page and
API detail (view), changing it (edit) and signing it off (sign_off). A council's team
managers, analysts and strategic leads see and change their own council's draft; only its
strategic lead (who did not submit it) signs it off; the partnership lead reads submitted
returns of the councils it serves; everyone else 404 (or 403 on an action page they may
not use at all). A refused change saves nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.spending.choices import ReturnStatus
from continuum.spending.models import SpendAmount, SpendingReturn
from continuum.spending.services.returns import current_financial_year
from continuum.testing import factories
from continuum.tests.builders import a_user

# role, council: (view a draft, edit a draft, view a submitted one, sign a submitted one off)
MATRIX = [
    (Role.TEAM_MANAGER, "own", True, True, True, False),
    (Role.PERFORMANCE_ANALYST, "own", True, True, True, False),
    (Role.STRATEGIC_LEAD, "own", True, True, True, True),
    (Role.TEAM_MANAGER, "other", False, False, False, False),
    (Role.PERFORMANCE_ANALYST, "other", False, False, False, False),
    (Role.STRATEGIC_LEAD, "other", False, False, False, False),
    (Role.FRONT_DOOR_WORKER, "own", False, False, False, False),
    (Role.EARLY_HELP_PRACTITIONER, "own", False, False, False, False),
    (Role.AUDITOR, "own", False, False, False, False),
    (Role.INFORMATION_GOVERNANCE_LEAD, "own", False, False, False, False),
    (Role.SYSTEM_ADMINISTRATOR, "own", False, False, False, False),
    (Role.SAFEGUARDING_PARTNERSHIP_LEAD, "partnership", False, False, True, False),
]


def _user(role: str, where: str, stockton: Council, hartlepool: Council) -> User:
    if where == "partnership":
        organisation = factories.safeguarding_partnership()
    else:
        organisation = factories.council_services(stockton if where == "own" else hartlepool)
    return a_user(username=f"matrix.{role}.{where}", role=role, organisation=organisation)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "where", "view", "edit", "view_submitted", "sign_off"),
    MATRIX,
    ids=[f"{row[0]}-{row[1]}" for row in MATRIX],
)
def test_spending_returns_permission_matrix(
    role: str,
    where: str,
    view: bool,
    edit: bool,
    view_submitted: bool,
    sign_off: bool,
    stockton: Council,
    hartlepool: Council,
) -> None:
    year = current_financial_year() - 1
    heading = factories.council_category(stockton)
    draft = SpendingReturn.objects.create(council=stockton, financial_year=year)
    submitter = a_user(
        username="matrix.submitter",
        role=Role.PERFORMANCE_ANALYST,
        organisation=factories.council_services(stockton),
    )
    submitted = SpendingReturn.objects.create(
        council=stockton,
        financial_year=year - 1,
        status=ReturnStatus.SUBMITTED,
        submitted_by=submitter,
    )
    SpendAmount.objects.create(
        spending_return=submitted, council_category=heading, funding_source="council", amount=5
    )
    client = Client()
    client.force_login(_user(role, where, stockton, hartlepool))
    failures = []

    def expect(
        what: str, status: int, allowed: bool, ok: int = 200, denied: tuple = (403, 404)
    ) -> None:
        if (status == ok) != allowed or (not allowed and status not in denied):
            failures.append(f"{what}: {status}")

    expect("page", client.get(reverse("spending:return", args=[draft.pk])).status_code, view)
    expect("api", client.get(f"/api/v1/spending/returns/{draft.pk}").status_code, view)
    expect(
        "page submitted",
        client.get(reverse("spending:return", args=[submitted.pk])).status_code,
        view_submitted,
    )
    expect(
        "api submitted",
        client.get(f"/api/v1/spending/returns/{submitted.pk}").status_code,
        view_submitted,
    )
    put = client.put(
        f"/api/v1/spending/returns/{draft.pk}",
        {
            "version": 1,
            "amounts": [{"heading": heading.code, "funding_source": "council", "amount": 9}],
        },
        content_type="application/json",
    )
    expect("edit api", put.status_code, edit, denied=(403, 404))
    page = client.get(reverse("spending:edit_return", args=[draft.pk]))
    expect("edit page", page.status_code, edit, denied=(403, 404))
    signed = client.post(
        f"/api/v1/spending/returns/{submitted.pk}/sign-off",
        {"version": 1},
        content_type="application/json",
    )
    expect("sign off", signed.status_code, sign_off, denied=(403, 404))
    if not edit:
        assert not draft.amounts.exists()
    if not sign_off:
        submitted.refresh_from_db()
        assert submitted.status == ReturnStatus.SUBMITTED
    assert not failures, failures
