"""Forms for the front-door queue's filters and the front-door summary's choices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django import forms

from continuum.front_door.choices import OPEN_STATUSES
from continuum.front_door.selectors.summary import Period
from continuum.organisations.models import Council, Team
from continuum.ui.forms import GovukDateField, GovukFormMixin


class QueueFilterForm(GovukFormMixin, forms.Form):
    council = forms.ModelChoiceField(
        label="Council",
        queryset=Council.objects.none(),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": "Select a council whose contacts you decide."},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="All teams",
        error_messages={"invalid_choice": "Select one of your council's teams."},
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=[(s.value, s.label) for s in OPEN_STATUSES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select statuses of open contacts only."},
    )

    def __init__(
        self,
        *args: Any,
        council: Council,
        teams: Any,
        councils: Sequence[Council] = (),
        **kwargs: Any,
    ) -> None:
        """``councils``: every council whose contacts the user decides (a hub's queue);
        with more than one, the queue shows them all until one is chosen."""
        super().__init__(*args, **kwargs)
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        pks = [c.pk for c in councils] or [council.pk]
        council_field.queryset = Council.objects.filter(pk__in=pks).order_by("name")
        if len(pks) > 1:
            council_field.empty_label = "All councils"
        else:
            council_field.initial = council.pk
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = teams


MAX_SUMMARY_DAYS = {Period.DAY: 92, Period.WEEK: 371, Period.MONTH: 1096}


class SummaryForm(GovukFormMixin, forms.Form):
    council = forms.ModelChoiceField(
        label="Council",
        queryset=Council.objects.none(),
        required=False,
        empty_label="All councils",
        error_messages={"invalid_choice": "Select a council whose numbers you can see."},
    )
    period = forms.ChoiceField(
        label="Count by",
        choices=Period.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select day, week or month."},
    )
    date_from = GovukDateField(
        label="From",
        help_text="For example, 1 3 2026",
        error_messages={"required": "Enter a start date."},
    )
    date_to = GovukDateField(
        label="To",
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter an end date."},
    )

    def __init__(self, *args: Any, councils: Sequence[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
        if len(councils) == 1:
            council_field.empty_label = None

    @staticmethod
    def defaults(today: date) -> Mapping[str, Any]:
        start = today - timedelta(days=today.weekday()) - timedelta(weeks=7)
        return {"period": Period.WEEK, "date_from": start, "date_to": today}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end, period = cleaned.get("date_from"), cleaned.get("date_to"), cleaned.get("period")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error(
                    "date_to", "The end date must be the same as or after the start date."
                )
            elif period in MAX_SUMMARY_DAYS and (end - start).days >= MAX_SUMMARY_DAYS[period]:
                limit = MAX_SUMMARY_DAYS[period]
                self.add_error(
                    "date_to",
                    f"Counting by {Period(period).label.lower()}, choose at most {limit} days.",
                )
        return cleaned
