"""Checks that a page does or does not show a piece of text, such as a person's name.

Templates escape what they write, so a synthetic name with an apostrophe (O'Brien) is in the
page's source as ``O&#x27;Brien``. Looking for the raw name would then miss it when it is
there, and -- worse -- find it missing when it is shown: a check that it is *not* shown could
never fail. These helpers look for what the page actually holds.
"""

from __future__ import annotations

from django.utils.html import escape


def shows(page: str, text: object) -> bool:
    """Whether the HTML ``page`` shows ``text``, written as a template writes it (escaped)."""
    return escape(str(text)) in page


def does_not_show(page: str, text: object) -> bool:
    """Whether ``text`` is nowhere in the HTML ``page``: neither escaped, as a template
    writes it, nor raw, as a script, an attribute or text marked safe might hold it."""
    raw = str(text)
    return raw not in page and escape(raw) not in page
