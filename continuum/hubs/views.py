"""The hubs' pages: the hubs a user sees, a hub (its agreements, what each agency sees,
who is placed), an agreement (its terms, sign-offs and history), and recording a hub, an
agreement, a change to one not yet in force, a council's sign-off, an agreement's end, a
placement and its end. Each asks
the policy; the services check everything. Nothing here names a child: no access-log row."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.errors import InvalidState
from continuum.hubs import selectors, services
from continuum.hubs.forms import (
    AGENCY_FLAGS,
    AgreementForm,
    AmendAgreementForm,
    EndAgreementForm,
    EndPlacementForm,
    HubForm,
    PlaceForm,
    SignOffForm,
)
from continuum.hubs.models import AgreementCouncil, DataSharingAgreement, HubPlacement
from continuum.hubs.policies import HubAction, hubs_visible_to
from continuum.organisations.models import Council, Organisation
from continuum.ui.errors import attempt, error_summary

# The states in which an agreement may still be changed.
AMENDABLE = (selectors.AgreementState.BEING_SIGNED_OFF, selectors.AgreementState.STARTS_LATER)


def _hub_or_404(request: AuthenticatedRequest, pk: int) -> Organisation:
    hub = hubs_visible_to(request.user).filter(pk=pk).first()
    if hub is None:
        raise Http404
    return hub


def _to_agreement(agreement: DataSharingAgreement) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("hubs:agreement", args=[agreement.pk]), status=303)


def _to_hub(hub_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("hubs:hub", args=[hub_id]), status=303)


@requires(HubAction.VIEW)
@require_http_methods(["GET"])
def hub_list(request: AuthenticatedRequest) -> HttpResponse:
    own = request.user.council
    return render(
        request,
        "hubs/list.html",
        {
            "hubs": selectors.hubs_for(request.user),
            "may_record_hub": own is not None
            and policy.can(request.user, HubAction.MANAGE_AGREEMENT, [own]),
        },
    )


@requires(HubAction.VIEW)
@require_http_methods(["GET", "POST"])
def new_hub(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    own = user.council
    policy.require(user, HubAction.MANAGE_AGREEMENT, [own] if own else [], services.MANAGE_REFUSED)
    assert own is not None
    form = HubForm(
        request.POST if request.method == "POST" else None,
        councils=Council.objects.order_by("name"),
        own=own,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["councils"])
        if len(chosen) >= 2 and not policy.can(user, HubAction.MANAGE_AGREEMENT, chosen):
            form.add_error(
                "councils", f"Include {own.name}: you record hubs that serve your own council"
            )
        else:
            done = attempt(
                form,
                lambda: services.create_hub(by=user, name=data["name"] or "", councils=chosen),
            )
            if done is not None:
                return _to_hub(done.pk)
    return render(request, "hubs/new_hub.html", {"form": form})


@requires(HubAction.VIEW)
@require_http_methods(["GET"])
def hub(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _hub_or_404(request, pk)
    row = selectors.hub_for(request.user, found.pk)
    assert row is not None
    user = request.user
    return render(
        request,
        "hubs/hub.html",
        {
            "row": row,
            "hub": found,
            "flags": AGENCY_FLAGS,
            "now": selectors.placements_now(found),
            "other": selectors.placements_other(found),
            "may_record": policy.can(user, HubAction.MANAGE_AGREEMENT, list(found.serves.all())),
            "may_place": policy.can(user, HubAction.PLACE_STAFF, found),
            "today": timezone.localdate(),
        },
    )


@requires(HubAction.VIEW)
@require_http_methods(["GET"])
def agreement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, DataSharingAgreement, pk)
    found = selectors.with_terms(DataSharingAgreement.objects.filter(pk=found.pk)).get()
    user = request.user
    state = selectors.state_of(found)
    parties = [
        {"party": p, "may_sign": not p.signed_off and policy.can(user, HubAction.SIGN_OFF, p)}
        for p in found.parties.all()
    ]
    return render(
        request,
        "hubs/agreement.html",
        {
            "agreement": found,
            "state": state,
            "tag": selectors.STATE_TAGS[state],
            "parties": parties,
            "flags": AGENCY_FLAGS,
            "history": selectors.history_of(found),
            "may_end": state != selectors.AgreementState.ENDED
            and policy.can(user, HubAction.END_AGREEMENT, found),
            "may_amend": state in AMENDABLE and policy.can(user, HubAction.MANAGE_AGREEMENT, found),
        },
    )


def _agencies(data: dict[str, Any]) -> list[services.AgencyTerms]:
    chosen: dict[int, dict[str, Any]] = {}
    for flag in AGENCY_FLAGS:
        for org in data.get(flag) or []:
            chosen.setdefault(org.pk, {"organisation": org})[flag] = True
    return [services.AgencyTerms(**terms) for terms in chosen.values()]


@requires(HubAction.VIEW)
@require_http_methods(["GET", "POST"])
def new_agreement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _hub_or_404(request, pk)
    councils = found.serves.order_by("name")
    policy.require(
        request.user, HubAction.MANAGE_AGREEMENT, list(councils), services.MANAGE_REFUSED
    )
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        councils=councils,
        organisations=selectors.possible_agencies(found),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.create_agreement(
                by=request.user,
                hub=found,
                reference=data["reference"] or "",
                title=data["title"] or "",
                purpose=data["purpose"] or "",
                councils=list(data["councils"]),
                agencies=_agencies(data),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            ),
            field_names={"agencies": "sees_contacts"},
        )
        if done is not None:
            return _to_agreement(done)
    return render(request, "hubs/new_agreement.html", {"form": form, "hub": found})


def _terms_initial(agreement: DataSharingAgreement) -> dict[str, Any]:
    agencies = list(agreement.agencies.all())
    return {
        "version": agreement.version,
        "title": agreement.title,
        "purpose": agreement.purpose,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        **{
            flag: [a.organisation_id for a in agencies if getattr(a, flag)] for flag in AGENCY_FLAGS
        },
    }


@requires(HubAction.VIEW)
@require_http_methods(["GET", "POST"])
def amend_agreement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, DataSharingAgreement, pk)
    found = selectors.with_terms(DataSharingAgreement.objects.filter(pk=found.pk)).get()
    policy.require(request.user, HubAction.MANAGE_AGREEMENT, found, services.MANAGE_REFUSED)
    context: dict[str, Any] = {"agreement": found, "flags": AGENCY_FLAGS}
    try:
        services.refuse_unless_amendable(found)
    except InvalidState as refused:
        context.update(form=None, errors=error_summary(refused))
        return render(request, "hubs/amend_agreement.html", context, status=409)
    form = AmendAgreementForm(
        request.POST if request.method == "POST" else None,
        initial=_terms_initial(found),
        organisations=selectors.agencies_for_terms(found),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.amend_agreement(
                by=request.user,
                agreement=found,
                version=data["version"],
                title=data["title"] or "",
                purpose=data["purpose"] or "",
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                agencies=_agencies(data),
            ),
            field_names={"agencies": "sees_contacts"},
        )
        if done is not None:
            return _to_agreement(found)
    context["form"] = form
    status = 409 if form.is_bound and form.non_field_errors() else 200
    return render(request, "hubs/amend_agreement.html", context, status=status)


@requires(HubAction.VIEW)
@require_http_methods(["GET", "POST"])
def sign_off(request: AuthenticatedRequest, pk: int, council_pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, DataSharingAgreement, pk)
    party = AgreementCouncil.objects.filter(agreement=found, council_id=council_pk).first()
    if party is None:
        raise Http404
    policy.require(request.user, HubAction.SIGN_OFF, party, services.SIGN_OFF_REFUSED)
    form = SignOffForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.sign_off(
                by=request.user,
                party=party,
                signatory_name=data["signatory_name"] or "",
                signatory_role=data["signatory_role"] or "",
                signed_on=data["signed_on"],
            ),
        )
        if done is not None:
            return _to_agreement(found)
    return render(request, "hubs/sign_off.html", {"form": form, "agreement": found, "party": party})


@requires(HubAction.VIEW)
@require_http_methods(["GET", "POST"])
def end_agreement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, DataSharingAgreement, pk)
    policy.require(request.user, HubAction.END_AGREEMENT, found, services.MANAGE_REFUSED)
    form = EndAgreementForm(
        request.POST if request.method == "POST" else None, initial={"version": found.version}
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.end_agreement(
                by=request.user,
                agreement=found,
                version=data["version"],
                ends_on=data["ends_on"],
                reason=data["reason"] or "",
            ),
        )
        if done is not None:
            return _to_agreement(found)
    return render(request, "hubs/end_agreement.html", {"form": form, "agreement": found})


@requires(HubAction.VIEW)
@require_http_methods(["GET", "POST"])
def place(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _hub_or_404(request, pk)
    policy.require(request.user, HubAction.PLACE_STAFF, found, services.PLACE_REFUSED)
    form = PlaceForm(
        request.POST if request.method == "POST" else None,
        staff=selectors.placeable_staff(found),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["user"] is None:
            form.add_error("user", "Choose who is placed in the hub")
        else:
            done = attempt(
                form,
                lambda: services.place_staff(
                    by=request.user,
                    hub=found,
                    user=data["user"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                ),
            )
            if done is not None:
                return _to_hub(found.pk)
    return render(request, "hubs/place.html", {"form": form, "hub": found})


@requires(HubAction.VIEW)
@require_http_methods(["GET", "POST"])
def end_placement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement = policy.get_visible_or_404(request.user, HubPlacement, pk)
    policy.require(request.user, HubAction.PLACE_STAFF, placement.hub, services.PLACE_REFUSED)
    form = EndPlacementForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        done = attempt(
            form,
            lambda: services.end_placement(
                by=request.user, placement=placement, ends_on=form.cleaned_data["ends_on"]
            ),
        )
        if done is not None:
            return _to_hub(placement.hub_id)
    return render(request, "hubs/end_placement.html", {"form": form, "placement": placement})
