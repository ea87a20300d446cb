"""People pages: search, a person's record (in tabs), adding and changing a person, and
emergency (break-glass) access. Each view parses input, asks the policy, calls one service
or selector and renders. Every page showing a person's record writes exactly one row to
the access log; nothing else does.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.models import AccessAction
from continuum.audit.selectors import access_log_for_person
from continuum.audit.services import log_access, log_search
from continuum.errors import NotPermitted
from continuum.people import matching, selectors, services
from continuum.people.forms import (
    BreakGlassForm,
    EditPersonForm,
    NewPersonForm,
    PersonForm,
    SearchForm,
)
from continuum.people.models import Person
from continuum.people.policies import PeopleAction, reads_council_only_detail
from continuum.people.search_terms import split_query
from continuum.people.sections import summary_sections
from continuum.people.tabs import registered_tabs
from continuum.ui.errors import attempt
from continuum.ui.pagination import govuk_pagination

SEARCH_PAGE_SIZE = 20
ACCESS_LOG_ROWS = 200
PENDING_PERSON_KEY = "people:new-person"


# --- search ------------------------------------------------------------------------------


@requires(PeopleAction.SEARCH)
@require_http_methods(["GET"])
def search(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "searched": False,
        "can_create": policy.can(request.user, PeopleAction.CREATE),
    }
    if form.is_bound and form.is_valid() and form.has_criteria():
        data = form.cleaned_data
        results = selectors.search_people(
            user=request.user,
            query=data["q"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
            postcode=data["postcode"],
        )
        # A page of the results (GOV.UK pagination; a page number that is not one shows
        # the first page, or the last if it is past the end).
        page = Paginator(results.select_related("council"), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        count = page.paginator.count
        shown = list(page)
        # One access-log row for each page of results shown: its terms, how many matched,
        # who was shown on it.
        terms = {key: data[key] for key in ("q", "date_of_birth", "nhs_number", "postcode")}
        log_search(
            request=request,
            user=request.user,
            terms={**terms, "page": page.number if page.number > 1 else None},
            result_count=count,
            shown_ids=[person.pk for person in shown],
        )
        context.update(
            searched=True,
            results=shown,
            count=count,
            page=page,
            pagination=govuk_pagination(page),
        )
        if count == 0:
            nhs_number = data["nhs_number"] or split_query(data["q"]).nhs_number
            if nhs_number and selectors.break_glass_candidate(
                user=request.user, nhs_number=nhs_number
            ):
                context["break_glass_nhs_number"] = nhs_number
    return render(request, "people/search.html", context)


# --- a person's record ---------------------------------------------------------------------


def _tabs(user: Any, person: Person, current: str) -> list[dict[str, object]]:
    tabs = [
        ("summary", "Summary", "people:detail"),
        ("household", "Household and relationships", "people:household"),
        ("chronology", "Chronology", "people:chronology"),
    ]
    # Tabs the apps above add (``people.tabs``), for those who may see them.
    tabs += [(t.key, t.text, t.url_name) for t in registered_tabs() if t.shown(user, person)]
    if policy.can(user, PeopleAction.VIEW_ACCESS_LOG, person):
        tabs.append(("access", "Who has looked at this record", "people:access-log"))
    tabs.append(("history", "Change history", "people:history"))
    return [
        {
            "key": key,
            "text": text,
            "href": reverse(name, args=[person.pk]),
            "active": key == current,
        }
        for key, text, name in tabs
    ]


def _person_page(
    request: AuthenticatedRequest,
    person: Person,
    *,
    template: str,
    tab: str,
    action: AccessAction,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render one page of a person's record, writing its one access-log row."""
    grant = selectors.break_glass_for_read(user=request.user, person=person)
    log_access(
        request=request,
        user=request.user,
        subject_id=person.pk,
        action=action,
        break_glass_reason=grant.reason if grant else "",
    )
    page: dict[str, Any] = {
        "person": person,
        "tabs": _tabs(request.user, person, tab),
        "tab": tab,
        "break_glass": grant,
        "can_edit": policy.can(request.user, PeopleAction.EDIT, person),
    }
    page.update(context or {})
    return render(request, template, page)


# For the tabs other apps add (``people.tabs``): the same page, heading and access-log row.
render_person_page = _person_page


def _visible_person(request: AuthenticatedRequest, pk: uuid.UUID) -> Person:
    return policy.get_visible_or_404(request.user, Person, pk)


@requires()
@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    person = _visible_person(request, pk)
    return _person_page(
        request,
        person,
        template="people/detail_summary.html",
        tab="summary",
        action=AccessAction.VIEW_RECORD,
        context={
            "addresses": selectors.addresses_of(person=person),
            "aliases": selectors.aliases_of(person=person),
            "matched": matching.matched_records(user=request.user, person=person),
            "sections": summary_sections(user=request.user, person=person),
        },
    )


