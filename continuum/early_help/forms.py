"""Forms for the early help pages. They parse what was typed and offer only the choices the
user may make; the rules live in ``early_help.services``, whose refusals come back onto the
form with ``add_service_errors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from continuum.accounts.models import User
from continuum.early_help.choices import (
    ActionStatus,
    AgencyKind,
    ClosureReason,
    NeedOutcome,
    SustainedResult,
)
from continuum.early_help.models import Need, PlanAction, SupportingFamiliesOutcome
from continuum.early_help.selectors import agency_of
from continuum.front_door.choices import FamilyAgreement
from continuum.organisations.models import Council, Locality, Organisation, Team
from continuum.people.models import Household, Person
from continuum.thresholds.models import Domain
from continuum.ui.forms import GovukDateField, GovukFormMixin, VersionForm

SCORE_HELP = "1 means the need is as serious as it could be; 10 means it is fully met."


class _FieldsMadePerForm(forms.Form):
    """Lets a form add fields made per instance (a score for each need, say) before the
    GOV.UK mixin styles the fields, so those fields are styled like the rest."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_fields()

    def add_fields(self) -> None:
        """Add the instance's own fields to ``self.fields`` (nothing by default)."""


class EarlyHelpForm(GovukFormMixin, _FieldsMadePerForm):
    """GOV.UK classes and error states, date inputs included."""


class VersionedForm(EarlyHelpForm, VersionForm):
    """An early help form carrying the version of the record the page showed."""


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _short(need: Need) -> str:
    """A need's description, short enough for a label or message."""
    text = need.description.strip().rstrip(".")
    return text if len(text) <= 80 else f"{text[:79]}…"


def _score_field(label: str, *, required_message: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=10,
        help_text=SCORE_HELP,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "required": required_message,
            "invalid": "The score must be a whole number from 1 to 10.",
            "min_value": "The score must be from 1 to 10.",
            "max_value": "The score must be from 1 to 10.",
        },
    )


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        born = f", born {obj.date_of_birth:%-d %B %Y}" if obj.date_of_birth else ""
        return f"{obj.full_name}{born}"


class _PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        born = f", born {obj.date_of_birth:%-d %B %Y}" if obj.date_of_birth else ""
        return f"{obj.full_name}{born}"


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organisation = obj.organisation.name if obj.organisation else "no organisation"
        return f"{obj}, {obj.get_role_display()}, {organisation}"


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
        widget=_textarea(5),
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
        widget=_textarea(6),
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


# --- allocation ----------------------------------------------------------------------------


