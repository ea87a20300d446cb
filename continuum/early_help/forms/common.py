"""What the early help forms share: GOV.UK styling with fields made per form, the version a
page showed, and the fields and labels several forms use."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.accounts.models import User
from continuum.early_help.models import Need
from continuum.ui.forms import GovukFormMixin, VersionForm

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


def textarea(rows: int = 4) -> forms.Textarea:
    """A text area ``rows`` lines high."""
    return forms.Textarea(attrs={"rows": rows})


def short_description(need: Need) -> str:
    """A need's description, short enough for a label or message."""
    text = need.description.strip().rstrip(".")
    return text if len(text) <= 80 else f"{text[:79]}…"


def score_field(label: str, *, required_message: str) -> forms.IntegerField:
    """A 1-10 score for a need (distance travelled)."""
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


def lead_label(user: User) -> str:
    """A professional as a choice names them: who, for which organisation, in what role."""
    organisation = user.organisation.name if user.organisation else ""
    return f"{user}, {organisation} ({user.get_role_display().lower()})"
