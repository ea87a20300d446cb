"""The returns pages: a council's returns by year, one return (amounts by heading and
funding source with totals, staff, status, history), starting one, changing it as a whole
form, submitting it, signing it off or sending it back, and the import template. Each asks
the policy; the services check everything."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.errors import Refusal
from continuum.spending import selectors_returns as selectors
from continuum.spending.choices import FundingSource, ReturnStatus, StaffRole
from continuum.spending.importing import AMOUNT_COLUMNS, AMOUNTS_SHEET, STAFF_COLUMNS, STAFF_SHEET
from continuum.spending.models import CouncilCategory, SpendingReturn, financial_year_label
from continuum.spending.policies import SpendingAction, own_council
from continuum.spending.services import returns as services
from continuum.ui.errors import error_summary, errors_by_field
from continuum.ui.forms import GovukFormMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _to(spending_return: SpendingReturn) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("spending:return", args=[spending_return.pk]), status=303)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@requires(SpendingAction.VIEW_RETURN)
@require_http_methods(["GET"])
def return_list(request: AuthenticatedRequest) -> HttpResponse:
    council = own_council(request.user)
    return render(
        request,
        "spending/returns.html",
        {
            "returns": selectors.returns_for(request.user),
            "council": council,
            "may_edit": council is not None
            and policy.can(request.user, SpendingAction.EDIT_RETURN, council),
        },
    )


@requires(SpendingAction.VIEW_RETURN)
@require_http_methods(["GET"])
def return_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    spending_return = policy.get_visible_or_404(request.user, SpendingReturn, pk)
    user = request.user
    draft = spending_return.status == ReturnStatus.DRAFT
    submitted = spending_return.status == ReturnStatus.SUBMITTED
    return render(
        request,
        "spending/return.html",
        {
            "return": spending_return,
            "table": selectors.amount_table(spending_return),
            "staff": [s for s in selectors.staff_of(spending_return) if s[2] is not None],
            "history": selectors.history_of(spending_return),
            "may_edit": draft and policy.can(user, SpendingAction.EDIT_RETURN, spending_return),
            "may_sign_off": submitted
            and policy.can(user, SpendingAction.SIGN_OFF_RETURN, spending_return),
        },
    )


class NewReturnForm(GovukFormMixin, forms.Form):
    financial_year = forms.TypedChoiceField(
        label="Which financial year is the return for?", coerce=int, required=False
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        latest = services.current_financial_year()
        field = self.fields["financial_year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose a year")] + [
            (year, financial_year_label(year))
            for year in range(latest, services.FIRST_YEAR - 1, -1)
        ]


@requires(SpendingAction.EDIT_RETURN)
@require_http_methods(["GET", "POST"])
def new_return(request: AuthenticatedRequest) -> HttpResponse:
    council = own_council(request.user)
    assert council is not None  # EDIT_RETURN asks for one
    form = NewReturnForm(request.POST if request.method == "POST" else None)
    errors: list[dict[str, Any]] = []
    if form.is_bound and form.is_valid():
        try:
            made = services.create_return(
                by=request.user,
                council=council,
                financial_year=form.cleaned_data["financial_year"],
                notes=form.cleaned_data["notes"] or "",
            )
        except ValidationError as error:
            for key, messages in errors_by_field(error).items():
                form.add_error("financial_year" if key != NON_FIELD_ERRORS else None, messages)
        except Refusal as error:
            errors = error_summary(error)
        else:
            return HttpResponseRedirect(reverse("spending:edit_return", args=[made.pk]), status=303)
    return render(
        request, "spending/new_return.html", {"form": form, "council": council, "errors": errors}
    )


def _grid(
    spending_return: SpendingReturn, posted: Any = None, field_errors: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    field_errors = field_errors or {}
    table = selectors.amount_table(spending_return, all_headings=True)
    rows = []
    for row in table.rows:
        cells = []
        for (source, label), value in zip(table.sources, row.cells, strict=True):
            name = services.amount_field(row.heading.code, source)
            shown = posted.get(name, "") if posted is not None else ("" if value is None else value)
            cells.append(
                {"name": name, "label": label, "value": shown, "error": field_errors.get(name)}
            )
        rows.append({"heading": row.heading, "cells": cells})
    staff = []
    for role, label, fte in selectors.staff_of(spending_return):
        name = services.fte_field(role)
        shown = posted.get(name, "") if posted is not None else ("" if fte is None else fte)
        staff.append(
            {"name": name, "label": label, "value": shown, "error": field_errors.get(name)}
        )
    return rows, staff


def _posted_form(request: HttpRequest, spending_return: SpendingReturn) -> tuple[dict, dict]:
    amounts: dict[tuple[str, str], str] = {}
    for heading in CouncilCategory.objects.filter(council=spending_return.council):
        for source in FundingSource.values:
            value = request.POST.get(services.amount_field(heading.code, source), "")
            amounts[(heading.code, source)] = value
    staff = {role: request.POST.get(services.fte_field(role), "") for role in StaffRole.values}
    return amounts, staff


@requires(SpendingAction.EDIT_RETURN)
@require_http_methods(["GET", "POST"])
def edit_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    spending_return = policy.get_visible_or_404(request.user, SpendingReturn, pk)
    policy.require(request.user, SpendingAction.EDIT_RETURN, spending_return)
    errors: list[dict[str, Any]] = []
    field_errors: dict[str, str] = {}
    posted = None
    notes = spending_return.notes
    if request.method == "POST":
        posted = request.POST
        notes = request.POST.get("notes", "")
        amounts, staff = _posted_form(request, spending_return)
        try:
            services.save_return(
                by=request.user,
                spending_return=spending_return,
                version=_version(request),
                amounts=amounts,
                staff=staff,
                notes=notes,
            )
        except ValidationError as error:
            for key, messages in errors_by_field(error).items():
                field_errors[key] = " ".join(messages)
                errors.append({"text": " ".join(messages), "href": f"#{key.replace(':', '')}"})
        except Refusal as error:
            errors = error_summary(error)
        else:
            return _to(spending_return)
        spending_return.refresh_from_db()
    rows, staff_rows = _grid(spending_return, posted, field_errors)
    return render(
        request,
        "spending/edit_return.html",
        {
            "return": spending_return,
            "rows": rows,
            "staff": staff_rows,
            "notes": notes,
            "errors": errors,
            "form": None,
        },
    )


@requires(SpendingAction.EDIT_RETURN)
@require_http_methods(["GET", "POST"])
def submit_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    spending_return = policy.get_visible_or_404(request.user, SpendingReturn, pk)
    policy.require(request.user, SpendingAction.EDIT_RETURN, spending_return)
    errors: list[dict[str, Any]] = []
    if request.method == "POST":
        try:
            services.submit_return(
                by=request.user, spending_return=spending_return, version=_version(request)
            )
        except (ValidationError, Refusal) as error:
            errors = error_summary(error)
            spending_return.refresh_from_db()
        else:
            return _to(spending_return)
    return render(
        request,
        "spending/submit_return.html",
        {
            "return": spending_return,
            "errors": errors,
            "table": selectors.amount_table(spending_return),
        },
    )


class SignOffForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="What do you decide?",
        choices=[("sign_off", "Sign the return off"), ("send_back", "Send it back to be changed")],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Why is it sent back?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@requires(SpendingAction.VIEW_RETURN)
@require_http_methods(["GET", "POST"])
def sign_off_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    spending_return = policy.get_visible_or_404(request.user, SpendingReturn, pk)
    policy.require(
        request.user,
        SpendingAction.SIGN_OFF_RETURN,
        spending_return,
        f"Only {spending_return.council.name}'s strategic lead who did not submit it signs it off.",
    )
    form = SignOffForm(request.POST if request.method == "POST" else None)
    errors: list[dict[str, Any]] = []
    if form.is_bound and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "sign_off":
                services.sign_off_return(
                    by=request.user, spending_return=spending_return, version=_version(request)
                )
            elif decision == "send_back":
                services.send_back_return(
                    by=request.user,
                    spending_return=spending_return,
                    version=_version(request),
                    reason=form.cleaned_data["reason"] or "",
                )
            else:
                raise ValidationError(
                    {"decision": "Choose whether to sign it off or send it back."}
                )
        except ValidationError as error:
            for key, messages in errors_by_field(error).items():
                form.add_error(key if key in form.fields else None, messages)
            spending_return.refresh_from_db()
        except Refusal as error:
            errors = error_summary(error)
            spending_return.refresh_from_db()
        else:
            return _to(spending_return)
    return render(
        request,
        "spending/sign_off_return.html",
        {
            "return": spending_return,
            "form": form,
            "errors": errors,
            "table": selectors.amount_table(spending_return),
        },
    )


def template_workbook(headings: list[CouncilCategory], council_code: str, year: str) -> bytes:
    """The import template: the Amounts sheet with a row per heading (funding source
    "council", amount blank) and the Staff sheet with a row per role, and a sheet of codes."""
    from openpyxl import Workbook

    from continuum.ui.spreadsheets import neutralise_formula

    book = Workbook()
    amounts = book.active
    assert amounts is not None
    amounts.title = AMOUNTS_SHEET
    amounts.append(list(AMOUNT_COLUMNS))
    for heading in headings:
        amounts.append([council_code, year, neutralise_formula(heading.code), "council", None])
    staff = book.create_sheet(STAFF_SHEET)
    staff.append(list(STAFF_COLUMNS))
    for role in StaffRole.values:
        staff.append([council_code, year, role, None])
    codes = book.create_sheet("Codes")
    codes.append(["what", "code", "meaning"])
    for value, label in FundingSource.choices:
        codes.append(["funding_source", value, str(label)])
    for value, label in StaffRole.choices:
        codes.append(["staff_role", value, str(label)])
    for heading in headings:
        codes.append(
            ["heading", neutralise_formula(heading.code), neutralise_formula(heading.name)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@requires(SpendingAction.EDIT_RETURN)
@require_http_methods(["GET"])
def import_template(request: AuthenticatedRequest) -> HttpResponse:
    council = own_council(request.user)
    assert council is not None
    headings = list(CouncilCategory.objects.filter(council=council).order_by("code"))
    year = financial_year_label(services.current_financial_year())
    data = template_workbook(headings, council.dfe_la_code, year)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="spending-return-{council.dfe_la_code}.xlsx"'
    )
    return response
