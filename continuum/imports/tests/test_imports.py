"""The imports machinery: a file is recorded, run in the background by the real worker
(``manage.py db_worker``), refused whole with every problem, never imported twice, and
only by the council's managers and analysts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from continuum.accounts.models import Role, User
from continuum.errors import NotPermitted
from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.services import run_import, start_import
from continuum.imports.tests.conftest import TEST_KIND
from continuum.organisations.models import Council

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker() -> None:
    """The worker, as ``make demo`` runs it, until no task is waiting."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@transactional
def test_the_worker_imports_a_file_in_the_background(manager: User, stockton: Council) -> None:
    run = start_import(
        user=manager, kind=TEST_KIND, council=stockton, file_name="a.csv", data=b"a,1\nb,2\n"
    )
    assert run.state == ImportState.QUEUED
    assert DBTaskResult.objects.count() == 1
    run_worker()
    run.refresh_from_db()
    assert run.state == ImportState.DONE
    assert (run.created, run.progress_done, run.progress_total) == (2, 2, 2)
    assert run.uploaded_by == manager and len(run.file_sha256) == 64
    assert run.started_at is not None and run.finished_at is not None


@pytest.mark.django_db
def test_a_file_that_does_not_fit_is_refused_whole_listing_every_problem(
    analyst: User, stockton: Council
) -> None:
    run = start_import(
        user=analyst, kind=TEST_KIND, council=stockton, file_name="a.csv", data=b"a,x\nb,2\nc,\n"
    )
    run = run_import(run_id=run.pk)
    assert run.state == ImportState.REFUSED
    assert [(p.where, p.child) for p in run.problem_list] == [
        ("row 1, column number", "a"),
        ("row 3, column number", "c"),
    ]
    assert run.created == 0


@pytest.mark.django_db
def test_the_same_file_again_changes_nothing(manager: User, stockton: Council) -> None:
    first = start_import(
        user=manager, kind=TEST_KIND, council=stockton, file_name="a.csv", data=b"a,1\n"
    )
    run_import(run_id=first.pk)
    again = start_import(
        user=manager, kind=TEST_KIND, council=stockton, file_name="b.csv", data=b"a,1\n"
    )
    again = run_import(run_id=again.pk)
    assert again.state == ImportState.DONE
    assert (again.created, again.unchanged) == (0, 1)
    assert "nothing changed" in again.note


@pytest.mark.django_db
def test_a_dry_run_says_what_it_would_do(manager: User, stockton: Council) -> None:
    run = start_import(
        user=manager,
        kind=TEST_KIND,
        council=stockton,
        file_name="a.csv",
        data=b"a,1\n",
        dry_run=True,
    )
    run = run_import(run_id=run.pk)
    assert run.state == ImportState.DONE and run.created == 1
    assert "Nothing was saved" in run.note


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_name", "data", "message"),
    [
        ("a.txt", b"a,1\n", "must be a .csv file"),
        ("a.csv", b"a,1\n" * 300, "too large"),
        ("a.csv", b"", "empty"),
    ],
)
def test_a_file_of_the_wrong_kind_or_size_is_refused(
    manager: User, stockton: Council, file_name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        start_import(user=manager, kind=TEST_KIND, council=stockton, file_name=file_name, data=data)
    assert message in str(refused.value.message_dict["file"])
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FRONT_DOOR_WORKER, Role.STRATEGIC_LEAD, Role.AUDITOR])
def test_only_the_councils_managers_and_analysts_import(
    make_user: Callable[..., User], stockton: Council, role: str
) -> None:
    user = make_user(role, council=stockton)
    with pytest.raises(NotPermitted):
        start_import(user=user, kind=TEST_KIND, council=stockton, file_name="a.csv", data=b"a,1")
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_a_manager_may_not_import_for_another_council(
    hartlepool_manager: User, stockton: Council
) -> None:
    with pytest.raises(NotPermitted):
        start_import(
            user=hartlepool_manager,
            kind=TEST_KIND,
            council=stockton,
            file_name="a.csv",
            data=b"a,1",
        )


