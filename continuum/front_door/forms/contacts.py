"""Forms for recording a contact: finding and adding the people it is about, then what the
referrer says. They parse what was typed; the rules (consent, the council, the children)
live in ``front_door.services``, whose errors are shown on the fields they name
(``SERVICE_FIELD_NAMES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door.choices import (
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    NotSoughtReason,
    ReferralSource,
)
from continuum.front_door.models import Contact
from continuum.front_door.services.contacts import CONTACT_DETAIL_FIELDS, ContactDetails
from continuum.organisations.models import Council, OrganisationKind
from continuum.thresholds.models import Level
from continuum.ui.forms import GovukDateField, GovukFormMixin
from continuum.ui.times import parse_time

# Where a service's error keys differ from the contact and decision forms' field names.
SERVICE_FIELD_NAMES = {
    "received_at": "received_time",
    "presenting_indicators": "indicators",
}

# The usual referral source for a partner's own organisation, to save them looking it up.
SOURCE_FOR_ORGANISATION = {
    OrganisationKind.SCHOOL: ReferralSource.SCHOOLS,
    OrganisationKind.EARLY_YEARS: ReferralSource.EDUCATION_SERVICES,
    OrganisationKind.POLICE: ReferralSource.POLICE,
    OrganisationKind.GP_PRACTICE: ReferralSource.GP,
    OrganisationKind.NHS_TRUST: ReferralSource.OTHER_HEALTH,
    OrganisationKind.HOUSING: ReferralSource.HOUSING,
    OrganisationKind.VOLUNTARY: ReferralSource.OTHER,
}

# Ways a person can be recorded as bringing a contact in through these pages (the
# domestic-abuse and API routes make their own).
PAGE_HOW_RECEIVED = [
    (value, label)
    for value, label in HowReceived.choices
    if value not in (HowReceived.DOMESTIC_ABUSE_NOTIFICATION, HowReceived.API)
]

ADULT_RELATIONSHIPS = [
    "Mother",
    "Father",
    "Parent",
    "Step-parent",
    "Carer",
    "Grandparent",
    "Other family member",
    "Other adult in the household",
]

# --- finding and adding people ------------------------------------------------------------


class PersonSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Search for a person",
        required=False,
        max_length=200,
        help_text="Name, date of birth, NHS number or postcode, for example Amy Smith 27/3/2019",
    )


class AddPersonForm(forms.Form):
    """Adding a person found by searching to the contact, as a child or a parent or carer."""

    person = forms.UUIDField()
    role = forms.ChoiceField(choices=[("child", "Child"), ("adult", "Parent or carer")])
    relationship = forms.CharField(max_length=100, required=False)
    # Someone 18 or over is added as a child only when the user confirms it.
    confirm_age = forms.BooleanField(required=False)


class RemovePersonForm(forms.Form):
    person = forms.UUIDField()
    role = forms.ChoiceField(choices=[("child", "Child"), ("adult", "Parent or carer")])


# --- the contact --------------------------------------------------------------------------


class ContactForm(GovukFormMixin, forms.Form):
    """Everything the referrer tells the front door, apart from who it is about."""

    council = forms.ModelChoiceField(
        label="Which council's front door is this contact for?",
        queryset=Council.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the council the contact is for."},
    )
    received_on = GovukDateField(
        label="Date received",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the contact was received."},
    )
    received_time = forms.CharField(
        label="Time received",
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time the contact was received."},
    )
    how_received = forms.ChoiceField(
        label="How was the contact received?",
        choices=PAGE_HOW_RECEIVED,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contact was received."},
    )
    referral_source = forms.ChoiceField(
        label="Referral source",
        help_text="The Children in Need census code for who is raising the concern",
        choices=[("", "Select the referral source")]
        + [(code, f"{code} – {label}") for code, label in ReferralSource.choices],
        error_messages={
            "required": "Select the referral source.",
            "invalid_choice": "Select a referral source from the list.",
        },
    )
    referrer_name = forms.CharField(
        label="Referrer's name",
        max_length=150,
        error_messages={"required": "Enter the referrer's name."},
    )
    referrer_organisation_name = forms.CharField(
        label="Organisation (optional)", max_length=200, required=False
    )
    referrer_role = forms.CharField(label="Role (optional)", max_length=150, required=False)
    referrer_phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)
    referrer_email = forms.EmailField(
        label="Email address (optional)",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    referrer_address = forms.CharField(
        label="Postal address (optional)",
        help_text="Where to send the outcome letter if the referrer does not use Continuum",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    indicators = forms.MultipleChoiceField(
        label="Presenting needs",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select indicators from the threshold framework."},
    )
    concerns = forms.CharField(
        label="What are the concerns?",
        help_text="In the referrer's words: what has happened, how the child is, and what "
        "has been tried",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    referrer_view_of_level = forms.TypedChoiceField(
        label="What level of need does the referrer think this is? (optional)",
        choices=[*Level.choices, ("", "Not sure")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    family_agreement = forms.ChoiceField(
        label="Did the family agree to this referral?",
        help_text="The referrer asks the family before referring, unless that would put a "
        "child at risk. You can save a draft without this, but not submit it.",
        choices=FamilyAgreement.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    agreement_obtained_by = forms.CharField(
        label="Who obtained the family's agreement?", max_length=150, required=False
    )
    agreement_obtained_on = GovukDateField(
        label="When was the family's agreement obtained?",
        help_text="For example, 27 3 2026",
        required=False,
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing without the family's agreement",
        help_text="Consent is not the only lawful basis: safeguarding a child is a public task",
        choices=[("", "Select the lawful basis"), *LawfulBasis.choices],
        required=False,
    )
    not_agreed_reason = forms.ChoiceField(
        label="Why does the referral go ahead without the family's agreement?",
        choices=NotSoughtReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    sharing_justification = forms.CharField(
        label="Why is sharing without agreement justified?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        councils: Sequence[Council],
        indicator_codes: Sequence[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
        if len(councils) == 1:
            council_field.initial = councils[0].pk
            council_field.widget = forms.HiddenInput()
        indicators = self.fields["indicators"]
        assert isinstance(indicators, forms.MultipleChoiceField)
        indicators.choices = [(code, code) for code in indicator_codes]

    @property
    def single_council(self) -> Council | None:
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        if isinstance(field.widget, forms.HiddenInput) and field.queryset is not None:
            first: Council | None = field.queryset.first()
            return first
        return None

    def clean_received_time(self) -> time:
        value = parse_time(self.cleaned_data["received_time"])
        if value is None:
            raise ValidationError(
                "Enter the time received on the 24-hour clock, like 09:15 or 14:30."
            )
        return value

    def clean_referrer_name(self) -> str:
        return str(self.cleaned_data["referrer_name"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, at = cleaned.get("received_on"), cleaned.get("received_time")
        if isinstance(day, date) and isinstance(at, time):
            received_at = timezone.make_aware(datetime.combine(day, at))
            if received_at > timezone.now() + timedelta(minutes=1):
                name = "received_on" if day > timezone.localdate() else "received_time"
                self.add_error(name, "The date and time received must be now or in the past.")
            cleaned["received_at"] = received_at
        obtained_on = cleaned.get("agreement_obtained_on")
        if isinstance(obtained_on, date) and obtained_on > timezone.localdate():
            self.add_error(
                "agreement_obtained_on", "The date agreement was obtained must be in the past."
            )
        return cleaned

    def details(self, *, user: User) -> ContactDetails:
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: data[name] for name in CONTACT_DETAIL_FIELDS if name in self.fields
        }
        values["received_at"] = data["received_at"]
        values["agreement_obtained_on"] = data.get("agreement_obtained_on")
        # A partner refers for their own organisation; a front-door worker typing up a
        # phone call names the caller's organisation in words.
        organisation = user.organisation
        if organisation is not None and not organisation.is_council:
            values["referrer_organisation"] = organisation
        return ContactDetails(**values)

    @classmethod
    def initial_for(cls, *, user: User, contact: Contact | None = None) -> dict[str, Any]:
        """What the form starts with: the draft's own values, or for a new contact the time
        now and, for a partner, their own details and organisation."""
        if contact is not None:
            received = timezone.localtime(contact.received_at)
            initial = {name: getattr(contact, name) for name in CONTACT_DETAIL_FIELDS}
            initial.update(
                council=contact.council_id,
                received_on=received.date(),
                received_time=f"{received:%H:%M}",
                indicators=list(contact.presenting_indicators.values_list("code", flat=True)),
                version=contact.version,
            )
            return initial
        now = timezone.localtime()
        initial = {"received_on": now.date(), "received_time": f"{now:%H:%M}"}
        organisation = user.organisation
        if organisation is not None and not organisation.is_council:
            initial.update(
                how_received=HowReceived.ONLINE,
                referral_source=SOURCE_FOR_ORGANISATION.get(
                    OrganisationKind(organisation.kind), ""
                ),
                referrer_name=user.get_full_name(),
                referrer_organisation_name=organisation.name,
                referrer_role=user.job_title,
                referrer_phone=user.phone,
                referrer_email=user.email,
                agreement_obtained_by=user.get_full_name(),
            )
        else:
            initial["how_received"] = HowReceived.PHONE
        return initial
