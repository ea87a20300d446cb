"""Services' refusals on pages: each message at the field it names, the rest above the form."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from continuum.errors import ConcurrentChange, InvalidState
from continuum.ui.errors import add_service_errors, attempt, error_summary, form_errors_summary
from continuum.ui.forms import GovukDateField, GovukFormMixin, VersionForm


class NoteForm(GovukFormMixin, forms.Form):
    note = forms.CharField(label="Note", help_text="What happened")
    indicators = forms.CharField(label="Indicators", required=False)
    on = GovukDateField(label="Date", required=False)


def bound() -> NoteForm:
    form = NoteForm({"note": "Seen at school"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_the_field_it_names_and_others_above_the_form() -> None:
    form = bound()
    add_service_errors(
        form, ValidationError({"note": ["Too short."], "elsewhere": ["Not on this form."]})
    )
    assert form.errors["note"] == ["Too short."]
    assert form.non_field_errors() == ["Not on this form."]


def test_a_service_name_is_translated_to_the_forms_field() -> None:
    form = bound()
    add_service_errors(
        form,
        ValidationError({"presenting_indicators": ["Unknown code."]}),
        field_names={"presenting_indicators": "indicators"},
    )
    assert form.errors["indicators"] == ["Unknown code."]


@pytest.mark.parametrize(
    "refusal",
    [ConcurrentChange("Someone else changed it."), InvalidState("It is closed.")],
    ids=lambda refusal: type(refusal).__name__,
)
def test_a_conflict_or_a_state_refusal_goes_above_the_form(
    refusal: ConcurrentChange | InvalidState,
) -> None:
    form = bound()
    add_service_errors(form, refusal)
    assert form.non_field_errors() == [refusal.message]


def test_a_message_without_a_field_goes_above_the_form() -> None:
    form = bound()
    add_service_errors(form, ValidationError("Nothing to do."))
    assert form.non_field_errors() == ["Nothing to do."]


def test_attempt_returns_the_result_or_none_with_the_refusal_on_the_form() -> None:
    form = bound()
    assert attempt(form, lambda: 42) == 42
    assert not form.errors

    def refuse() -> int:
        raise InvalidState("This episode is closed and cannot change.")

    assert attempt(form, refuse) is None
    assert form.non_field_errors() == ["This episode is closed and cannot change."]


def test_a_page_without_a_form_lists_each_message_linking_where_asked() -> None:
    error = ValidationError({"family_agreement": ["Record consent."], "children": ["Add one."]})
    assert error_summary(error, href="/change") == [
        {"text": "Record consent.", "href": "/change"},
        {"text": "Add one.", "href": "/change"},
    ]
    assert error_summary(ConcurrentChange("Reload.")) == [
        {"text": "Reload.", "href": "#main-content"}
    ]


def test_the_summary_of_a_form_links_each_error_to_its_input() -> None:
    form = NoteForm({"note": "", "on_day": "31", "on_month": "2", "on_year": "2026"})
    assert not form.is_valid()
    assert form_errors_summary(form) == [
        {"href": "#id_note", "text": "This field is required."},
        {"href": "#id_on", "text": "Date must be a real date."},
    ]
    assert form_errors_summary(NoteForm()) == []


def test_a_field_in_error_is_styled_and_described_as_gov_uk_asks() -> None:
    form = NoteForm({"note": "", "on_day": "x", "on_month": "", "on_year": ""})
    assert not form.is_valid()
    note = form.fields["note"].widget.attrs
    assert "govuk-input--error" in note["class"].split()
    assert note["aria-describedby"] == "id_note-hint id_note-error"
    date_input = form.fields["on"].widget
    assert getattr(date_input, "has_error", False)


@pytest.mark.parametrize("bad", ["", "0", "two"])
def test_a_version_must_be_a_whole_number_from_one(bad: str) -> None:
    assert VersionForm({"version": "3"}).is_valid()
    assert not VersionForm({"version": bad}).is_valid()