# --- the API and the pages -------------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_api_takes_a_multipart_file_and_answers_202(manager: User, stockton: Council) -> None:
    client = _client(manager)
    answer = client.post(
        f"/api/v1/imports/{TEST_KIND}",
        {"council": stockton.dfe_la_code, "file": SimpleUploadedFile("a.csv", b"a,1\n")},
    )
    assert answer.status_code == 202, answer.content
    run_id = answer.json()["id"]
    run_import(run_id=ImportRun.objects.get().pk)
    found = client.get(f"/api/v1/imports/{run_id}").json()
    assert found["state"] == "done" and found["counts"]["created"] == 1


@pytest.mark.django_db
def test_the_api_refuses_an_unknown_kind_a_council_not_allowed_and_a_bad_file(
    manager: User, stockton: Council, hartlepool: Council
) -> None:
    client = _client(manager)
    url = f"/api/v1/imports/{TEST_KIND}"
    assert (
        client.post(
            "/api/v1/imports/no-such-kind",
            {"council": stockton.dfe_la_code, "file": SimpleUploadedFile("a.csv", b"a,1\n")},
        ).status_code
        == 404
    )
    assert (
        client.post(
            url, {"council": hartlepool.dfe_la_code, "file": SimpleUploadedFile("a.csv", b"a")}
        ).status_code
        == 403
    )
    bad = client.post(
        url, {"council": stockton.dfe_la_code, "file": SimpleUploadedFile("a.xml", b"a,1")}
    )
    assert bad.status_code == 422 and "must be a .csv file" in bad.content.decode()
    nul = client.post(url, {"council": "80\x008", "file": SimpleUploadedFile("a.csv", b"a,1")})
    assert nul.status_code == 422
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_a_file_larger_than_its_kind_takes_is_refused_before_it_is_read(
    manager: User, stockton: Council
) -> None:
    """200 MB announced: refused on its Content-Length, never read."""
    client = _client(manager)
    body = b"--x\r\n"
    for path in (f"/api/v1/imports/{TEST_KIND}", "/imports/new"):
        answer = client.generic(
            "POST",
            path,
            body,
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(200 * 1024 * 1024),
        )
        assert answer.status_code == 413
        assert "too large" in answer.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_other_api_endpoints_still_refuse_a_multipart_body(manager: User) -> None:
    answer = _client(manager).post("/api/v1/contacts", {"file": SimpleUploadedFile("a.csv", b"")})
    assert answer.status_code == 415


@pytest.mark.django_db
def test_the_pages_import_a_file_and_show_its_progress_then_its_result(
    manager: User, stockton: Council
) -> None:
    client = _client(manager)
    assert client.get("/imports/new").status_code == 200
    answer = client.post(
        "/imports/new",
        {
            "kind": TEST_KIND,
            "council": stockton.pk,
            "file": SimpleUploadedFile("a.csv", b"a,1\nb,x\n"),
        },
    )
    assert answer.status_code == 303
    run = ImportRun.objects.get()
    waiting = client.get(answer["Location"])
    assert waiting.status_code == 200 and waiting["Refresh"] == "2"
    run_import(run_id=run.pk)
    done = client.get(answer["Location"])
    assert "Refresh" not in done
    text = done.content.decode()
    assert "The file was refused" in text and "row 2, column number" in text
    listing = client.get("/imports/").content.decode()
    assert "a.csv" in listing and run.file_sha256[:10] in listing


@pytest.mark.django_db
def test_an_import_is_seen_by_its_councils_managers_and_analysts_and_its_sender(
    manager: User,
    analyst: User,
    hartlepool_manager: User,
    worker: User,
    stockton: Council,
) -> None:
    run = start_import(
        user=manager, kind=TEST_KIND, council=stockton, file_name="a.csv", data=b"a,1\n"
    )
    for user, status in [(manager, 200), (analyst, 200), (hartlepool_manager, 404)]:
        assert _client(user).get(f"/imports/{run.pk}").status_code == status
        assert _client(user).get(f"/api/v1/imports/{run.pk}").status_code == status
    assert _client(worker).get(f"/imports/{run.pk}").status_code == 404
    assert _client(worker).get("/imports/").status_code == 403
