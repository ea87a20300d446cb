"""The GOV.UK date filters, built in to every template (``TEMPLATES`` ``builtins``):
``{{ day|govuk_date }}``, ``|govuk_date:"short"``, ``|govuk_date:"weekday"``,
``|govuk_time``, ``|govuk_datetime``, ``|govuk_month`` (``continuum/ui/dates.py``)."""

from __future__ import annotations

from django import template

from continuum.ui import dates

register = template.Library()

register.filter("govuk_date", dates.govuk_date)
register.filter("govuk_time", dates.govuk_time)
register.filter("govuk_datetime", dates.govuk_datetime)
register.filter("govuk_month", dates.govuk_month)
