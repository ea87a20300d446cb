"""A place for a malware scanner: every upload is scanned before it is stored.

With ``CLAMD_SOCKET`` (a Unix socket) or ``CLAMD_HOST`` and ``CLAMD_PORT`` set, the file is
sent to ClamAV's daemon with its INSTREAM command (``zINSTREAM\\0``, then chunks each
preceded by their length as 4 bytes big-endian, then a zero length; clamd answers
``stream: OK`` or ``stream: <signature> FOUND``), and an infected file is refused. If the
daemon cannot be reached or answers an error, the upload is refused too (fail closed): a
file is never stored as scanned when it was not. Without a scanner configured the document
is recorded as not scanned. Another scanner plugs in by implementing ``Scanner``.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from continuum.documents.choices import ScanResult

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Verdict:
    result: ScanResult
    # The signature found, when the file is infected (then ``result`` is not used).
    found: str = ""

    @property
    def infected(self) -> bool:
        return bool(self.found)


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict (unreachable, an error, a size limit)."""


class Scanner(Protocol):
    def scan(self, chunks: Iterable[bytes]) -> Verdict: ...


class NotScanned:
    """No scanner configured: every file is recorded as not scanned."""

    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        return Verdict(ScanResult.NOT_SCANNED)


@dataclass(frozen=True)
class ClamdScanner:
    """ClamAV's daemon, spoken to directly over its socket (no package needed)."""

    unix_socket: str = ""
    host: str = ""
    port: int = 3310
    timeout: float = 30.0

    def _connect(self) -> socket.socket:
        if self.unix_socket:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            connection.connect(self.unix_socket)
            return connection
        return socket.create_connection((self.host, self.port), timeout=self.timeout)

    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK):
                        part = chunk[start : start + CHUNK]
                        connection.sendall(struct.pack("!L", len(part)) + part)
                connection.sendall(struct.pack("!L", 0))
                answer = _read_answer(connection)
        except OSError as exc:
            raise ScannerUnavailable(f"clamd could not be reached: {exc}") from exc
        return parse_answer(answer)


def _read_answer(connection: socket.socket) -> bytes:
    answer = b""
    while not answer.endswith(b"\0"):
        part = connection.recv(4096)
        if not part:
            break
        answer += part
    return answer


def parse_answer(answer: bytes) -> Verdict:
    """clamd's answer to INSTREAM: ``stream: OK``, ``stream: <name> FOUND`` or an error."""
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    _, _, result = text.partition(": ")
    if result == "OK":
        return Verdict(ScanResult.CLEAN)
    if result.endswith(" FOUND"):
        return Verdict(ScanResult.CLEAN, found=result.removesuffix(" FOUND").strip())
    raise ScannerUnavailable(f"clamd answered: {text or 'nothing'}")


def configured_scanner() -> Scanner:
    """The scanner the settings configure: clamd by socket or host, or none."""
    if settings.CLAMD_SOCKET or settings.CLAMD_HOST:
        return ClamdScanner(
            unix_socket=settings.CLAMD_SOCKET,
            host=settings.CLAMD_HOST,
            port=settings.CLAMD_PORT,
            timeout=settings.CLAMD_TIMEOUT_SECONDS,
        )
    return NotScanned()
