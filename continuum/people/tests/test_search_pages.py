"""Person search in pages of 20 with GOV.UK pagination (issue 12: 24 Smiths on one page):
each page shown writes its own access-log row, naming only the people on it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.people.tests.builders import a_person
from continuum.people.views import SEARCH_PAGE_SIZE

pytestmark = pytest.mark.django_db

SMITHS = 24


@pytest.fixture
def smiths(stockton: Council) -> list[Person]:
    names = ["Ada", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lev"]
    return [
        a_person(
            council=stockton, given_name=f"{names[i % 12]}{'n' * (i // 12)}", family_name="Smith"
        )
        for i in range(SMITHS)
    ]


def _shown(entry: AccessLogEntry) -> set[object]:
    return set(ShownRecord.objects.filter(entry=entry).values_list("subject_id", flat=True))


def test_a_long_search_is_shown_a_page_at_a_time(signed_in: Client, smiths: list[Person]) -> None:
    first = signed_in.get(reverse("people:search"), {"q": "smith"})
    assert first.status_code == 200
    assert first.context["count"] == SMITHS
    assert len(first.context["results"]) == SEARCH_PAGE_SIZE
    page = first.content.decode()
    assert f"{SMITHS} people found" in page
    assert 'class="govuk-pagination"' in page
    assert f"Showing 1 to {SEARCH_PAGE_SIZE} of {SMITHS}" in page
    assert "q=smith&amp;page=2" in page  # the next page keeps the search

    second = signed_in.get(reverse("people:search"), {"q": "smith", "page": "2"})
    assert len(second.context["results"]) == SMITHS - SEARCH_PAGE_SIZE
    assert f"Showing {SEARCH_PAGE_SIZE + 1} to {SMITHS} of {SMITHS}" in second.content.decode()
    on_both = {p.pk for p in first.context["results"]} | {p.pk for p in second.context["results"]}
    assert on_both == {p.pk for p in smiths}


def test_each_page_shown_writes_one_access_log_row_naming_who_was_on_it(
    signed_in: Client, smiths: list[Person]
) -> None:
    signed_in.get(reverse("people:search"), {"q": "smith"})
    signed_in.get(reverse("people:search"), {"q": "smith", "page": "2"})

    first, second = AccessLogEntry.objects.filter(action=AccessAction.SEARCH).order_by("at", "pk")
    assert (first.result_count, second.result_count) == (SMITHS, SMITHS)
    assert first.search_terms == "q=smith"
    assert second.search_terms == "q=smith; page=2"
    assert len(_shown(first)) == SEARCH_PAGE_SIZE
    assert len(_shown(second)) == SMITHS - SEARCH_PAGE_SIZE
    assert not _shown(first) & _shown(second)
    assert AccessLogEntry.objects.count() == 2  # no other row: no record was read


@pytest.mark.parametrize("bad", ["0", "-1", "two", "999", ""])
def test_a_page_number_that_is_not_one_shows_a_real_page(
    signed_in: Client, smiths: list[Person], bad: str
) -> None:
    response = signed_in.get(reverse("people:search"), {"q": "smith", "page": bad})
    assert response.status_code == 200
    assert response.context["results"]  # the first page, or the last when past the end
    assert AccessLogEntry.objects.count() == 1


def test_a_short_search_has_no_pagination(signed_in: Client, smiths: list[Person]) -> None:
    page = signed_in.get(reverse("people:search"), {"q": "ada smith"}).content.decode()
    assert "govuk-pagination" not in page
