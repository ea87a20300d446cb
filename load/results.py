"""What a load run did: writes lost (from the journal and the database), Locust's statistics
and the report ``var/bench/load.json``. Needs Django set up (``load/run.py`` does it)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# The targets of issue 16 on these machines.
TARGET_ERROR_RATE = 0.001  # under 0.1%
TARGET_P95_MS = 300  # for submit and decide
TARGETED_KINDS = ("contact: create", "contact: submit", "contact: decide")


def read_journal(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def writes_lost(entries: Iterable[dict[str, Any]], marker_prefix: str) -> dict[str, Any]:
    """Every contact the test was told was made (201 with an id) must be in the database
    exactly once, under that id; every one it was told was submitted must no longer be a
    draft. Markers sent without a 201 (an error, a timeout) are counted apart: found or
    not, the client was never told either way."""
    from continuum.front_door.choices import ContactStatus
    from continuum.front_door.models import Contact

    sent: set[str] = set()
    created: dict[str, str] = {}
    submitted: set[str] = set()
    for entry in entries:
        marker = entry.get("marker")
        if not marker:
            continue
        if entry["kind"] == "create_sent":
            sent.add(marker)
        elif entry["kind"] == "created":
            created[marker] = str(entry["id"])
        elif entry["kind"] == "submitted":
            submitted.add(marker)
    found: dict[str, list[tuple[str, str]]] = {}
    rows = Contact.objects.filter(concerns__startswith=marker_prefix).values_list(
        "pk", "concerns", "status"
    )
    for pk, concerns, status in rows.iterator():
        marker = concerns.split(" ", 1)[0]
        found.setdefault(marker, []).append((str(pk), status))
    lost = sorted(m for m, pk in created.items() if [row[0] for row in found.get(m, [])] != [pk])
    duplicates = sorted(m for m, rows_of in found.items() if len(rows_of) > 1)
    unsubmitted = sorted(
        m for m in submitted if len(found.get(m, [])) == 1 and found[m][0][1] == ContactStatus.DRAFT
    )
    unacknowledged = sent - set(created)
    return {
        "markers_sent": len(sent),
        "acknowledged_201": len(created),
        "acknowledged_submitted": len(submitted),
        "found_exactly_once": sum(1 for m in created if len(found.get(m, [])) == 1),
        "writes_lost": len(lost) + len(unsubmitted),
        "lost_markers": lost[:50],
        "submissions_lost": len(unsubmitted),
        "duplicates": len(duplicates),
        "duplicate_markers": duplicates[:50],
        "unacknowledged_sent": len(unacknowledged),
        "unacknowledged_found": sum(1 for m in unacknowledged if m in found),
        "unknown_found": len(set(found) - sent),
    }


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def locust_stats(csv_prefix: Path) -> dict[str, Any]:
    """Locust's ``--csv`` files read back: per kind and the aggregated row, and failures."""
    kinds: dict[str, Any] = {}
    overall: dict[str, Any] = {}
    stats_path = Path(f"{csv_prefix}_stats.csv")
    if stats_path.exists():
        with stats_path.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                figures = {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "requests_per_second": round(_number(row["Requests/s"]) or 0.0, 2),
                    "p50_ms": _number(row["50%"]),
                    "p95_ms": _number(row["95%"]),
                    "p99_ms": _number(row["99%"]),
                    "max_ms": _number(row["Max Response Time"]),
                }
                if row["Name"] == "Aggregated":
                    overall = figures
                else:
                    kinds[row["Name"]] = {"method": row["Type"], **figures}
    failures: list[dict[str, Any]] = []
    failures_path = Path(f"{csv_prefix}_failures.csv")
    if failures_path.exists():
        with failures_path.open(encoding="utf-8") as rows:
            failures = [
                {
                    "kind": row["Name"],
                    "method": row["Method"],
                    "message": row["Error"][:300],
                    "occurrences": int(row["Occurrences"]),
                }
                for row in csv.DictReader(rows)
            ]
    exceptions: list[dict[str, Any]] = []
    exceptions_path = Path(f"{csv_prefix}_exceptions.csv")
    if exceptions_path.exists():
        with exceptions_path.open(encoding="utf-8") as rows:
            exceptions = [
                {"message": row["Message"][:300], "occurrences": int(row["Count"])}
                for row in csv.DictReader(rows)
            ]
    return {"overall": overall, "kinds": kinds, "failures": failures, "exceptions": exceptions}


