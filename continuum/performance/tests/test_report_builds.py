"""The report's PDF (issue 10, finding 15): only for months with data, made in the
background (never in the request), one at a time per user, and only for whoever asked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord
from continuum.organisations.models import Council
from continuum.performance import report_builds
from continuum.performance.models import ReportBuild, ReportBuildState
from continuum.performance.report import last_complete_month, months_with_data
from continuum.testing import factories
from continuum.timescales.months import add_months

pytestmark = pytest.mark.django_db

LATEST = last_complete_month()
FIRST = add_months(LATEST, -3)
PDF = reverse("performance:report-pdf")
REPORT = reverse("performance:report")


@pytest.fixture
def records(stockton: Council) -> None:
    """Contacts from three months before the last complete month."""
    for back in range(4):
        month = add_months(LATEST, -back)
        factories.ContactFactory(
            council=stockton,
            received_at=timezone.make_aware(datetime.combine(month, time(10))),
        )


@pytest.fixture
def signed_in(client: Client, partnership_analyst: User) -> Client:
    client.force_login(partnership_analyst)
    return client


def test_a_month_without_data_is_refused(signed_in: Client, records: None) -> None:
    for response in (
        signed_in.get(PDF, {"month": "1900-01"}),
        signed_in.post(PDF, {"month": "1900-01"}),
        signed_in.get(REPORT, {"month": "1900-01"}),
    ):
        assert response.status_code == 404
        page = response.content.decode()
        assert "There is no data for January 1900" in page
        assert f"{FIRST:%B %Y} to {LATEST:%B %Y}" in page
        assert 'href="#month"' in page
    assert not ReportBuild.objects.exists()


def test_the_month_picker_offers_only_months_with_data(
    signed_in: Client, records: None, partnership_analyst: User
) -> None:
    assert months_with_data(partnership_analyst) == [add_months(LATEST, -b) for b in range(4)]
    page = signed_in.get(REPORT).content.decode()
    offered = [f"{add_months(LATEST, -b):%Y-%m}" for b in range(4)]
    assert all(f'<option value="{m}"' in page for m in offered)
    assert f'<option value="{add_months(FIRST, -1):%Y-%m}"' not in page
    assert 'type="text" inputmode="numeric"' not in page


def test_the_pdf_is_made_in_the_background_and_the_page_follows_it(
    signed_in: Client, records: None, partnership_analyst: User
) -> None:
    offer = signed_in.get(PDF, {"month": f"{LATEST:%Y-%m}"})
    assert offer.status_code == 200 and "Build the PDF" in offer.content.decode()
    assert not ReportBuild.objects.exists()  # looking makes nothing

    asked = signed_in.post(PDF, {"month": f"{LATEST:%Y-%m}"})
    assert asked.status_code == 303
    build = ReportBuild.objects.get()
    # The request only asked: nothing was laid out while it waited.
    assert build.state == ReportBuildState.QUEUED and build.pdf is None
    assert asked["Location"] == reverse("performance:report-build", args=[build.pk])
    waiting = signed_in.get(asked["Location"])
    assert waiting.status_code == 200
    assert waiting["Refresh"] == "3"
    assert "Waiting to start" in waiting.content.decode()

    report_builds.run(build.pk)
    build.refresh_from_db()
    assert build.state == ReportBuildState.DONE
    ready = signed_in.get(asked["Location"])
    assert "Refresh" not in ready
    link = reverse("performance:report-build-pdf", args=[build.pk])
    assert f'href="{link}"' in ready.content.decode()
    pdf = signed_in.get(link)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    # Asking for the same month again within the hour gives the PDF made.
    again = signed_in.get(PDF, {"month": f"{LATEST:%Y-%m}"})
    assert again["Content-Type"] == "application/pdf"


def test_one_build_at_a_time_per_user(
    signed_in: Client, records: None, partnership_analyst: User
) -> None:
    first = signed_in.post(PDF, {"month": f"{LATEST:%Y-%m}"})
    second = signed_in.post(PDF, {"month": f"{FIRST:%Y-%m}"})
    looking = signed_in.get(PDF, {"month": f"{FIRST:%Y-%m}"})
    assert first["Location"] == second["Location"] == looking["Location"]
    assert ReportBuild.objects.count() == 1
    page = signed_in.get(second["Location"]).content.decode()
    assert "one PDF made at a time" in page
    # The database holds the rule too, whatever asks.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.create(user=partnership_analyst, month=FIRST, scope="x")
    # When it has finished, another may be asked for.
    report_builds.run(ReportBuild.objects.get().pk)
    signed_in.post(PDF, {"month": f"{FIRST:%Y-%m}"})
    assert ReportBuild.objects.count() == 2


def test_a_build_that_never_finishes_does_not_lock_its_user_out(
    signed_in: Client, records: None, partnership_analyst: User
) -> None:
    signed_in.post(PDF, {"month": f"{LATEST:%Y-%m}"})
    ReportBuild.objects.update(
        state=ReportBuildState.BUILDING,
        requested_at=timezone.now() - report_builds.STALE_AFTER - timedelta(minutes=1),
    )
    signed_in.post(PDF, {"month": f"{LATEST:%Y-%m}"})
    assert ReportBuild.objects.filter(state=ReportBuildState.FAILED).count() == 1
    assert ReportBuild.objects.filter(state=ReportBuildState.QUEUED).count() == 1


@pytest.mark.parametrize("who", ["another analyst", "a front-door worker", "the same user moved"])
def test_a_build_is_only_for_whoever_asked_while_they_may_see_it(
    who: str,
    signed_in: Client,
    records: None,
    partnership_analyst: User,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
    client: Client,
) -> None:
    signed_in.post(PDF, {"month": f"{LATEST:%Y-%m}"})
    build = ReportBuild.objects.get()
    report_builds.run(build.pk)
    urls = [
        reverse("performance:report-build", args=[build.pk]),
        reverse("performance:report-build-pdf", args=[build.pk]),
    ]
    if who == "the same user moved":
        # Now a team manager of Hartlepool: the PDF shows Stockton's breakdowns.
        partnership_analyst.role = Role.TEAM_MANAGER
        partnership_analyst.organisation = factories.council_services(hartlepool)
        partnership_analyst.save()
        expected = 404
    else:
        other = make_user(
            Role.PERFORMANCE_ANALYST if who == "another analyst" else Role.FRONT_DOOR_WORKER,
            council=stockton,
        )
        client.force_login(other)
        expected = 404 if who == "another analyst" else 403
    for url in urls:
        assert client.get(url).status_code == expected


def test_asking_enqueues_one_task_and_run_claims_once(
    records: None, partnership_analyst: User
) -> None:
    build, new = report_builds.request_pdf(partnership_analyst, LATEST)
    assert new
    # The task is written with the build, for the worker; nothing runs in the request.
    task = DBTaskResult.objects.get()
    assert task.task_path == "continuum.performance.tasks.build_report_pdf_task"
    assert task.args_kwargs["args"] == [build.pk]
    build.refresh_from_db()
    assert build.state == ReportBuildState.QUEUED
    assert (build.progress_done, build.progress_total, build.percent_done) == (0, 3, 0)
    done = report_builds.run(build.pk)
    assert done.state == ReportBuildState.DONE
    assert (done.progress_done, done.percent_done) == (3, 100)
    # A second delivery of the task finds nothing to do.
    assert report_builds.run(build.pk).state == ReportBuildState.DONE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_builds_the_pdf_and_the_page_shows_progress_then_the_download(
    records: None, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    asked = client.post(PDF, {"month": f"{LATEST:%Y-%m}"})
    waiting = client.get(asked["Location"])
    page = waiting.content.decode()
    assert waiting["Refresh"] == "3"
    assert 'data-testid="progress"' in page and "<progress" in page
    assert 'value="0"' in page and "0 of 3 steps" in page

    # The worker, as `manage.py db_worker` runs it beside the web server.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    ready = client.get(asked["Location"])
    assert "Refresh" not in ready and "<progress" not in ready.content.decode()
    build = ReportBuild.objects.get()
    link = reverse("performance:report-build-pdf", args=[build.pk])
    assert f'href="{link}"' in ready.content.decode()
    before = AccessLogEntry.objects.count()
    pdf = client.get(link)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    # Each download is one access-log row, an export naming no one (aggregates only).
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.user == partnership_analyst
    assert "partnership report PDF" in (entry.search_terms or "")
    assert not ShownRecord.objects.filter(entry=entry).exists()


def test_old_pdfs_are_cleared_when_a_build_starts(
    signed_in: Client,
    records: None,
    partnership_analyst: User,
    make_user: Callable[..., User],
    stockton: Council,
) -> None:
    old, _ = report_builds.request_pdf(partnership_analyst, FIRST)
    report_builds.run(old.pk)
    ReportBuild.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - report_builds.KEEP_FOR - timedelta(minutes=1)
    )
    someone = make_user(Role.PERFORMANCE_ANALYST, council=stockton)
    report_builds.request_pdf(someone, LATEST)  # anyone's new build clears old files
    old.refresh_from_db()
    assert old.pdf is None and old.state == ReportBuildState.DONE
    # Its page says so and offers to build it again; its link goes back to the page.
    page = signed_in.get(reverse("performance:report-build", args=[old.pk])).content.decode()
    assert "no longer kept" in page and "Build the PDF again" in page
    link = signed_in.get(reverse("performance:report-build-pdf", args=[old.pk]))
    assert link.status_code == 303
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()


def test_months_are_those_of_the_councils_records(
    partnership_analyst: User, stockton: Council
) -> None:
    assert months_with_data(partnership_analyst) == []
    factories.ContactFactory(
        council=stockton, received_at=timezone.make_aware(datetime.combine(LATEST, time(9)))
    )
    assert months_with_data(partnership_analyst) == [LATEST]
    assert months_with_data(partnership_analyst, today=date(1999, 1, 1)) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_requests_start_one_build(
    records: None, partnership_analyst: User
) -> None:
    """Two requests at the same moment (two threads, two database connections): the
    database's constraint lets one build start; the other is given the same build."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL (SQLite serialises them).")
    import threading

    from django.db import connections

    barrier = threading.Barrier(2)
    found: list[int] = []

    def ask() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                build, _ = report_builds.request_pdf(partnership_analyst, LATEST)
            found.append(build.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 2 and found[0] == found[1]
    assert ReportBuild.objects.count() == 1


# The API -------------------------------------------------------------------------------------

API = "/api/v1/report-pdfs"


def test_the_api_asks_follows_and_downloads_a_pdf(
    signed_in: Client, records: None, partnership_analyst: User
) -> None:
    asked = signed_in.post(API, {"month": f"{LATEST:%Y-%m}"}, content_type="application/json")
    assert asked.status_code == 202
    started = asked.json()
    assert started["state"] == "queued" and started["url"] == f"{API}/{started['id']}"
    assert DBTaskResult.objects.count() == 1  # enqueued with the build
    waiting = signed_in.get(started["url"]).json()
    assert (waiting["progress_done"], waiting["progress_total"]) == (0, 3)
    assert waiting["download"] is None

    report_builds.run(started["id"])  # what the worker does
    done = signed_in.get(started["url"]).json()
    assert done["state"] == "done" and done["progress_done"] == 3
    assert done["download"] == f"{API}/{started['id']}/download"
    pdf = signed_in.get(done["download"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count() == 1


@pytest.mark.parametrize(
    ("month", "says"),
    [
        ("2026/10", "as a year and month"),
        ("1900-01", "There is no data"),
        ("2999-01", "or earlier"),
    ],
)
def test_the_api_refuses_a_month_it_cannot_build_naming_the_field(
    signed_in: Client, records: None, month: str, says: str
) -> None:
    response = signed_in.post(API, {"month": month}, content_type="application/json")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == "month" and says in error["msg"]
    assert not ReportBuild.objects.exists() and not DBTaskResult.objects.exists()


def test_the_api_shows_a_build_only_to_whoever_asked(
    records: None,
    partnership_analyst: User,
    make_user: Callable[..., User],
    stockton: Council,
    client: Client,
) -> None:
    build, _ = report_builds.request_pdf(partnership_analyst, LATEST)
    report_builds.run(build.pk)
    client.force_login(make_user(Role.PERFORMANCE_ANALYST, council=stockton))
    assert client.get(f"{API}/{build.pk}").status_code == 404
    assert client.get(f"{API}/{build.pk}/download").status_code == 404
    client.force_login(make_user(Role.FRONT_DOOR_WORKER, council=stockton))
    assert client.get(f"{API}/{build.pk}").status_code == 403
    body = {"month": f"{LATEST:%Y-%m}"}
    assert client.post(API, body, content_type="application/json").status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()
