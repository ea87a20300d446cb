"""Domestic-abuse joint triage pages: the council's front door lists the notifications
against the one-working-day timescale (police see their force's, with the triage
outcomes), holds a joint triage meeting and works through the notifications one by one.
The children's outcome becomes a contact in screening, whose threshold decision is
recorded on the contact's own page. (Police enter notifications in
``notification_entry``.)

Each view parses input, asks the policy, calls one service or selector and renders.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires, user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.errors import NotPermitted
from continuum.front_door.choices import DashRisk, NotificationStatus
from continuum.front_door.forms.common import as_typed
from continuum.front_door.forms.notifications import NotificationFilterForm
from continuum.front_door.forms.triage import (
    EXPECTED_AGENCIES,
    MAX_ATTENDEES,
    AttendanceFormSet,
    MeetingForm,
    OneMoreAttendeeFormSet,
    TriageForm,
)
from continuum.front_door.models import DomesticAbuseNotification, TriageMeeting
from continuum.front_door.policies import (
    FrontDoorAction,
    councils_triaged_for,
    police_need_lasts,
)
from continuum.front_door.selectors import notifications as notification_selectors
from continuum.front_door.selectors import triage as triage_selectors
from continuum.front_door.services import hold_triage_meeting, triage_notification
from continuum.front_door.views.triage_common import contact_url
from continuum.organisations.models import Council, Organisation
from continuum.ui.errors import attempt, form_errors_summary
from continuum.ui.pagination import govuk_pagination

PAGE_SIZE = 50


# --- the notifications list and one notification ------------------------------------------


def _visible_notification(request: HttpRequest, pk: uuid.UUID) -> DomesticAbuseNotification:
    return policy.get_visible_or_404(user_of(request), DomesticAbuseNotification, pk)


def _log_people_read(request: HttpRequest, notification: DomesticAbuseNotification) -> None:
    """A notification's page shows the victim's, the alleged perpetrator's and the
    children's case details: one access-log row for each of them."""
    for person_id in notification_selectors.people_named(notification):
        log_access(
            request=request,
            user=user_of(request),
            subject_id=person_id,
            action=AccessAction.VIEW_RECORD,
        )


