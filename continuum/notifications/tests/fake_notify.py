"""A local HTTP server that speaks GOV.UK Notify's API, as far as sending an email goes:
``POST /v2/notifications/email`` with a JWT bearer token signed with the API key's secret
(HS256, ``iss`` the service id, ``iat`` now). It checks the token as Notify does, keeps
each request body it accepted, and answers as Notify answers (201 with the notification,
or 400/403 with Notify's error body)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"continuum_test-{SERVICE_ID}-{SECRET}"
# An address Notify refuses (as it refuses one not on a trial service's team list).
REFUSED_ADDRESS = "refused@example.org"


@dataclass
class FakeNotify:
    received: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeNotify:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, kind: str, message: str) -> None:
                self._answer(
                    status,
                    {"status_code": status, "errors": [{"error": kind, "message": message}]},
                )

            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                if self.path != "/v2/notifications/email":
                    self._error(404, "NotFound", "Not found")
                    return
                header = self.headers.get("Authorization", "")
                if not header.startswith("Bearer "):
                    self._error(
                        401, "AuthError", "Unauthorized: authentication token must be provided"
                    )
                    return
                try:
                    claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"])
                except jwt.InvalidTokenError:
                    self._error(403, "AuthError", "Invalid token: signature, api token not found")
                    return
                if claims.get("iss") != SERVICE_ID or abs(time.time() - claims["iat"]) > 30:
                    self._error(403, "AuthError", "Invalid token: iss or iat")
                    return
                fake.tokens.append(claims)
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                if body.get("email_address") == REFUSED_ADDRESS:
                    self._error(400, "BadRequestError", "Can't send to this recipient")
                    return
                fake.received.append(body)
                self._answer(
                    201,
                    {
                        "id": str(uuid.uuid4()),
                        "reference": body.get("reference"),
                        "content": {"subject": "Continuum", "body": "", "from_email": ""},
                        "uri": "",
                        "template": {"id": body["template_id"], "version": 1, "uri": ""},
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
