"""Domestic-abuse joint triage pages: police enter notifications; the council's front door
lists them against the one-working-day timescale, holds a joint triage meeting and works
through the notifications one by one. The children's outcome becomes a contact in
screening, whose threshold decision is recorded on the contact's own page.

Each view parses input, asks the policy, calls one service or selector and renders.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.front_door import triage_selectors
from continuum.front_door.choices import DashRisk, NotificationStatus
from continuum.front_door.intake import NewPerson, PersonEntry, record_notification_with_people
from continuum.front_door.models import Contact, DomesticAbuseNotification, TriageMeeting
from continuum.front_door.policies import FrontDoorAction, councils_user_may_refer_to
from continuum.front_door.services import (
    ConcurrentChangeError,
    NotificationDetails,
    hold_triage_meeting,
    triage_notification,
)
from continuum.front_door.triage_forms import (
    EXPECTED_AGENCIES,
    MAX_ATTENDEES,
    MAX_CHILDREN,
    AttendanceFormSet,
    ChildFormSet,
    MeetingForm,
    NotificationFilterForm,
    NotificationForm,
    OneMoreAttendeeFormSet,
    OneMoreChildFormSet,
    TriageForm,
    as_typed,
    filled_child_forms,
)
from continuum.organisations.models import Organisation
from continuum.people.models import Person
from continuum.people.selectors import possible_duplicates
from continuum.web.decorators import requires
from continuum.web.pagination import govuk_pagination

PENDING_NOTIFICATION_KEY = "front_door:pending-notification"
PAGE_SIZE = 50
NEW_PERSON = "new"


def _user(request: HttpRequest) -> User:
    """The signed-in user with a role (``requires`` let nobody else in)."""
    return cast(User, request.user)


def contact_url(contact: Contact | None) -> str | None:
    """The contact page (built by the contact pages), or None if it is not there."""
    if contact is None:
        return None
    try:
        return reverse("front_door:contact", args=[contact.pk])
    except NoReverseMatch:
        return None


def _summary_errors(form: Any, formsets: Iterable[Any] = ()) -> list[dict[str, str]]:
    """Every error on the page, each linking to its field, for the error summary."""
    errors: list[dict[str, str]] = []

    def add(one: Any) -> None:
        for message in one.non_field_errors():
            errors.append({"href": "#main-content", "text": message})
        for field in one:
            for message in field.errors:
                errors.append({"href": f"#{field.auto_id}", "text": message})

    if form is not None and form.is_bound:
        add(form)
    for formset in formsets:
        if not formset.is_bound:
            continue
        for message in formset.non_form_errors():
            errors.append({"href": f"#{formset.prefix}", "text": message})
        for row in formset.forms:
            add(row)
    return errors


# --- the notifications list and one notification ------------------------------------------


def _visible_notification(request: HttpRequest, pk: uuid.UUID) -> DomesticAbuseNotification:
    return policy.get_visible_or_404(_user(request), DomesticAbuseNotification, pk)


def _log_people_read(request: HttpRequest, notification: DomesticAbuseNotification) -> None:
    """A notification's page shows the victim's, the alleged perpetrator's and the
    children's case details: one access-log row for each of them."""
    for person_id in triage_selectors.people_named(notification):
        log_access(
            request=request,
            user=_user(request),
            subject_id=person_id,
            action=AccessAction.VIEW_RECORD,
        )


