"""Statutory involvement over JSON: recording from the front door's decision to the
conference, bad input answered 422 with nothing saved, who may record and read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.front_door.models import ContactDecision
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_recording_from_the_decision_to_the_conference(
    client: Client, worker: User, decision: ContactDecision
) -> None:
    client.force_login(worker)
    answer = post(client, f"/api/v1/statutory/decisions/{decision.pk}/referrals")
    assert answer.status_code == 201, answer.content
    [referral] = answer.json()
    assert referral["timescales"][0]["kind"] == "assessment"
    assert referral["timescales"][0]["status"] == "Due"

    refused = post(
        client,
        f"/api/v1/statutory/referrals/{referral['id']}/section-47",
        {"start_date": ago(2), "strategy_discussion_date": ago(1)},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "strategy_discussion_date"
    assert not StatutoryInvolvement.objects.filter(kind=InvolvementKind.SECTION_47).exists()

    made = post(
        client,
        f"/api/v1/statutory/referrals/{referral['id']}/section-47",
        {"start_date": ago(2), "strategy_discussion_date": ago(3)},
    )
    assert made.status_code == 201
    enquiry = next(p for p in made.json()["parts"] if p["kind"] == "section_47")
    held = post(
        client,
        f"/api/v1/statutory/enquiries/{enquiry['id']}/conference",
        {"held_on": ago(1), "plan_made": True, "abuse_category": "EMO"},
    )
    assert held.status_code == 201
    icpc = next(t for t in held.json()["timescales"] if t["kind"] == "icpc")
    assert icpc["status"] == "In time"

    before = AccessLogEntry.objects.count()
    read = client.get(f"/api/v1/statutory/people/{decision.contact.children.get().pk}/referrals")
    assert read.status_code == 200 and len(read.json()) == 1
    assert AccessLogEntry.objects.count() == before + 1


def test_who_may_record_and_read(
    client: Client,
    referral: StatutoryInvolvement,
    eh_worker: User,
    teacher: User,
    hartlepool_manager: User,
) -> None:
    url = f"/api/v1/statutory/referrals/{referral.pk}/assessments"
    client.force_login(eh_worker)
    assert client.get(f"/api/v1/statutory/referrals/{referral.pk}").status_code == 200
    assert post(client, url, {"start_date": ago(1)}).status_code == 403
    for user in (teacher, hartlepool_manager):
        client.force_login(user)
        assert client.get(f"/api/v1/statutory/referrals/{referral.pk}").status_code == 404
        assert post(client, url, {"start_date": ago(1)}).status_code == 404
    assert not StatutoryInvolvement.objects.filter(kind=InvolvementKind.ASSESSMENT).exists()


def test_the_breached_timescales_list_logs_one_row_with_the_children_shown(
    client: Client, worker: User, teacher: User, stockton: Council, child: Person
) -> None:
    old = cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(
            council=stockton, person=child, start_date=timezone.localdate() - timedelta(days=120)
        ),
    )
    client.force_login(worker)
    before = AccessLogEntry.objects.count()
    answer = client.get("/api/v1/statutory/timescales", {"limit": 10})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["person_id"] == str(child.pk) and item["referral_id"] == str(old.pk)
    assert item["timescale"]["kind"] == "assessment"
    assert item["timescale"]["status"] == "Overdue"
    assert AccessLogEntry.objects.count() == before + 1
    assert AccessLogEntry.objects.latest("pk").result_count == 1
    assert client.get("/api/v1/statutory/timescales", {"limit": 500}).status_code == 422
    client.force_login(teacher)
    assert client.get("/api/v1/statutory/timescales").status_code == 403
