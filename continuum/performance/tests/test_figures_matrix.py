"""The figures permission matrix (``figures_matrix.csv``): who sees which figures, and whose
report PDFs, checked by signing in as each role and asking (issue 10, findings 11, 15)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.choices import Ethnicity
from continuum.performance import report_builds
from continuum.performance.models import ReportBuild
from continuum.performance.tests import engine_helpers as h
from continuum.testing import factories

pytestmark = pytest.mark.django_db

MATRIX = Path(__file__).parent / "figures_matrix.csv"
VALUES = "/api/v1/indicators/fd_contacts_per_10k/values"
MONTH = date(2026, 10, 1)


API = "/api/v1/report-pdfs"


def _rows() -> list[dict[str, str]]:
    with MATRIX.open(newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


ROWS = _rows()


@pytest.fixture
def october(stockton: Council, hartlepool: Council) -> None:
    """October 2026 in each council: 9 contacts about White British children and 2 about
    Gypsy / Roma children; 10,000 children."""
    for council in (stockton, hartlepool):
        h.population(council, 2026, 2500)
        for ethnicity, count in ((Ethnicity.WBRI, 9), (Ethnicity.WROM, 2)):
            for _ in range(count):
                someone = h.child(council, date(2018, 1, 1), ethnicity=ethnicity)
                h.contact(council, h.at(date(2026, 10, 5)), children=[someone])


def _user(row: dict[str, str], make_user: Callable[..., User], stockton: Council) -> User:
    if row["employer"] == "partnership":
        serves = list(Council.objects.all())
        partnership = factories.OrganisationFactory(
            name="Tees Early Help Partnership", kind=OrganisationKind.OTHER, serves=serves
        )
        return make_user(row["role"], organisation=cast(Organisation, partnership))
    return make_user(row["role"], council=stockton)


def _allowed(response: object, expected: str) -> bool:
    status = response.status_code  # type: ignore[attr-defined]
    if expected == "-":
        assert status in (403, 404), status
        return False
    return bool(status == 200)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['role']}-{r['employer']}" for r in ROWS])
def test_who_sees_which_figures(
    row: dict[str, str],
    october: None,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
    client: Client,
) -> None:
    user = _user(row, make_user, stockton)
    client.force_login(user)
    span = {"from": "2026-10", "to": "2026-10"}
    totals = client.get(VALUES, span)
    own = client.get(VALUES, span | {"council": stockton.dfe_la_code, "dimension": "ethnicity"})
    other = client.get(VALUES, span | {"council": hartlepool.dfe_la_code, "dimension": "ethnicity"})
    seen = {
        "totals": totals.status_code == 200,
        "own_detail": own.status_code == 200,
        "other_detail": other.status_code == 200,
    }
    cells = [v for r in (totals, own, other) if r.status_code == 200 for v in r.json()["values"]]
    seen["small_count"] = any(c["numerator"] is not None and 0 < c["numerator"] < 5 for c in cells)
    for action in ("totals", "own_detail", "other_detail", "small_count"):
        assert seen[action] == (row[action] == "allow"), action

    # Someone else's PDF: never.
    analyst = make_user(Role.PERFORMANCE_ANALYST, council=stockton)
    theirs, _ = report_builds.request_pdf(analyst, MONTH)
    report_builds.run(theirs.pk)
    for name in ("performance:report-build", "performance:report-build-pdf"):
        response = client.get(reverse(name, args=[theirs.pk]))
        assert _allowed(response, row["others_pdf"]) == (row["others_pdf"] == "allow")
    for url in (f"{API}/{theirs.pk}", f"{API}/{theirs.pk}/download"):  # the same by the API
        assert client.get(url).status_code in (403, 404)

    if row["own_pdf"] == "-":
        assert (
            client.post(reverse("performance:report-pdf"), {"month": "2026-10"}).status_code == 403
        )
        body = {"month": "2026-10"}
        assert client.post(API, body, content_type="application/json").status_code == 403
        return
    asked = client.post(reverse("performance:report-pdf"), {"month": "2026-10"})
    assert asked.status_code == 303
    mine = ReportBuild.objects.get(user=user)
    report_builds.run(mine.pk)
    urls = [
        reverse(n, args=[mine.pk])
        for n in ("performance:report-build", "performance:report-build-pdf")
    ]
    urls += [f"{API}/{mine.pk}", f"{API}/{mine.pk}/download"]
    for url in urls:
        assert _allowed(client.get(url), row["own_pdf"]) == (row["own_pdf"] == "allow")
    if row["moved_pdf"] != "-":
        user.organisation = factories.council_services(hartlepool)
        user.save()
        for url in urls:
            assert _allowed(client.get(url), row["moved_pdf"]) == (row["moved_pdf"] == "allow")
