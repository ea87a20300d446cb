"""The deflator series (``spending:deflators``): the current series with its source, base
year and values, earlier ones, and (for those who manage the classification) a form to load
a new series as ``year,index`` rows."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.spending.deflators import current_table, parse_rows, parse_year, publish_series
from continuum.spending.models import DeflatorSeries, financial_year_label
from continuum.spending.policies import SpendingAction
from continuum.ui.errors import attempt
from continuum.ui.forms import GovukDateField, GovukFormMixin


class DeflatorSeriesForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=150, initial="GDP deflators at market prices")
    source = forms.CharField(
        label="Source",
        max_length=250,
        initial="HM Treasury, GDP deflators at market prices, and money GDP (financial years)",
    )
    source_url = forms.URLField(
        label="Link to the release (optional)", required=False, assume_scheme="https"
    )
    published_on = GovukDateField(label="Published on", help_text="For example, 26 3 2025")
    base_year = forms.CharField(
        label="Base year", help_text="The financial year whose index is 100, like 2023-24"
    )
    rows = forms.CharField(
        label="Values",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="One financial year a line: the year and the index, separated by a comma, "
        "like 2023-24,100.0 (a first line 'year,index' is skipped).",
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)

    def clean_base_year(self) -> int:
        try:
            return parse_year(self.cleaned_data["base_year"])
        except ValueError as exc:
            raise ValidationError("Enter the base year like 2023-24.") from exc


@requires(SpendingAction.VIEW_COMPARISON)
@require_http_methods(["GET", "POST"])
def deflators_page(request: AuthenticatedRequest) -> HttpResponse:
    may_manage = policy.can(request.user, SpendingAction.MANAGE_CLASSIFICATION)
    form = None
    if may_manage:
        form = DeflatorSeriesForm(request.POST if request.method == "POST" else None)
    elif request.method == "POST":
        policy.require(request.user, SpendingAction.MANAGE_CLASSIFICATION)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        series = attempt(
            form,
            lambda: publish_series(
                by=request.user,
                name=data["name"],
                source=data["source"],
                source_url=data["source_url"],
                base_year=data["base_year"],
                published_on=data["published_on"],
                rows=parse_rows(data["rows"]),
                note=data["note"],
            ),
        )
        if series is not None:
            messages.success(request, f"{series.name} is now the current deflator series.")
            return HttpResponseRedirect(reverse("spending:deflators"), status=303)
    table = current_table()
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(
        request,
        "spending/deflators.html",
        {
            "table": table,
            "values": [
                {"year": financial_year_label(y), "index": i}
                for y, i in sorted(table.index.items())
            ]
            if table
            else [],
            "earlier": DeflatorSeries.objects.filter(is_current=False),
            "form": form,
            "today": timezone.localdate(),
        },
        status=status,
    )
