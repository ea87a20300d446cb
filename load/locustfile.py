"""The front door under load (issue 16): Locust users doing what the tees partnership does.

Run by ``load/run.py`` (``make load``), which serves the app, passes the settings below in
the environment and reads the statistics back. Every request is named by its kind (the
names in ``var/bench/load.json``).

The mix (Locust ``weight``: how many of the simulated people do each job):

- ``Partner`` (weight 4): a school, a health visitor or the police make a draft contact
  about a child new to the record (``POST /api/v1/contacts``, answering a 409 "possible
  duplicates" by confirming, as a real client does), then submit it. Each contact carries a
  unique marker at the start of its concerns, written to the journal, so ``load/results.py``
  can find every one in the database afterwards (writes lost).
- ``FrontDoor`` (weight 3): read the queue (``GET /api/v1/contacts/queue``), open a
  submitted contact from it, start screening and decide it (level 2, early help); search
  people by name now and then. A 409 (someone else screened or decided it first: the API's
  optimistic locking) is the system working, counted as a conflict, not a failure.
- ``EarlyHelp`` (weight 2): list open episodes, open one, read its notes and record a case
  note (a phone call); search people.
- ``Manager`` (weight 1): the queue page and the performance dashboards (HTML pages).

Signing in is done as a person does it, with nothing weakened and demo mode off: the
sign-in page with the password, then the second factor with the current code of the
account's authenticator app (RFC 6238); ``load/accounts.py`` gives the tees world's demo
accounts both for the run (new random secrets, withdrawn afterwards). A time-based code
can be used once per account and 30 seconds, so the simulated people of one account share
its session (one person with several tabs): the first signs in, the others wait for it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import random
import struct
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gevent.lock
from locust import HttpUser, between, task

from load.accounts import EARLY_HELP, FRONT_DOORS, MANAGERS, PARTNERS

RUN_ID = os.environ.get("LOAD_RUN_ID", "dev")
MARKER_PREFIX = f"LOADTEST:{RUN_ID}:"
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
TOTP_SECRET = os.environ.get("LOAD_TOTP_SECRET", "")
JOURNAL = Path(os.environ.get("LOAD_JOURNAL", "var/bench/load/journal.jsonl"))
NAMES = Path(os.environ.get("LOAD_NAMES", "var/bench/load/names.json"))

DASHBOARDS = ["/performance/", "/performance/flow", "/performance/trends",
              "/performance/comparison", "/performance/capacity"]  # fmt: skip
GIVEN = ["Ava", "Noah", "Isla", "Leo", "Mia", "Oscar", "Ruby", "Alfie", "Ivy", "Jack",
         "Lily", "Harry", "Evie", "Theo", "Rosie", "Poppy", "Arthur", "Esme"]  # fmt: skip


# --- the journal (read by load/results.py) ---------------------------------------------------

_journal_lock = threading.Lock()


def journal(**entry: Any) -> None:
    """One line per write the test made or tried: what load/results.py checks."""
    line = json.dumps(entry, sort_keys=True)
    with _journal_lock:
        JOURNAL.parent.mkdir(parents=True, exist_ok=True)
        with JOURNAL.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


# --- signing in, as a person does ------------------------------------------------------------


def totp(secret_base32: str, at: float | None = None, step: int = 30) -> str:
    """The 6-digit time-based code an authenticator app shows (RFC 6238, SHA-1)."""
    key = base64.b32decode(secret_base32)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


_sessions: dict[str, list[Any]] = {}
_sign_in_locks: dict[str, gevent.lock.Semaphore] = {}


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    usernames: list[str] = []
    username = ""

    def on_start(self) -> None:
        self.username = random.choice(self.usernames)
        lock = _sign_in_locks.setdefault(self.username, gevent.lock.Semaphore())
        with lock:
            if self.username not in _sessions:
                _sessions[self.username] = self._sign_in()
        for cookie in _sessions[self.username]:  # as they were set: same domain and path
            self.client.cookies.set_cookie(copy.copy(cookie))

    def _sign_in(self) -> list[Any]:
        self.client.get("/accounts/sign-in", name="sign in: page")
        self.client.post(
            "/accounts/sign-in",
            {
                "csrfmiddlewaretoken": self._csrf(),
                "username": self.username,
                "password": PASSWORD,
            },
            name="sign in: password",
        )
        for _attempt in range(3):
            with self.client.post(
                "/accounts/second-factor",
                {"csrfmiddlewaretoken": self._csrf(), "code": totp(TOTP_SECRET)},
                name="sign in: second factor",
                catch_response=True,
            ) as response:
                if "/accounts/second-factor" not in response.url:
                    response.success()
                    break
                # This code was used already (another run, this 30 seconds): the next one.
                response.success()
            time.sleep(31 - time.time() % 30)
        else:
            raise RuntimeError(f"{self.username} could not pass the second factor")
        return list(self.client.cookies)

    def _csrf(self) -> str:
        found = [cookie.value for cookie in self.client.cookies if cookie.name == "csrftoken"]
        return found[-1] if found else ""

    def api_post(self, path: str, body: dict[str, Any], name: str, ok: tuple[int, ...]) -> Any:
        """A JSON POST with the CSRF header, as the API's session auth asks; the statuses in
        ``ok`` are answers the API documents for this situation (e.g. 409), not failures."""
        with self.client.post(
            path,
            json=body,
            headers={"X-CSRFToken": self._csrf(), "Referer": self.host or ""},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code in ok:
                response.success()
            return response

    def search_people(self) -> None:
        self.client.get(
            "/api/v1/people", params={"q": random.choice(_names())}, name="person search"
        )


_name_cache: list[str] = []


def _names() -> list[str]:
    """Family names from the database (the runner writes them), some given + family."""
    if not _name_cache:
        try:
            _name_cache.extend(json.loads(NAMES.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            _name_cache.extend(["Smith", "Jones", "Taylor", "Brown", "Wilson"])
    return _name_cache


def _birthday() -> str:
    year, month, day = random.randint(2010, 2022), random.randint(1, 12), random.randint(1, 28)
    return f"{year}-{month:02d}-{day:02d}"


# --- the people ------------------------------------------------------------------------------


class Partner(SignedIn):
    weight = 4
    usernames = list(PARTNERS)

    @task
    def refer_a_child(self) -> None:
        councils, source = PARTNERS[self.username]
        marker = f"{MARKER_PREFIX}{uuid.uuid4().hex}"
        body: dict[str, Any] = {
            "council": random.choice(councils),
            "referral_source": source,
            "concerns": f"{marker} Often hungry and tired; says there is no food at weekends.",
            "referrer_view_of_level": 2,
            "new_children": [
                {
                    "given_name": random.choice(GIVEN),
                    "family_name": random.choice(_names()),
                    "date_of_birth": _birthday(),
                }
            ],
            "family_agreement": "agreed",
            "agreement_obtained_by": "Load test",
            "agreement_obtained_on": datetime.now(UTC).date().isoformat(),
        }
        journal(kind="create_sent", marker=marker)
        made = self.api_post("/api/v1/contacts", body, "contact: create", ok=(201, 409))
        if made.status_code == 409:  # possible duplicates: none is this child
            body["not_duplicates"] = True
            made = self.api_post(
                "/api/v1/contacts", body, "contact: create (not a duplicate)", ok=(201,)
            )
        if made.status_code != 201:
            journal(kind="create_failed", marker=marker, status=made.status_code)
            return
        draft = made.json()
        journal(kind="created", marker=marker, id=draft["id"])
        submitted = self.api_post(
            f"/api/v1/contacts/{draft['id']}/submit",
            {"version": draft["version"]},
            "contact: submit",
            ok=(200,),
        )
        if submitted.status_code == 200:
            journal(kind="submitted", marker=marker, id=draft["id"])

    @task(1)
    def read_own_contacts(self) -> None:
        self.client.get("/api/v1/contacts", name="contact: partner's list")


class FrontDoor(SignedIn):
    weight = 3
    usernames = FRONT_DOORS
    indicators: list[str] = []

    def on_start(self) -> None:
        super().on_start()
        found = self.client.get(
            "/api/v1/thresholds/indicators", name="thresholds: indicators"
        ).json()
        self.indicators = [i["code"] for i in found.get("items", []) if i.get("level") == 2]

    @task(3)
    def screen_and_decide(self) -> None:
        queue = self.client.get(
            "/api/v1/contacts/queue", params={"status": "submitted"}, name="queue: read"
        )
        items = queue.json().get("items", []) if queue.ok else []
        if not items:
            return
        contact_id = random.choice(items[:10])["id"]
        opened = self.client.get(f"/api/v1/contacts/{contact_id}", name="contact: open")
        if not opened.ok:
            return
        if opened.json()["status"] != "submitted":  # a colleague started on it first
            journal(kind="conflict", step="open", id=contact_id)
            return
        screening = self.api_post(
            f"/api/v1/contacts/{contact_id}/status",
            {"status": "in_screening", "version": opened.json()["version"]},
            "contact: start screening",
            ok=(200, 409),
        )
        if screening.status_code != 200:
            journal(kind="conflict", step="screen", id=contact_id)
            return
        decided = self.api_post(
            f"/api/v1/contacts/{contact_id}/decision",
            {
                "level": 2,
                "indicator_codes": self.indicators[:1],
                "outcome": "eh_single",
                "rationale": "Load test: early help from the school's family support worker.",
                "version": screening.json()["version"],
            },
            "contact: decide",
            ok=(200, 409),
        )
        if decided.status_code == 409:
            journal(kind="conflict", step="decide", id=contact_id)

    @task(2)
    def search(self) -> None:
        self.search_people()

    @task(1)
    def queue_page(self) -> None:
        self.client.get("/front-door/queue", name="queue: page")


class EarlyHelp(SignedIn):
    weight = 2
    usernames = EARLY_HELP

    @task(2)
    def record_a_note(self) -> None:
        listed = self.client.get(
            "/api/v1/episodes", params={"status": "plan"}, name="episodes: list"
        )
        items = listed.json().get("items", []) if listed.ok else []
        if not items:
            return
        episode_id = random.choice(items)["id"]
        self.client.get(f"/api/v1/episodes/{episode_id}", name="episode: open")
        self.client.get(f"/api/v1/episodes/{episode_id}/notes", name="episode: notes")
        self.api_post(
            f"/api/v1/episodes/{episode_id}/notes",
            {
                "note_type": "phone_call",
                "occurred_at": datetime.now(UTC).isoformat(),
                "text": "Load test: spoke with mum about the plan; next visit booked.",
            },
            "episode: record note",
            ok=(201,),
        )

    @task(1)
    def search(self) -> None:
        self.search_people()


class Manager(SignedIn):
    weight = 1
    usernames = MANAGERS

    @task
    def dashboard(self) -> None:
        page = random.choice(DASHBOARDS)
        self.client.get(page, name=f"dashboard: {page}")
