"""A team manager's review of an episode whose family withdrew their agreement to early
help: continue on a lawful basis (and why), or close the episode."""

from __future__ import annotations

from django import forms

from continuum.early_help.choices import ConsentReviewDecision
from continuum.early_help.forms.common import EarlyHelpForm, textarea
from continuum.early_help.forms.episodes import LAWFUL_BASES_WITHOUT_AGREEMENT
from continuum.early_help.services.consent import JUSTIFICATION_MAX


class ConsentReviewForm(EarlyHelpForm):
    decision = forms.ChoiceField(
        label="What happens now?",
        choices=[
            (
                ConsentReviewDecision.CONTINUE,
                "Early help continues without the family's agreement, on a lawful basis",
            ),
            (
                ConsentReviewDecision.CLOSE,
                "Close the episode: the family declined (open actions are cancelled)",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether early help continues or the episode closes.",
            "invalid_choice": "Select whether early help continues or the episode closes.",
        },
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis without the family's agreement",
        choices=[("", "Select the lawful basis"), *LAWFUL_BASES_WITHOUT_AGREEMENT],
        required=False,
        error_messages={"invalid_choice": "Select a lawful basis from the list."},
    )
    justification = forms.CharField(
        label="Why early help without the family's agreement is justified",
        widget=textarea(5),
        required=False,
        max_length=JUSTIFICATION_MAX,
    )
