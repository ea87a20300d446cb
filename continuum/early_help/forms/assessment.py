"""Forms for the whole-family assessment: the family's view, each member's strengths and
needs, each child's voice, the needs found, and completing it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from continuum.early_help.forms.common import EarlyHelpForm, VersionedForm, score_field, textarea
from continuum.early_help.models import SupportingFamiliesOutcome
from continuum.people.models import Person
from continuum.thresholds.models import Domain
from continuum.ui.dates import govuk_date


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        born = f", born {govuk_date(obj.date_of_birth)}" if obj.date_of_birth else ""
        return f"{obj.full_name}{born}"


class AssessmentForm(VersionedForm):
    family_view = forms.CharField(
        label="The family's own view",
        help_text="What the family say about their situation, in their words.",
        required=False,
        widget=textarea(6),
        max_length=10000,
    )
    summary = forms.CharField(
        label="Summary of the assessment",
        help_text="Across the three domains: the child's developmental needs, parenting "
        "capacity, and family and environmental factors.",
        required=False,
        widget=textarea(8),
        max_length=20000,
    )


class PersonAssessmentForm(VersionedForm):
    strengths = forms.CharField(required=False, widget=textarea(5), max_length=10000)
    needs = forms.CharField(required=False, widget=textarea(5), max_length=10000)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("strengths", "").strip() or cleaned.get("needs", "").strip()):
            raise ValidationError("Record this person's strengths, needs or both.")
        return cleaned


class ChildVoiceForm(VersionedForm):
    what_the_child_said = forms.CharField(
        label="What the child said",
        help_text="In the child's own words where you can.",
        required=False,
        widget=textarea(5),
        max_length=10000,
    )
    how_gathered = forms.CharField(
        label="How their voice was gathered",
        help_text="For example, talking with them at school, or a three-houses drawing.",
        required=False,
        max_length=300,
    )
    not_gathered_reason = forms.CharField(
        label="Or: why their voice could not be gathered",
        help_text="For example, a baby too young to talk.",
        required=False,
        widget=textarea(3),
        max_length=5000,
    )
    what_was_observed = forms.CharField(
        label="What was observed instead",
        required=False,
        widget=textarea(4),
        max_length=10000,
    )


class _OutcomeAreas(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class NeedForm(EarlyHelpForm):
    person = _PersonChoice(
        queryset=Person.objects.none(),
        required=False,
        label="Whose need is it?",
        empty_label="The whole family",
    )
    domain = forms.ModelChoiceField(
        queryset=Domain.objects.order_by("order"),
        to_field_name="code",
        label="Domain of the threshold framework",
        empty_label="Select the domain",
        error_messages={"required": "Select the domain the need sits in."},
    )
    description = forms.CharField(
        label="Describe the need",
        widget=textarea(4),
        max_length=5000,
        error_messages={"required": "Describe the need."},
    )
    outcome_areas = _OutcomeAreas(
        queryset=SupportingFamiliesOutcome.objects.order_by("code"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        label="Supporting Families outcome areas",
        help_text="Select all that apply.",
        error_messages={"required": "Tag the need with at least one Supporting Families outcome."},
    )
    baseline_score = score_field(
        "Score now (baseline)", required_message="Enter a score from 1 to 10 for the need now."
    )

    def __init__(self, *args: Any, family: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in family]
        ).order_by("date_of_birth")


class CompleteAssessmentForm(VersionedForm):
    pass
