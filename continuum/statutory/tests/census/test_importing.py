"""Importing a council's CIN census return: checked whole and refused with every problem by
child and element (nothing saved), or imported in one transaction; children matched by LA
child ID, UPN, then date of birth with the referral; an ambiguous match never guessed;
the same file twice changes nothing; a later file for the year updates and ends; the DfE
rules' findings saved against the children."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from continuum.accounts.models import User
from continuum.demo.census_file import census_file
from continuum.errors import NotPermitted
from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.registry import Counts
from continuum.imports.services import run_import, start_import
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory.census import importing
from continuum.statutory.census.reading import read_census
from continuum.statutory.census.services import resolve_finding, resolve_match
from continuum.statutory.choices import InvolvementKind, RecordSource
from continuum.statutory.models import (
    CensusChild,
    CensusFinding,
    CensusMatch,
    ProtectionPlanReview,
    StatutoryInvolvement,
)
from continuum.testing import factories

YEAR = 2026
pytestmark = pytest.mark.django_db


def a_file(children: int = 12, seed: int = 3, la_code: str = "808") -> bytes:
    return census_file(la_code=la_code, year=YEAR, children=children, seed=seed)


def do_import(user: User, council: Council, data: bytes, **kwargs: Any) -> ImportRun:
    run = start_import(
        user=user, kind=importing.KIND, council=council, file_name="cin.xml", data=data, **kwargs
    )
    return run_import(run_id=run.pk)


def saved() -> dict[str, int]:
    """How many of each record the import writes there are."""
    return {
        "people": Person.objects.count(),
        "census children": CensusChild.objects.count(),
        "involvements": StatutoryInvolvement.objects.count(),
        "reviews": ProtectionPlanReview.objects.count(),
        "findings": CensusFinding.objects.count(),
        "matches": CensusMatch.objects.count(),
    }


def direct_apply(council: Council, data: bytes, run: ImportRun) -> Counts:
    """The import's write, without the same-file shortcut of the imports app."""
    census = read_census(data, council=council)
    return importing.apply(census, run, lambda done, total: None)


# --- a file that fits -----------------------------------------------------------------------


def test_a_return_is_imported_children_episodes_and_all(manager: User, stockton: Council) -> None:
    data = a_file(children=12)
    run = do_import(manager, stockton, data)
    assert run.state == ImportState.DONE, run.problems
    assert (run.created, run.updated, run.unchanged, run.refused) == (12, 0, 0, 0)
    assert run.progress_done == run.progress_total == 12
    assert CensusChild.objects.filter(council=stockton).count() == 12
    referrals = StatutoryInvolvement.objects.filter(kind=InvolvementKind.REFERRAL)
    assert referrals.count() == 12
    assert not StatutoryInvolvement.objects.exclude(source=RecordSource.CENSUS).exists()
    assert StatutoryInvolvement.objects.filter(kind=InvolvementKind.ASSESSMENT).count() == 12
    assert "Census year 2025 to 2026: 12 children" in run.summary
    # The generator's file passes the DfE rules: no errors among the findings.
    assert not CensusFinding.objects.filter(severity="error").exists()


def test_importing_the_same_file_twice_changes_nothing(manager: User, stockton: Council) -> None:
    data = a_file()
    do_import(manager, stockton, data)
    before = saved()
    again = do_import(manager, stockton, data)
    assert again.state == ImportState.DONE
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)
    assert saved() == before
    # And the write itself changes nothing, even without the imports app's shortcut.
    counts = direct_apply(stockton, data, again)
    assert (counts.created, counts.updated, counts.unchanged, counts.ended) == (0, 0, 12, 0)
    assert saved() == before


def test_a_later_file_for_the_year_updates_and_ends_records(
    manager: User, stockton: Council
) -> None:
    data = a_file(children=6)
    do_import(manager, stockton, data)
    text = data.decode()
    first_child = re.search(r"<LAchildID>(\w+)</LAchildID>", text)
    assert first_child is not None
    # The later return: the last child's episode is gone, the first child's source changed.
    last = text.rfind("<Child>")
    later = text[:last] + text[text.index("</Children>") :]
    later = re.sub(
        r"<ReferralSource>\w+</ReferralSource>",
        "<ReferralSource>9</ReferralSource>",
        later,
        count=1,
    )
    run = do_import(manager, stockton, later.encode())
    assert run.state == ImportState.DONE, run.problems
    assert (run.updated, run.unchanged, run.ended) == (1, 4, 1)
    child = CensusChild.objects.get(council=stockton, la_child_id=first_child.group(1))
    referral = StatutoryInvolvement.objects.get(person=child.person, kind=InvolvementKind.REFERRAL)
    assert referral.referral_source == "9"
    assert StatutoryInvolvement.objects.filter(kind=InvolvementKind.REFERRAL).count() == 5