@requires(FrontDoorAction.VIEW_NOTIFICATIONS)
@require_http_methods(["GET"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The council's front door: awaiting triage first, highest risk first and then the
    oldest, with the due date and an overdue flag. Police: their force's notifications
    and the triage outcomes."""
    form = NotificationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    visible = notification_selectors.notifications_for(
        user=user_of(request),
        status=filters.get("status", ""),
        risk=filters.get("risk", ""),
        overdue=True if filters.get("overdue") else None,
    )
    awaiting = notification_selectors.rows(
        notification_selectors.awaiting_triage(user=user_of(request), notifications=visible)
    )
    triaged_page = Paginator(visible.filter(status=NotificationStatus.TRIAGED), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_triage = policy.can(user_of(request), FrontDoorAction.TRIAGE)
    return render(
        request,
        "front_door/triage/notifications.html",
        {
            "filter_form": form,
            "filtered": bool(filters and any(filters.values())),
            "awaiting": awaiting,
            "triaged": notification_selectors.rows(list(triaged_page)),
            "triaged_page": triaged_page,
            "pagination": govuk_pagination(triaged_page),
            "can_triage": can_triage,
            "can_create": policy.can(user_of(request), FrontDoorAction.CREATE_NOTIFICATION),
            "meetings": triage_selectors.meetings_for(user=user_of(request))[:5]
            if can_triage
            else [],
            # Hub staff hold meetings for several councils: each meeting names its council.
            "meetings_name_council": len(councils_triaged_for(user_of(request))) > 1,
        },
    )


@requires(FrontDoorAction.VIEW_NOTIFICATIONS)
@require_http_methods(["GET"])
def notification_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    notification = _visible_notification(request, pk)
    if not policy.can(user_of(request), FrontDoorAction.VIEW_NOTIFICATION_IN_FULL, notification):
        # The force's reference and the outcome only: no one's record is read.
        return render(
            request,
            "front_door/triage/notification_reference.html",
            {
                "notification": notification,
                "reference": notification_selectors.notification_reference_of(notification),
                "outcome": getattr(notification, "triage", None),
                "need_lasts_days": police_need_lasts().days,
            },
        )
    _log_people_read(request, notification)
    row = notification_selectors.rows([notification])[0]
    outcome = row.triage
    contact = triage_selectors.visible_children_contact(user=user_of(request), outcome=outcome)
    return render(
        request,
        "front_door/triage/notification_detail.html",
        {
            "row": row,
            "notification": notification,
            "children": notification.child_links.select_related("person").order_by(
                "person__date_of_birth"
            ),
            "outcome": outcome,
            "children_contact": contact,
            "children_contact_url": contact_url(contact),
            "can_triage": policy.can(user_of(request), FrontDoorAction.TRIAGE),
        },
    )


# --- joint triage meetings -------------------------------------------------------------------


def _meeting_organisations(councils: list[Council]) -> Any:
    return Organisation.objects.filter(serves__in=councils).order_by("name").distinct()


@requires(FrontDoorAction.TRIAGE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Start a joint triage meeting: for which council (asked only of hub staff who triage
    for more than one), when, and who attended from which agency."""
    councils = councils_triaged_for(user_of(request))
    if not councils:  # the TRIAGE rule already requires a council
        raise NotPermitted
    organisations = _meeting_organisations(councils)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, councils=councils)
    formset = AttendanceFormSet(
        data,
        prefix="attendance",
        form_kwargs={"organisations": organisations},
        initial=[{"agency": agency} for agency in EXPECTED_AGENCIES],
    )
    attendance_errors: list[str] = []
    if data is not None and "add-attendee" in data:
        # One more row, keeping what was typed and checking nothing yet.
        form = MeetingForm(initial=as_typed(form), councils=councils)
        formset = OneMoreAttendeeFormSet(
            prefix="attendance",
            form_kwargs={"organisations": organisations},
            initial=[as_typed(row) for row in formset.forms],
        )
    elif data is not None and form.is_valid() and formset.is_valid():
        attendance = [row for row in (f.row() for f in formset.forms) if row is not None]
        try:
            meeting = hold_triage_meeting(
                council=form.chosen_council or councils[0],
                chaired_by=user_of(request),
                held_at=form.held_at,
                attendance=attendance,
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                if key == "held_at":
                    form.add_error("held_date", errors)
                elif key == "council":
                    form.add_error("council", errors)
                elif key == "attendance":
                    attendance_errors.extend(errors)
                else:
                    form.add_error(None, errors)
        else:
            messages.success(request, "Meeting started. Work through the notifications below.")
            return redirect("front_door:triage-meeting", pk=meeting.pk)
    summary = form_errors_summary(form, [formset])
    summary += [{"href": "#attendance", "text": message} for message in attendance_errors]
    return render(
        request,
        "front_door/triage/meeting_form.html",
        {
            "form": form,
            "formset": formset,
            "attendance_errors": attendance_errors,
            "errors": summary,
            "max_attendees": MAX_ATTENDEES,
        },
    )


def _visible_meeting(request: HttpRequest, pk: int) -> TriageMeeting:
    return policy.get_visible_or_404(user_of(request), TriageMeeting, pk)


@requires(FrontDoorAction.TRIAGE)
@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    outcomes = [
        {"outcome": outcome, "contact_url": contact_url(outcome.children_contact)}
        for outcome in triage_selectors.meeting_outcomes(meeting)
    ]
    awaiting = notification_selectors.rows(
        notification_selectors.awaiting_triage(user=user_of(request)).filter(
            council=meeting.council
        )
    )
    return render(
        request,
        "front_door/triage/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": triage_selectors.attendance_by_agency(meeting),
            "outcomes": outcomes,
            "awaiting": awaiting,
        },
    )


@requires(FrontDoorAction.TRIAGE)
@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest, pk: int, notification_pk: uuid.UUID) -> HttpResponse:
    """Triage one notification in a meeting: safety planning, MARAC, and a contact for the
    children, in screening, carrying everything the notification knew."""
    meeting = _visible_meeting(request, pk)
    notification = _visible_notification(request, notification_pk)
    if notification.council_id != meeting.council_id:
        raise Http404
    if notification.status == NotificationStatus.TRIAGED and request.method == "GET":
        messages.info(request, "This notification has already been triaged.")
        return redirect("front_door:notification", pk=notification.pk)
    if request.method == "GET":
        form = TriageForm(initial={"version": notification.version})
    else:
        form = TriageForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: triage_notification(
                    notification=notification,
                    meeting=meeting,
                    by=user_of(request),
                    expected_version=data["version"],
                    safety_planning=data["safety_planning"],
                    marac_referral=data["marac_referral"],
                    marac_basis=data["marac_basis"],
                    no_marac_reason=data["no_marac_reason"],
                    create_children_contact=True,
                ),
            )
            if outcome is not None:
                messages.success(
                    request,
                    f"Triage recorded for the notification about {notification.victim}. "
                    "A contact for the children is in screening: record its threshold "
                    "decision from the meeting page.",
                )
                following = triage_selectors.next_awaiting(
                    user=user_of(request), meeting=meeting, after=outcome.notification
                )
                if following is not None:
                    return redirect(
                        "front_door:triage-notification",
                        pk=meeting.pk,
                        notification_pk=following.pk,
                    )
                return redirect("front_door:triage-meeting", pk=meeting.pk)
    row = notification_selectors.rows([notification])[0]
    _log_people_read(request, notification)
    return render(
        request,
        "front_door/triage/triage_form.html",
        {
            "meeting": meeting,
            "notification": notification,
            "row": row,
            "children": notification.child_links.select_related("person").order_by(
                "person__date_of_birth"
            ),
            "form": form,
            "errors": form_errors_summary(form),
            "is_high_risk": notification.dash_risk == DashRisk.HIGH,
            "remaining": notification_selectors.awaiting_triage(user=user_of(request))
            .filter(council=meeting.council)
            .exclude(pk=notification.pk)
            .count(),
        },
    )
