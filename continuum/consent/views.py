"""The consent pages, each a page of the person's record (its "Consent" tab, with the
record's one access-log row): the person's consent now, earlier records and withdrawals;
recording consent; a consent record with its withdrawals, history and the panels apps
above add (the signed form); recording a withdrawal. Each asks the policy and calls one
service; a refusal shows at its field and in the error summary, and saves nothing."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.models import AccessAction
from continuum.consent import selectors, services
from continuum.consent.choices import InformationKind
from continuum.consent.forms import (
    CONSENT_FIELD_NAMES,
    WITHDRAWAL_FIELD_NAMES,
    ConsentForm,
    Giver,
    WithdrawalForm,
)
from continuum.consent.models import ConsentRecord
from continuum.consent.policies import ConsentAction
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.people.views import render_person_page
from continuum.ui.errors import attempt, form_errors_summary
from continuum.ui.panels import panels_for

TAB = "consent"
# What follows a withdrawal, said before it is recorded and after.
WHAT_FOLLOWS = (
    "Partners whose access to the family's records rested on this consent lose it at their "
    "next request. The lead professional and their manager are told."
)


def shown(standing: selectors.Standing) -> dict[str, Any]:
    """A consent record with its withdrawals applied, in the words its summary shows."""
    record = standing.record
    agencies = list(record.agencies.all())
    withdrawn_kinds = {k for w in standing.withdrawals for k in w.information_kinds}
    return {
        "standing": standing,
        "record": record,
        "agencies": [a.name for a in agencies if a.pk in standing.agencies],
        "withdrawn_agencies": sorted(
            {a.name for w in standing.withdrawals for a in w.agencies.all()}
        ),
        "kinds": [
            InformationKind(k).label
            for k in record.information_kinds
            if k in standing.information_kinds
        ],
        "withdrawn_kinds": [
            InformationKind(k).label for k in record.information_kinds if k in withdrawn_kinds
        ],
        "check_overdue": selectors.check_overdue(record),
        "withdrawals": [(w, services.withdrawn_what(w)) for w in standing.withdrawals],
    }


def _page(
    request: AuthenticatedRequest,
    person: Person,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    response = render_person_page(
        request,
        person,
        template=template,
        tab=TAB,
        action=AccessAction.VIEW_RECORD,
        context=context,
    )
    response.status_code = status
    return response


@requires()
@require_http_methods(["GET"])
def on_person(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The person's consent now, their earlier records and each withdrawal."""
    person = policy.get_visible_or_404(request.user, Person, pk)
    policy.require(request.user, ConsentAction.VIEW_ON, person)
    records = list(selectors.records_of(person))
    current = records[0] if records else None
    return _page(
        request,
        person,
        "consent/on_person.html",
        {
            "current": shown(selectors.standing_of(current)) if current else None,
            "earlier": [shown(selectors.standing_of(r)) for r in records[1:]],
            "withdrawals": [
                (w, r, services.withdrawn_what(w)) for r in records for w in r.withdrawals.all()
            ],
            "may_record": policy.can(request.user, ConsentAction.RECORD, person),
        },
    )


@requires()
@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Record a person's consent: who gave it, what they agreed to, how and when."""
    person = policy.get_visible_or_404(request.user, Person, pk)
    policy.require(
        request.user, ConsentAction.RECORD, person, "You may not record consent for this person."
    )
    is_child = person.kind in (PersonKind.CHILD, PersonKind.UNBORN)
    givers = (
        [Giver(p, label) for p, label in selectors.givers_for(user=request.user, person=person)]
        if is_child
        else []
    )
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        person=person,
        givers=givers,
        agencies=list(selectors.agencies_serving(person)),
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.record_consent(
                by=request.user, person=person, **form.service_fields()
            ),
            field_names=CONSENT_FIELD_NAMES,
        )
        if done is not None:
            messages.success(request, "Consent recorded")
            return HttpResponseRedirect(reverse("consent:detail", args=[done.pk]), status=303)
    return _page(
        request,
        person,
        "consent/record.html",
        {
            "form": form,
            "is_child": is_child,
            "decides_for_themselves": services.decides_for_themselves(person),
            "errors": form_errors_summary(form) if form.is_bound else [],
            "back_url": reverse("consent:person", args=[person.pk]),
        },
        status=400 if form.errors else 200,
    )


def _record(request: AuthenticatedRequest, pk: uuid.UUID) -> ConsentRecord:
    found = policy.get_visible_or_404(request.user, ConsentRecord, pk)
    return selectors.records_of(found.person).get(pk=found.pk)


@requires()
@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """A consent record: what was agreed, its withdrawals, its history, and what apps above
    show with it (the signed form, ``ui.panels`` "consent.record")."""
    found = _record(request, pk)
    standing = selectors.standing_of(found)
    return _page(
        request,
        found.person,
        "consent/detail.html",
        {
            "shown": shown(standing),
            "consent": found,
            "is_current": selectors.is_current(found),
            "withdrawn_entirely": services.is_withdrawn_entirely(found),
            "history": selectors.history_of(found),
            "panels": panels_for("consent.record", request, found),
            "may_withdraw": policy.can(request.user, ConsentAction.WITHDRAW, found),
        },
    )


@requires()
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Record that the person withdrew part or all of a consent record."""
    found = _record(request, pk)
    policy.require(
        request.user, ConsentAction.WITHDRAW, found, "You may not record a withdrawal here."
    )
    form = WithdrawalForm(
        request.POST if request.method == "POST" else None,
        standing=selectors.standing_of(found),
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.withdraw_consent(
                by=request.user, consent=found, **form.service_fields()
            ),
            field_names=WITHDRAWAL_FIELD_NAMES,
        )
        if done is not None:
            messages.success(request, f"Withdrawal recorded. {WHAT_FOLLOWS}")
            return HttpResponseRedirect(reverse("consent:detail", args=[found.pk]), status=303)
    return _page(
        request,
        found.person,
        "consent/withdraw.html",
        {
            "form": form,
            "consent": found,
            "what_follows": WHAT_FOLLOWS,
            "errors": form_errors_summary(form) if form.is_bound else [],
            "back_url": reverse("consent:detail", args=[found.pk]),
        },
        status=400 if form.errors else 200,
    )
