"""Recording a contact, in steps kept in the session: who it is about (people found by
searching, or entered new after a check for duplicates), then what the referrer says and
the consent they obtained, saved as a draft or submitted. A draft is changed the same way.

Each view asks the access policy (``requires``, and ``policy.require`` for the draft),
parses input with a form, calls one service and renders.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.errors import NotPermitted
from continuum.front_door import selectors, services
from continuum.front_door.choices import ContactStatus
from continuum.front_door.forms import (
    ADULT_RELATIONSHIPS,
    SERVICE_FIELD_NAMES,
    AddPersonForm,
    ContactForm,
    PersonSearchForm,
    RemovePersonForm,
)
from continuum.front_door.models import Contact
from continuum.front_door.policies import FrontDoorAction, councils_user_may_refer_to
from continuum.people import selectors as people_selectors
from continuum.people import services as people_services
from continuum.people.forms import NewPersonForm
from continuum.people.models import Person
from continuum.people.policies import PeopleAction
from continuum.ui.errors import attempt

FLOWS_KEY = "front_door:contact-flows"
# The sections of the details page a "Change" link on the check-answers page leads to.
DETAIL_PARTS = frozenset({"received", "referrer", "concerns", "consent"})
MAX_FLOWS = 5
SEARCH_RESULTS = 20


# --- the contact being recorded, kept in the session between steps ---------------------------


def _flows(request: AuthenticatedRequest) -> dict[str, dict[str, Any]]:
    return dict(request.session.get(FLOWS_KEY, {}))


def _save_flow(request: AuthenticatedRequest, token: str, flow: dict[str, Any]) -> None:
    flows = _flows(request)
    flows.pop(token, None)
    flows[token] = flow
    # Keep the few most recent: one per browser tab is plenty.
    request.session[FLOWS_KEY] = dict(list(flows.items())[-MAX_FLOWS:])


def _drop_flow(request: AuthenticatedRequest, token: str) -> None:
    flows = _flows(request)
    flows.pop(token, None)
    request.session[FLOWS_KEY] = flows


def _start_flow(request: AuthenticatedRequest, contact: Contact | None = None) -> str:
    token = str(uuid.uuid4())
    flow: dict[str, Any] = {"contact": None, "children": [], "adults": []}
    if contact is not None:
        flow["contact"] = str(contact.pk)
        flow["children"] = [str(pk) for pk in contact.children.values_list("pk", flat=True)]
        flow["adults"] = [
            [str(adult.person_id), adult.relationship] for adult in contact.adults.all()
        ]
    _save_flow(request, token, flow)
    return token


class FlowEnded(Exception):
    """The contact being recorded can no longer be worked on here: the session lost it
    (signed out, another browser), or the draft has been submitted meanwhile."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__()
        self.response = response


def _flow(request: AuthenticatedRequest, token: uuid.UUID) -> tuple[dict[str, Any], Contact | None]:
    """The flow and, when it edits a draft, the draft; refused unless the user may still
    record a contact or edit that draft."""
    flow = _flows(request).get(str(token))
    if flow is None:
        messages.info(
            request,
            "The contact you were recording was not kept (you may have been signed out). "
            "Start again; drafts you saved are under Your contacts.",
        )
        raise FlowEnded(redirect("front_door:my-contacts"))
    contact = None
    if flow["contact"]:
        contact = policy.get_visible_or_404(request.user, Contact, flow["contact"])
        if contact.status != ContactStatus.DRAFT:
            _drop_flow(request, str(token))
            messages.info(request, "This contact has been submitted: it can no longer be changed.")
            raise FlowEnded(redirect("front_door:contact", pk=contact.pk))
        policy.require(request.user, FrontDoorAction.EDIT_CONTACT, contact)
    elif not policy.can(request.user, FrontDoorAction.CREATE_CONTACT):
        raise NotPermitted
    return flow, contact


def _flow_people(
    request: AuthenticatedRequest, flow: dict[str, Any], contact: Contact | None
) -> tuple[list[Person], list[tuple[Person, str]]]:
    """The children and adults chosen so far, in the order added. Only people the user may
    see, or who are already named on the draft being changed."""
    ids = set(flow["children"]) | {pk for pk, _ in flow["adults"]}
    people = {str(p.pk): p for p in policy.visible(request.user, Person).filter(pk__in=ids)}
    if contact is not None:
        on_draft = Person.objects.filter(pk__in=ids).filter(
            Q(contact_links__contact=contact) | Q(pk__in=contact.adults.values("person"))
        )
        for person in on_draft:
            people.setdefault(str(person.pk), person)
    children = [people[pk] for pk in flow["children"] if pk in people]
    adults = [(people[pk], relationship) for pk, relationship in flow["adults"] if pk in people]
    return children, adults