class PanelForm(EarlyHelpForm):
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.none(),
        empty_label="Select the locality",
        error_messages={"required": "Select the locality whose waiting list the panel hears."},
    )
    held_on = GovukDateField(
        label="Date of the panel",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the panel."},
    )
    agencies_present = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Agencies present",
        error_messages={"required": "Select the agencies present at the panel."},
    )

    def __init__(
        self, *args: Any, council: Council, organisations: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = council.localities.order_by("name")  # type: ignore[attr-defined]
        self.fields["agencies_present"].queryset = organisations  # type: ignore[attr-defined]


def _lead_label(user: User) -> str:
    organisation = user.organisation.name if user.organisation else ""
    return f"{user}, {organisation} ({user.get_role_display().lower()})"


class AllocateForm(VersionedForm):
    lead_professional = forms.TypedChoiceField(
        coerce=int,
        label="Lead professional",
        help_text="From any agency. Each name shows the organisation they work for.",
        error_messages={"required": "Select the lead professional."},
    )
    allocation_reason = forms.CharField(
        label="Why this lead professional",
        widget=_textarea(4),
        max_length=5000,
        error_messages={"required": "Record why this lead professional was chosen."},
    )
    out_of_area_reason = forms.CharField(
        label="If their organisation does not serve this council: why it leads",
        required=False,
        widget=_textarea(3),
        max_length=5000,
    )

    def __init__(
        self,
        *args: Any,
        council: Council,
        serving: Sequence[User],
        not_serving: Sequence[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._users = {u.pk: u for u in [*serving, *not_serving]}
        field = self.fields["lead_professional"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", "Select the lead professional"),
            (
                f"Organisations serving {council.name}",
                [(u.pk, _lead_label(u)) for u in serving],
            ),
            (
                f"Organisations not serving {council.name} (record why)",
                [(u.pk, _lead_label(u)) for u in not_serving],
            ),
        ]

    def lead(self) -> User:
        return self._users[self.cleaned_data["lead_professional"]]


# --- assessment ----------------------------------------------------------------------------


class AssessmentForm(VersionedForm):
    family_view = forms.CharField(
        label="The family's own view",
        help_text="What the family say about their situation, in their words.",
        required=False,
        widget=_textarea(6),
        max_length=10000,
    )
    summary = forms.CharField(
        label="Summary of the assessment",
        help_text="Across the three domains: the child's developmental needs, parenting "
        "capacity, and family and environmental factors.",
        required=False,
        widget=_textarea(8),
        max_length=20000,
    )


class PersonAssessmentForm(VersionedForm):
    strengths = forms.CharField(required=False, widget=_textarea(5), max_length=10000)
    needs = forms.CharField(required=False, widget=_textarea(5), max_length=10000)

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
        widget=_textarea(5),
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
        widget=_textarea(3),
        max_length=5000,
    )
    what_was_observed = forms.CharField(
        label="What was observed instead",
        required=False,
        widget=_textarea(4),
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
        widget=_textarea(4),
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
    baseline_score = _score_field(
        "Score now (baseline)", required_message="Enter a score from 1 to 10 for the need now."
    )

    def __init__(self, *args: Any, family: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in family]
        ).order_by("date_of_birth")


class CompleteAssessmentForm(VersionedForm):
    pass


# --- Team Around the Family ----------------------------------------------------------------


class TafMemberForm(EarlyHelpForm):
    user = _UserChoice(
        queryset=User.objects.none(),
        label="Practitioner",
        help_text="Anyone working for an organisation that serves the family's council.",
        empty_label="Select the practitioner",
        error_messages={"required": "Select the practitioner joining the TAF."},
    )
    role_in_taf = forms.CharField(
        label="Their role in the TAF (optional)",
        required=False,
        max_length=150,
        help_text="For example, school nurse or family support worker.",
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]


OTHER_ATTENDEE_ROWS = 3


class TafMeetingForm(EarlyHelpForm):
    held_on = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the meeting."},
    )
    professionals = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Professionals who attended",
    )
    family = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Family members who attended",
    )
    decisions = forms.CharField(
        label="What the meeting decided",
        widget=_textarea(6),
        max_length=20000,
        error_messages={"required": "Record what the meeting decided."},
    )

    def __init__(
        self,
        *args: Any,
        professionals: Sequence[User],
        family: Sequence[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._professionals = {str(u.pk): u for u in professionals}
        self._family = {str(p.pk): p for p in family}
        self.fields["professionals"].choices = [  # type: ignore[attr-defined]
            (key, _lead_label(u)) for key, u in self._professionals.items()
        ]
        self.fields["family"].choices = [  # type: ignore[attr-defined]
            (key, p.full_name) for key, p in self._family.items()
        ]

    def add_fields(self) -> None:
        for row in range(1, OTHER_ATTENDEE_ROWS + 1):
            self.fields[f"other_{row}_name"] = forms.CharField(
                label=f"Other attendee {row}: name", required=False, max_length=150
            )
            self.fields[f"other_{row}_agency"] = forms.ChoiceField(
                label=f"Other attendee {row}: agency",
                required=False,
                choices=[("", "Select the agency"), *AgencyKind.choices],
            )
        self.order_fields(["held_on", "professionals", "family"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(1, OTHER_ATTENDEE_ROWS + 1):
            name = cleaned.get(f"other_{row}_name", "").strip()
            agency = cleaned.get(f"other_{row}_agency", "")
            if name and not agency:
                self.add_error(f"other_{row}_agency", f"Select the agency {name} came from.")
            if agency and not name:
                self.add_error(f"other_{row}_name", f"Enter the name of other attendee {row}.")
        return cleaned

    def attendees(self) -> list[dict[str, Any]]:
        """The attendees as the service takes them: by person and agency."""
        rows: list[dict[str, Any]] = []
        for key in self.cleaned_data["professionals"]:
            user = self._professionals[key]
            rows.append(
                {
                    "name": str(user),
                    "user": user,
                    "organisation": user.organisation,
                    "agency": agency_of(user.organisation),
                }
            )
        for key in self.cleaned_data["family"]:
            person = self._family[key]
            rows.append({"name": person.full_name, "person": person, "agency": AgencyKind.FAMILY})
        for row in range(1, OTHER_ATTENDEE_ROWS + 1):
            name = self.cleaned_data.get(f"other_{row}_name", "").strip()
            if name:
                rows.append({"name": name, "agency": self.cleaned_data[f"other_{row}_agency"]})
        return rows


# --- plan ----------------------------------------------------------------------------------


class _NeedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.description[:120]} ({obj.domain.name})"


class PlanOutcomeForm(VersionedForm):
    need = _NeedChoice(
        queryset=Need.objects.none(),
        label="The need this outcome meets",
        empty_label="Select the need",
        error_messages={"required": "Select the need this outcome is for."},
    )
    description = forms.CharField(
        label="What will be different for the family",
        widget=_textarea(4),
        max_length=5000,
        error_messages={"required": "Describe what will be different for the family."},
    )

    def __init__(self, *args: Any, needs: QuerySet[Need], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs  # type: ignore[attr-defined]


class ActionForm(VersionedForm):
    description = forms.CharField(
        label="What will be done",
        help_text="Specific and measurable: what, how often, and how you will know.",
        widget=_textarea(4),
        max_length=5000,
        error_messages={"required": "Describe the action: what will be done."},
    )
    owner_user = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Who will do it: a professional on the TAF",
    )
    owner_name = forms.CharField(
        label="Or: the name of who will do it",
        help_text="For example, a parent, or a professional without an account.",
        required=False,
        max_length=150,
    )
    owner_agency = forms.ChoiceField(
        label="Their agency",
        help_text="Leave empty for a professional on the TAF: their organisation's agency.",
        required=False,
        choices=[("", "Select the agency"), *AgencyKind.choices],
    )
    due_date = GovukDateField(
        label="Due date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the action is due."},
    )

    def __init__(self, *args: Any, professionals: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._professionals = {u.pk: u for u in professionals}
        field = self.fields["owner_user"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Nobody on the TAF")] + [
            (u.pk, _lead_label(u)) for u in professionals
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner = self.owner()
        if owner is not None and not cleaned.get("owner_agency"):
            cleaned["owner_agency"] = agency_of(owner.organisation)
        if owner is None and not cleaned.get("owner_name", "").strip():
            self.add_error("owner_name", "Name who will do it, or choose a professional.")
        if owner is None and not cleaned.get("owner_agency"):
            self.add_error("owner_agency", "Select the agency responsible.")
        return cleaned

    def owner(self) -> User | None:
        key = getattr(self, "cleaned_data", {}).get("owner_user")
        return self._professionals.get(key) if key is not None else None


class ActionStatusForm(VersionedForm):
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        label="Status",
        error_messages={"required": "Select the action's status."},
    )


class ReviewForm(EarlyHelpForm):
    held_on = GovukDateField(
        label="Date of the review",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the review."},
    )
    summary = forms.CharField(
        label="Summary of the review",
        widget=_textarea(6),
        max_length=20000,
        error_messages={"required": "Summarise the review."},
    )

    def __init__(self, *args: Any, needs: Sequence[Need], **kwargs: Any) -> None:
        self.needs = list(needs)
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        for need in self.needs:
            self.fields[f"score_{need.pk}"] = _score_field(
                f"Score now: {_short(need)}",
                required_message=f"Enter a score from 1 to 10 for: {_short(need)}.",
            )

    def scores(self) -> dict[int, int]:
        return {n.pk: self.cleaned_data[f"score_{n.pk}"] for n in self.needs}


# --- step-up -------------------------------------------------------------------------------


class StepUpForm(EarlyHelpForm):
    reason = forms.CharField(
        label="Why the family needs social care",
        widget=_textarea(6),
        max_length=10000,
        error_messages={"required": "Say why the family needs social care."},
    )
    family_agreement = forms.ChoiceField(
        choices=FamilyAgreement.choices,
        widget=forms.RadioSelect,
        label="Has the family agreed to the referral?",
        error_messages={"required": "Record whether the family agreed to the referral."},
    )
    sharing_justification = forms.CharField(
        label="If the family has not agreed: why sharing without agreement is justified",
        required=False,
        widget=_textarea(4),
        max_length=5000,
    )


class StepUpDecisionForm(EarlyHelpForm):
    decision = forms.ChoiceField(
        choices=[("agree", "Agree: refer to the front door"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Select whether you agree to the step-up."},
    )
    decision_note = forms.CharField(
        label="Note (needed if you decline)",
        required=False,
        widget=_textarea(4),
        max_length=5000,
    )


# --- closure -------------------------------------------------------------------------------


class ClosureForm(VersionedForm):
    reason = forms.ChoiceField(
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        label="Reason for closing",
        error_messages={"required": "Select the reason for closing."},
    )
    closed_on = GovukDateField(
        label="Date of closure",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of closure."},
    )
    summary = forms.CharField(
        label="Closing summary (optional)", required=False, widget=_textarea(5), max_length=20000
    )

    def __init__(
        self, *args: Any, needs: Sequence[Need], open_actions: Sequence[PlanAction], **kwargs: Any
    ) -> None:
        self.needs = list(needs)
        self.open_actions = list(open_actions)
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        for need in self.needs:
            short = _short(need)
            self.fields[f"outcome_{need.pk}"] = forms.ChoiceField(
                choices=NeedOutcome.choices,
                widget=forms.RadioSelect,
                label=f"Outcome: {short}",
                error_messages={
                    "required": f"Select whether the outcome was achieved for: {short}."
                },
            )
            self.fields[f"score_{need.pk}"] = _score_field(
                f"Score at closure: {short}",
                required_message=f"Enter the score at closure, from 1 to 10, for: {short}.",
            )
        if self.open_actions:
            self.fields["open_actions_become"] = forms.ChoiceField(
                choices=[
                    (ActionStatus.CANCELLED, "Cancelled"),
                    (ActionStatus.CARRIED_FORWARD, "Carried forward to another service"),
                ],
                widget=forms.RadioSelect,
                required=False,
                label="What happens to the actions still open?",
            )
            self.fields["open_actions_resolution"] = forms.CharField(
                label="Note on the open actions",
                help_text="Who takes them on, or why they are no longer needed.",
                required=False,
                widget=_textarea(3),
                max_length=5000,
            )

    def need_outcomes(self) -> dict[int, str]:
        return {n.pk: self.cleaned_data[f"outcome_{n.pk}"] for n in self.needs}

    def closure_scores(self) -> dict[int, int]:
        return {n.pk: self.cleaned_data[f"score_{n.pk}"] for n in self.needs}


class SustainedCheckForm(EarlyHelpForm):
    result = forms.ChoiceField(
        choices=SustainedResult.choices,
        widget=forms.RadioSelect,
        label="Was the outcome sustained six months after closure?",
        error_messages={"required": "Select whether the outcome was sustained."},
    )
    checked_on = GovukDateField(
        label="Date checked",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the follow-up was checked."},
    )