def test_children_are_matched_by_upn_and_never_recreated(manager: User, stockton: Council) -> None:
    data = a_file(children=8)
    census = read_census(data, council=stockton)
    with_upn = next(record for record in census.children if record.upn)
    existing = cast(Person, factories.PersonFactory(council=stockton, upn=with_upn.upn))
    run = do_import(manager, stockton, data)
    assert (run.created, run.updated) == (7, 1)
    assert CensusChild.objects.get(la_child_id=with_upn.la_child_id).person_id == existing.pk


def test_an_ambiguous_match_is_never_guessed_and_waits_for_a_manager(
    manager: User, stockton: Council
) -> None:
    data = a_file(children=5)
    census = read_census(data, council=stockton)
    record = next(r for r in census.children if r.upn)
    one = cast(Person, factories.PersonFactory(council=stockton, upn=record.upn))
    factories.PersonFactory(council=stockton, upn=record.upn)
    run = do_import(manager, stockton, data)
    assert (run.created, run.refused) == (4, 1)
    match = CensusMatch.objects.get()
    assert match.la_child_id == record.la_child_id and match.candidates.count() == 2
    assert not CensusChild.objects.filter(la_child_id=record.la_child_id).exists()
    page = _client(manager).get(f"/imports/{run.pk}").content.decode()
    assert "Children to match (1)" in page and one.full_name in page
    resolve_match(user=manager, match=match, choice=str(one.pk))
    assert CensusChild.objects.get(la_child_id=record.la_child_id).person_id == one.pk
    assert StatutoryInvolvement.objects.filter(person=one, kind="referral").count() == 1


def test_only_a_team_manager_resolves_a_match(
    manager: User, analyst: User, stockton: Council
) -> None:
    data = a_file(children=2)
    record = next(r for r in read_census(data, council=stockton).children if r.upn)
    factories.PersonFactory(council=stockton, upn=record.upn)
    factories.PersonFactory(council=stockton, upn=record.upn)
    run = do_import(manager, stockton, data)
    with pytest.raises(NotPermitted):
        resolve_match(user=analyst, match=CensusMatch.objects.get(), choice="new")
    # The analyst sees that a child waits, not who the candidates are.
    page = _client(analyst).get(f"/imports/{run.pk}").content.decode()
    assert "Children to match (1)" in page and "None of them" not in page


def test_a_dry_run_counts_and_saves_nothing(manager: User, stockton: Council) -> None:
    before = saved()
    run = do_import(manager, stockton, a_file(children=4), dry_run=True)
    assert run.state == ImportState.DONE and run.created == 4
    assert saved() == before


def test_findings_are_saved_against_the_child_and_resolved(
    manager: User, stockton: Council
) -> None:
    # A referral source left out: the DfE's rule 8866 (an error) for that child.
    data = re.sub(r"<ReferralSource>\w+</ReferralSource>", "", a_file(children=3).decode(), count=1)
    run = do_import(manager, stockton, data.encode())
    errors = CensusFinding.objects.filter(severity="error", import_run=run)
    assert errors.exists()
    finding = errors.first()
    assert finding is not None and finding.census_child is not None
    assert finding.la_child_id == finding.census_child.la_child_id
    page = _client(manager).get(f"/imports/{run.pk}").content.decode()
    assert finding.code in page
    listing = _client(manager).get("/statutory/census/findings").content.decode()
    assert finding.code in listing
    resolve_finding(user=manager, finding=finding)
    finding.refresh_from_db()
    assert finding.resolved_at is not None and finding.resolved_by == manager


# --- files refused whole --------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Message><Header>&lol3;</Header></Message>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Message><Header>&xxe;</Header></Message>"""


