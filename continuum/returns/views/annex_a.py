"""The Annex A page: choose the period, download the council's lists 1 to 7."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.returns.annex_a import HEADINGS, TITLES
from continuum.returns.exports import export_annex_a
from continuum.returns.forms import AnnexAForm
from continuum.returns.policies import ReturnsAction, council_exported_by
from continuum.returns.workbook import XLSX_TYPE, annex_a_bytes, filename_for
from continuum.timescales.months import add_months
from continuum.ui.errors import attempt


@requires(ReturnsAction.EXPORT_ANNEX_A)
def annex_a(request: AuthenticatedRequest) -> HttpResponse:
    council = council_exported_by(request.user)
    assert council is not None  # the policy let them in
    today = timezone.localdate()
    # Ofsted asks for the year to the inspection: the 12 months to today, to start from.
    initial = {"first": add_months(today, -12) + timedelta(days=1), "last": today}
    form = AnnexAForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        annex = attempt(
            form,
            lambda: export_annex_a(
                user=request.user,
                council=council,
                first=form.cleaned_data["first"],
                last=form.cleaned_data["last"],
                request=request,
            ),
        )
        if annex is not None:
            response = HttpResponse(annex_a_bytes(annex), content_type=XLSX_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{filename_for(annex)}"'
            return response
    lists = [(number, TITLES[number], len(HEADINGS[number])) for number in HEADINGS]
    status = 400 if form.is_bound else 200
    context = {"form": form, "council": council, "lists": lists}
    return render(request, "returns/annex_a.html", context, status=status)
