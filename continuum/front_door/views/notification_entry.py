"""Entering a police domestic-abuse notification: the incident, the victim, the alleged
perpetrator (or a description) and the children, then the DASH risk and the reporting
officer. People typed in are checked against the records the user may see before any new
record is made; the user picks an existing record or confirms a new one.

Each view parses input, asks the policy, calls one service or selector and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from continuum.access.requests import requires, user_of
from continuum.errors import NotPermitted
from continuum.front_door.forms.common import as_typed
from continuum.front_door.forms.notifications import (
    MAX_CHILDREN,
    ChildFormSet,
    NotificationForm,
    OneMoreChildFormSet,
    filled_child_forms,
)
from continuum.front_door.intake import NewPerson, PersonEntry, record_notification_with_people
from continuum.front_door.policies import FrontDoorAction, councils_user_may_refer_to
from continuum.front_door.services import NotificationDetails
from continuum.people.models import Person
from continuum.people.selectors import possible_duplicates
from continuum.ui.errors import form_errors_summary

PENDING_NOTIFICATION_KEY = "front_door:pending-notification"
NEW_PERSON = "new"


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
    councils = councils_user_may_refer_to(user_of(request))
    if not councils:
        raise NotPermitted("Your organisation does not serve any council yet.")
    form = NotificationForm(data, councils=councils)
    formset = ChildFormSet(data, prefix="children")
    return form, formset


def _with_another_child_row(
    request: HttpRequest, form: NotificationForm, formset: Any
) -> tuple[NotificationForm, Any]:
    """The form as typed so far, not yet checked, with one more row for a child."""
    councils = councils_user_may_refer_to(user_of(request))
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
                user=user_of(request),
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
    summary = form_errors_summary(form, [formset])
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
            recorded_by=user_of(request),
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
