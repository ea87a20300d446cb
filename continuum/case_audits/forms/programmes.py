"""The forms for running an audit programme: input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseKind, SampleMethod, TemplateKind
from continuum.case_audits.models import AuditCase, AuditProgramme, AuditTemplate, BlindRegrade
from continuum.case_audits.policies import partnership_councils
from continuum.organisations.models import Council
from continuum.ui.forms import GovukDateField, GovukFormMixin


def _whole(label: str, *, required: bool = True, hint: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=hint,
        min_value=0,
        max_value=2_147_483_647,
        error_messages={
            "required": f"Enter {label.lower()}.",
            "invalid": f"Enter {label.lower()} as a whole number, like 10.",
            "min_value": f"Enter {label.lower()} as 0 or more.",
            "max_value": f"{label} is too large.",
        },
    )


class ProgrammeForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the programme's title."},
    )
    theme = forms.CharField(
        label="Theme",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="What the audit looks at, for example the quality of assessments and plans.",
        error_messages={"required": "Enter the theme: what the audit looks at."},
    )
    template = forms.ModelChoiceField(
        label="Audit template",
        queryset=AuditTemplate.objects.none(),
        empty_label="Choose a template",
        error_messages={
            "required": "Choose a current case audit template.",
            "invalid_choice": "Choose a current case audit template.",
        },
    )
    case_kind = forms.ChoiceField(
        label="What is audited",
        choices=CaseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is audited: early help episodes or contacts."},
    )
    period_start = GovukDateField(
        label="Start of the period",
        help_text="Cases open (episodes) or received (contacts) from this day, like 1 4 2025.",
        error_messages={"required": "Enter the first day of the period."},
    )
    period_end = GovukDateField(
        label="End of the period",
        help_text="Today or earlier.",
        error_messages={"required": "Enter the last day of the period."},
    )
    councils = forms.ModelMultipleChoiceField(
        label="Councils",
        queryset=Council.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one council.",
            "invalid_choice": "Choose councils your partnership serves.",
        },
    )
    sample_method = forms.ChoiceField(
        label="How the sample is drawn",
        choices=SampleMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the sample is drawn."},
    )
    per_council = _whole("Cases a council", hint="Between 1 and 50; typically 10.")
    seed = _whole(
        "Seed",
        required=False,
        hint="Leave blank to have one made for you. The same seed draws the same sample.",
    )
    exclude_audited_within_days = _whole(
        "Leave out cases audited within this many days",
        required=False,
        hint="For example 365 to leave out cases audited in the past year. Blank: none.",
    )
    regrade_per_council = _whole(
        "Contacts a council to re-grade blind",
        hint="Decided contacts received in the period; 0 for none.",
    )
    audits_due_on = GovukDateField(
        label="Audits due by", required=False, help_text="Optional. Today or later."
    )

    def __init__(self, *args: Any, lead: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template = self.fields["template"]
        assert isinstance(template, forms.ModelChoiceField)
        template.queryset = AuditTemplate.objects.filter(
            is_current=True, kind=TemplateKind.CASE_AUDIT
        ).order_by("title")
        councils = self.fields["councils"]
        assert isinstance(councils, forms.ModelMultipleChoiceField)
        councils.queryset = partnership_councils(lead).order_by("name")

    @staticmethod
    def initial_of(programme: AuditProgramme) -> dict[str, Any]:
        names = [
            "title",
            "theme",
            "template",
            "case_kind",
            "period_start",
            "period_end",
            "sample_method",
            "per_council",
            "seed",
            "exclude_audited_within_days",
            "regrade_per_council",
            "audits_due_on",
        ]
        initial = {name: getattr(programme, name) for name in names}
        initial["councils"] = list(programme.councils.all())
        return initial


class CaseAddForm(GovukFormMixin, forms.Form):
    record_id = forms.CharField(
        label="The episode's or contact's ID",
        max_length=64,
        help_text="As the council gave it to you, like 3f1c2a9e-…",
        error_messages={"required": "Enter the ID of the episode or contact."},
    )
    reason = forms.CharField(
        label="Why this case",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why this case was chosen."},
    )


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why it is taken out of the sample",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the case is taken out of the sample."},
    )


class ConfirmForm(GovukFormMixin, forms.Form):
    """Opening or closing: nothing to fill in; the page says what it does."""


def auditors_for(lead: User) -> QuerySet[User]:
    """The peer auditors employed by the councils the lead's partnership serves."""
    return User.objects.filter(
        role=Role.AUDITOR,
        is_active=True,
        organisation__council__in=partnership_councils(lead),
    ).order_by("last_name", "first_name", "username")


def moderators_for(lead: User) -> QuerySet[User]:
    """Those peer auditors, and the partnership's leads."""
    return User.objects.filter(
        Q(pk__in=auditors_for(lead))
        | Q(role=Role.SAFEGUARDING_PARTNERSHIP_LEAD, organisation=lead.organisation_id)
    ).order_by("last_name", "first_name", "username")


def _people(label: str, queryset: QuerySet[User], required: bool) -> forms.Field:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": f"Choose at least one of the {label.lower()}.",
            "invalid_choice": f"Choose from the {label.lower()} listed.",
        },
    )


class AutomaticAssignForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, lead: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auditors"] = _people("Peer auditors", auditors_for(lead), True)
        self.fields["moderators"] = _people("Moderators", moderators_for(lead), True)


def _choice_label(user: User) -> str:
    council = user.organisation.council if user.organisation else None
    name = user.get_full_name() or user.username
    return f"{name} ({council.name})" if council else name


class AssignForm(GovukFormMixin, forms.Form):
    """An auditor for each case and re-grade (``case_<id>``, ``regrade_<id>``) and the
    moderators."""

    def __init__(
        self,
        *args: Any,
        lead: User,
        cases: list[AuditCase],
        regrades: list[BlindRegrade],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        auditors = list(auditors_for(lead).select_related("organisation__council"))
        choices = [("", "Choose an auditor")] + [(str(a.pk), _choice_label(a)) for a in auditors]
        self.auditors = {str(a.pk): a for a in auditors}
        for prefix, items in (("case", cases), ("regrade", regrades)):
            for item in items:
                self.fields[f"{prefix}_{item.pk}"] = forms.ChoiceField(
                    label=f"{item.council.name} {str(item.pk)[:8]}",
                    choices=choices,
                    required=False,
                    initial=str(item.auditor_id or ""),
                    error_messages={"invalid_choice": "Choose an auditor from the list."},
                )
        moderators = _people("Moderators", moderators_for(lead), False)
        self.fields["moderators"] = moderators

    def chosen(self, prefix: str) -> dict[str, User]:
        found = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(f"{prefix}_") and value:
                found[name.removeprefix(f"{prefix}_")] = self.auditors[value]
        return found

    def fields_of(self, prefix: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(f"{prefix}_")]