def _swap(old: str, new: str, count: int = 1) -> bytes:
    return a_file(children=3).decode().replace(old, new, count).encode()


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (b"<Message><Header></Message>", "the file", "not well-formed XML"),
        (BILLION_LAUGHS, "the file", "DTD, entities or external references"),
        (EXTERNAL_ENTITY, "the file", "DTD, entities or external references"),
        (
            _swap("<LEA>808</LEA>", "<LEA>999</LEA>"),
            "element Header/Source/LEA",
            "no council in Continuum with the LA code '999'",
        ),
        (
            _swap("<Year>2026</Year>", "<Year>2025</Year>"),
            "element Header/CollectionDetails/ReferenceDate",
            "the year and its dates do not match",
        ),
        (
            _swap("<ReferralSource>", "<ReferralSource>ZZ"),
            "element ReferralSource",
            "not a census code for ReferralSource",
        ),
        (
            _swap("<PrimaryNeedCode>", "<PrimaryNeedCode>Z"),
            "element PrimaryNeedCode",
            "not a census code",
        ),
        (
            _swap("<CINreferralDate>2025-", "<CINreferralDate>2025-13-"),
            "element CINreferralDate",
            "is not a date",
        ),
        (
            _swap("<ReferralNFA>", "<X>1</X><ReferralNFA>"),
            "element Child/CINdetails/X",
            "no element X in CINdetails",
        ),
    ],
)
def test_a_file_that_does_not_fit_is_refused_whole_naming_where(
    manager: User, stockton: Council, data: bytes, where: str, message: str
) -> None:
    before = saved()
    run = do_import(manager, stockton, data)
    assert run.state == ImportState.REFUSED
    problems = run.problem_list
    assert any(where in p.where and message in p.message for p in problems), problems
    assert saved() == before


def test_every_problem_is_listed_by_child_and_element(manager: User, stockton: Council) -> None:
    text = a_file(children=3).decode()
    text = text.replace("<Sex>", "<Sex>Q", 3)
    run = do_import(manager, stockton, text.encode())
    children = {p.child for p in run.problem_list if "Sex" in p.where}
    assert len(children) == 3 and all(children)


def test_a_return_for_another_council_than_chosen_is_refused(
    manager: User, stockton: Council, hartlepool: Council
) -> None:
    run = do_import(manager, stockton, a_file(la_code="805"))
    assert run.state == ImportState.REFUSED
    assert "is Hartlepool's return" in run.problem_list[0].message


# --- who may, and the ways in --------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_user_who_may_not_import_for_the_council_is_refused(
    make_user: Callable[..., User], hartlepool_manager: User, worker: User, stockton: Council
) -> None:
    for user in (hartlepool_manager, worker):
        answer = _client(user).post(
            "/api/v1/imports/cin-census",
            {"council": "808", "file": _upload(a_file(children=1))},
        )
        assert answer.status_code == 403
    assert not ImportRun.objects.exists()


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cin.xml", data, content_type="application/xml")


def test_the_api_takes_a_return_and_a_200_mb_one_is_refused_unread(
    manager: User, stockton: Council
) -> None:
    client = _client(manager)
    answer = client.post(
        "/api/v1/imports/cin-census", {"council": "808", "file": _upload(a_file(children=2))}
    )
    assert answer.status_code == 202
    run_import(run_id=answer.json()["id"])
    assert client.get(f"/api/v1/imports/{answer.json()['id']}").json()["counts"]["created"] == 2
    huge = client.generic(
        "POST",
        "/api/v1/imports/cin-census",
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert huge.status_code == 413
    assert "CIN census return may be at most 50 MB" in huge.json()["detail"]


def test_the_command_imports_a_return_for_the_council_its_header_names(
    stockton: Council, tmp_path: Path
) -> None:
    path = tmp_path / "cin.xml"
    path.write_bytes(a_file(children=4))
    call_command("cin_census", "import", str(path), "--dry-run", "--no-progress")
    assert not CensusChild.objects.exists()
    call_command("cin_census", "import", str(path), "--no-progress")
    run = ImportRun.objects.filter(dry_run=False).get()
    assert run.council == stockton and run.uploaded_by is None and run.created == 4
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<Message>")
    with pytest.raises(CommandError, match="no council"):
        call_command("cin_census", "import", str(bad), "--no-progress")
    with pytest.raises(CommandError, match="not well-formed"):
        call_command("cin_census", "import", str(bad), "--council", "808", "--no-progress")