@requires(FrontDoorAction.VIEW_NOTIFICATIONS)
@require_http_methods(["GET"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The council's front door: awaiting triage first, oldest first, with the due date and
    an overdue flag. Police: their force's notifications and the triage outcomes."""
    form = NotificationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    visible = triage_selectors.notifications_for(
        user=_user(request),
        status=filters.get("status", ""),
        risk=filters.get("risk", ""),
        overdue=True if filters.get("overdue") else None,
    )
    awaiting = triage_selectors.rows(
        triage_selectors.awaiting_triage(user=_user(request), notifications=visible)
    )
    triaged_page = Paginator(visible.filter(status=NotificationStatus.TRIAGED), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_triage = policy.can(_user(request), FrontDoorAction.TRIAGE)
    return render(
        request,
        "front_door/triage/notifications.html",
        {
            "filter_form": form,
            "filtered": bool(filters and any(filters.values())),
            "awaiting": awaiting,
            "triaged": triage_selectors.rows(list(triaged_page)),
            "triaged_page": triaged_page,
            "pagination": govuk_pagination(triaged_page),
            "can_triage": can_triage,
            "can_create": policy.can(_user(request), FrontDoorAction.CREATE_NOTIFICATION),
            "meetings": triage_selectors.meetings_for(user=_user(request))[:5]
            if can_triage
            else [],
        },
    )


@requires(FrontDoorAction.VIEW_NOTIFICATIONS)
@require_http_methods(["GET"])
def notification_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    notification = _visible_notification(request, pk)
    _log_people_read(request, notification)
    row = triage_selectors.rows([notification])[0]
    outcome = row.triage
    contact = triage_selectors.visible_children_contact(user=_user(request), outcome=outcome)
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
            "can_triage": policy.can(_user(request), FrontDoorAction.TRIAGE),
        },
    )


# --- entering a notification -----------------------------------------------------------------


@dataclass
class EnteredPerson:
    """Someone typed into the notification, with the records that may be them."""

    key: str
    label: str
    new: NewPerson
    candidates: list[Person]
    present: bool = False

    @property
    def field_name(self) -> str:
        return "match-" + self.key.replace(".", "-")

    @property
    def nhs_match(self) -> bool:
        return bool(self.new.nhs_number) and any(
            p.nhs_number == self.new.nhs_number for p in self.candidates
        )


def _notification_forms(
    request: HttpRequest, data: QueryDict | None
) -> tuple[NotificationForm, Any]:
    councils = councils_user_may_refer_to(_user(request))
    if not councils:
        raise PermissionDenied("Your organisation does not serve any council yet.")
    form = NotificationForm(data, councils=councils)
    formset = ChildFormSet(data, prefix="children")
    return form, formset


def _with_another_child_row(
    request: HttpRequest, form: NotificationForm, formset: Any
) -> tuple[NotificationForm, Any]:
    """The form as typed so far, not yet checked, with one more row for a child."""
    councils = councils_user_may_refer_to(_user(request))
    rows = [as_typed(row) for row in formset.forms]
    return (
        NotificationForm(initial=as_typed(form), councils=councils),
        OneMoreChildFormSet(initial=rows, prefix="children"),
    )


def _entered_people(
    request: HttpRequest, form: NotificationForm, formset: Any
) -> list[EnteredPerson]:
    typed: list[tuple[str, str, NewPerson, bool]] = [("victim", "The victim", form.victim(), False)]
    perpetrator = form.perpetrator()
    if perpetrator is not None:
        typed.append(("alleged_perpetrator", "The alleged perpetrator", perpetrator, False))
    for index, child_form in enumerate(filled_child_forms(formset)):
        typed.append(
            (
                f"children.{index}",
                f"Child {index + 1}",
                child_form.child(),
                child_form.cleaned_data["present"],
            )
        )
    return [
        EnteredPerson(
            key=key,
            label=label,
            new=new,
            present=present,
            candidates=possible_duplicates(
                user=_user(request),
                given_name=new.given_name,
                family_name=new.family_name,
                date_of_birth=new.date_of_birth,
                nhs_number=new.nhs_number,
            ),
        )
        for key, label, new, present in typed
    ]


_PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number")
_NOTIFICATION_FIELDS = {
    "council": "council",
    "incident_at": "incident_date",
    "dash_risk": "dash_risk",
    "dash_ticks": "dash_ticks",
    "repeat_incidents_12_months": "repeat_incidents_12_months",
    "reporting_officer": "reporting_officer",
    "reporting_officer_number": "reporting_officer_number",
    "alleged_perpetrator": "perpetrator_family_name",
    "alleged_perpetrator_description": "alleged_perpetrator_description",
    "summary": "summary",
}


def _attach_errors(
    exc: ValidationError, form: NotificationForm, formset: Any, children_errors: list[str]
) -> None:
    """Put each error from the services on the field it names."""
    child_forms = filled_child_forms(formset)
    for key, errors in exc.message_dict.items():
        role, _, rest = key.partition(".")
        if key == "children":
            children_errors.extend(errors)
        elif role in ("victim", "alleged_perpetrator") and rest:
            prefix = "victim" if role == "victim" else "perpetrator"
            field = f"{prefix}_{rest}"
            form.add_error(field if field in form.fields else None, errors)
        elif role == "children" and rest:
            index, _, field = rest.partition(".")
            if index.isdigit() and int(index) < len(child_forms):
                child = child_forms[int(index)]
                child.add_error(field if field in child.fields else None, errors)
            else:
                children_errors.extend(errors)
        else:
            form.add_error(_NOTIFICATION_FIELDS.get(key), errors)


def _render_new(
    request: HttpRequest, form: NotificationForm, formset: Any, children_errors: list[str]
) -> HttpResponse:
    summary = _summary_errors(form, [formset])
    summary += [{"href": "#children", "text": message} for message in children_errors]
    return render(
        request,
        "front_door/triage/notification_form.html",
        {
            "form": form,
            "formset": formset,
            "children_errors": children_errors,
            "errors": summary,
            "max_children": MAX_CHILDREN,
        },
    )


def _create_notification(
    request: HttpRequest,
    form: NotificationForm,
    formset: Any,
    entered: list[EnteredPerson],
    chosen: dict[str, Person],
) -> HttpResponse:
    def entry(person: EnteredPerson) -> PersonEntry:
        existing = chosen.get(person.key)
        return PersonEntry(existing=existing) if existing else PersonEntry(new=person.new)

    by_key = {p.key: p for p in entered}
    data = form.cleaned_data
    children_errors: list[str] = []
    try:
        notification = record_notification_with_people(
            recorded_by=_user(request),
            council=data["council"],
            details=NotificationDetails(
                incident_at=form.incident_at,
                dash_risk=data["dash_risk"],
                dash_ticks=data["dash_ticks"],
                repeat_incidents_12_months=data["repeat_incidents_12_months"],
                reporting_officer=data["reporting_officer"],
                reporting_officer_number=data["reporting_officer_number"],
                alleged_perpetrator_description=data["alleged_perpetrator_description"],
                summary=data["summary"],
            ),
            victim=entry(by_key["victim"]),
            alleged_perpetrator=entry(by_key["alleged_perpetrator"])
            if "alleged_perpetrator" in by_key
            else None,
            children=[(entry(p), p.present) for p in entered if p.key.startswith("children.")],
        )
    except ValidationError as exc:
        _attach_errors(exc, form, formset, children_errors)
        return _render_new(request, form, formset, children_errors)
    request.session.pop(PENDING_NOTIFICATION_KEY, None)
    messages.success(
        request,
        f"Notification recorded. The {notification.council.name} front door will triage it "
        "with partners within one working day.",
    )
    return redirect("front_door:notification", pk=notification.pk)


def _render_check_people(
    request: HttpRequest, entered: list[EnteredPerson], errors: dict[str, str]
) -> HttpResponse:
    return render(
        request,
        "front_door/triage/notification_check_people.html",
        {
            "people": [p for p in entered if p.candidates],
            "choice_errors": errors,
            "errors": [
                {"href": f"#{p.field_name}", "text": errors[p.key]}
                for p in entered
                if p.key in errors
            ],
            "new_value": NEW_PERSON,
        },
    )


@requires(FrontDoorAction.CREATE_NOTIFICATION)
@require_http_methods(["GET", "POST"])
def notification_new(request: HttpRequest) -> HttpResponse:
    """Police (or the front door) enter a domestic-abuse notification. People typed in are
    checked against the records the user may see before any new record is made."""
    if request.method == "GET":
        form, formset = _notification_forms(request, None)
        return _render_new(request, form, formset, [])
    form, formset = _notification_forms(request, request.POST)
    if "add-child" in request.POST:
        return _render_new(request, *_with_another_child_row(request, form, formset), [])
    if not (form.is_valid() and formset.is_valid()):
        return _render_new(request, form, formset, [])
    entered = _entered_people(request, form, formset)
    if any(p.candidates for p in entered):
        request.session[PENDING_NOTIFICATION_KEY] = {
            key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"
        }
        return _render_check_people(request, entered, {})
    return _create_notification(request, form, formset, entered, {})


@requires(FrontDoorAction.CREATE_NOTIFICATION)
@require_http_methods(["POST"])
def notification_check_people(request: HttpRequest) -> HttpResponse:
    """For each person who may already have a record: use that record, or add a new one."""
    pending = request.session.get(PENDING_NOTIFICATION_KEY)
    if not pending:
        messages.info(
            request, "Enter the notification again: the details you entered were not kept."
        )
        return redirect("front_door:notification-new")
    data = QueryDict(mutable=True)
    for key, values in pending.items():
        data.setlist(key, values)
    form, formset = _notification_forms(request, data)
    if not (form.is_valid() and formset.is_valid()):
        return _render_new(request, form, formset, [])
    entered = _entered_people(request, form, formset)
    chosen: dict[str, Person] = {}
    errors: dict[str, str] = {}
    for person in entered:
        if not person.candidates:
            continue
        choice = request.POST.get(person.field_name, "")
        match = next((p for p in person.candidates if str(p.pk) == choice), None)
        if match is not None:
            chosen[person.key] = match
        elif choice == NEW_PERSON and not person.nhs_match:
            continue
        elif choice == NEW_PERSON:
            errors[person.key] = (
                f"{person.label}: a record with this NHS number already exists. Use that record."
            )
        else:
            errors[person.key] = (
                f"{person.label}: select the existing record, or that this is a new person."
            )
    if errors:
        return _render_check_people(request, entered, errors)
    return _create_notification(request, form, formset, entered, chosen)


# --- joint triage meetings -------------------------------------------------------------------


def _meeting_organisations(request: HttpRequest) -> Any:
    council = policy.council_of(_user(request))
    return Organisation.objects.filter(serves=council).order_by("name").distinct()


@requires(FrontDoorAction.TRIAGE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Start a joint triage meeting: when, and who attended from which agency."""
    council = policy.council_of(_user(request))
    if council is None:  # the TRIAGE rule already requires one
        raise PermissionDenied
    organisations = _meeting_organisations(request)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data)
    formset = AttendanceFormSet(
        data,
        prefix="attendance",
        form_kwargs={"organisations": organisations},
        initial=[{"agency": agency} for agency in EXPECTED_AGENCIES],
    )
    attendance_errors: list[str] = []
    if data is not None and "add-attendee" in data:
        # One more row, keeping what was typed and checking nothing yet.
        form = MeetingForm(initial=as_typed(form))
        formset = OneMoreAttendeeFormSet(
            prefix="attendance",
            form_kwargs={"organisations": organisations},
            initial=[as_typed(row) for row in formset.forms],
        )
    elif data is not None and form.is_valid() and formset.is_valid():
        attendance = [row for row in (f.row() for f in formset.forms) if row is not None]
        try:
            meeting = hold_triage_meeting(
                council=council,
                chaired_by=_user(request),
                held_at=form.held_at,
                attendance=attendance,
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                if key == "held_at":
                    form.add_error("held_date", errors)
                elif key == "attendance":
                    attendance_errors.extend(errors)
                else:
                    form.add_error(None, errors)
        else:
            messages.success(request, "Meeting started. Work through the notifications below.")
            return redirect("front_door:triage-meeting", pk=meeting.pk)
    summary = _summary_errors(form, [formset])
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
    return policy.get_visible_or_404(_user(request), TriageMeeting, pk)


@requires(FrontDoorAction.TRIAGE)
@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    outcomes = [
        {"outcome": outcome, "contact_url": contact_url(outcome.children_contact)}
        for outcome in triage_selectors.meeting_outcomes(meeting)
    ]
    awaiting = triage_selectors.rows(
        triage_selectors.awaiting_triage(user=_user(request)).filter(council=meeting.council)
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
            try:
                outcome = triage_notification(
                    notification=notification,
                    meeting=meeting,
                    by=_user(request),
                    expected_version=data["version"],
                    safety_planning=data["safety_planning"],
                    marac_referral=data["marac_referral"],
                    marac_basis=data["marac_basis"],
                    no_marac_reason=data["no_marac_reason"],
                    create_children_contact=True,
                )
            except ConcurrentChangeError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"Triage recorded for the notification about {notification.victim}. "
                    "A contact for the children is in screening: record its threshold "
                    "decision from the meeting page.",
                )
                following = triage_selectors.next_awaiting(
                    user=_user(request), meeting=meeting, after=outcome.notification
                )
                if following is not None:
                    return redirect(
                        "front_door:triage-notification",
                        pk=meeting.pk,
                        notification_pk=following.pk,
                    )
                return redirect("front_door:triage-meeting", pk=meeting.pk)
    row = triage_selectors.rows([notification])[0]
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
            "errors": _summary_errors(form),
            "is_high_risk": notification.dash_risk == DashRisk.HIGH,
            "remaining": triage_selectors.awaiting_triage(user=_user(request))
            .filter(council=meeting.council)
            .exclude(pk=notification.pk)
            .count(),
        },
    )
