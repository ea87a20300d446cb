"""The joint triage pages: police enter a notification; the front door lists them, holds
a meeting and triages them one by one into contacts; every page asks the policy."""

from __future__ import annotations

from datetime import date
from html import unescape
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, DashRisk, NotificationStatus
from continuum.front_door.models import (
    Contact,
    DomesticAbuseNotification,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.tests import triage_support as support
from continuum.front_door.views.notification_entry import PENDING_NOTIFICATION_KEY
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories


def _notification_form(council: Council, **overrides: Any) -> dict[str, Any]:
    """What an officer types: a victim, a named alleged perpetrator, two children."""
    data: dict[str, Any] = {
        "council": council.pk,
        "incident_date_day": "3",
        "incident_date_month": "11",
        "incident_date_year": "2026",
        "incident_time": "22:15",
        "victim_given_name": "Marnie",
        "victim_family_name": "Oakes",
        "victim_date_of_birth_day": "12",
        "victim_date_of_birth_month": "4",
        "victim_date_of_birth_year": "1991",
        "perpetrator_given_name": "Dale",
        "perpetrator_family_name": "Oakes",
        "dash_risk": DashRisk.MEDIUM,
        "dash_ticks": "10",
        "repeat_incidents_12_months": "2",
        "reporting_officer": "PC Dana Hollis",
        "reporting_officer_number": "4471",
        "summary": "Neighbour called 999 after hearing screaming.",
        "children-TOTAL_FORMS": "4",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "12",
        "children-0-given_name": "Tia",
        "children-0-family_name": "Oakes",
        "children-0-date_of_birth_day": "1",
        "children-0-date_of_birth_month": "2",
        "children-0-date_of_birth_year": "2019",
        "children-0-present": "on",
        "children-1-given_name": "Rory",
        "children-1-family_name": "Oakes",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _counts() -> tuple[int, int]:
    return DomesticAbuseNotification.objects.count(), Person.objects.count()


# --- who may open the pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["front_door:notifications", "front_door:notification-new", "front_door:triage-meeting-new"],
)
def test_anonymous_users_are_sent_to_sign_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_a_school_cannot_enter_or_list_notifications(client: Client, teacher: User) -> None:
    client.force_login(teacher)
    assert client.get(reverse("front_door:notifications")).status_code == 403
    assert client.get(reverse("front_door:notification-new")).status_code == 403


def test_police_cannot_hold_triage_meetings(
    client: Client,
    officer: User,
    meeting: TriageMeeting,
    notification: DomesticAbuseNotification,
) -> None:
    client.force_login(officer)
    assert client.get(reverse("front_door:triage-meeting-new")).status_code == 403
    assert client.get(reverse("front_door:triage-meeting", args=[meeting.pk])).status_code == 403
    url = reverse("front_door:triage-notification", args=[meeting.pk, notification.pk])
    assert client.get(url).status_code == 403


def test_another_councils_front_door_gets_404(
    client: Client,
    notification: DomesticAbuseNotification,
    meeting: TriageMeeting,
    hartlepool_worker: User,
) -> None:
    client.force_login(hartlepool_worker)
    assert client.get(reverse("front_door:notification", args=[notification.pk])).status_code == 404
    assert client.get(reverse("front_door:triage-meeting", args=[meeting.pk])).status_code == 404
    listing = client.get(reverse("front_door:notifications"))
    assert listing.context["awaiting"] == []


# --- police enter a notification -------------------------------------------------------------


def test_police_enter_a_notification_with_new_people(
    client: Client, officer: User, stockton: Council
) -> None:
    client.force_login(officer)
    assert client.get(reverse("front_door:notification-new")).status_code == 200

    response = client.post(reverse("front_door:notification-new"), _notification_form(stockton))

    notification = DomesticAbuseNotification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:notification", args=[notification.pk])
    assert notification.victim.full_name == "Marnie Oakes"
    assert notification.alleged_perpetrator is not None
    assert notification.alleged_perpetrator.full_name == "Dale Oakes"
    present = {link.person.given_name: link.was_present for link in notification.child_links.all()}
    assert present == {"Tia": True, "Rory": False}
    assert notification.reporting_officer_number == "4471"
    assert notification.created_by == officer

    listing = client.get(reverse("front_door:notifications"))
    assert [row.notification for row in listing.context["awaiting"]] == [notification]


def test_an_unidentified_perpetrator_is_described(
    client: Client, officer: User, stockton: Council
) -> None:
    client.force_login(officer)
    form = _notification_form(
        stockton,
        perpetrator_given_name="",
        perpetrator_family_name="",
        alleged_perpetrator_description="Unknown man, about 30, left before police arrived",
    )
    client.post(reverse("front_door:notification-new"), form)
    notification = DomesticAbuseNotification.objects.get()
    assert notification.alleged_perpetrator is None
    assert notification.alleged_perpetrator_description.startswith("Unknown man")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"dash_ticks": "15"}, "dash_risk", "must be high"),
        ({"incident_date_year": "2099"}, "incident_date", "must be in the past"),
        (
            {
                "children-0-given_name": "",
                "children-0-family_name": "",
                "children-0-date_of_birth_day": "",
                "children-0-date_of_birth_month": "",
                "children-0-date_of_birth_year": "",
                "children-1-given_name": "",
                "children-1-family_name": "",
            },
            None,
            "Add the children",
        ),
        ({"victim_family_name": ""}, "victim_family_name", "victim's last name"),
        ({"incident_time": "25:61"}, "incident_time", "24-hour clock"),
        (
            {"perpetrator_family_name": "", "perpetrator_given_name": ""},
            "alleged_perpetrator_description",
            "describe them",
        ),
        ({"victim_nhs_number": "1234567890"}, "victim_nhs_number", "valid NHS number"),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(
    client: Client,
    officer: User,
    stockton: Council,
    overrides: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    client.force_login(officer)
    before = _counts()
    response = client.post(
        reverse("front_door:notification-new"), _notification_form(stockton, **overrides)
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "There is a problem" in html
    assert message in html
    if field is not None:
        assert message in " ".join(response.context["form"].errors[field])
        assert f'href="#id_{field}"' in html
    assert _counts() == before


def test_people_already_on_the_record_are_offered_before_new_records_are_made(
    client: Client, worker: User, stockton: Council
) -> None:
    tia = support.child(
        stockton, given_name="Tia", family_name="Oakes", date_of_birth=date(2019, 2, 1)
    )
    client.force_login(worker)
    response = client.post(reverse("front_door:notification-new"), _notification_form(stockton))

    assert response.status_code == 200
    assert DomesticAbuseNotification.objects.count() == 0
    people = response.context["people"]
    assert [p.label for p in people] == ["Child 1"]
    assert people[0].candidates == [tia]
    assert PENDING_NOTIFICATION_KEY in client.session

    # Nothing chosen: asked again, nothing saved.
    again = client.post(reverse("front_door:notification-check-people"), {})
    assert "select the existing record" in again.content.decode()
    assert DomesticAbuseNotification.objects.count() == 0

    before_people = Person.objects.count()
    done = client.post(
        reverse("front_door:notification-check-people"), {"match-children-0": str(tia.pk)}
    )
    assert done.status_code == 302
    notification = DomesticAbuseNotification.objects.get()
    assert tia in notification.children.all()
    # The victim, the alleged perpetrator and Rory are new; Tia is not made twice.
    assert Person.objects.count() == before_people + 3
    assert PENDING_NOTIFICATION_KEY not in client.session


def test_a_person_with_a_known_nhs_number_cannot_be_added_again(
    client: Client, worker: User, stockton: Council
) -> None:
    existing = support.adult(stockton, given_name="Marnie", family_name="Oakes")
    client.force_login(worker)
    form = _notification_form(stockton, victim_nhs_number=existing.nhs_number)
    client.post(reverse("front_door:notification-new"), form)
    refused = client.post(reverse("front_door:notification-check-people"), {"match-victim": "new"})
    assert "already exists" in refused.content.decode()
    assert DomesticAbuseNotification.objects.count() == 0


def test_police_see_their_notifications_and_triage_outcomes_but_not_the_childrens_contact(
    client: Client, officer: User, worker: User, stockton: Council, meeting: TriageMeeting
) -> None:
    notification = support.notify(
        by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=18
    )
    outcome = services.triage_notification(
        notification=notification,
        meeting=meeting,
        by=worker,
        expected_version=notification.version,
        safety_planning="Refuge space offered; school designated lead told.",
        marac_referral=True,
        marac_basis="ticks",
    )
    assert outcome.children_contact is not None
    client.force_login(officer)

    listing = client.get(reverse("front_door:notifications"))
    html = listing.content.decode()
    assert "Refuge space offered" in html
    assert "Yes: visible high risk" in html
    detail = client.get(reverse("front_door:notification", args=[notification.pk]))
    page = detail.content.decode()
    assert "Refuge space offered" in page
    assert detail.context["children_contact"] is None
    assert str(outcome.children_contact.pk) not in page
    assert "Children's contact" not in page


# --- the front door's meeting ----------------------------------------------------------------


def _meeting_form(**overrides: str) -> dict[str, str]:
    data = {
        "held_date_day": "1",
        "held_date_month": "11",
        "held_date_year": "2026",
        "held_time": "09:30",
        "attendance-TOTAL_FORMS": "6",
        "attendance-INITIAL_FORMS": "0",
        "attendance-MIN_NUM_FORMS": "6",
        "attendance-MAX_NUM_FORMS": "20",
        "attendance-0-agency": "police",
        "attendance-0-name": "DS Amir Khan",
        "attendance-1-agency": "idva",
        "attendance-1-name": "Jo Fletcher",
        "attendance-2-agency": "childrens_services",
        "attendance-2-name": "Sam Price",
        "attendance-3-agency": "health",
        "attendance-3-name": "",
        "attendance-4-agency": "education",
        "attendance-4-name": "Lee Grant",
        "attendance-5-agency": "other",
        "attendance-5-name": "",
    }
    data.update(overrides)
    return data


def test_the_front_door_starts_a_meeting_with_attendance_by_agency(
    client: Client, worker: User, stockton: Council
) -> None:
    client.force_login(worker)
    form = client.get(reverse("front_door:triage-meeting-new"))
    assert [f.initial["agency"] for f in form.context["formset"].forms][:5] == [
        "police",
        "idva",
        "childrens_services",
        "health",
        "education",
    ]
    response = client.post(reverse("front_door:triage-meeting-new"), _meeting_form())
    meeting = TriageMeeting.objects.get()
    assert response["Location"] == reverse("front_door:triage-meeting", args=[meeting.pk])
    assert meeting.chaired_by == worker and meeting.council == stockton

    page = client.get(response["Location"])
    by_agency = {a.label: [p.name for p in a.attendees] for a in page.context["attendance"]}
    assert by_agency["Police"] == ["DS Amir Khan"]
    assert by_agency["IDVA service"] == ["Jo Fletcher"]
    assert by_agency["Health"] == []
    assert "Not represented" in page.content.decode()


def test_a_meeting_with_nobody_named_is_refused(client: Client, worker: User) -> None:
    client.force_login(worker)
    blank = {f"attendance-{i}-name": "" for i in range(6)}
    response = client.post(reverse("front_door:triage-meeting-new"), _meeting_form(**blank))
    assert "Record who attended" in response.content.decode()
    assert not TriageMeeting.objects.exists()


def test_the_meeting_works_through_the_notifications_one_by_one(
    client: Client, officer: User, worker: User, stockton: Council, meeting: TriageMeeting
) -> None:
    first = support.notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=15)
    second = support.notify(by=officer, council=stockton)
    client.force_login(worker)

    page = client.get(reverse("front_door:triage-meeting", args=[meeting.pk]))
    assert [row.notification for row in page.context["awaiting"]] == [first, second]

    url = reverse("front_door:triage-notification", args=[meeting.pk, first.pk])
    form = client.get(url)
    assert form.context["is_high_risk"]
    refused = client.post(
        url,
        {
            "version": first.version,
            "safety_planning": "Safety plan agreed.",
            "marac_referral": "no",
        },
    )
    assert "a MARAC referral is expected" in refused.content.decode()
    assert "There is a problem" in refused.content.decode()
    assert not TriageOutcome.objects.exists()

    done = client.post(
        url,
        {
            "version": first.version,
            "safety_planning": "Safety plan agreed with the IDVA.",
            "marac_referral": "yes",
            "marac_basis": "ticks",
        },
    )
    # On to the next notification awaiting triage.
    assert done["Location"] == reverse(
        "front_door:triage-notification", args=[meeting.pk, second.pk]
    )
    outcome = TriageOutcome.objects.get(notification=first)
    contact = outcome.children_contact
    assert contact is not None and contact.status == ContactStatus.IN_SCREENING

    last = client.post(
        reverse("front_door:triage-notification", args=[meeting.pk, second.pk]),
        {
            "version": second.version,
            "safety_planning": "Advice given; IDVA to follow up.",
            "marac_referral": "no",
        },
    )
    assert last["Location"] == reverse("front_door:triage-meeting", args=[meeting.pk])

    page = client.get(reverse("front_door:triage-meeting", args=[meeting.pk]))
    assert page.context["awaiting"] == []
    assert [item["outcome"].notification for item in page.context["outcomes"]] == [first, second]
    assert reverse("front_door:contact", args=[contact.pk]) in page.content.decode()
    first.refresh_from_db()
    assert first.status == NotificationStatus.TRIAGED
    assert Contact.objects.count() == 2


def test_a_second_triage_from_a_stale_page_is_refused(
    client: Client,
    worker: User,
    notification: DomesticAbuseNotification,
    meeting: TriageMeeting,
) -> None:
    client.force_login(worker)
    url = reverse("front_door:triage-notification", args=[meeting.pk, notification.pk])
    answer = {"version": notification.version, "safety_planning": "Plan.", "marac_referral": "no"}
    client.post(url, answer)

    again = client.post(url, answer)
    assert again.status_code == 200
    assert "already been triaged" in again.content.decode()
    assert TriageOutcome.objects.count() == 1
    # Opening it again shows the notification rather than a form.
    assert client.get(url)["Location"] == reverse("front_door:notification", args=[notification.pk])


def test_a_notification_of_another_council_cannot_be_triaged_in_this_meeting(
    client: Client, worker: User, meeting: TriageMeeting, hartlepool: Council
) -> None:
    other = cast(DomesticAbuseNotification, factories.NotificationFactory(council=hartlepool))
    client.force_login(worker)
    url = reverse("front_door:triage-notification", args=[meeting.pk, other.pk])
    assert client.get(url).status_code == 404


def test_reading_a_notification_logs_one_row_for_each_person_on_it(
    client: Client, officer: User, worker: User, stockton: Council
) -> None:
    children = [support.child(stockton), support.child(stockton)]
    notification = support.notify(by=officer, council=stockton, children=children)
    client.force_login(worker)
    before = AccessLogEntry.objects.count()

    client.get(reverse("front_door:notification", args=[notification.pk]))

    rows = AccessLogEntry.objects.order_by("pk")[before:]
    assert sorted(str(r.subject_id) for r in rows) == sorted(
        str(p.pk)
        for p in [notification.victim, notification.alleged_perpetrator, *children]
        if p is not None
    )
    assert {(r.user_id, r.action) for r in rows} == {(worker.pk, AccessAction.VIEW_RECORD)}
    # The list names people too, but is not a read of their records.
    client.get(reverse("front_door:notifications"))
    assert AccessLogEntry.objects.count() == before + 4


def test_another_row_for_a_child_keeps_what_was_typed_and_checks_nothing_yet(
    client: Client, officer: User, stockton: Council
) -> None:
    client.force_login(officer)
    typed = _notification_form(stockton, victim_family_name="", **{"add-child": "1"})
    response = client.post(reverse("front_door:notification-new"), typed)

    assert response.status_code == 200
    assert DomesticAbuseNotification.objects.count() == 0
    assert "There is a problem" not in response.content.decode()
    formset = response.context["formset"]
    assert formset.total_form_count() == 5
    assert formset.forms[0]["given_name"].value() == "Tia"
    assert formset.forms[0]["present"].value() is True
    assert response.context["form"]["victim_given_name"].value() == "Marnie"

    five = _notification_form(
        stockton,
        **{
            "children-TOTAL_FORMS": "5",
            "children-INITIAL_FORMS": "4",
            "children-2-family_name": "Oakes",
            "children-3-family_name": "Oakes",
            "children-4-given_name": "Fifth",
            "children-4-family_name": "Oakes",
        },
    )
    done = client.post(reverse("front_door:notification-new"), five)
    assert done.status_code == 302
    assert DomesticAbuseNotification.objects.get().children.count() == 5


def test_another_row_for_an_attendee_keeps_what_was_typed(client: Client, worker: User) -> None:
    client.force_login(worker)
    response = client.post(
        reverse("front_door:triage-meeting-new"), _meeting_form(**{"add-attendee": "1"})
    )
    assert response.status_code == 200
    assert not TriageMeeting.objects.exists()
    formset = response.context["formset"]
    assert formset.total_form_count() == 7
    assert formset.forms[1]["name"].value() == "Jo Fletcher"
    assert formset.forms[1]["agency"].value() == "idva"

    seven = _meeting_form(
        **{
            "attendance-TOTAL_FORMS": "7",
            "attendance-INITIAL_FORMS": "6",
            "attendance-6-agency": "health",
            "attendance-6-name": "Nurse Kay Obi",
        }
    )
    client.post(reverse("front_door:triage-meeting-new"), seven)
    assert TriageMeeting.objects.get().attendance.count() == 5