def _add_to_flow(flow: dict[str, Any], *, person: Person, role: str, relationship: str) -> None:
    pk = str(person.pk)
    flow["children"] = [c for c in flow["children"] if c != pk]
    flow["adults"] = [a for a in flow["adults"] if a[0] != pk]
    if role == "child":
        flow["children"].append(pk)
    else:
        flow["adults"].append([pk, relationship.strip()])


def _flow_url(name: str, token: uuid.UUID | str) -> str:
    return reverse(name, kwargs={"token": token})


# --- recording a contact ------------------------------------------------------------------


@requires(FrontDoorAction.CREATE_CONTACT)
@require_http_methods(["GET"])
def contact_new(request: AuthenticatedRequest) -> HttpResponse:
    """Start recording a contact: first, who it is about."""
    return redirect(_flow_url("front_door:contact-people", _start_flow(request)))


@requires()
@require_http_methods(["GET"])
def contact_change(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Change a draft: its details first, with a link to change who it is about; or, from
    checking the answers, the part asked for (``part=people``: who it is about; any other
    part is a section of the details page)."""
    contact = policy.get_visible_or_404(request.user, Contact, pk)
    policy.require(request.user, FrontDoorAction.EDIT_CONTACT, contact)
    token = _start_flow(request, contact)
    part = request.GET.get("part", "")
    if part == "people":
        return redirect(_flow_url("front_door:contact-people", token))
    anchor = f"#{part}" if part in DETAIL_PARTS else ""
    return redirect(_flow_url("front_door:contact-details", token) + anchor)


@requires()
@require_http_methods(["GET", "POST"])
def contact_people(request: AuthenticatedRequest, token: uuid.UUID) -> HttpResponse:
    try:
        flow, contact = _flow(request, token)
    except FlowEnded as ended:
        return ended.response
    here = _flow_url("front_door:contact-people", token)
    errors: list[dict[str, str]] = []
    confirm: dict[str, Any] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            added = _add_person(request, token, flow)
            if isinstance(added, HttpResponse):
                return added
            confirm = added
        elif action == "remove":
            remove = RemovePersonForm(request.POST)
            if remove.is_valid():
                pk = str(remove.cleaned_data["person"])
                flow["children"] = [c for c in flow["children"] if c != pk]
                flow["adults"] = [a for a in flow["adults"] if a[0] != pk]
                _save_flow(request, str(token), flow)
            return redirect(here)
        else:
            children, _ = _flow_people(request, flow, contact)
            if children:
                return redirect(_flow_url("front_door:contact-details", token))
            errors = [{"text": "Add at least one child the contact is about.", "href": "#id_q"}]
    search = PersonSearchForm(request.GET or None)
    results: list[Person] = []
    searched = False
    children, adults = _flow_people(request, flow, contact)
    if search.is_bound and search.is_valid() and search.cleaned_data["q"].strip():
        searched = True
        chosen = {p.pk for p in children} | {p.pk for p, _ in adults}
        found = people_selectors.search_people(user=request.user, query=search.cleaned_data["q"])
        results = [p for p in found[: SEARCH_RESULTS + len(chosen)] if p.pk not in chosen][
            :SEARCH_RESULTS
        ]
    return render(
        request,
        "front_door/contacts/people.html",
        {
            "token": token,
            "contact": contact,
            "children": children,
            "adults": adults,
            "search": search,
            "searched": searched,
            "results": results,
            "relationships": ADULT_RELATIONSHIPS,
            "errors": errors,
            "confirm": confirm,
            "can_create_person": policy.can(request.user, PeopleAction.CREATE),
        },
    )


def _add_person(
    request: AuthenticatedRequest, token: uuid.UUID, flow: dict[str, Any]
) -> HttpResponse | dict[str, Any]:
    """Add the person found to the contact as a child or a parent or carer; or, for someone
    18 or over added as a child without confirming it, what to ask the user first."""
    here = _flow_url("front_door:contact-people", token)
    form = AddPersonForm(request.POST)
    if not form.is_valid():
        return redirect(here)
    person = policy.get_visible_or_404(request.user, Person, form.cleaned_data["person"])
    as_child = form.cleaned_data["role"] == "child"
    age = people_services.age_if_adult(person.date_of_birth)
    if as_child and age is not None and not form.cleaned_data["confirm_age"]:
        return {"person": person, "age": age}
    _add_to_flow(
        flow,
        person=person,
        role=form.cleaned_data["role"],
        relationship=form.cleaned_data["relationship"],
    )
    _save_flow(request, str(token), flow)
    role = "a child" if as_child else "a parent or carer"
    messages.success(request, f"{person.full_name} added as {role}.")
    return redirect(here)


def _new_person_form(request: AuthenticatedRequest, data: QueryDict | None) -> NewPersonForm:
    councils = people_services.councils_for_new_person(user=request.user)
    if not councils:
        raise NotPermitted("Your organisation does not serve any council yet.")
    # Nothing is chosen for the user: who the person is (child, unborn child or adult) is
    # their answer, as is the rest.
    return NewPersonForm(data, councils=councils, instance=Person())


def _create_person_in_flow(
    request: AuthenticatedRequest,
    *,
    token: uuid.UUID,
    flow: dict[str, Any],
    form: NewPersonForm,
    role: str,
    relationship: str,
) -> HttpResponse | None:
    person = attempt(
        form,
        lambda: people_services.create_person(created_by=request.user, **form.new_record()),
    )
    if person is None:
        return None
    flow.pop("pending", None)
    _add_to_flow(flow, person=person, role=role, relationship=relationship)
    _save_flow(request, str(token), flow)
    messages.success(request, f"{person.full_name} added to the record and to this contact.")
    return redirect(_flow_url("front_door:contact-people", token))


@requires(PeopleAction.CREATE)
@require_http_methods(["GET", "POST"])
def contact_new_person(request: AuthenticatedRequest, token: uuid.UUID) -> HttpResponse:
    """Enter a child (or parent or carer) who is not on the record yet, checking first for
    records that may be the same person."""
    try:
        flow, contact = _flow(request, token)
    except FlowEnded as ended:
        return ended.response
    source = request.POST if request.method == "POST" else request.GET
    role = "adult" if source.get("role") == "adult" else "child"
    relationship = source.get("relationship", "")[:100]
    form = _new_person_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = people_selectors.possible_duplicates(
            user=request.user,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"] or "",
        )
        if duplicates:
            flow["pending"] = {
                "data": {
                    key: request.POST.getlist(key)
                    for key in request.POST
                    if key != "csrfmiddlewaretoken"
                },
                "role": role,
                "relationship": relationship,
            }
            _save_flow(request, str(token), flow)
            nhs_match = any(
                data["nhs_number"] and p.nhs_number == data["nhs_number"] for p in duplicates
            )
            return render(
                request,
                "front_door/contacts/duplicates.html",
                {
                    "token": token,
                    "duplicates": duplicates,
                    "new_person": data,
                    "nhs_match": nhs_match,
                    "role": role,
                    "relationship": relationship,
                },
            )
        response = _create_person_in_flow(
            request, token=token, flow=flow, form=form, role=role, relationship=relationship
        )
        if response is not None:
            return response
    return render(
        request,
        "front_door/contacts/new_person.html",
        {
            "token": token,
            "contact": contact,
            "form": form,
            "role": role,
            "relationship": relationship,
            "relationships": ADULT_RELATIONSHIPS,
        },
    )


@requires(PeopleAction.CREATE)
@require_http_methods(["POST"])
def contact_new_person_confirm(request: AuthenticatedRequest, token: uuid.UUID) -> HttpResponse:
    """None of the possible matches is this person: add the new record."""
    try:
        flow, contact = _flow(request, token)
    except FlowEnded as ended:
        return ended.response
    pending = flow.get("pending")
    if not pending:
        messages.info(request, "Enter the person's details again: they were not kept.")
        return redirect(_flow_url("front_door:contact-new-person", token))
    data = QueryDict(mutable=True)
    for key, values in pending["data"].items():
        data.setlist(key, values)
    form = _new_person_form(request, data)
    if form.is_valid():
        response = _create_person_in_flow(
            request,
            token=token,
            flow=flow,
            form=form,
            role=pending["role"],
            relationship=pending["relationship"],
        )
        if response is not None:
            return response
    return render(
        request,
        "front_door/contacts/new_person.html",
        {
            "token": token,
            "contact": contact,
            "form": form,
            "role": pending["role"],
            "relationship": pending["relationship"],
            "relationships": ADULT_RELATIONSHIPS,
        },
    )


@requires()
@require_http_methods(["GET", "POST"])
def contact_details(request: AuthenticatedRequest, token: uuid.UUID) -> HttpResponse:
    """What the referrer says, the consent they obtained, and Save as draft or Submit."""
    try:
        flow, contact = _flow(request, token)
    except FlowEnded as ended:
        return ended.response
    user = request.user
    councils = [contact.council] if contact is not None else councils_user_may_refer_to(user)
    codes = selectors.indicator_codes()
    children, adults = _flow_people(request, flow, contact)
    if request.method == "GET":
        form = ContactForm(
            initial=ContactForm.initial_for(user=user, contact=contact),
            councils=councils,
            indicator_codes=codes,
        )
    else:
        form = ContactForm(request.POST, councils=councils, indicator_codes=codes)
        # "Continue" (or an old page's "submit") goes on to check the answers: everything
        # submitting needs is checked now, the draft saved, then submitted from there.
        to_check = request.POST.get("action") in ("continue", "submit")
        if not children:
            form.add_error(None, "Add at least one child the contact is about.")
        if to_check:
            _add_submission_errors(form)
        if form.is_valid():
            saved = _save_contact(request, form, contact, children, adults, submit=False)
            if saved is not None:
                _drop_flow(request, str(token))
                if to_check:
                    return redirect("front_door:contact-check", pk=saved.pk)
                messages.success(request, "The contact has been saved as a draft.")
                return redirect("front_door:contact", pk=saved.pk)
    return render(
        request,
        "front_door/contacts/details.html",
        {
            "token": token,
            "contact": contact,
            "form": form,
            "children": children,
            "adults": adults,
            "indicator_groups": selectors.indicator_groups(),
            "checked": set(form["indicators"].value() or []),
        },
    )


CONSENT_FIELDS = (
    "family_agreement",
    "agreement_obtained_by",
    "agreement_obtained_on",
    "lawful_basis",
    "not_agreed_reason",
    "sharing_justification",
)


def _add_submission_errors(form: ContactForm) -> None:
    """Before checking the answers, what submitting would refuse: the concerns, and what
    consent is missing too, so every problem shows at once rather than one round at a
    time."""
    form.is_valid()  # cleans the form, once
    data = form.cleaned_data
    if "concerns" not in form.errors and "indicators" not in form.errors:
        for name, problems in services.concerns_errors(
            concerns=data.get("concerns") or "", has_indicators=bool(data.get("indicators"))
        ).items():
            form.add_error(name, problems)
    if any(name in form.errors for name in CONSENT_FIELDS):
        return
    answers = Contact(
        family_agreement=data.get("family_agreement") or "",
        agreement_obtained_by=data.get("agreement_obtained_by") or "",
        agreement_obtained_on=data.get("agreement_obtained_on"),
        lawful_basis=data.get("lawful_basis") or "",
        not_agreed_reason=data.get("not_agreed_reason") or "",
        sharing_justification=data.get("sharing_justification") or "",
    )
    for name, problems in services.consent_errors(answers).items():
        form.add_error(name, problems)


def _save_contact(
    request: AuthenticatedRequest,
    form: ContactForm,
    contact: Contact | None,
    children: list[Person],
    adults: list[tuple[Person, str]],
    *,
    submit: bool,
) -> Contact | None:
    """Record the new contact or change the draft; None (errors on the form) if refused."""
    user = request.user
    data = form.cleaned_data
    if contact is None:
        council = data["council"]
        return attempt(
            form,
            lambda: services.record_contact(
                recorded_by=user,
                council=council,
                details=form.details(user=user),
                children=children,
                adults=adults,
                indicator_codes=data["indicators"],
                team=user.teams.filter(organisation__council=council).order_by("name").first(),
                submit=submit,
            ),
            field_names=SERVICE_FIELD_NAMES,
        )
    if data.get("version") is None:
        form.add_error(None, "Reload the draft and make your change again.")
        return None
    return attempt(
        form,
        lambda: services.update_draft(
            contact=contact,
            by=user,
            expected_version=data["version"],
            details=form.details(user=user),
            indicator_codes=data["indicators"],
            children=children,
            adults=adults,
            submit=submit,
        ),
        field_names=SERVICE_FIELD_NAMES,
    )
