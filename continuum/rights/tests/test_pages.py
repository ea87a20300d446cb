"""The register's pages and API: the list (overdue first, filters), finding the person (an
exact match, logged as a search, showing only what is needed to pick them), logging a
request, and the refusal of a request about a person the requester may not see, which the
register records for the information governance lead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.rights.choices import RequestState
from continuum.rights.models import RefusedAttempt, RightsRequest
from continuum.testing import factories

pytestmark = pytest.mark.django_db
REGISTER = reverse("rights:register")
NEW = reverse("rights:new")
API = "/api/v1/rights-requests"


def _rights_request(**fields: Any) -> RightsRequest:
    return cast(RightsRequest, factories.RightsRequestFactory(**fields))


def _request_body(person: Person, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body = {
        "person": str(person.pk),
        "kind": "subject_access",
        "requester_name": "Morwenna Quarrington",
        "requester_kind": "parent_or_carer",
        "received_on_day": today.day,
        "received_on_month": today.month,
        "received_on_year": today.year,
    }
    body.update(overrides)
    return body


def test_the_register_lists_overdue_first_and_filters(
    ig_lead: User, family: dict[str, Person], client: Client
) -> None:
    today = timezone.localdate()
    _rights_request(
        council=family["child"].council,
        person=family["child"],
        logged_by=ig_lead,
        kind="erasure",
        received_on=today,
        due_on=today + timedelta(days=30),
    )
    overdue = _rights_request(
        council=family["child"].council,
        person=family["brother"],
        logged_by=ig_lead,
        received_on=today - timedelta(days=45),
        due_on=today - timedelta(days=14),
    )
    client.force_login(ig_lead)
    whole = client.get(REGISTER).content.decode()
    page = whole[whole.index('data-testid="register"') :]
    assert page.index("Overdue") < page.index("Erasure")
    assert page.index(reverse("rights:detail", args=[overdue.pk])) < page.index("Erasure")
    only_erasure = client.get(REGISTER, {"kind": "erasure"}).content.decode()
    assert "Erasure" in only_erasure and str(overdue.pk) not in only_erasure
    closed = client.get(REGISTER, {"state": RequestState.COMPLETED}).content.decode()
    assert "No requests match the filters" in closed
    listed = client.get(API, {"state": "open"}).json()
    assert listed["count"] == 2 and listed["items"][0]["id"] == str(overdue.pk)
    assert listed["items"][0]["overdue"] is True


def test_finding_the_person_is_an_exact_match_logged_as_a_search(
    ig_lead: User, family: dict[str, Person], hartlepool: Council, client: Client
) -> None:
    child = family["child"]
    assert child.date_of_birth is not None
    factories.PersonFactory(
        council=hartlepool,
        given_name="Elowen",
        family_name="Quarrington",
        date_of_birth=child.date_of_birth,
    )
    client.force_login(ig_lead)
    dob = child.date_of_birth
    found = client.post(
        reverse("rights:find"),
        {
            "full_name": "  elowen QUARRINGTON ",
            "date_of_birth_day": dob.day,
            "date_of_birth_month": dob.month,
            "date_of_birth_year": dob.year,
        },
    ).content.decode()
    assert "1 match" in found and f"?person={child.pk}" in found
    assert child.nhs_number and child.nhs_number not in found and child.nhs_number[-4:] in found
    entry = AccessLogEntry.objects.get(action=AccessAction.SEARCH, user=ig_lead)
    assert list(ShownRecord.objects.filter(entry=entry).values_list("subject_id", flat=True)) == [
        child.pk
    ]
    # A near miss (the first name alone) finds no one.
    none = client.post(
        reverse("rights:find"),
        {
            "full_name": "Elowen",
            "date_of_birth_day": dob.day,
            "date_of_birth_month": dob.month,
            "date_of_birth_year": dob.year,
        },
    ).content.decode()
    assert "0 matches" in none
    two_words = cast(
        Person,
        factories.PersonFactory(
            council=child.council,
            given_name="Anna",
            middle_names="Maria",
            family_name="van der Berg",
            date_of_birth=dob,
        ),
    )
    for asked in ("Anna van der Berg", "anna maria VAN DER BERG"):
        page = client.post(
            reverse("rights:find"),
            {
                "full_name": asked,
                "date_of_birth_day": dob.day,
                "date_of_birth_month": dob.month,
                "date_of_birth_year": dob.year,
            },
        ).content.decode()
        assert f"?person={two_words.pk}" in page, asked
    bad = client.post(reverse("rights:find"), {"full_name": "Elowen Quarrington"})
    assert bad.status_code == 400 and "Enter their date of birth" in bad.content.decode()


def test_case_staff_log_a_request_from_the_persons_page(
    worker: User, family: dict[str, Person], client: Client
) -> None:
    client.force_login(worker)
    summary = client.get(reverse("people:detail", args=[family["child"].pk])).content.decode()
    assert f"{NEW}?person={family['child'].pk}" in summary
    form = client.get(NEW, {"person": str(family["child"].pk)})
    assert form.status_code == 200
    bad = client.post(NEW, _request_body(family["child"], requester_name=""))
    assert bad.status_code == 400 and "Enter the name of who asked" in bad.content.decode()
    assert not RightsRequest.objects.exists()
    done = client.post(NEW, _request_body(family["child"]))
    logged = RightsRequest.objects.get()
    assert done.status_code == 303 and done["Location"] == reverse(
        "rights:detail", args=[logged.pk]
    )
    assert client.get(done["Location"]).status_code == 200
    # Case staff do not run the register.
    assert client.get(REGISTER).status_code == 403


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_request_about_a_person_the_requester_may_not_see_is_refused_and_recorded(
    via: str,
    worker: User,
    ig_lead: User,
    hartlepool_ig_lead: User,
    hartlepool: Council,
    client: Client,
) -> None:
    hidden = cast(Person, factories.PersonFactory(council=hartlepool))
    client.force_login(worker)
    if via == "page":
        refused = client.post(NEW, _request_body(hidden))
        looked = client.get(NEW, {"person": str(hidden.pk)})
        assert looked.status_code == 404
    else:
        body = _request_body(hidden)
        payload = {k: body[k] for k in ("person", "kind", "requester_name", "requester_kind")}
        refused = client.post(API, payload, content_type="application/json")
    assert refused.status_code == 404
    page = refused.content.decode()
    assert hidden.full_name not in page and hidden.family_name not in page
    assert not RightsRequest.objects.exists()
    attempt = RefusedAttempt.objects.filter(user=worker).first()
    assert attempt is not None and attempt.person_id == str(hidden.pk) and attempt.via == via
    # Stockton's lead sees the attempt on the register; Hartlepool's lead does not.
    client.force_login(ig_lead)
    register = client.get(REGISTER).content.decode()
    assert str(hidden.pk) in register and worker.username in register
    client.force_login(hartlepool_ig_lead)
    assert str(hidden.pk) not in client.get(REGISTER).content.decode()


def test_the_lead_cannot_register_a_request_about_another_councils_person(
    ig_lead: User, hartlepool: Council, client: Client
) -> None:
    hidden = cast(Person, factories.PersonFactory(council=hartlepool))
    client.force_login(ig_lead)
    assert client.post(NEW, _request_body(hidden)).status_code == 404
    assert RefusedAttempt.objects.get().user == ig_lead


def test_the_api_logs_a_request_and_runs_it(
    ig_lead: User, family: dict[str, Person], client: Client
) -> None:
    client.force_login(ig_lead)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    base = {
        "person": str(family["child"].pk),
        "kind": "subject_access",
        "requester_name": "Elowen Quarrington",
        "requester_kind": "self",
    }
    refused = client.post(API, {**base, "received_on": future}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "received_on"
    assert not RightsRequest.objects.exists()
    made = client.post(
        API,
        {**base, "received_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert made.status_code == 201
    request_id = made.json()["id"]
    assert client.get(f"{API}/{request_id}").json()["state"] == "received"
    too_long = client.post(
        f"{API}/{request_id}/extension",
        {"months": 3, "reason": "Complex"},
        content_type="application/json",
    )
    assert too_long.status_code == 422
    assert (
        client.post(
            f"{API}/{request_id}/identity-check",
            {"method": "photo_id_seen"},
            content_type="application/json",
        ).json()["state"]
        == "in_progress"
    )
    no_outcome = client.post(
        f"{API}/{request_id}/closure", {"state": "completed"}, content_type="application/json"
    )
    assert no_outcome.status_code == 422
    closed = client.post(
        f"{API}/{request_id}/closure",
        {"state": "completed", "outcome": "Bundle sent."},
        content_type="application/json",
    )
    assert closed.json()["state"] == "completed"
    again = client.post(
        f"{API}/{request_id}/extension",
        {"months": 1, "reason": "Late"},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_the_request_page_forms_refuse_bad_input_and_change_nothing(
    ig_lead: User, access_request: RightsRequest, client: Client
) -> None:
    client.force_login(ig_lead)
    due = access_request.due_on
    extend = reverse("rights:extend", args=[access_request.pk])
    assert client.get(extend).status_code == 200
    bad = client.post(extend, {"months": "3", "reason": ""})
    page = bad.content.decode()
    assert bad.status_code == 400
    assert "The due date can be extended by 1 or 2 months, no more" in page
    assert "Enter why the request needs longer" in page
    access_request.refresh_from_db()
    assert access_request.due_on == due
    close = reverse("rights:close", args=[access_request.pk])
    assert client.post(close, {"state": "completed", "outcome": ""}).status_code == 400
    access_request.refresh_from_db()
    assert access_request.is_open
    assert client.post(close, {"state": "completed", "outcome": "Sent."}).status_code == 303
    started = client.post(reverse("rights:start", args=[access_request.pk]))
    assert started.status_code == 409 and "closed" in started.content.decode()


def test_the_persons_summary_says_processing_is_restricted_while_it_is(
    ig_lead: User, worker: User, family: dict[str, Person], client: Client
) -> None:
    child = family["child"]
    restriction = _rights_request(
        council=child.council,
        person=child,
        logged_by=ig_lead,
        kind="restriction",
        restricted_at=timezone.now(),
        legal_hold_id="1",
    )
    client.force_login(worker)
    url = reverse("people:detail", args=[child.pk])
    assert 'data-testid="processing-restricted"' in client.get(url).content.decode()
    RightsRequest.objects.filter(pk=restriction.pk).update(restriction_lifted_at=timezone.now())
    assert 'data-testid="processing-restricted"' not in client.get(url).content.decode()


def test_the_request_page_leads_the_handling_lead_through_the_bundle(
    ig_lead: User, access_request: RightsRequest, client: Client
) -> None:
    client.force_login(ig_lead)
    url = reverse("rights:detail", args=[access_request.pk])
    page = client.get(url).content.decode()
    assert "Make the bundle" in page and "Make the release version" not in page
    identity = reverse("rights:identity", args=[access_request.pk])
    assert client.post(identity, {"method": ""}).status_code == 400
    assert (
        client.post(identity, {"method": "photo_id_seen", "detail": "Passport"}).status_code == 303
    )
    client.post(reverse("rights:make-draft", args=[access_request.pk]))
    page = client.get(url).content.decode()
    assert "Passport" in page and "Make the release version" in page
    assert "In progress" in page and ig_lead.username in page
    # Asking for the release before the draft is made is refused on the page.
    refused = client.post(reverse("rights:make-release", args=[access_request.pk]))
    assert refused.status_code == 409
    assert "Make the bundle, and review it, before releasing it." in refused.content.decode()
