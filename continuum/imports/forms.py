"""The form of a new import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.imports.registry import importers
from continuum.organisations.models import Council
from continuum.ui.forms import GovukFormMixin


class NewImportForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of file it is."},
    )
    council = forms.ModelChoiceField(
        label="Which council is it for?",
        queryset=Council.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the council the file is for.",
            "invalid_choice": "Choose a council you import files for.",
        },
    )
    file = forms.FileField(
        label="Upload the file",
        error_messages={"required": "Choose the file to import.", "empty": "The file is empty."},
    )
    dry_run = forms.BooleanField(
        label="Check the file only (a dry run): nothing is saved",
        required=False,
    )

    def __init__(self, *args: Any, councils: QuerySet[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(found.kind, found.label) for found in importers()]
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = councils
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"
