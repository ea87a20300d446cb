"""The classification page (the current version, its categories and section 251 lines, older
versions, and each council's headings against the common categories) and the mapping page
(a council adds its headings and maps each onto the current version)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.errors import Refusal
from continuum.organisations.models import Council
from continuum.spending.models import Classification, CouncilCategory
from continuum.spending.policies import SpendingAction, own_council
from continuum.spending.services import classification as services
from continuum.ui.errors import error_summary, errors_by_field
from continuum.ui.forms import GovukFormMixin

SHARE_ROWS = 3


@requires(SpendingAction.VIEW_COMPARISON)
@require_http_methods(["GET"])
def classification(request: AuthenticatedRequest) -> HttpResponse:
    versions = list(Classification.objects.order_by("-version"))
    wanted = request.GET.get("version", "")
    shown = next((c for c in versions if c.is_current), versions[0] if versions else None)
    if wanted:
        shown = next((c for c in versions if str(c.version) == wanted), None)
        if shown is None:
            raise Http404("No such version of the classification.")
    categories = (
        list(shown.categories.prefetch_related("section_251_lines")) if shown is not None else []
    )
    councils = []
    if shown is not None:
        for council in Council.objects.order_by("name"):
            found = services.differences(shown, council)
            if found:
                councils.append({"council": council, "headings": found})
    return render(
        request,
        "spending/classification.html",
        {
            "shown": shown,
            "versions": versions,
            "categories": categories,
            "councils": councils,
            "labels": services.DIFFERENCE_LABELS,
        },
    )


class HeadingForm(GovukFormMixin, forms.Form):
    code = forms.CharField(label="Code", required=False, help_text="As your ledger names it")
    name = forms.CharField(label="Name", required=False)


class MappingForm(GovukFormMixin, forms.Form):
    heading = forms.ModelChoiceField(
        label="Which heading?", queryset=CouncilCategory.objects.none(), required=False
    )
    note = forms.CharField(
        label="How was it fitted? (needed for a split or outside early help)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, council: Council, categories: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["heading"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CouncilCategory.objects.filter(council=council).order_by("code")
        choices = [("", "Choose a category"), ("outside", "Outside early help")] + [
            (c.code, c.name) for c in categories
        ]
        for i in range(1, SHARE_ROWS + 1):
            self.fields[f"category_{i}"] = forms.ChoiceField(
                label=f"Category {i}", choices=choices, required=False
            )
            self.fields[f"share_{i}"] = forms.CharField(
                label=f"Share {i} (%)", required=False, initial="100" if i == 1 else ""
            )

    def shares(self) -> list[tuple[str | None, Any]]:
        found: list[tuple[str | None, Any]] = []
        for i in range(1, SHARE_ROWS + 1):
            code = self.cleaned_data.get(f"category_{i}") or ""
            share = (self.cleaned_data.get(f"share_{i}") or "").strip()
            if code or share:
                found.append((None if code == "outside" else code, share or "100"))
        return found


def _show(form: forms.Form, error: ValidationError, rename: dict[str, str]) -> None:
    for key, messages in errors_by_field(error).items():
        name = rename.get(key, key)
        form.add_error(name if name in form.fields and key != NON_FIELD_ERRORS else None, messages)


@requires(SpendingAction.MAP_CATEGORIES)
@require_http_methods(["GET", "POST"])
def mapping(request: AuthenticatedRequest) -> HttpResponse:
    council = own_council(request.user)
    assert council is not None  # MAP_CATEGORIES asks for one
    errors: list[dict[str, Any]] = []
    try:
        current = services.current_classification()
    except Refusal as error:
        current, errors = None, error_summary(error)
    categories = list(current.categories.all()) if current else []
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form", "") if posted else ""
    heading_form = HeadingForm(posted if which == "heading" else None, prefix="heading")
    mapping_form = MappingForm(
        posted if which == "mapping" else None,
        prefix="mapping",
        council=council,
        categories=categories,
    )
    if which == "heading" and heading_form.is_valid():
        try:
            services.add_council_heading(
                by=request.user,
                council=council,
                code=heading_form.cleaned_data["code"] or "",
                name=heading_form.cleaned_data["name"] or "",
            )
        except ValidationError as error:
            _show(heading_form, error, {})
        else:
            return HttpResponseRedirect(reverse("spending:mapping"), status=303)
    if which == "mapping" and mapping_form.is_valid():
        heading = mapping_form.cleaned_data["heading"]
        try:
            if heading is None:
                raise ValidationError({"heading": "Choose the heading to map."})
            services.map_heading(
                by=request.user,
                heading=heading,
                shares=mapping_form.shares(),
                note=mapping_form.cleaned_data["note"] or "",
            )
        except ValidationError as error:
            _show(mapping_form, error, {"category": "category_1", "shares": "share_1"})
        except Refusal as error:
            errors = error_summary(error)
        else:
            return HttpResponseRedirect(reverse("spending:mapping"), status=303)
    return render(
        request,
        "spending/mapping.html",
        {
            "council": council,
            "current": current,
            "headings": services.differences(current, council) if current else [],
            "heading_form": heading_form,
            "mapping_form": mapping_form,
            "share_rows": [
                (mapping_form[f"category_{i}"], mapping_form[f"share_{i}"])
                for i in range(1, SHARE_ROWS + 1)
            ],
            "errors": errors,
        },
    )
