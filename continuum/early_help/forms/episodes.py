"""Forms for opening an episode: where it belongs (household, locality and team), and the
family and reason when a partner opens it or a family steps down from social care."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from continuum.early_help.forms.common import EarlyHelpForm, textarea
from continuum.early_help.services.consent import AGREED, JUSTIFICATION_MAX, LAWFUL_BASIS
from continuum.early_help.services.episodes import ConsentAnswer
from continuum.front_door.choices import LawfulBasis
from continuum.organisations.models import Council, Locality, Team
from continuum.people.models import Household, Person
from continuum.ui.dates import govuk_date


class _PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        born = f", born {govuk_date(obj.date_of_birth)}" if obj.date_of_birth else ""
        return f"{obj.full_name}{born}"


class _HouseholdChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        members = ", ".join(m.person.full_name for m in obj.members.select_related("person"))
        return f"{obj.name} household ({members})" if members else f"{obj.name} household"


def council_teams(councils: Iterable[Council]) -> QuerySet[Team]:
    ids = [c.pk for c in councils]
    return (
        Team.objects.filter(Q(organisation__council__in=ids) | Q(locality__council__in=ids))
        .select_related("organisation")
        .distinct()
        .order_by("name")
    )


# Consent is not a lawful basis for going ahead without the family's agreement.
LAWFUL_BASES_WITHOUT_AGREEMENT = [c for c in LawfulBasis.choices if c[0] != LawfulBasis.CONSENT]


class PlaceForm(EarlyHelpForm):
    """Where the episode belongs: the family's household, locality and team."""

    household = _HouseholdChoice(
        queryset=Household.objects.none(),
        label="The family's household",
        empty_label="Select the household",
        error_messages={"required": "Select the family's household."},
    )
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.none(),
        empty_label="Select the locality",
        error_messages={"required": "Select the locality."},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        empty_label="Select the team",
        error_messages={"required": "Select the team."},
    )

    def set_place_choices(
        self, *, households: QuerySet[Household], councils: Sequence[Council]
    ) -> None:
        self.fields["household"].queryset = households  # type: ignore[attr-defined]
        self.fields["locality"].queryset = Locality.objects.filter(  # type: ignore[attr-defined]
            council__in=councils
        ).order_by("name")
        self.fields["team"].queryset = council_teams(councils)  # type: ignore[attr-defined]

    def add_fields(self) -> None:
        """What early help goes ahead on: the family's agreement, or a lawful basis."""
        self.fields["consent"] = forms.ChoiceField(
            label="Does the family agree to early help?",
            help_text=(
                "Early help is voluntary. The family's agreement is recorded on each "
                "person's Consent tab. If they have not agreed, or you did not ask them "
                "because that would put a child at risk, record the lawful basis and why."
            ),
            choices=[
                (AGREED, "Yes: their agreement to early help is recorded"),
                (LAWFUL_BASIS, "No: early help goes ahead without it, on a lawful basis"),
            ],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select whether the family agrees to early help.",
                "invalid_choice": "Select whether the family agrees to early help.",
            },
        )
        self.fields["lawful_basis"] = forms.ChoiceField(
            label="Lawful basis without the family's agreement",
            choices=[("", "Select the lawful basis"), *LAWFUL_BASES_WITHOUT_AGREEMENT],
            required=False,
            error_messages={"invalid_choice": "Select a lawful basis from the list."},
        )
        self.fields["lawful_basis_justification"] = forms.CharField(
            label="Why early help without the family's agreement is justified",
            widget=textarea(4),
            required=False,
            max_length=JUSTIFICATION_MAX,
        )

    def consent_answer(self) -> ConsentAnswer:
        data = self.cleaned_data
        return ConsentAnswer(
            answer=data.get("consent") or "",
            lawful_basis=data.get("lawful_basis") or "",
            justification=data.get("lawful_basis_justification") or "",
        )


class OpenFromDecisionForm(PlaceForm):
    pass


class FamilyForm(PlaceForm):
    """Choosing the children (from people the user may see) and their household."""

    children = _PeopleChoice(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="The children the episode is for",
        error_messages={"required": "Select the children the episode is for."},
    )
    reason_for_request = forms.CharField(
        label="Why the family needs early help",
        widget=textarea(5),
        max_length=5000,
        error_messages={"required": "Say why the family needs early help."},
    )


class PartnerStartForm(FamilyForm):
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        label="Council",
        help_text="The council whose area the family lives in.",
        empty_label="Select the council",
        error_messages={"required": "Select the council."},
    )
    field_order = ["council", "children", "household", "locality", "team", "reason_for_request"]

    def __init__(self, *args: Any, councils: Sequence[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
        if len(councils) == 1:
            # The only choice: fixed, whatever is posted.
            field.initial = councils[0].pk
            field.disabled = True
            field.widget = forms.HiddenInput()


class StepDownForm(FamilyForm):
    level = forms.TypedChoiceField(
        choices=[(2, "Level 2: early help, single agency"), (3, "Level 3: targeted, multi-agency")],
        coerce=int,
        widget=forms.RadioSelect,
        label="Level of need",
        error_messages={"required": "Select the level of need."},
    )
    social_care_history = forms.CharField(
        label="The social care involvement the family is leaving",
        help_text="What social care did and why it is ending. The lead professional will see this.",
        widget=textarea(6),
        max_length=10000,
        error_messages={"required": "Summarise the social care involvement the family is leaving."},
    )
    field_order = [
        "children",
        "household",
        "locality",
        "team",
        "level",
        "social_care_history",
        "reason_for_request",
    ]
