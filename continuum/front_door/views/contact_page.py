"""The contact page: the front door's screening page, or the referrer's view with the
outcome; and from it submitting a draft, the screening moves, a request for information,
the threshold decision, a team manager's sign-off and information-sharing decisions. Also
a referrer's own contacts.

Each view asks the access policy (``requires`` and ``policy.get_visible_or_404`` with
``policy.can`` for the contact), parses input with a form, calls one service and renders.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.front_door import selectors, services
from continuum.front_door.choices import ContactStatus
from continuum.front_door.forms import (
    SERVICE_FIELD_NAMES,
    DecisionForm,
    RequestInformationForm,
    SharingDecisionForm,
    SignOffForm,
    StatusChangeForm,
)
from continuum.front_door.models import Contact
from continuum.front_door.policies import FrontDoorAction, require_on_contact
from continuum.front_door.views.contacts_common import contact_for_page, log_people_read
from continuum.people import matching
from continuum.people.models import Person
from continuum.thresholds.templatetags.threshold_tags import level_tag_class
from continuum.ui.errors import Refused, attempt, error_summary
from continuum.ui.panels import panels_for


def _render_contact(
    request: AuthenticatedRequest, contact: Contact, *, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    user = request.user
    log_people_read(request, contact)
    decision = getattr(contact, "decision", None)
    screens = policy.can(user, FrontDoorAction.SCREEN_CONTACT, contact)
    context: dict[str, Any] = {
        "contact": contact,
        "decision": decision,
        "children": selectors.children_of(contact),
        "adults": selectors.adults_of(contact),
        "sharing_decisions": selectors.sharing_decisions_of(contact),
        "visible_people": set(
            policy.visible(user, Person)
            .filter(contact_links__contact=contact)
            .values_list("pk", flat=True)
        ),
        "front_door_view": policy.can(user, FrontDoorAction.VIEW_SCREENING, contact),
        # A referrer whose involvement has ended sees what they sent and the outcome only.
        "follows": policy.can(user, FrontDoorAction.FOLLOW_CONTACT, contact),
        "screens": screens,
        "can_edit": policy.can(user, FrontDoorAction.EDIT_CONTACT, contact),
        "can_decide": policy.can(user, FrontDoorAction.DECIDE_CONTACT, contact),
        "can_sign_off": decision is not None
        and decision.awaiting_sign_off
        and policy.can(user, FrontDoorAction.SIGN_OFF_DECISION, contact),
        "can_record_sharing": policy.can(user, FrontDoorAction.RECORD_SHARING_DECISION, contact),
        "can_print_letter": policy.can(user, FrontDoorAction.VIEW_LETTER, contact)
        and selectors.outcome_is_final(contact),
        "outcome_final": selectors.outcome_is_final(contact),
        "is_overdue": contact.is_overdue(),
        "age": contact.age_in_working_days(),
        "errors": errors or [],
        "statuses": ContactStatus,
    }
    if context["front_door_view"]:
        context["timeline"] = selectors.timeline_of(contact)
        context["not_agreed"] = selectors.decisions_not_agreed(contact)
        context["history"] = selectors.previous_contacts_visible_to(user=user, contact=contact)
        # Other records of the children (linked, or possible matches the council reviews):
        # a partner may have made a second record of a child already known.
        context["matched"] = [
            (child, record)
            for child in context["children"]
            for record in matching.matched_records(user=user, person=child)
        ]
        context["presenting"] = contact.presenting_indicators.select_related("domain")
        if decision is not None:
            context["decision_indicators"] = decision.indicators.select_related("domain")
    else:
        context["presenting"] = contact.presenting_indicators.select_related("domain")
    # What apps above add to the contact's page (its case notes, documents, the user's
    # reminders on it), for those they show: ``ui.panels``.
    context["extra_panels"] = panels_for("front_door.contact", request, contact)
    return render(request, "front_door/contacts/detail.html", context)


@requires()
@require_http_methods(["GET"])
def contact_detail(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _render_contact(request, contact_for_page(request, pk))


@requires()
@require_http_methods(["POST"])
def contact_status(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Start screening, resume screening after information arrives, or close."""
    contact = contact_for_page(request, pk)
    require_on_contact(request.user, FrontDoorAction.SCREEN_CONTACT, contact, "screen")
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        return _render_contact(
            request, contact, errors=[{"text": "Choose an action for the contact.", "href": "#"}]
        )
    try:
        services.change_status(
            contact=contact,
            to_status=form.to_status(),
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except Refused as refusal:
        return _render_contact(
            request, contact_for_page(request, pk), errors=error_summary(refusal)
        )
    messages.success(request, f"The contact is now {contact.get_status_display().lower()}.")
    return redirect("front_door:contact", pk=contact.pk)


@requires()
@require_http_methods(["GET", "POST"])
def contact_request_information(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    contact = contact_for_page(request, pk)
    require_on_contact(request.user, FrontDoorAction.SCREEN_CONTACT, contact, "screen")
    if request.method == "GET":
        form = RequestInformationForm(initial={"version": contact.version})
    else:
        form = RequestInformationForm(request.POST)
        if form.is_valid():
            changed = attempt(
                form,
                lambda: services.change_status(
                    contact=contact,
                    to_status=ContactStatus.AWAITING_INFORMATION,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    note=form.cleaned_data["note"],
                ),
            )
            if changed is not None:
                messages.success(request, "The contact is now awaiting information.")
                return redirect("front_door:contact", pk=contact.pk)
    return render(
        request,
        "front_door/contacts/request_information.html",
        {"contact": contact, "form": form, "children": selectors.children_of(contact)},
    )


@requires()
@require_http_methods(["GET", "POST"])
def contact_decide(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Record the threshold decision, with the framework's suggestion shown beside it."""
    contact = contact_for_page(request, pk)
    require_on_contact(request.user, FrontDoorAction.DECIDE_CONTACT, contact, "decide")
    if getattr(contact, "decision", None) is not None and request.method == "GET":
        messages.info(request, "This contact already has a decision.")
        return redirect("front_door:contact", pk=contact.pk)
    codes = selectors.indicator_codes()
    presenting = list(contact.presenting_indicators.values_list("code", flat=True))
    if request.method == "GET":
        form = DecisionForm(
            initial={"version": contact.version, "indicators": presenting},
            indicator_codes=codes,
        )
    elif request.POST.get("action") == "suggest":
        # Only the suggestion is worked out again: the answers come back, nothing checked.
        keep = ("version", "level", "outcome", "rationale", "difference_reason")
        initial: dict[str, Any] = {name: request.POST.get(name, "") for name in keep}
        initial["indicators"] = request.POST.getlist("indicators")
        form = DecisionForm(initial=initial, indicator_codes=codes)
    else:
        form = DecisionForm(request.POST, indicator_codes=codes)
        if not form.is_valid():
            _add_decision_errors(form, contact)
        else:
            data = form.cleaned_data
            decided = attempt(
                form,
                lambda: services.decide_contact(
                    contact=contact,
                    by=request.user,
                    expected_version=data["version"],
                    level=data["level"],
                    indicator_codes=data["indicators"],
                    outcome=data["outcome"],
                    rationale=data["rationale"],
                    difference_reason=data["difference_reason"],
                ),
                field_names=SERVICE_FIELD_NAMES,
            )
            if decided is not None:
                decision = Contact.objects.get(pk=contact.pk).decision
                if decision.awaiting_sign_off:
                    messages.success(
                        request,
                        "Decision recorded. No further action with a level 3 or 4 indicator "
                        "needs a team manager's sign-off.",
                    )
                else:
                    messages.success(request, "Decision recorded.")
                return redirect("front_door:contact", pk=contact.pk)
    selected = form.selected_codes()
    return render(
        request,
        "front_door/contacts/decide.html",
        {
            "contact": contact,
            "form": form,
            "children": selectors.children_of(contact),
            "indicator_groups": selectors.indicator_groups(),
            "checked": set(selected),
            "presenting": set(presenting),
            "suggestion": selectors.suggestion_for(selected, contact.council),
            "suggestion_rules": {
                **selectors.suggestion_rules(contact.council),
                "tagClasses": {str(level): level_tag_class(level) for level in (1, 2, 3, 4)},
            },
            "presenting_indicators": contact.presenting_indicators.select_related("domain"),
            "not_agreed": selectors.decisions_not_agreed(contact),
        },
    )


def _add_decision_errors(form: DecisionForm, contact: Contact) -> None:
    """On a refused decision, what the service would also refuse (a level that differs from
    the framework's suggestion without a reason, an outcome that does not fit the level),
    so every problem shows on the first submission rather than one round at a time."""
    data = form.cleaned_data
    level = data.get("level")
    _, _, errors = services.check_decision(
        level=level if isinstance(level, int) else 0,
        indicator_codes=form.selected_codes() if "indicators" not in form.errors else [],
        outcome=data.get("outcome") or "",
        rationale=data.get("rationale") or "",
        difference_reason=data.get("difference_reason") or "",
        council=contact.council,
    )
    if not isinstance(level, int):
        errors.pop("difference_reason", None)  # no level chosen yet: nothing differs
    for name, problems in errors.items():
        name = SERVICE_FIELD_NAMES.get(name, name)
        if name in form.fields and name not in form.errors:
            form.add_error(name, problems)


@requires()
@require_http_methods(["GET", "POST"])
def contact_sign_off(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """A team manager signs off no further action on a contact with a level 3 or 4
    indicator, or does not agree, says why, and returns the contact to the worker."""
    contact = contact_for_page(request, pk)
    require_on_contact(request.user, FrontDoorAction.SIGN_OFF_DECISION, contact, "sign off")
    decision = getattr(contact, "decision", None)
    if decision is None or not decision.awaiting_sign_off:
        if request.method == "GET":
            messages.info(request, "This contact has no decision awaiting sign-off.")
            return redirect("front_door:contact", pk=contact.pk)
        if decision is None:
            raise Http404
    if request.method == "GET":
        form = SignOffForm(initial={"version": contact.version})
    else:
        form = SignOffForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            agreed = data["answer"] == SignOffForm.AGREED
            done = attempt(
                form,
                lambda: (
                    services.sign_off_decision(
                        decision=decision, manager=request.user, expected_version=data["version"]
                    )
                    if agreed
                    else services.not_agree_decision(
                        decision=decision,
                        manager=request.user,
                        reason=data["reason"],
                        expected_version=data["version"],
                    )
                ),
            )
            if done is not None:
                if agreed:
                    messages.success(request, "You have signed off the decision.")
                else:
                    messages.success(
                        request,
                        "You did not agree the decision: the contact is back with the worker.",
                    )
                return redirect("front_door:contact", pk=contact.pk)
    log_people_read(request, contact)
    return render(
        request,
        "front_door/contacts/sign_off.html",
        {
            "contact": contact,
            "decision": decision,
            "decision_indicators": decision.indicators.select_related("domain"),
            "children": selectors.children_of(contact),
            "form": form,
        },
    )


@requires()
@require_http_methods(["GET", "POST"])
def contact_sharing_decision(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Record a decision to share information about the family, or not to."""
    contact = contact_for_page(request, pk)
    policy.require(request.user, FrontDoorAction.RECORD_SHARING_DECISION, contact)
    form = SharingDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = attempt(
            form,
            lambda: services.record_sharing_decision(
                contact=contact,
                by=request.user,
                shared=data["shared"],
                what=data["what"],
                with_whom=data["with_whom"],
                purpose=data["purpose"],
                lawful_basis=data["lawful_basis"],
                reason=data["reason"],
            ),
        )
        if recorded is not None:
            messages.success(request, "The information-sharing decision has been recorded.")
            return redirect("front_door:contact", pk=contact.pk)
    return render(
        request, "front_door/contacts/sharing_decision.html", {"contact": contact, "form": form}
    )


@requires()
@require_http_methods(["GET"])
def my_contacts(request: AuthenticatedRequest) -> HttpResponse:
    """The contacts the user made, with their status and outcome."""
    contacts = selectors.contacts_made_by(user=request.user)
    return render(
        request,
        "front_door/contacts/mine.html",
        {
            "contacts": contacts,
            "can_create": policy.can(request.user, FrontDoorAction.CREATE_CONTACT),
        },
    )
