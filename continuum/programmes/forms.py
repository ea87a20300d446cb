"""The programmes' forms. They only parse: the services check everything, so pages and the
API refuse alike."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.organisations.models import Council
from continuum.programmes.models import Programme
from continuum.ui.forms import GovukDateField, GovukFormMixin


class ProgrammeForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", required=False)
    councils = forms.ModelMultipleChoiceField(
        label="Which councils is it for?",
        queryset=Council.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    offers = forms.CharField(
        label="What it offers", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    for_whom = forms.CharField(
        label="Who it is for", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = GovukDateField(
        label="Start date", help_text="For example, 1 4 2024", required=False
    )
    ends_on = GovukDateField(
        label="End date (optional)", help_text="Leave empty while it runs", required=False
    )

    def __init__(self, *args: Any, councils: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["councils"]
        else:
            field = self.fields["councils"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = councils if councils is not None else Council.objects.none()


class JoinForm(GovukFormMixin, forms.Form):
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label="Which programme?",
        queryset=Programme.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    joined_on = GovukDateField(
        label="Date the family joined", help_text="For example, 3 2 2026", required=False
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = programmes


class LeaveForm(GovukFormMixin, forms.Form):
    left_on = GovukDateField(
        label="Date the family left", help_text="For example, 3 2 2026", required=False
    )
