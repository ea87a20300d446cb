"""GOV.UK Design System styling for Django forms: one mixin every form uses, the GOV.UK date
input, and the hidden version a change to a shared record carries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.DateInput, "govuk-input govuk-input--width-10"),
    (forms.widgets.Input, "govuk-input"),
]
_ERROR_CLASSES = ("govuk-input", "govuk-select", "govuk-textarea")


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "ui/date_input.html"
    has_error = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()},
            attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        base_id = context["widget"]["attrs"].get("id", f"id_{name}")
        parts = [
            ("Day", "govuk-input--width-2"),
            ("Month", "govuk-input--width-2"),
            ("Year", "govuk-input--width-4"),
        ]
        for position, (subwidget, (label, width)) in enumerate(zip(subwidgets, parts, strict=True)):
            # The day box carries the field's own id, so error summary links land on it.
            subwidget["attrs"]["id"] = base_id if position == 0 else f"{base_id}_{label.lower()}"
            subwidget["attrs"].pop("aria-describedby", None)
            error = " govuk-input--error" if self.has_error else ""
            subwidget["attrs"]["class"] = f"govuk-input govuk-date-input__input {width}{error}"
            subwidget["attrs"]["inputmode"] = "numeric"
            subwidget["label"] = label
        context["widget"]["base_id"] = base_id
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK date input's error messages."""

    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(required=False),) * 3
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> date | None:
        label = str(self.label or "Date")
        values = [str(v or "").strip() for v in (data_list or [])]
        if not any(values):
            return None
        day, month, year = values
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}.")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date, in numbers, like 27 3 2019.")
        if len(year) != 4:
            raise ValidationError(f"The year in {label.lower()} must include 4 numbers.")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{label} must be a real date.") from exc


class GovukFormMixin:
    """Adds GOV.UK classes, error states and aria-describedby to every widget, date inputs
    included."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            for widget_class, css in _WIDGET_CLASSES:
                if isinstance(widget, widget_class):
                    existing = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{existing} {css}".strip()
                    break
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors = getattr(self, "_errors", None) or {}
        for name in errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, GovukDateWidget):
                widget.has_error = True
            css = widget.attrs.get("class", "")
            for kind in _ERROR_CLASSES:
                if kind in css.split() and f"{kind}--error" not in css:
                    widget.attrs["class"] = f"{css} {kind}--error"
                    break
            ids = [i for i in widget.attrs.get("aria-describedby", "").split() if i]
            if f"id_{name}-error" not in ids:
                ids.append(f"id_{name}-error")
            widget.attrs["aria-describedby"] = " ".join(ids)


class VersionForm(GovukFormMixin, forms.Form):
    """The version of a shared record the page showed, so a change made against a stale one
    is refused (``ConcurrentChange``) rather than overwriting someone else's."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
