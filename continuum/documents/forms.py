"""The upload form and the deletion form. They only parse: the service checks everything
(the words, the file's name, size and content) so that pages and the API refuse alike."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.documents.choices import ACCEPT, DocumentKind
from continuum.ui.forms import GovukFormMixin


class UploadForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What type of document is it?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    title = forms.CharField(label="Title", required=False, max_length=None)
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        allow_empty_file=True,  # the service says so, in the same words as the API
    )

    def __init__(self, *args: Any, max_size: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A PDF, Word, Excel, PowerPoint or OpenDocument file, or a PNG, JPEG, GIF or "
            f"WebP image, smaller than {max_size}"
        )
        # The GOV.UK file upload (its error class is the template's: the service's refusals
        # are added after the form is cleaned).
        self.fields["file"].widget.attrs.update({"class": "govuk-file-upload", "accept": ACCEPT})


class DeleteForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you deleting this document?",
        help_text="For example, it was uploaded to the wrong family's record",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignedFormForm(UploadForm):
    """The signed form of a consent record: always a consent form, so no type to choose."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        self.fields["title"].initial = "Signed consent form"
