"""The monthly partnership report: the month parameter, the words it uses, the page and
the PDF, and who sees which councils' breakdowns."""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.performance import catalogue
from continuum.performance import report as partnership_report
from continuum.performance.catalogue import IndicatorDefinition, Polarity
from continuum.performance.models import AgeBand
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.report import (
    HeadlineRow,
    MonthError,
    commentary,
    direction,
    format_value,
    last_complete_month,
    month_from_query,
)
from continuum.testing import factories
from continuum.tests.pages import does_not_show, shows
from continuum.timescales.months import add_months

REPORT_MONTH = last_complete_month()


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def world(stockton: Council, hartlepool: Council) -> dict[str, Council]:
    """Two councils with contacts in each of the report's 13 months (Hartlepool's jump in
    the report's month) and their child populations. No month has fewer than 5 contacts:
    fewer would be suppressed (see test_disclosure)."""
    for council, children in ((stockton, 45_000), (hartlepool, 20_000)):
        for band in AgeBand:
            for year in (REPORT_MONTH.year - 1, REPORT_MONTH.year):
                factories.ChildPopulationFactory(
                    council=council, mid_year=year, age_band=band, children=children // 4
                )
    for back in range(13):
        month = add_months(REPORT_MONTH, -back)
        for council, count in ((stockton, 5), (hartlepool, 30 if back == 0 else 5)):
            for n in range(count):
                factories.ContactFactory(
                    council=council, received_at=_at(month + timedelta(days=n % 27))
                )
    return {"stockton": stockton, "hartlepool": hartlepool}


# The month parameter ------------------------------------------------------------------------


def test_the_default_month_is_the_last_complete_month() -> None:
    assert last_complete_month(date(2026, 11, 28)) == date(2026, 10, 1)
    assert last_complete_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert month_from_query(None, date(2026, 11, 28)) == date(2026, 10, 1)
    assert month_from_query("  ", date(2026, 11, 28)) == date(2026, 10, 1)
    assert month_from_query("2025-04", date(2026, 11, 28)) == date(2025, 4, 1)


@pytest.mark.parametrize("text", ["October 2026", "2026-13", "2026/10", "26-10", "x"])
def test_a_month_in_another_format_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(MonthError, match="like 2026-10"):
        month_from_query(text, date(2026, 11, 28))


@pytest.mark.parametrize("text", ["2026-11", "2026-12", "2030-01"])
def test_a_month_that_has_not_ended_is_refused(text: str) -> None:
    with pytest.raises(MonthError, match="October 2026 or earlier"):
        month_from_query(text, date(2026, 11, 28))


# Words ---------------------------------------------------------------------------------------


def test_direction_follows_the_indicators_polarity() -> None:
    assert direction(120, 100, Polarity.UP) == "better"
    assert direction(80, 100, Polarity.UP) == "worse"
    assert direction(120, 100, Polarity.DOWN) == "worse"
    assert direction(80, 100, Polarity.DOWN) == "better"
    assert direction(120, 100, Polarity.NEUTRAL) == "higher"
    assert direction(80, 100, Polarity.NEUTRAL) == "lower"
    assert direction(103, 100, Polarity.UP) == "about the same"
    assert direction(0, 0, Polarity.UP) == "about the same"
    assert direction(None, 100, Polarity.UP) == "not available"
    assert direction(5, None, Polarity.UP) == "not available"
    # Percentages: within 2 percentage points is about the same, whatever the level.
    assert direction(87.4, 91.6, Polarity.UP, "percent") == "worse"
    assert direction(90.1, 91.6, Polarity.UP, "percent") == "about the same"
    assert direction(4.0, 2.5, Polarity.DOWN, "percent") == "about the same"


def test_values_are_printed_with_their_units() -> None:
    assert format_value(45.25, "percent") == "45.2%"
    assert format_value(1234.56, "per_10k") == "1,234.6 per 10,000"
    assert format_value(12.0, "count") == "12"
    assert format_value(3.5, "days") == "3.5 days"
    assert format_value(None, "percent") == "not available"


