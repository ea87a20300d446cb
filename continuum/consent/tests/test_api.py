"""The consent API: a person's records (paged), recording one, one record with its
withdrawals, recording a withdrawal; 422 by field and 409 for withdrawing twice, each
changing nothing; 404/403 by the policy; one access-log row per read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.consent import services
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.organisations.models import Organisation
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def _body(mother: Person, school: Organisation, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "given_by": "parent",
        "given_by_person": str(mother.pk),
        "agrees_to_early_help": True,
        "agencies": [school.pk],
        "information_kinds": ["family", "education"],
        "obtained_how": "signed_form",
        "obtained_on": timezone.localdate().isoformat(),
    }
    body.update(changes)
    return body


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _record(by: User, child: Person, mother: Person, school: Organisation) -> ConsentRecord:
    return services.record_consent(
        by=by,
        person=child,
        given_by=GivenBy.PARENT,
        given_by_person=mother,
        agrees_to_early_help=True,
        shares_with_taf=False,
        agencies=[school],
        information_kinds=[InformationKind.EDUCATION],
        obtained_how=ObtainedHow.IN_PERSON,
        obtained_on=timezone.localdate() - timedelta(days=7),
    )


def test_recording_then_reading_consent(
    client: Client, eh_worker: User, child: Person, mother: Person, school: Organisation
) -> None:
    client.force_login(eh_worker)
    url = f"/api/v1/people/{child.pk}/consent"
    created = _post(client, url, _body(mother, school))
    assert created.status_code == 201, created.content
    record = ConsentRecord.objects.get()
    assert created.json()["id"] == str(record.pk)
    assert created.json()["agencies"] == [school.pk]
    before = AccessLogEntry.objects.count()
    listed = client.get(url)
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert listed.json()["items"][0]["given_by_person"] == str(mother.pk)
    one = client.get(f"/api/v1/consent/{record.pk}")
    assert one.status_code == 200
    assert one.json()["withdrawals"] == []
    rows = AccessLogEntry.objects.order_by("id")[before:]
    assert [(r.subject_id, r.action) for r in rows] == [(child.pk, AccessAction.API_READ)] * 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"obtained_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "obtained_on"),
        ({"given_by": "self", "given_by_person": None}, "competence_judgement"),
        ({"agencies": [987654]}, "agencies"),
        ({"information_kinds": ["shoe_size"]}, "information_kinds"),
        ({"review_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, "review_on"),
        ({"obtained_on": "yesterday"}, "obtained_on"),
    ],
    ids=["future", "no-judgement", "unknown-agency", "unknown-kind", "review-before", "not-a-date"],
)
def test_bad_consent_is_422_at_its_field_and_saves_nothing(
    client: Client,
    eh_worker: User,
    child: Person,
    mother: Person,
    school: Organisation,
    changes: dict[str, Any],
    field: str,
) -> None:
    client.force_login(eh_worker)
    response = _post(client, f"/api/v1/people/{child.pk}/consent", _body(mother, school, **changes))
    assert response.status_code == 422, response.content
    assert field in {entry["loc"][-1] for entry in response.json()["detail"]}
    assert not ConsentRecord.objects.exists()


def test_an_adult_given_by_a_parent_is_422(
    client: Client, eh_worker: User, mother: Person, father: Person, school: Organisation
) -> None:
    client.force_login(eh_worker)
    body = _body(father, school)
    response = _post(client, f"/api/v1/people/{mother.pk}/consent", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "given_by"
    assert not ConsentRecord.objects.exists()


def test_withdrawing_then_withdrawing_again_is_409(
    client: Client, eh_worker: User, child: Person, mother: Person, school: Organisation
) -> None:
    record = _record(eh_worker, child, mother, school)
    client.force_login(eh_worker)
    url = f"/api/v1/consent/{record.pk}/withdrawals"
    body = {"withdrawn_on": timezone.localdate().isoformat(), "told_how": "phone"}
    withdrawn = _post(client, url, {**body, "agencies": [school.pk]})
    assert withdrawn.status_code == 201, withdrawn.content
    assert withdrawn.json()["agencies"] == [school.pk]
    again = _post(client, url, {**body, "agencies": [school.pk]})
    assert again.status_code == 409
    assert "already withdrawn" in again.json()["detail"]
    assert ConsentWithdrawal.objects.count() == 1
    one = client.get(f"/api/v1/consent/{record.pk}").json()
    assert [w["id"] for w in one["withdrawals"]] == [withdrawn.json()["id"]]


def test_a_bad_withdrawal_is_422_and_saves_nothing(
    client: Client, eh_worker: User, child: Person, mother: Person, school: Organisation
) -> None:
    record = _record(eh_worker, child, mother, school)
    client.force_login(eh_worker)
    response = _post(
        client,
        f"/api/v1/consent/{record.pk}/withdrawals",
        {
            "withdrawn_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "told_how": "phone",
            "taf_sharing": True,
        },
    )
    assert response.status_code == 422
    fields = {entry["loc"][-1] for entry in response.json()["detail"]}
    assert fields == {"withdrawn_on", "taf_sharing"}
    assert not ConsentWithdrawal.objects.exists()


def test_others_get_404_and_those_who_see_but_do_not_work_get_403(
    client: Client,
    eh_worker: User,
    hartlepool_manager: User,
    child: Person,
    mother: Person,
    school: Organisation,
    make_user: Any,
    stockton: Any,
) -> None:
    record = _record(eh_worker, child, mother, school)
    client.force_login(hartlepool_manager)
    assert client.get(f"/api/v1/people/{child.pk}/consent").status_code == 404
    assert client.get(f"/api/v1/consent/{record.pk}").status_code == 404
    body = {
        "withdrawn_on": timezone.localdate().isoformat(),
        "told_how": "phone",
        "early_help": True,
    }
    assert _post(client, f"/api/v1/consent/{record.pk}/withdrawals", body).status_code == 404
    auditor = make_user("auditor", council=stockton)
    factories.InvolvementFactory(user=auditor, person=child)
    client.force_login(auditor)
    assert client.get(f"/api/v1/consent/{record.pk}").status_code == 200
    assert _post(client, f"/api/v1/consent/{record.pk}/withdrawals", body).status_code == 403
    assert (
        _post(client, f"/api/v1/people/{child.pk}/consent", _body(mother, school)).status_code
        == 403
    )
    assert not ConsentWithdrawal.objects.exists()
    assert ConsentRecord.objects.count() == 1
