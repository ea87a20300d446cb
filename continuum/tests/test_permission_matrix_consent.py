"""The permission matrix for consent (issue 13): permission_matrix.csv's consent rows, one
test per row. Each builds the situation (a person as ``matrix.situations.build_situation``
makes them, with a consent record obtained by a colleague at their council) and checks the
person's Consent tab and the record's page, the API's list and detail, and recording a
withdrawal on the page and by the API. A record the user may not see is 404 everywhere and
never listed; a refused withdrawal saves nothing."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.consent.choices import GivenBy
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.organisations.models import Council
from continuum.testing import factories
from continuum.tests.builders import council_staff
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import CONSENT_ROWS, Row
from continuum.tests.matrix.situations import build_situation


@pytest.mark.parametrize("row", CONSENT_ROWS, ids=[row.id for row in CONSENT_ROWS])
def test_consent_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, person = build_situation(row, stockton, hartlepool)
    colleague = council_staff(
        person.council, username="matrix.consent", role=Role.EARLY_HELP_PRACTITIONER
    )
    record = cast(
        ConsentRecord,
        factories.ConsentRecordFactory(
            person=person,
            given_by=GivenBy.SELF,
            competence_judgement="Understands what early help is and can say no.",
            obtained_by=colleague,
        ),
    )
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    link = reverse("consent:detail", args=[record.pk])
    tab = check.page("consent:person", person.pk)
    check.page("consent:detail", record.pk)
    if (link in tab) != row.expected["search"]:
        check.fail("search", f"the Consent tab {'links' if link in tab else 'does not link'}")
    check.api_detail(f"/api/v1/consent/{record.pk}", record.pk)
    listing = client.get(f"/api/v1/people/{person.pk}/consent")
    if row.expected["view_api"]:
        body: dict[str, Any] = (
            listing.json() if listing.status_code == 200 else {"items": [], "count": 0}
        )
        if listing.status_code != 200:
            check.fail("view_api", f"GET the person's consent -> {listing.status_code}")
        listed = str(record.pk) in {item["id"] for item in body["items"]}
        if listed != row.expected["search"]:
            check.fail("search", f"the API list {'lists' if listed else 'does not list'} it")
        if body["count"] != (1 if row.expected["count"] else 0):
            check.fail("count", f"the API list counts {body['count']}")
    elif listing.status_code != 404:
        check.fail("view_api", f"GET the person's consent -> {listing.status_code}")
    today = timezone.localdate()
    page = client.post(
        reverse("consent:withdraw", args=[record.pk]),
        {
            "withdrawn": ["early_help"],
            "withdrawn_on_day": str(today.day),
            "withdrawn_on_month": str(today.month),
            "withdrawn_on_year": str(today.year),
            "told_how": "phone",
        },
    )
    saved = ConsentWithdrawal.objects.filter(consent=record).exists()
    check.work("work", "POST consent:withdraw", page.status_code, 303, saved)
    ConsentWithdrawal.objects.filter(consent=record).delete()
    api = client.post(
        f"/api/v1/consent/{record.pk}/withdrawals",
        {"withdrawn_on": today.isoformat(), "told_how": "phone", "early_help": True},
        content_type="application/json",
    )
    saved = ConsentWithdrawal.objects.filter(consent=record).exists()
    check.work("work", "POST /api/v1/consent/{id}/withdrawals", api.status_code, 201, saved)
    check.assert_as_expected()


def test_the_matrix_covers_every_role_for_consent() -> None:
    assert {row.role for row in CONSENT_ROWS} == set(Role.values)
    assert {"involved", "involvement_ended"} <= {row.relationship for row in CONSENT_ROWS}
    assert {"listed", "unlisted"} <= {row.restricted for row in CONSENT_ROWS}