def _row(
    definition: IndicatorDefinition,
    council: str,
    current: float,
    baseline: float,
    **extra: Any,
) -> HeadlineRow:
    council_id = None if council == "All councils" else hash(council) % 1000
    return HeadlineRow(
        definition,
        council,
        council_id,
        current,
        baseline,
        direction(current, baseline, definition.polarity, definition.unit),
        **extra,
    )


def test_commentary_names_funnel_outliers_and_the_partnerships_direction() -> None:
    definition = next(d for d in catalogue.CATALOGUE if d.headline and d.polarity != "neutral")
    month = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
    rows = [
        _row(definition, "Hartlepool", 300.0, 150.0, funnel="above 99.8%", spc="common cause"),
        _row(definition, "Middlesbrough", 50.0, 150.0, funnel="below 95%", spc="common cause"),
        _row(definition, "Stockton-on-Tees", 101.0, 100.0, funnel="within", spc="common cause"),
        _row(definition, "All councils", 200.0, 100.0),
    ]
    sentences = commentary(rows, month)
    lower = definition.name[:1].lower() + definition.name[1:]
    value = format_value(300.0, definition.unit)
    assert (
        f"Hartlepool's {lower} ({value}) lay above the 99.8% funnel limit for a council of "
        "its size: a difference unlikely to be chance."
    ) in sentences
    # Inside the 99.8% limits and common-cause variation: nothing to say.
    assert not any(s.startswith(("Stockton", "Middlesbrough")) for s in sentences)
    expected = "better" if definition.polarity == Polarity.UP else "worse"
    assert (
        f"Across the councils, {lower} stood at {format_value(200.0, definition.unit)} in "
        f"October 2026, {expected} than the average of the previous 12 months "
        f"({format_value(100.0, definition.unit)})."
    ) in sentences


def test_commentary_reports_special_causes_and_big_moves_without_a_chart() -> None:
    definition = next(d for d in catalogue.CATALOGUE if d.headline and d.polarity == "up")
    month = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
    rows = [
        _row(
            definition,
            "Hartlepool",
            80.0,
            60.0,
            spc="special cause improvement",
            spc_reading="Special cause variation of an improving nature (higher values)",
        ),
        _row(definition, "Middlesbrough", 40.0, 60.0, spc=None),
        _row(definition, "Redcar and Cleveland", 55.0, 60.0, spc=None),
        _row(definition, "All councils", 59.0, 60.0),
    ]
    sentences = commentary(rows, month)
    lower = definition.name[:1].lower() + definition.name[1:]
    assert any(
        s.startswith(f"Hartlepool's {lower}")
        and "special cause variation of an improving nature (higher values) on its control" in s
        for s in sentences
    )
    assert any(
        s.startswith(f"Middlesbrough's {lower}") and "worse than its average" in s
        for s in sentences
    )
    # Under a fifth from its usual level: not worth a sentence.
    assert not any(s.startswith("Redcar") for s in sentences)
    assert any("about the same as the average" in s for s in sentences)


# The page ------------------------------------------------------------------------------------


