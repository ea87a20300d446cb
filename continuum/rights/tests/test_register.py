"""The register's rules: a request is due one calendar month from receipt, extended once by
up to two months with a reason, closed with an outcome; bad input is refused with a clear
message and changes nothing; every version is kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.errors import InvalidState, NotPermitted
from continuum.people.models import Person
from continuum.rights import selectors, services
from continuum.rights.choices import RequestKind, RequestState
from continuum.rights.models import RightsRequest
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def _log(by: User, person: Person, **overrides: Any) -> RightsRequest:
    values: dict[str, Any] = {
        "kind": RequestKind.SUBJECT_ACCESS,
        "requester_name": "Morwenna Quarrington",
        "requester_kind": "parent_or_carer",
        "received_on": date(2026, 1, 31),
    }
    values.update(overrides)
    return services.log_request(by=by, person=person, **values)


def test_a_request_is_due_one_calendar_month_from_receipt(
    ig_lead: User, family: dict[str, Person]
) -> None:
    logged = _log(ig_lead, family["child"])
    # 31 January plus a month is the last day of February.
    assert logged.due_on == date(2026, 2, 28)
    assert logged.state == RequestState.RECEIVED
    assert logged.handled_by == ig_lead and logged.council == family["child"].council


def test_case_staff_log_a_request_about_a_person_they_see_and_the_lead_handles_it(
    worker: User, family: dict[str, Person], ig_lead: User
) -> None:
    logged = _log(worker, family["child"])
    assert logged.handled_by is None and logged.logged_by == worker
    assert list(selectors.register(user=ig_lead)) == [logged]
    services.handle_request(by=ig_lead, request=logged)
    logged.refresh_from_db()
    assert logged.handled_by == ig_lead
    with pytest.raises(NotPermitted):
        services.start_work(by=worker, request=logged)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received_on": None}, "received_on", "Enter the date the request was received"),
        ({"requester_name": "  "}, "requester_name", "Enter the name of who asked"),
        ({"kind": "complaint"}, "kind", "Select what kind of request it is"),
        ({"requester_kind": "neighbour"}, "requester_kind", "Select who asked"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_logged(
    ig_lead: User, family: dict[str, Person], overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _log(ig_lead, family["child"], **overrides)
    assert message in refused.value.message_dict[field][0]
    assert not RightsRequest.objects.exists()


def test_a_received_date_in_the_future_is_refused(ig_lead: User, family: dict[str, Person]) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _log(ig_lead, family["child"], received_on=tomorrow)
    assert refused.value.message_dict["received_on"] == [
        "The date the request was received must be today or in the past"
    ]
    assert not RightsRequest.objects.exists()


def test_the_due_date_is_extended_once_by_up_to_two_months_with_a_reason(
    ig_lead: User, family: dict[str, Person]
) -> None:
    logged = _log(ig_lead, family["child"])
    for months, reason, field in (
        (3, "Complex", "months"),
        (None, "Complex", "months"),
        (2, " ", "reason"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.extend_due_date(by=ig_lead, request=logged, months=months, reason=reason)
        assert field in refused.value.message_dict
    logged.refresh_from_db()
    assert logged.due_on == date(2026, 2, 28) and logged.extended_on is None
    services.extend_due_date(
        by=ig_lead, request=logged, months=2, reason="Records held in three services to gather."
    )
    logged.refresh_from_db()
    assert logged.due_on == date(2026, 4, 28) and logged.extension_reason
    with pytest.raises(InvalidState, match="already been extended once"):
        services.extend_due_date(by=ig_lead, request=logged, months=1, reason="Again")
    logged.refresh_from_db()
    assert logged.due_on == date(2026, 4, 28)


def test_closing_needs_an_outcome_and_a_closed_request_changes_no_more(
    ig_lead: User, family: dict[str, Person]
) -> None:
    logged = _log(ig_lead, family["child"])
    with pytest.raises(ValidationError) as refused:
        services.close_request(by=ig_lead, request=logged, state="completed", outcome="")
    assert refused.value.message_dict == {"outcome": ["Enter the outcome"]}
    with pytest.raises(ValidationError):
        services.close_request(by=ig_lead, request=logged, state="received", outcome="Done")
    logged.refresh_from_db()
    assert logged.state == RequestState.RECEIVED and logged.closed_on is None
    services.close_request(
        by=ig_lead, request=logged, state="withdrawn", outcome="Withdrawn by phone."
    )
    logged.refresh_from_db()
    assert logged.state == RequestState.WITHDRAWN and logged.closed_on == timezone.localdate()
    with pytest.raises(InvalidState):
        services.extend_due_date(by=ig_lead, request=logged, months=1, reason="Late")
    # Every version is kept: logged, closed.
    assert [v.state for v in logged.history.order_by("history_date")] == ["received", "withdrawn"]


def test_a_correction_is_recorded_only_on_a_rectification_request(
    ig_lead: User, family: dict[str, Person]
) -> None:
    access = _log(ig_lead, family["child"])
    with pytest.raises(InvalidState):
        services.record_correction(by=ig_lead, request=access, correction="Name spelt wrongly")
    rectify = _log(ig_lead, family["child"], kind=RequestKind.RECTIFICATION)
    with pytest.raises(ValidationError):
        services.record_correction(by=ig_lead, request=rectify, correction="")
    services.record_correction(by=ig_lead, request=rectify, correction="Date of birth corrected")
    rectify.refresh_from_db()
    assert rectify.correction == "Date of birth corrected"


def test_requests_due_are_the_open_ones_overdue_first_for_the_lead_only(
    ig_lead: User, hartlepool_ig_lead: User, worker: User, family: dict[str, Person]
) -> None:
    today = timezone.localdate()
    later = factories.RightsRequestFactory(
        council=family["child"].council,
        person=family["child"],
        logged_by=ig_lead,
        received_on=today,
        due_on=today + timedelta(days=30),
    )
    overdue = factories.RightsRequestFactory(
        council=family["child"].council,
        person=family["brother"],
        logged_by=ig_lead,
        received_on=today - timedelta(days=40),
        due_on=today - timedelta(days=9),
    )
    factories.RightsRequestFactory(
        council=family["child"].council,
        person=family["mother"],
        logged_by=ig_lead,
        state=RequestState.COMPLETED,
        outcome="Sent",
        closed_on=today,
    )
    assert list(selectors.requests_due(ig_lead)) == [overdue, later]
    assert not selectors.requests_due(hartlepool_ig_lead).exists()
    assert not selectors.requests_due(worker).exists()
