"""The hubs' forms. They only parse: the services check everything, so pages and the API
refuse alike."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.accounts.models import User
from continuum.organisations.models import Council, Organisation
from continuum.ui.forms import GovukDateField, GovukFormMixin

# What each agency may see and do, as the agreement form asks it (field: label).
AGENCY_FLAGS = {
    "sees_contacts": "Whose staff see contacts",
    "sees_notifications": "Whose staff see domestic-abuse notifications",
    "sees_triage": "Whose staff take part in joint triage",
    "sees_childrens_records": "Whose staff see the children's records they need to decide",
    "decides_contacts": "Whose staff screen and decide contacts",
}


def _organisations_field(label: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class HubForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name of the hub", required=False)
    councils = forms.ModelMultipleChoiceField(
        label="Which councils does it serve?",
        queryset=Council.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, councils: Any, own: Council | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["councils"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = councils
        field.help_text = "At least two" + (f", {own.name} among them" if own else "")


class _TermsForm(GovukFormMixin, forms.Form):
    """What an agreement says, whether recorded or changed before it is in force."""

    title = forms.CharField(label="Title", required=False)
    purpose = forms.CharField(
        label="Purpose and lawful basis",
        help_text="Why the councils share information in the hub",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sees_contacts = _organisations_field(AGENCY_FLAGS["sees_contacts"])
    sees_notifications = _organisations_field(AGENCY_FLAGS["sees_notifications"])
    sees_triage = _organisations_field(AGENCY_FLAGS["sees_triage"])
    sees_childrens_records = _organisations_field(AGENCY_FLAGS["sees_childrens_records"])
    decides_contacts = _organisations_field(AGENCY_FLAGS["decides_contacts"])
    starts_on = GovukDateField(
        label="Start date", help_text="For example, 1 4 2026", required=False
    )
    ends_on = GovukDateField(
        label="End date (optional)", help_text="Leave empty while it has no end", required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in AGENCY_FLAGS:
            flag = self.fields[name]
            assert isinstance(flag, forms.ModelMultipleChoiceField)
            flag.queryset = organisations


class AgreementForm(_TermsForm):
    field_order = ["reference", "title", "purpose", "councils"]

    reference = forms.CharField(label="Reference", required=False)
    councils = forms.ModelMultipleChoiceField(
        label="Which councils are party to it?",
        queryset=Council.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, councils: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, organisations=organisations, **kwargs)
        field = self.fields["councils"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = councils


class AmendAgreementForm(_TermsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SignOffForm(GovukFormMixin, forms.Form):
    signatory_name = forms.CharField(label="Who signed it off", required=False)
    signatory_role = forms.CharField(label="Their role", required=False)
    signed_on = GovukDateField(
        label="Date it was signed off", help_text="For example, 3 2 2026", required=False
    )


class EndAgreementForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    ends_on = GovukDateField(
        label="Last day of the agreement",
        help_text="Access through the hub ends the day after. For example, 31 3 2026",
        required=False,
    )
    reason = forms.CharField(
        label="Why it ends", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlaceForm(GovukFormMixin, forms.Form):
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Who is placed in the hub?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a member of staff",
    )
    starts_on = GovukDateField(
        label="Start date", help_text="For example, 1 4 2026", required=False
    )
    ends_on = GovukDateField(
        label="End date (optional)", help_text="Leave empty while it has no end", required=False
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff
        field.label_from_instance = lambda u: (  # type: ignore[method-assign,assignment]
            f"{u.get_full_name() or u.username}, {u.get_role_display()}, {u.organisation}"
        )


class EndPlacementForm(GovukFormMixin, forms.Form):
    ends_on = GovukDateField(
        label="Last day of the placement",
        help_text="Access through the hub ends the day after. For example, 31 3 2026",
        required=False,
    )