def test_the_report_shows_every_councils_headline_indicators(
    world: dict[str, Council], partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    response = client.get(reverse("performance:report"), {"month": f"{REPORT_MONTH:%Y-%m}"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{REPORT_MONTH:%B %Y}" in page
    headlines = [d.name for d in catalogue.CATALOGUE if d.headline]
    assert headlines
    assert [name for name in headlines if not shows(page, name)] == []
    assert "Hartlepool" in page and "Stockton-on-Tees" in page and "All councils" in page
    assert "Commentary" in page
    assert "style=" not in page and "<style" not in page
    assert "performance/report.css" in page
    # Names never appear (as the page would write them, or raw): the report is aggregates only.
    people = Person.objects.filter(council__in=world.values())[:5]
    assert people
    assert [str(p) for p in people if not does_not_show(page, p)] == []


def test_the_default_month_is_shown_without_a_parameter(
    world: dict[str, Council], partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    response = client.get(reverse("performance:report"))
    assert response.status_code == 200
    assert f"Partnership report: {REPORT_MONTH:%B %Y}" in response.content.decode()


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("October", "Enter the month as a year and month"),
        ("2026-00", "Enter the month as a year and month"),
        (f"{add_months(REPORT_MONTH, 2):%Y-%m}", "The report is for a month that has ended"),
    ],
)
@pytest.mark.parametrize("url_name", ["performance:report", "performance:report-pdf"])
def test_a_bad_month_shows_the_error_summary(
    month: str, message: str, url_name: str, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    response = client.get(reverse(url_name), {"month": month})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert 'href="#month"' in page and 'id="month"' in page
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "role", [Role.FRONT_DOOR_WORKER, Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER]
)
@pytest.mark.parametrize("url_name", ["performance:report", "performance:report-pdf"])
def test_only_dashboard_users_see_the_report(
    role: str, url_name: str, stockton: Council, make_user: Callable[..., User], client: Client
) -> None:
    client.force_login(make_user(role, council=stockton))
    assert client.get(reverse(url_name)).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("performance:report-pdf"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_breakdowns_only_for_the_councils_the_user_works_for(
    world: dict[str, Council], make_user: Callable[..., User], partnership_analyst: User
) -> None:
    manager = make_user(Role.TEAM_MANAGER, council=world["stockton"])
    own = partnership_report.build(manager, REPORT_MONTH)
    assert [c.name for c in own.councils] == ["Hartlepool", "Stockton-on-Tees"]
    assert [c.name for c in own.detail_councils] == ["Stockton-on-Tees"]
    assert all(t.caption.startswith("Stockton-on-Tees") for t in own.breakdowns)
    # Totals for every council either way.
    councils_in_table = {row.council for row in own.headline}
    assert councils_in_table == {"Hartlepool", "Stockton-on-Tees", "All councils"}
    both = partnership_report.build(partnership_analyst, REPORT_MONTH)
    assert [c.name for c in both.detail_councils] == ["Hartlepool", "Stockton-on-Tees"]


def test_a_kept_report_is_never_shown_to_someone_who_sees_other_detail(
    world: dict[str, Council], make_user: Callable[..., User], partnership_analyst: User
) -> None:
    manager = make_user(Role.TEAM_MANAGER, council=world["hartlepool"])
    both = partnership_report.cached_build(partnership_analyst, REPORT_MONTH)
    own = partnership_report.cached_build(manager, REPORT_MONTH)
    assert both is not own
    assert [c.name for c in both.detail_councils] == ["Hartlepool", "Stockton-on-Tees"]
    assert [c.name for c in own.detail_councils] == ["Hartlepool"]
    # The same user's next request is the kept report.
    assert partnership_report.cached_build(manager, REPORT_MONTH).made_at == own.made_at


def test_this_month_is_compared_with_the_previous_twelve_months(
    world: dict[str, Council], partnership_analyst: User
) -> None:
    built = partnership_report.build(partnership_analyst, REPORT_MONTH)
    assert built.headline, "The catalogue names some headline indicators"
    contacts = next(
        row
        for row in built.headline
        if row.council == "Hartlepool" and row.indicator.code == "fd_contacts_per_10k"
    )
    assert contacts.current is not None and contacts.baseline is not None
    # 30 contacts this month against 5 a month before: six times the usual level.
    assert contacts.current == pytest.approx(contacts.baseline * 6, rel=0.01)
    # Neither more nor fewer contacts is "better": the report says higher.
    assert contacts.indicator.polarity == Polarity.NEUTRAL
    assert contacts.direction == "higher"
    combined = next(
        row
        for row in built.headline
        if row.council == "All councils" and row.indicator.code == "fd_contacts_per_10k"
    )
    # 35 contacts against 10 a month, over both councils' children.
    assert combined.current == pytest.approx(combined.baseline * 3.5, rel=0.01)  # type: ignore[operator]


# The PDF -------------------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, decompressed where they are compressed (no PDF library needed)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pdf_strings(pdf: bytes) -> str:
    """Text strings in the PDF's objects, hex UTF-16 (as WeasyPrint writes metadata and
    bookmarks) or literal."""
    text = _pdf_text(pdf)
    found = []
    for hex_string in re.findall(rb"<FEFF([0-9A-Fa-f]+)>", text):
        found.append(bytes.fromhex(hex_string.decode()).decode("utf-16-be"))
    for literal in re.findall(rb"\(([^()]*)\)", text):
        found.append(literal.decode("latin-1"))
    return "\n".join(found)


def test_the_pdf_downloads_with_the_months_title(
    world: dict[str, Council], partnership_analyst: User, client: Client
) -> None:
    from continuum.performance import report_builds
    from continuum.performance.models import ReportBuild

    client.force_login(partnership_analyst)
    asked = client.post(reverse("performance:report-pdf"), {"month": f"{REPORT_MONTH:%Y-%m}"})
    assert asked.status_code == 303
    report_builds.run(ReportBuild.objects.get().pk)  # what the background does
    progress = client.get(asked["Location"])
    response = client.get(
        reverse("performance:report-build-pdf", args=[progress.context["build"].pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="partnership-report-{REPORT_MONTH:%Y-%m}.pdf"'
    )
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    strings = _pdf_strings(pdf)
    assert f"Partnership report: {REPORT_MONTH:%B %Y}" in strings


def test_without_weasyprint_the_pdf_link_explains_and_offers_the_page(
    partnership_analyst: User, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # importing it now fails
    client.force_login(partnership_analyst)
    response = client.get(reverse("performance:report-pdf"), {"month": f"{REPORT_MONTH:%Y-%m}"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "The PDF is not available" in page
    assert f"{reverse('performance:report')}?month={REPORT_MONTH:%Y-%m}" in page


def test_each_councils_locality_table_lists_only_its_own_localities(
    world: dict[str, Council], partnership_analyst: User
) -> None:
    # Issue 12: the tables listed every locality of every council, 468 "not available".
    places = {
        world["stockton"]: ["Stockton North", "Stockton South"],
        world["hartlepool"]: ["Hartlepool North"],
    }
    for council, names in places.items():
        for name in names:
            locality = factories.LocalityFactory(council=council, name=name)
            team = factories.TeamFactory(
                organisation=factories.council_services(council),
                name=f"{name} hub",
                locality=locality,
            )
            for n in range(6):
                factories.ContactFactory(
                    council=council, team=team, received_at=_at(REPORT_MONTH + timedelta(days=n))
                )
    built = partnership_report.build(partnership_analyst, REPORT_MONTH)
    rows = {t.caption.split(" by locality")[0]: list(t.columns[1:]) for t in built.breakdowns}
    # One column per locality (one row per indicator). The world's other contacts have no
    # team, so no locality: "Not known".
    assert rows == {
        "Hartlepool": ["Hartlepool North", "Not known"],
        "Stockton-on-Tees": ["Not known", "Stockton North", "Stockton South"],
    }


def _past_the_right_margin(document: Any) -> list[str]:
    """What a laid-out PDF (a WeasyPrint document) puts beyond its pages' right margin."""
    found = []
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        limit = box.margin_width() - box.margin_right
        content = [c for c in box.children if type(c).__name__ != "MarginBox"]
        for inner in (d for child in content for d in child.descendants()):
            if inner.position_x + inner.margin_width() > limit + 0.5:
                found.append(f"page {number}: {type(inner).__name__} {getattr(inner, 'text', '')}")
    return found


def test_the_pdfs_tables_fit_within_the_page(
    world: dict[str, Council], partnership_analyst: User
) -> None:
    # Issue 12: the PDF cut the tables at the right edge.
    from continuum.performance import report_builds

    for council in world.values():
        for name in ("North", "South", "Central", "Coast"):
            locality = factories.LocalityFactory(council=council, name=f"{council.name} {name}")
            team = factories.TeamFactory(
                organisation=factories.council_services(council),
                name=f"{locality.name} hub",
                locality=locality,
            )
            factories.ContactFactory(council=council, team=team, received_at=_at(REPORT_MONTH))
    built = partnership_report.build(partnership_analyst, REPORT_MONTH)
    assert built.breakdowns
    assert _past_the_right_margin(report_builds.pages(built)) == []