def saturation(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The samples taken during the run, summed up, and where the run saturated."""
    if not samples:
        return {"samples": 0, "verdict": "no samples"}

    def mean(key: str) -> float:
        return round(sum(s.get(key, 0.0) for s in samples) / len(samples), 1)

    def peak(key: str) -> float:
        return round(max(s.get(key, 0.0) for s in samples), 1)

    waits: Counter[str] = Counter()
    for sample in samples:
        waits.update(sample.get("wait_events", {}))
    lock_waits = [s.get("lock_waits", 0) for s in samples]
    summary: dict[str, Any] = {
        "samples": len(samples),
        "machine_cpu_percent_mean": mean("machine_cpu"),
        "machine_cpu_percent_peak": peak("machine_cpu"),
        "gunicorn_cpu_percent_mean": mean("gunicorn_cpu"),
        "postgres_cpu_percent_mean": mean("postgres_cpu"),
        "locust_cpu_percent_mean": mean("locust_cpu"),
        "others_cpu_percent_mean": mean("others_cpu"),
        "db_active_mean": mean("db_active"),
        "db_active_peak": peak("db_active"),
        "wait_events": dict(waits.most_common(10)),
        "lock_waits_mean": round(sum(lock_waits) / len(lock_waits), 2),
        "lock_waits_peak": max(lock_waits),
    }
    summary["verdict"] = _verdict(summary)
    return summary


def _verdict(s: dict[str, Any]) -> str:
    cores_busy = s["machine_cpu_percent_mean"]
    parts = []
    if cores_busy >= 85:
        biggest = max(
            ("the app (gunicorn)", s["gunicorn_cpu_percent_mean"]),
            ("PostgreSQL", s["postgres_cpu_percent_mean"]),
            ("Locust itself", s["locust_cpu_percent_mean"]),
            ("other processes on the machine", s["others_cpu_percent_mean"]),
            key=lambda pair: pair[1],
        )
        parts.append(
            f"CPU-bound: the machine's cores were {cores_busy:.0f}% busy on average, "
            f"most of it {biggest[0]} ({biggest[1]:.0f}% of one core)"
        )
    else:
        parts.append(f"CPU not saturated ({cores_busy:.0f}% of the machine on average)")
    if s["lock_waits_peak"]:
        parts.append(
            f"lock waits in PostgreSQL (mean {s['lock_waits_mean']}, peak "
            f"{s['lock_waits_peak']} sessions waiting)"
        )
    else:
        parts.append("no lock waits seen in PostgreSQL")
    if s["db_active_mean"] >= 6:
        parts.append(f"the database busy ({s['db_active_mean']} active queries on average)")
    return "; ".join(parts) + "."


def targets(stats: dict[str, Any], lost: dict[str, Any]) -> dict[str, Any]:
    overall = stats.get("overall") or {}
    requests = overall.get("requests") or 0
    error_rate = (overall.get("failures") or 0) / requests if requests else None
    p95 = {
        kind: (stats["kinds"].get(kind) or {}).get("p95_ms")
        for kind in TARGETED_KINDS
        if kind in stats["kinds"]
    }
    return {
        "error_rate": error_rate,
        "error_rate_met": error_rate is not None and error_rate < TARGET_ERROR_RATE,
        "no_write_lost_met": lost["writes_lost"] == 0 and lost["duplicates"] == 0,
        "p95_ms": p95,
        "p95_met": all(v is not None and v < TARGET_P95_MS for v in p95.values()),
    }


def build_report(
    *,
    users: int,
    duration_seconds: float,
    stats: dict[str, Any],
    lost: dict[str, Any],
    samples: list[dict[str, Any]],
    machine: dict[str, Any],
    server: str,
) -> dict[str, Any]:
    return {
        "users": users,
        "duration_seconds": round(duration_seconds, 1),
        "server": server,
        "requests_per_second": (stats.get("overall") or {}).get("requests_per_second"),
        # The front door's throughput: contacts submitted and decided per second.
        "submissions_per_second": _rate(stats, "contact: submit"),
        "decisions_per_second": _rate(stats, "contact: decide"),
        "overall": stats.get("overall"),
        "kinds": stats.get("kinds"),
        "failures": stats.get("failures"),
        "exceptions_in_the_test": stats.get("exceptions"),
        "writes": lost,
        "targets": targets(stats, lost),
        "machine": machine,
        "saturation": saturation(samples),
    }


def _rate(stats: dict[str, Any], kind: str) -> float | None:
    found = (stats.get("kinds") or {}).get(kind)
    return None if found is None else found["requests_per_second"]


def write_report(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
