"""Saturation evidence taken during a load run: CPU of the app's, PostgreSQL's and Locust's
processes (psutil), and PostgreSQL's ``pg_stat_activity`` wait events and lock waits for
this database. Needs Django set up."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from typing import Any

import psutil

INTERVAL_SECONDS = 2.0


def family_names(limit: int) -> list[str]:
    """Common family names in the database, for the person searches."""
    from django.db.models import Count

    from continuum.people.models import Person

    return list(
        Person.objects.values_list("family_name", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")[:limit]
    )


def machine(samples: list[dict[str, Any]]) -> dict[str, Any]:
    one, five, fifteen = os.getloadavg()
    during = [s["load_1m"] for s in samples if "load_1m" in s]
    return {
        "cores": os.cpu_count(),
        "load_average": [round(one, 2), round(five, 2), round(fifteen, 2)],
        "load_1m_during_run_mean": round(sum(during) / len(during), 2) if during else None,
        "memory_available_mb": psutil.virtual_memory().available // 2**20,
    }


class Sampler(threading.Thread):
    def __init__(self, *, server_pid: int, started: list[Any]) -> None:
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.started = started
        self.locust_pid: int | None = None
        self.samples: list[dict[str, Any]] = []
        self._stopping = threading.Event()
        self._processes: dict[int, psutil.Process] = {}

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)

    def run(self) -> None:
        from django.db import connection

        psutil.cpu_percent(interval=None)
        try:
            while not self._stopping.wait(INTERVAL_SECONDS):
                try:
                    self.samples.append(self._sample(connection))
                except Exception as exc:  # noqa: BLE001 - evidence, never the run's end
                    self.samples.append({"error": repr(exc)[:200]})
        finally:
            connection.close()

    def _cpu(self, pids: set[int]) -> float:
        total = 0.0
        for pid in pids:
            process = self._processes.get(pid)
            try:
                if process is None:  # first sight: cpu_percent counts from now
                    self._processes[pid] = psutil.Process(pid)
                    self._processes[pid].cpu_percent(interval=None)
                else:
                    total += process.cpu_percent(interval=None)
            except psutil.Error:
                self._processes.pop(pid, None)
        return total

    @staticmethod
    def _tree(pid: int | None) -> set[int]:
        if pid is None:
            return set()
        try:
            root = psutil.Process(pid)
            return {pid, *(child.pid for child in root.children(recursive=True))}
        except psutil.Error:
            return set()

    def _sample(self, connection: Any) -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, wait_event_type, wait_event FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            activity = cursor.fetchall()
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND a.datname = current_database()"
            )
            lock_waits = cursor.fetchone()[0]
        waits: Counter[str] = Counter(
            f"{kind}:{event}" for _pid, state, kind, event in activity
            if state == "active" and kind and kind != "Client"
        )  # fmt: skip
        gunicorn = self._tree(self.server_pid)
        app_worker = set().union(*(self._tree(p.pid) for p in self.started[1:2]))
        locust = self._tree(self.locust_pid)
        postgres = {row[0] for row in activity}
        machine_cpu = psutil.cpu_percent(interval=None)
        sample = {
            "at": time.time(),
            "load_1m": os.getloadavg()[0],
            "machine_cpu": machine_cpu,
            "gunicorn_cpu": self._cpu(gunicorn),
            "worker_cpu": self._cpu(app_worker),
            "postgres_cpu": self._cpu(postgres),
            "locust_cpu": self._cpu(locust),
            "db_connections": len(activity),
            "db_active": sum(1 for row in activity if row[1] == "active"),
            "wait_events": dict(waits),
            "lock_waits": lock_waits,
        }
        ours = sum(sample[k] for k in ("gunicorn_cpu", "worker_cpu", "postgres_cpu", "locust_cpu"))
        sample["others_cpu"] = max(0.0, machine_cpu * (os.cpu_count() or 1) - ours)
        return sample
