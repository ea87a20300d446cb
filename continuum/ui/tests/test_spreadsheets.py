"""Text bound for a spreadsheet never runs as a formula."""

from __future__ import annotations

import pytest

from continuum.ui.spreadsheets import neutralise_formula


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example/")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Stockton-on-Tees", "O'Brien", "1 = 1", " =1"])
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert neutralise_formula(text) == text
