"""The consent and withdrawal forms. They only parse what was typed and chosen; the services
check the rules (who may give consent, the dates, what was agreed) so that pages and the
API refuse alike, in the same words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.consent.selectors import Standing
from continuum.consent.services import decides_for_themselves
from continuum.organisations.models import Organisation
from continuum.people.models import Person
from continuum.ui.forms import GovukDateField, GovukFormMixin

SELF = "self"
EVERYTHING = "everything"


@dataclass(frozen=True)
class Giver:
    """Someone who may give consent for a child: a parent or carer from their household or
    relationships, with how they are related."""

    person: Person
    label: str


class ConsentForm(GovukFormMixin, forms.Form):
    given_by = forms.ChoiceField(
        label="Who gave consent?", widget=forms.RadioSelect, required=False
    )
    competence_judgement = forms.CharField(
        label="If they decided for themselves: why do you judge them able to?",
        help_text="Their understanding of what early help is, what will be shared and with "
        "whom, and that they can change their mind",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agrees_to_early_help = forms.BooleanField(label="Early help", required=False)
    shares_with_taf = forms.BooleanField(
        label="Sharing with every agency in the Team Around the Family", required=False
    )
    agencies = forms.MultipleChoiceField(
        label="Sharing with these agencies",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    information_kinds = forms.MultipleChoiceField(
        label="Which kinds of information may be shared?",
        choices=InformationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    obtained_how = forms.ChoiceField(
        label="How was consent obtained?",
        choices=ObtainedHow.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    obtained_on = GovukDateField(
        label="Date consent was obtained", help_text="For example, 27 3 2026", required=False
    )
    review_on = GovukDateField(
        label="Date to check consent again (optional)",
        help_text="For example, at the next review of the plan",
        required=False,
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        person: Person,
        givers: list[Giver],
        agencies: list[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.givers = {str(g.person.pk): g.person for g in givers}
        self.agency_choices = {str(a.pk): a for a in agencies}
        themselves = [(SELF, f"{person.full_name} themselves")]
        self.fields["given_by"].choices = [  # type: ignore[attr-defined]
            *(themselves if decides_for_themselves(person) else []),
            *((str(g.person.pk), f"{g.person.full_name} ({g.label})") for g in givers),
        ]
        self.fields["agencies"].choices = [  # type: ignore[attr-defined]
            (str(a.pk), a.name) for a in agencies
        ]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        choice = data.get("given_by") or ""
        given_by = GivenBy.SELF if choice == SELF else (GivenBy.PARENT if choice else "")
        return {
            "given_by": given_by,
            "given_by_person": self.givers.get(choice),
            "competence_judgement": data.get("competence_judgement") or "",
            "agrees_to_early_help": bool(data.get("agrees_to_early_help")),
            "shares_with_taf": bool(data.get("shares_with_taf")),
            "agencies": [self.agency_choices[pk] for pk in data.get("agencies") or []],
            "information_kinds": list(data.get("information_kinds") or []),
            "obtained_how": data.get("obtained_how") or "",
            "obtained_on": data.get("obtained_on"),
            "review_on": data.get("review_on"),
            "notes": data.get("notes") or "",
        }


# The service names the giver's fields; the form asks one question.
CONSENT_FIELD_NAMES = {"given_by_person": "given_by"}


class WithdrawalForm(GovukFormMixin, forms.Form):
    withdrawn = forms.MultipleChoiceField(
        label="What have they withdrawn?",
        help_text="Select all that apply",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    withdrawn_on = GovukDateField(
        label="Date consent was withdrawn", help_text="For example, 27 3 2026", required=False
    )
    told_how = forms.ChoiceField(
        label="How did they tell you?",
        choices=ObtainedHow.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, standing: Standing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record: ConsentRecord = standing.record
        self.standing = standing
        self.agencies = {str(a.pk): a for a in record.agencies.all() if a.pk in standing.agencies}
        choices: list[tuple[str, str]] = [(EVERYTHING, "Everything they agreed to")]
        if standing.early_help:
            choices.append(("early_help", "Early help"))
        if standing.taf:
            choices.append(("taf_sharing", "Sharing with the whole Team Around the Family"))
        choices += [(f"agency:{pk}", f"Sharing with {a.name}") for pk, a in self.agencies.items()]
        choices += [
            (f"kind:{kind}", f"Sharing {InformationKind(kind).label.lower()}")
            for kind in InformationKind.values
            if kind in standing.information_kinds
        ]
        self.fields["withdrawn"].choices = choices  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        chosen = set(data.get("withdrawn") or [])
        standing = self.standing
        if EVERYTHING in chosen:
            return {
                "early_help": standing.early_help,
                "taf_sharing": standing.taf,
                "agencies": list(self.agencies.values()),
                "information_kinds": [],
                "withdrawn_on": data.get("withdrawn_on"),
                "told_how": data.get("told_how") or "",
                "note": data.get("note") or "",
            }
        return {
            "early_help": "early_help" in chosen,
            "taf_sharing": "taf_sharing" in chosen,
            "agencies": [a for pk, a in self.agencies.items() if f"agency:{pk}" in chosen],
            "information_kinds": [
                k.removeprefix("kind:") for k in sorted(chosen) if k.startswith("kind:")
            ],
            "withdrawn_on": data.get("withdrawn_on"),
            "told_how": data.get("told_how") or "",
            "note": data.get("note") or "",
        }


# Each part of a withdrawal the service names is one question on the page.
WITHDRAWAL_FIELD_NAMES = {
    "early_help": "withdrawn",
    "taf_sharing": "withdrawn",
    "agencies": "withdrawn",
    "information_kinds": "withdrawn",
}
