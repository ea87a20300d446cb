"""Joint triage across a hub (issue 15): a front-door worker placed in the Hartlepool and
Stockton hub starts and runs a joint triage meeting for either council (the page asks
which, the API takes its DfE LA code), and the meeting lists that council's notifications
awaiting triage. A council outside the agreement, or any other council once the agreement
has ended, is refused at the council field with nothing saved. Police placed with joint
triage read the hub's meetings and, as before, hold none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.front_door.models import TriageMeeting, TriageOutcome
from continuum.front_door.tests import triage_support as support
from continuum.front_door.tests.api_support import fields_named, post
from continuum.hubs.models import DataSharingAgreement
from continuum.organisations.models import Council, Organisation
from continuum.testing import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/triage-meetings"


@pytest.fixture
def middlesbrough(db: Any) -> Council:
    return factories.tees_council("Middlesbrough")


@pytest.fixture
def force(stockton: Council, hartlepool: Council, middlesbrough: Council) -> Organisation:
    return factories.police_force(stockton, hartlepool, middlesbrough)


@pytest.fixture
def agreement(stockton: Council, hartlepool: Council, force: Organisation) -> DataSharingAgreement:
    return factories.hub_agreement(
        stockton, hartlepool, agencies={force: {"sees_notifications": True, "sees_triage": True}}
    )


def placed(agreement: DataSharingAgreement, role: str, organisation: Organisation) -> User:
    user = cast(User, factories.UserFactory(role=role, organisation=organisation))
    factories.HubPlacementFactory(hub=agreement.hub, user=user)
    return user


@pytest.fixture
def hub_worker(agreement: DataSharingAgreement, stockton: Council) -> User:
    """A Stockton front-door worker placed in the hub."""
    return placed(agreement, Role.FRONT_DOOR_WORKER, factories.council_services(stockton))


@pytest.fixture
def hub_officer(agreement: DataSharingAgreement, force: Organisation) -> User:
    """A police officer placed in the hub, whose row shows notifications and joint triage."""
    return placed(agreement, Role.PARTNER_PRACTITIONER, force)


@pytest.fixture
def reporter(force: Organisation) -> User:
    """The officer who reports the incidents (not placed in the hub)."""
    return cast(User, factories.UserFactory(role=Role.PARTNER_PRACTITIONER, organisation=force))


def meeting_form(**overrides: str) -> dict[str, str]:
    day = timezone.localdate()
    data = {
        "held_date_day": str(day.day),
        "held_date_month": str(day.month),
        "held_date_year": str(day.year),
        "held_time": "00:01",
        "attendance-TOTAL_FORMS": "6",
        "attendance-INITIAL_FORMS": "0",
        "attendance-MIN_NUM_FORMS": "6",
        "attendance-MAX_NUM_FORMS": "20",
    }
    agencies = ["police", "idva", "childrens_services", "health", "education", "other"]
    names = ["DS Amir Khan", "Jo Fletcher", "Sam Price", "", "", ""]
    for index, (agency, name) in enumerate(zip(agencies, names, strict=True)):
        data[f"attendance-{index}-agency"] = agency
        data[f"attendance-{index}-name"] = name
    data.update(overrides)
    return data


def meeting_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "held_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
        "attendance": [
            {"agency": "police", "name": "DS Amir Khan"},
            {"agency": "childrens_services", "name": "Sam Price"},
        ],
    }
    body.update(overrides)
    return body


def end_agreement(agreement: DataSharingAgreement) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    DataSharingAgreement.objects.filter(pk=agreement.pk).update(
        starts_on=yesterday - timedelta(days=30), ends_on=yesterday
    )


NEW = "front_door:triage-meeting-new"


# --- holding meetings for either council ------------------------------------------------------


def test_a_hub_worker_holds_a_hartlepool_meeting_and_a_stockton_meeting_from_the_page(
    client: Client,
    hub_worker: User,
    reporter: User,
    stockton: Council,
    hartlepool: Council,
) -> None:
    theirs = support.notify(by=reporter, council=hartlepool)
    ours = support.notify(by=reporter, council=stockton)
    client.force_login(hub_worker)

    form = client.get(reverse(NEW))
    assert form.context["form"].shows_council
    page = form.content.decode()
    assert "Which council&#x27;s notifications is this meeting for?" in page
    # Their own council first, and chosen unless they choose another.
    assert page.index(f'value="{stockton.pk}" checked') < page.index(f'value="{hartlepool.pk}"')

    response = client.post(reverse(NEW), meeting_form(council=str(hartlepool.pk)))
    meeting = TriageMeeting.objects.get()
    assert response["Location"] == reverse("front_door:triage-meeting", args=[meeting.pk])
    assert meeting.council == hartlepool and meeting.chaired_by == hub_worker

    detail = client.get(response["Location"])
    assert [row.notification for row in detail.context["awaiting"]] == [theirs]
    assert "Hartlepool" in detail.content.decode()

    # Run it: triage Hartlepool's notification in the Hartlepool meeting.
    url = reverse("front_door:triage-notification", args=[meeting.pk, theirs.pk])
    done = client.post(
        url,
        {
            "version": theirs.version,
            "safety_planning": "Safety plan agreed with the IDVA.",
            "marac_referral": "no",
        },
    )
    assert done.status_code == 302, done.content
    outcome = TriageOutcome.objects.get(notification=theirs)
    assert outcome.meeting == meeting
    assert outcome.children_contact is not None
    assert outcome.children_contact.council == hartlepool
    # Stockton's notification cannot be triaged in Hartlepool's meeting.
    other = reverse("front_door:triage-notification", args=[meeting.pk, ours.pk])
    assert client.get(other).status_code == 404

    # And a Stockton meeting: its own council is the default when none is chosen.
    response = client.post(reverse(NEW), meeting_form())
    stockton_meeting = TriageMeeting.objects.exclude(pk=meeting.pk).get()
    assert stockton_meeting.council == stockton
    detail = client.get(response["Location"])
    assert [row.notification for row in detail.context["awaiting"]] == [ours]

    listing = client.get(reverse("front_door:notifications")).content.decode()
    assert "Hartlepool: meeting on" in listing and "Stockton-on-Tees: meeting on" in listing


def test_a_hub_worker_starts_meetings_for_either_council_over_the_api(
    client: Client, hub_worker: User, stockton: Council, hartlepool: Council
) -> None:
    client.force_login(hub_worker)
    response = post(client, API, meeting_body(council=hartlepool.dfe_la_code))
    assert response.status_code == 201, response.content
    assert response.json()["council"] == hartlepool.dfe_la_code
    response = post(client, API, meeting_body())
    assert response.status_code == 201, response.content
    assert response.json()["council"] == stockton.dfe_la_code
    assert sorted(TriageMeeting.objects.values_list("council__name", flat=True)) == [
        "Hartlepool",
        "Stockton-on-Tees",
    ]


def test_staff_of_one_council_are_not_asked_which(client: Client, worker: User) -> None:
    client.force_login(worker)
    form = client.get(reverse(NEW))
    assert not form.context["form"].shows_council
    assert "Which council" not in form.content.decode()


# --- refusals -----------------------------------------------------------------------------------


def test_a_council_outside_the_agreement_is_refused_at_the_field_and_nothing_saved(
    client: Client, hub_worker: User, middlesbrough: Council
) -> None:
    client.force_login(hub_worker)
    page = client.post(reverse(NEW), meeting_form(council=str(middlesbrough.pk)))
    assert page.status_code == 200
    errors = page.context["form"].errors["council"]
    assert errors == [
        "You do not triage Middlesbrough's notifications. Only Middlesbrough's own front "
        "door, or a hub's front-door staff under an agreement in force that includes "
        "Middlesbrough's joint triage, hold its joint triage meetings."
    ]
    assert 'href="#id_council"' in page.content.decode()

    api = post(client, API, meeting_body(council=middlesbrough.dfe_la_code))
    assert fields_named(api) == {"council"}
    assert "Middlesbrough" in api.json()["detail"][0]["msg"]
    unknown = post(client, API, meeting_body(council="999"))
    assert fields_named(unknown) == {"council"}
    assert not TriageMeeting.objects.exists()


def test_after_the_agreement_ends_the_other_council_is_refused(
    client: Client,
    hub_worker: User,
    agreement: DataSharingAgreement,
    stockton: Council,
    hartlepool: Council,
) -> None:
    end_agreement(agreement)
    client.force_login(hub_worker)
    form = client.get(reverse(NEW))
    assert not form.context["form"].shows_council

    # A form opened before the end, sent after it.
    page = client.post(reverse(NEW), meeting_form(council=str(hartlepool.pk)))
    assert page.status_code == 200
    assert (
        "You do not triage Hartlepool's notifications" in page.context["form"].errors["council"][0]
    )
    assert page.context["form"].shows_council  # shown, to say why
    api = post(client, API, meeting_body(council=hartlepool.dfe_la_code))
    assert fields_named(api) == {"council"}
    assert not TriageMeeting.objects.exists()

    # Their own council's meetings go on.
    assert post(client, API, meeting_body()).status_code == 201
    assert TriageMeeting.objects.get().council == stockton


# --- police placed --------------------------------------------------------------------------------


def test_police_placed_with_triage_read_the_hubs_meetings_and_hold_none(
    client: Client,
    hub_worker: User,
    hub_officer: User,
    hartlepool: Council,
    middlesbrough: Council,
) -> None:
    ours = support.meeting(by=hub_worker, council=hartlepool)
    outside_chair = cast(
        User,
        factories.UserFactory(
            role=Role.FRONT_DOOR_WORKER, organisation=factories.council_services(middlesbrough)
        ),
    )
    outside = support.meeting(by=outside_chair, council=middlesbrough)
    client.force_login(hub_officer)
    assert client.get(f"{API}/{ours.pk}").status_code == 200
    assert client.get(f"{API}/{outside.pk}").status_code == 404
    assert client.get(reverse(NEW)).status_code == 403
    refused = post(client, API, meeting_body(council=hartlepool.dfe_la_code))
    assert refused.status_code == 403
    assert client.get(reverse("front_door:triage-meeting", args=[ours.pk])).status_code == 403
    assert TriageMeeting.objects.count() == 2
