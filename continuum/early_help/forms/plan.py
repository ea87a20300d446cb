"""Forms for the plan and its reviews: outcomes for needs, SMART actions and their status,
and reviews scoring every need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from continuum.accounts.models import User
from continuum.early_help.choices import ActionStatus, AgencyKind
from continuum.early_help.forms.common import (
    SCORE_HELP,
    VersionedForm,
    lead_label,
    score_field,
    short_description,
    textarea,
)
from continuum.early_help.models import Need, PlanAction
from continuum.early_help.selectors import agency_of
from continuum.early_help.services import ActionChange
from continuum.ui.dates import govuk_date
from continuum.ui.forms import GovukDateField


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
        widget=textarea(4),
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
        widget=textarea(4),
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
        field.choices = [("", "Nobody on the TAF")] + [(u.pk, lead_label(u)) for u in professionals]

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


class ReviewForm(VersionedForm):
    """A review: its date and summary, a score now for every need (each showing its earlier
    scores) and, for each action of the plan, its status and a new due date if it moves."""

    held_on = GovukDateField(
        label="Date of the review",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the review."},
    )
    summary = forms.CharField(
        label="Summary of the review",
        widget=textarea(6),
        max_length=20000,
        error_messages={"required": "Summarise the review."},
    )

    def __init__(
        self,
        *args: Any,
        needs: Sequence[Need],
        earlier: Mapping[int, str] | None = None,
        actions: Sequence[PlanAction] = (),
        **kwargs: Any,
    ) -> None:
        self.needs = list(needs)
        self.earlier = earlier or {}
        self.actions = list(actions)
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        for need in self.needs:
            field = score_field(
                f"Score now: {short_description(need)}",
                required_message=f"Enter a score from 1 to 10 for: {short_description(need)}.",
            )
            if need.pk in self.earlier:
                field.help_text = f"{self.earlier[need.pk]}. {SCORE_HELP}"
            self.fields[f"score_{need.pk}"] = field
        for action in self.actions:
            short = action.description.strip()
            short = short if len(short) <= 80 else f"{short[:79]}…"
            self.fields[f"action_{action.pk}_status"] = forms.ChoiceField(
                choices=ActionStatus.choices,
                widget=forms.RadioSelect,
                label=f"Action: {short}",
                help_text=f"{action.owner_name}, due {govuk_date(action.due_date)}.",
                error_messages={"required": f"Select the status of the action: {short}."},
            )
            self.fields[f"action_{action.pk}_due_date"] = GovukDateField(
                label=f"New due date (optional): {short}",
                help_text="Only if the action will now be done by another date. "
                "For example, 27 3 2026",
                required=False,
            )

    def scores(self) -> dict[int, int]:
        return {n.pk: self.cleaned_data[f"score_{n.pk}"] for n in self.needs}

    def action_changes(self) -> dict[int, ActionChange]:
        return {
            a.pk: ActionChange(
                status=self.cleaned_data[f"action_{a.pk}_status"],
                due_date=self.cleaned_data.get(f"action_{a.pk}_due_date"),
            )
            for a in self.actions
        }
