"""Text bound for a spreadsheet or CSV file, made safe to open.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before reading one of those) is run as a formula when the file
is opened: a name typed as ``=HYPERLINK("http://...")`` would become a link, or worse
(CSV or formula injection). ``neutralise_formula`` puts an apostrophe in front of such
text, so it is shown as the text it is. Every download of a table or a return uses it.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """``text`` as a spreadsheet will show it and never run it as a formula."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
