"""make load's checks (load/results.py), on a small real world: every contact the load test
was told was made is in the database exactly once; and the report it writes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, cast

from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.tests.contacts_support import details, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from load import results

PREFIX = "LOADTEST:run1:"


def _marked(marker: str, *, by: User, council: Council, submit: bool = True) -> str:
    concerns = f"{marker} Often hungry and tired."
    if submit:
        return str(submitted_contact(by=by, council=council, concerns=concerns).pk)
    made = services.record_contact(
        recorded_by=by,
        council=council,
        details=details(concerns=concerns),
        children=[cast(Person, factories.PersonFactory(council=council))],
        indicator_codes=(),
        submit=False,
    )
    return str(made.pk)


def test_writes_lost_counts_missing_duplicated_and_unsubmitted_contacts(
    worker: User, stockton: Council
) -> None:
    kept, missing, twice, draft, unanswered = (f"{PREFIX}{n}" for n in "abcde")
    kept_id = _marked(kept, by=worker, council=stockton)
    twice_id = _marked(twice, by=worker, council=stockton)
    _marked(twice, by=worker, council=stockton)
    draft_id = _marked(draft, by=worker, council=stockton, submit=False)
    _marked(f"LOADTEST:another-run:{kept}", by=worker, council=stockton)  # not this run's
    journal: list[dict[str, Any]] = [
        *({"kind": "create_sent", "marker": m} for m in (kept, missing, twice, draft, unanswered)),
        {"kind": "created", "marker": kept, "id": kept_id},
        {"kind": "submitted", "marker": kept, "id": kept_id},
        {"kind": "created", "marker": missing, "id": str(uuid.uuid4())},
        {"kind": "created", "marker": twice, "id": twice_id},
        {"kind": "created", "marker": draft, "id": draft_id},
        {"kind": "submitted", "marker": draft, "id": draft_id},  # told submitted; still a draft
        {"kind": "create_failed", "marker": unanswered, "status": 500},
        {"kind": "conflict", "step": "decide", "id": kept_id},
    ]

    lost = results.writes_lost(journal, PREFIX)

    assert lost["markers_sent"] == 5
    assert lost["acknowledged_201"] == 4
    assert lost["found_exactly_once"] == 2  # kept, draft
    assert lost["lost_markers"] == sorted([missing, twice])
    assert lost["submissions_lost"] == 1
    assert lost["writes_lost"] == 3
    assert lost["duplicates"] == 1 and lost["duplicate_markers"] == [twice]
    assert lost["unacknowledged_sent"] == 1 and lost["unacknowledged_found"] == 0


def test_nothing_lost_when_every_acknowledged_contact_is_there_once(
    worker: User, stockton: Council
) -> None:
    markers = [f"{PREFIX}{n}" for n in range(3)]
    journal: list[dict[str, Any]] = []
    for marker in markers:
        pk = _marked(marker, by=worker, council=stockton)
        journal += [
            {"kind": "create_sent", "marker": marker},
            {"kind": "created", "marker": marker, "id": pk},
            {"kind": "submitted", "marker": marker, "id": pk},
        ]

    lost = results.writes_lost(journal, PREFIX)

    assert (lost["writes_lost"], lost["duplicates"], lost["found_exactly_once"]) == (0, 0, 3)


STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,\
90%,95%,98%,99%,99.9%,99.99%,100%
POST,contact: create,100,1,120,130,50,900,800,2.0,0.02,120,140,150,160,200,250,400,600,900,900,900
POST,contact: decide,50,0,200,210,90,700,800,1.0,0.0,200,220,240,260,300,350,500,700,700,700,700
,Aggregated,150,1,150,160,50,900,800,3.0,0.02,150,170,180,190,250,300,450,650,900,900,900
"""
FAILURES = """Method,Name,Error,Occurrences
POST,contact: create,"HTTPError('500 Server Error')",1
"""


def test_the_report_gives_rates_percentiles_errors_and_the_targets(tmp_path: Path) -> None:
    (tmp_path / "locust_stats.csv").write_text(STATS)
    (tmp_path / "locust_failures.csv").write_text(FAILURES)
    samples = [
        {"machine_cpu": 97.0, "gunicorn_cpu": 120.0, "postgres_cpu": 40.0, "locust_cpu": 20.0,
         "others_cpu": 10.0, "db_active": 2, "wait_events": {"Lock:tuple": 1}, "lock_waits": 1,
         "load_1m": 3.5},
        {"machine_cpu": 93.0, "gunicorn_cpu": 110.0, "postgres_cpu": 50.0, "locust_cpu": 20.0,
         "others_cpu": 5.0, "db_active": 1, "wait_events": {}, "lock_waits": 0, "load_1m": 3.9},
    ]  # fmt: skip
    lost = {"writes_lost": 0, "duplicates": 0}
    report = results.build_report(
        users=10,
        duration_seconds=60.04,
        stats=results.locust_stats(tmp_path / "locust"),
        lost=lost,
        samples=samples,
        machine={"cores": 2, "load_average": [3.9, 3.0, 2.0]},
        server="gunicorn continuum.wsgi",
    )
    out = tmp_path / "bench" / "load.json"
    results.write_report(report, out)
    written = json.loads(out.read_text())

    assert written["users"] == 10 and written["duration_seconds"] == 60.0
    assert written["requests_per_second"] == 3.0
    assert (written["submissions_per_second"], written["decisions_per_second"]) == (None, 1.0)
    assert written["kinds"]["contact: create"]["p95_ms"] == 250.0
    assert written["kinds"]["contact: decide"]["p99_ms"] == 700.0
    assert written["failures"] == [
        {"kind": "contact: create", "method": "POST", "message": "HTTPError('500 Server Error')",
         "occurrences": 1}
    ]  # fmt: skip
    targets = written["targets"]
    assert targets["error_rate"] == 1 / 150 and targets["error_rate_met"] is False
    assert targets["no_write_lost_met"] is True
    assert targets["p95_ms"] == {"contact: create": 250.0, "contact: decide": 350.0}
    assert targets["p95_met"] is False  # decide: 350 ms, over 300
    saturation = written["saturation"]
    assert saturation["lock_waits_peak"] == 1 and saturation["wait_events"] == {"Lock:tuple": 1}
    assert saturation["verdict"].startswith("CPU-bound")
    assert "the app (gunicorn)" in saturation["verdict"]
