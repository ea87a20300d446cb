"""Exporting the CIN census: the command, the page and the API; bad input refused with
nothing written; every export in the access log."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord
from continuum.organisations.models import Council
from continuum.statutory.census.validation import parse_census
from continuum.statutory.census.writing import census_year_on
from continuum.statutory.models import StatutoryInvolvement
from continuum.testing import factories

pytestmark = pytest.mark.django_db

XML = "application/xml"


@pytest.fixture
def referral(stockton: Council) -> StatutoryInvolvement:
    episode = factories.StatutoryInvolvementFactory(
        council=stockton,
        start_date=timezone.localdate() - timedelta(days=3),
        referral_source="2A",
        primary_need="N1",
    )
    assert isinstance(episode, StatutoryInvolvement)
    return episode


def this_year() -> int:
    return census_year_on(timezone.localdate())


# --- the command -------------------------------------------------------------------------


def test_the_command_writes_the_return(
    referral: StatutoryInvolvement, stockton: Council, tmp_path: Path
) -> None:
    output = tmp_path / "cin.xml"
    out = StringIO()
    call_command(
        "cin_census", "export", "--council", stockton.dfe_la_code, "--year", str(this_year()),
        "--output", str(output), "--no-progress", stdout=out,
    )  # fmt: skip
    root = parse_census(output.read_bytes())
    assert root.findtext("Header/Source/LEA") == stockton.dfe_la_code
    assert len(root.findall("Children/Child")) == 1
    assert "1 children" in out.getvalue()
    # No one signed in: the security log has it, the access log has no user to name.
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("council", "year", "message"),
    [
        ("999", "2026", "no council with the DfE LA code '999'"),
        (None, "2008", "Choose a census year from 2009"),
        (None, "2099", "Choose a census year"),
    ],
)
def test_the_command_refuses_a_council_or_year_and_writes_nothing(
    stockton: Council, tmp_path: Path, council: str | None, year: str, message: str
) -> None:
    output = tmp_path / "cin.xml"
    with pytest.raises(CommandError, match=message):
        call_command(
            "cin_census", "export", "--council", council or stockton.dfe_la_code,
            "--year", year, "--output", str(output), "--no-progress",
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_export_with_validate_lists_what_the_rules_found(
    referral: StatutoryInvolvement, stockton: Council, tmp_path: Path
) -> None:
    out = StringIO()
    call_command(
        "cin_census", "export", "--council", stockton.dfe_la_code, "--year", str(this_year()),
        "--output", str(tmp_path / "cin.xml"), "--no-progress", "--validate", stdout=out,
    )  # fmt: skip
    assert "0 errors" in out.getvalue()


def test_validate_names_each_error_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(
        b"<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year>"
        b"<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails></Header><Children>"
        b"<Child><ChildIdentifiers><LAchildID>X1</LAchildID><Sex>Q</Sex>"
        b"<PersonBirthDate>2015-01-01</PersonBirthDate></ChildIdentifiers><ChildCharacteristics>"
        b"<Ethnicity>WBRI</Ethnicity></ChildCharacteristics></Child>"
        b"</Children></Message>"
    )
    out = StringIO()
    with pytest.raises(CommandError, match="errors"):
        call_command("cin_census", "validate", str(path), stdout=out)
    assert "4180 (error)" in out.getvalue()
    assert "child X1" in out.getvalue()


def test_validate_refuses_an_unsafe_file(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<Message>&b;</Message>"
    )
    with pytest.raises(CommandError, match="DTD"):
        call_command("cin_census", "validate", str(path))


# --- the page and the API ----------------------------------------------------------------


def test_a_manager_downloads_the_return_and_it_is_logged(
    referral: StatutoryInvolvement, manager: User, stockton: Council, client: Client
) -> None:
    client.force_login(manager)
    form = client.get(reverse("statutory:census-export"))
    assert form.status_code == 200
    assert f"{this_year() - 1} to {this_year()}" in form.content.decode()
    response = client.get(
        reverse("statutory:census-export"),
        {"council": stockton.dfe_la_code, "year": str(this_year())},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XML)
    assert f"cin-census-{this_year()}-{stockton.dfe_la_code}.xml" in response["Content-Disposition"]
    root = parse_census(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert len(root.findall("Children/Child")) == 1
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert entry.user_id == manager.pk
    assert entry.result_count == 1
    assert f"council={stockton.dfe_la_code}" in (entry.search_terms or "")
    assert f"year={this_year()}" in (entry.search_terms or "")
    assert list(ShownRecord.objects.filter(entry=entry).values_list("subject_id", flat=True)) == [
        referral.person_id
    ]


def test_the_page_refuses_a_year_not_offered_and_logs_nothing(
    manager: User, stockton: Council, client: Client
) -> None:
    client.force_login(manager)
    response = client.get(
        reverse("statutory:census-export"), {"council": stockton.dfe_la_code, "year": "1999"}
    )
    assert response.status_code == 400
    assert "Choose a census year from the list" in response.content.decode()
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()


def test_the_api_answers_the_xml(
    referral: StatutoryInvolvement, analyst: User, stockton: Council, client: Client
) -> None:
    client.force_login(analyst)
    response = client.get(
        "/api/v1/exports/cin-census", {"council": stockton.dfe_la_code, "year": str(this_year())}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XML)
    root = parse_census(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert root.findtext("Header/CollectionDetails/Year") == str(this_year())
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT, user=analyst).count() == 1


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"council": "999", "year": "2026"}, "council", "no council"),
        ({"council": None, "year": "2008"}, "year", "Choose a census year"),
        ({"council": None, "year": "twenty"}, "year", ""),
        ({"council": None}, "year", ""),
    ],
)
def test_the_api_refuses_bad_parameters_by_name(
    manager: User,
    stockton: Council,
    client: Client,
    query: dict[str, str | None],
    field: str,
    message: str,
) -> None:
    client.force_login(manager)
    params = {k: (v if v is not None else stockton.dfe_la_code) for k, v in query.items()}
    response = client.get("/api/v1/exports/cin-census", params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(entry["loc"][-1] == field and message in entry["msg"] for entry in detail), detail
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()


def test_another_councils_manager_is_refused(
    referral: StatutoryInvolvement, hartlepool_manager: User, stockton: Council, client: Client
) -> None:
    client.force_login(hartlepool_manager)
    params = {"council": stockton.dfe_la_code, "year": str(this_year())}
    assert client.get("/api/v1/exports/cin-census", params).status_code == 403
    page = client.get(reverse("statutory:census-export"), params)
    assert page.status_code == 400
    assert "Choose a council whose census you may export" in page.content.decode()
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()


def test_a_front_door_worker_may_not_open_the_page(worker: User, client: Client) -> None:
    client.force_login(worker)
    assert client.get(reverse("statutory:census-export")).status_code == 403