@requires()
@require_http_methods(["GET"])
def household(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    person = _visible_person(request, pk)
    return _person_page(
        request,
        person,
        template="people/detail_household.html",
        tab="household",
        action=AccessAction.VIEW_RECORD,
        context={
            "households": selectors.households_of(user=request.user, person=person),
            "relationships": selectors.relationships_of(user=request.user, person=person),
        },
    )


@requires()
@require_http_methods(["GET"])
def chronology(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    person = _visible_person(request, pk)
    return _person_page(
        request,
        person,
        template="people/detail_chronology.html",
        tab="chronology",
        action=AccessAction.VIEW_CHRONOLOGY,
        context={
            "events": selectors.chronology_with_links(person=person, user=request.user),
            # Council staff see every entry; everyone else the categories they need.
            "filtered_for_reader": not reads_council_only_detail(request.user),
        },
    )


@requires()
@require_http_methods(["GET"])
def access_log(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    person = _visible_person(request, pk)
    policy.require(request.user, PeopleAction.VIEW_ACCESS_LOG, person)
    # Lazy: read while rendering, after this page's own row is written, so it is listed too.
    entries = access_log_for_person(subject_id=person.pk)
    return _person_page(
        request,
        person,
        template="people/detail_access_log.html",
        tab="access",
        action=AccessAction.VIEW_RECORD,
        context={
            "entries": entries[:ACCESS_LOG_ROWS],
            "entry_count": entries.count,
            "shown": ACCESS_LOG_ROWS,
        },
    )


@requires()
@require_http_methods(["GET"])
def history(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    person = _visible_person(request, pk)
    return _person_page(
        request,
        person,
        template="people/detail_history.html",
        tab="history",
        action=AccessAction.VIEW_HISTORY,
        context={"changes": selectors.change_history(person=person)},
    )


# --- adding a person -------------------------------------------------------------------------


def _councils_or_403(request: AuthenticatedRequest) -> list[Any]:
    councils = services.councils_for_new_person(user=request.user)
    if not councils:
        raise NotPermitted("Your organisation does not serve any council yet.")
    return councils


def _create(request: AuthenticatedRequest, form: NewPersonForm) -> HttpResponse | None:
    """Create the person from a valid form; None (with errors on the form) if refused."""
    person = attempt(
        form,
        lambda: services.create_person(created_by=request.user, **form.new_record()),
    )
    if person is None:
        return None
    request.session.pop(PENDING_PERSON_KEY, None)
    messages.success(request, f"You have added a record for {person.full_name}.")
    return redirect("people:detail", pk=person.pk)


@requires(PeopleAction.CREATE)
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedRequest) -> HttpResponse:
    councils = _councils_or_403(request)
    if request.method == "GET":
        form = NewPersonForm(councils=councils)
        return render(request, "people/create.html", {"form": form})
    form = NewPersonForm(request.POST, councils=councils, instance=Person())
    if form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.possible_duplicates(
            user=request.user,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"] or "",
        )
        if duplicates:
            request.session[PENDING_PERSON_KEY] = {
                key: request.POST.getlist(key)
                for key in request.POST
                if key != "csrfmiddlewaretoken"
            }
            nhs_match = any(
                data["nhs_number"] and p.nhs_number == data["nhs_number"] for p in duplicates
            )
            return render(
                request,
                "people/create_duplicates.html",
                {"duplicates": duplicates, "new_person": data, "nhs_match": nhs_match},
            )
        response = _create(request, form)
        if response is not None:
            return response
    return render(request, "people/create.html", {"form": form})


@requires(PeopleAction.CREATE)
@require_http_methods(["POST"])
def create_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """The person is not one of the possible duplicates shown: create the record."""
    pending = request.session.get(PENDING_PERSON_KEY)
    if not pending:
        messages.info(
            request, "Enter the person's details again: the details you entered were not kept."
        )
        return redirect("people:create")
    data = QueryDict(mutable=True)
    for key, values in pending.items():
        data.setlist(key, values)
    form = NewPersonForm(data, councils=_councils_or_403(request), instance=Person())
    if form.is_valid():
        response = _create(request, form)
        if response is not None:
            return response
    return render(request, "people/create.html", {"form": form})


# --- changing a person -----------------------------------------------------------------------


@requires()
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    person = _visible_person(request, pk)
    policy.require(request.user, PeopleAction.EDIT, person)
    if request.method == "GET":
        form: PersonForm = EditPersonForm(
            instance=Person.objects.get(pk=person.pk), initial={"version": person.version}
        )
    else:
        # A copy: validating the form must not change the record shown around it.
        form = EditPersonForm(request.POST, instance=Person.objects.get(pk=person.pk))
        if form.is_valid():
            updated = attempt(
                form,
                lambda: services.update_person(
                    person=person,
                    changed_by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.person_fields(),
                ),
            )
            if updated is not None:
                messages.success(request, "The person's details have been updated.")
                return redirect("people:detail", pk=person.pk)
    return _person_page(
        request,
        person,
        template="people/edit.html",
        tab="summary",
        action=AccessAction.VIEW_RECORD,
        context={"form": form},
    )


# --- emergency (break-glass) access ---------------------------------------------------------


@requires(PeopleAction.SEARCH)
@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for emergency access to a record held by another council, found by NHS number.

    Answers 404 unless there is exactly such a record the user may break glass to, so it
    reveals nothing a search would not (and never a restricted record).
    """
    source = request.POST if request.method == "POST" else request.GET
    nhs_number = source.get("nhs_number", "")
    person = selectors.break_glass_candidate(user=request.user, nhs_number=nhs_number)
    if person is None:
        raise Http404
    form = BreakGlassForm(
        request.POST if request.method == "POST" else None, initial={"nhs_number": nhs_number}
    )
    if request.method == "POST" and form.is_valid():
        granted = attempt(
            form,
            lambda: services.break_glass(
                user=request.user, person=person, reason=form.cleaned_data["reason"]
            ),
        )
        if granted is not None:
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/break_glass.html",
        {"form": form, "nhs_number": nhs_number},
    )
