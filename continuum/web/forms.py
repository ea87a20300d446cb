"""GOV.UK Design System styling for Django forms, in one mixin every form uses."""

from __future__ import annotations

from typing import Any

from django import forms

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.DateInput, "govuk-input govuk-input--width-10"),
    (forms.widgets.Input, "govuk-input"),
]


class GovukFormMixin:
    """Adds GOV.UK classes, error states and aria-describedby to every widget."""

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
            described_by = []
            if field.help_text:
                described_by.append(f"id_{name}-hint")
            if described_by:
                widget.attrs["aria-describedby"] = " ".join(described_by)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors = getattr(self, "_errors", None) or {}
        for name in errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "govuk-input" in css and "govuk-input--error" not in css:
                    widget.attrs["class"] = f"{css} govuk-input--error"
                elif "govuk-select" in css and "govuk-select--error" not in css:
                    widget.attrs["class"] = f"{css} govuk-select--error"
                elif "govuk-textarea" in css and "govuk-textarea--error" not in css:
                    widget.attrs["class"] = f"{css} govuk-textarea--error"
                ids = [i for i in widget.attrs.get("aria-describedby", "").split() if i]
                if f"id_{name}-error" not in ids:
                    ids.append(f"id_{name}-error")
                widget.attrs["aria-describedby"] = " ".join(ids)
