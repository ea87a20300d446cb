"""Forms for the people pages. They parse what was typed; the rules live in the model's
validators and in ``people.services``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from continuum.organisations.models import Council
from continuum.people.choices import Disability, Ethnicity, PersonKind, Sex, UPNUnknown
from continuum.people.identifiers import (
    is_valid_nhs_number,
    normalise_nhs_number,
    normalise_upn,
)
from continuum.people.models import Person
from continuum.people.search_terms import parse_date, query_problem
from continuum.people.services import PERSON_FIELDS, age_if_adult, birth_date_errors
from continuum.people.validators import normalise_postcode
from continuum.ui.forms import GovukDateField, GovukFormMixin

FUTURE_DATE_OF_BIRTH = "Date of birth must be today or in the past."


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name, date of birth, NHS number or postcode",
        required=False,
        max_length=200,
        help_text="For example, John Smith 27/3/2019. Spelling and word order do not need "
        "to be exact.",
    )
    date_of_birth = forms.CharField(
        label="Date of birth", required=False, max_length=20, help_text="For example, 27/3/2019"
    )
    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=20, help_text="For example, 943 476 5919"
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text="A full postcode, or the first part only, like TS18",
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        problem = query_problem(text)
        if problem:
            raise ValidationError(problem)
        return text

    def clean_date_of_birth(self) -> date | None:
        text = self.cleaned_data["date_of_birth"].strip()
        if not text:
            return None
        found = parse_date(text)
        if found is None:
            raise ValidationError("Enter the date of birth as a real date, like 27/3/2019.")
        return found

    def clean_nhs_number(self) -> str:
        text = normalise_nhs_number(self.cleaned_data["nhs_number"].strip())
        if text and not is_valid_nhs_number(text):
            raise ValidationError("Enter a valid NHS number: 10 digits with a correct check digit.")
        return text

    def clean_postcode(self) -> str:
        return " ".join(self.cleaned_data["postcode"].upper().split())

    def has_criteria(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("q", "date_of_birth", "nhs_number", "postcode"))


class PersonForm(GovukFormMixin, forms.ModelForm):
    """A person's details. Model validation (check digits, dates) runs on ``is_valid``."""

    kind = forms.ChoiceField(
        label="Who is this?",
        choices=PersonKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a child, an adult or an unborn child."},
    )
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    middle_names = forms.CharField(label="Middle names", max_length=150, required=False)
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter a last name."},
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 2019",
        error_messages={"future_date": FUTURE_DATE_OF_BIRTH},
    )
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth",
        required=False,
        help_text="Only for an unborn child. For example, 14 9 2026",
    )
    date_of_death = GovukDateField(
        label="Date of death (optional)",
        required=False,
        help_text="Only if the child or adult has died. For example, 3 11 2025",
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's sex, or Not known."},
    )
    gender_identity = forms.CharField(
        label="Gender identity (optional)",
        max_length=100,
        required=False,
        help_text="In the person's own words, if they have told you.",
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=Ethnicity.choices,
        initial=Ethnicity.NOBT,
        error_messages={
            "required": "Select the person's ethnicity, or Information not yet obtained."
        },
    )
    first_language = forms.CharField(
        label="First language (optional)", max_length=60, required=False
    )
    disabilities = forms.MultipleChoiceField(
        label="Disability (optional)",
        choices=Disability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply, or No disability. Leave empty if not known.",
        error_messages={"invalid_choice": "Select disabilities from the list."},
    )
    disability_detail = forms.CharField(
        label="Disability details (optional)", max_length=300, required=False
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=20,
        required=False,
        help_text="10 digits, like 943 476 5919",
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN) (optional)",
        max_length=20,
        required=False,
        help_text="13 characters: a letter then 12 digits, like D801200012001",
    )

    upn_unknown_reason = forms.ChoiceField(
        label="If there is no UPN, why not? (optional)",
        choices=[("", "Select a reason"), *UPNUnknown.choices],
        required=False,
        help_text="The children in need census asks for a reason when a child has no UPN.",
        error_messages={"invalid_choice": "Select a reason from the list."},
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def clean_nhs_number(self) -> str | None:
        return normalise_nhs_number(self.cleaned_data.get("nhs_number") or "") or None

    def clean_disabilities(self) -> list[str]:
        chosen = list(self.cleaned_data.get("disabilities") or [])
        if Disability.NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                "Select No disability on its own, or the person's disabilities."
            )
        return chosen

    def clean_upn(self) -> str | None:
        return normalise_upn(self.cleaned_data.get("upn") or "") or None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("upn") and cleaned.get("upn_unknown_reason"):
            self.add_error(
                "upn_unknown_reason",
                "Leave the reason empty when you enter a UPN: it is only for a child without one.",
            )
        return cleaned

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class NewPersonForm(PersonForm):
    """A new person: their details, the council responsible and an optional address. Who
    they are (child, adult, unborn) and their sex start unanswered: nothing is chosen for
    the user. A child needs a date of birth (an unborn child the expected date), and a
    child 18 or over needs ``confirm_age`` ticked (the rules: ``people.services``)."""

    confirm_age = forms.BooleanField(
        label="Yes, record them as a child",
        required=False,
        help_text="For example, a young person being supported as a care leaver.",
    )

    council = forms.ModelChoiceField(
        label="Which council is responsible for this person's record?",
        queryset=Council.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the council responsible for the record."},
    )
    line_1 = forms.CharField(label="Address line 1", max_length=150, required=False)
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=150, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)

    ADDRESS_FIELDS = ("line_1", "line_2", "town", "postcode")

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.councils = councils
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
        if len(councils) == 1:
            # The only choice: fixed, whatever is posted.
            council_field.initial = councils[0].pk
            council_field.disabled = True
            council_field.widget = forms.HiddenInput()
        # A new record's defaults are not answers: the radios start with nothing chosen.
        for name in ("kind", "sex", "disabilities"):
            self.initial.pop(name, None)
        self.order_fields(["council", *PERSON_FIELDS])

    def validate_unique(self) -> None:
        """Left to ``create_person``: a clash with a record the user can see is shown as a
        possible duplicate first; one they cannot see changes nothing in the answer."""

    def clean_postcode(self) -> str:
        text = self.cleaned_data.get("postcode", "").strip()
        if not text:
            return ""
        try:
            return normalise_postcode(text)
        except ValidationError as exc:
            raise ValidationError("Enter a real UK postcode, like TS18 1LD.") from exc

    @property
    def adult_age(self) -> int | None:
        """The age of a child entered as 18 or over (the warning's subject), else None."""
        data = getattr(self, "cleaned_data", {})
        if data.get("kind") != PersonKind.CHILD:
            return None
        return age_if_adult(data.get("date_of_birth"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, problems in birth_date_errors(
            kind=cleaned.get("kind") or "",
            date_of_birth=cleaned.get("date_of_birth"),
            expected_date_of_birth=cleaned.get("expected_date_of_birth"),
        ).items():
            if name not in self.errors:
                self.add_error(name, problems)
        age = self.adult_age
        if age is not None and not cleaned.get("confirm_age"):
            self.add_error(
                "confirm_age",
                f"This date of birth makes them {age}: children are under 18. Check the date "
                "of birth, select Adult, or confirm they should be recorded as a child.",
            )
        if any(cleaned.get(name) for name in self.ADDRESS_FIELDS):
            for name, message in (
                ("line_1", "Enter address line 1, or leave the whole address empty."),
                ("town", "Enter the town or city, or leave the whole address empty."),
                ("postcode", "Enter the postcode, or leave the whole address empty."),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def address(self) -> dict[str, Any] | None:
        if not self.cleaned_data.get("line_1"):
            return None
        return {name: self.cleaned_data[name] for name in self.ADDRESS_FIELDS}

    def new_record(self) -> dict[str, Any]:
        """What ``people.services.create_person`` takes from the form: the council, the
        address (if any) and the person's details."""
        return {
            "council": self.cleaned_data["council"],
            "address": self.address(),
            **self.person_fields(),
        }


class EditPersonForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class BreakGlassForm(GovukFormMixin, forms.Form):
    nhs_number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        help_text="A sentence or two: what has happened and why it cannot wait. Your reason "
        "is recorded with every look at the record, and the information governance lead of "
        "the council that holds it is told at once and will review it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": "Enter why you need emergency access."},
    )

    def clean_reason(self) -> str:
        # Whether it is a real reason is the service's rule (people.services.reason_problem).
        return " ".join(self.cleaned_data["reason"].split())


class MatchDecisionForm(GovukFormMixin, forms.Form):
    """The holding council's decision on a possible match, made against the version shown."""

    LINK, NOT_THE_SAME, REOPEN = "link", "not_same", "reopen"
    # What an open match offers; once decided, only undoing it.
    FIRST_DECISIONS = [
        (LINK, "Yes, the same person: link the records"),
        (NOT_THE_SAME, "No, not the same person"),
    ]

    decision = forms.ChoiceField(
        label="Are these records of the same person?",
        choices=[*FIRST_DECISIONS, (REOPEN, "Undo the decision: review it again")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether these records are of the same person.",
            "invalid_choice": "Select whether these records are of the same person.",
        },
    )
    note = forms.CharField(
        label="Why (optional)",
        help_text="For example what you checked. Seen by your council's front door.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
