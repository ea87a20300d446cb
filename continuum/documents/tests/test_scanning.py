"""The malware scanner: ClamAV's daemon spoken to over its socket (INSTREAM), tested
against a small fake clamd started here on a local Unix socket and on TCP. An infected file
is refused and nothing is stored; a scanner that cannot answer refuses the upload too; with
none configured the document is recorded as not scanned."""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from continuum.accounts.models import User
from continuum.documents.choices import ScanResult
from continuum.documents.models import Document
from continuum.documents.scanning import ClamdScanner, ScannerUnavailable, parse_answer
from continuum.documents.services import upload_document
from continuum.documents.tests import files
from continuum.early_help.models import Episode


class FakeClamd(socketserver.BaseRequestHandler):
    """Reads one INSTREAM command and its chunks; answers as clamd does: FOUND for the
    EICAR test file, OK for anything else. Keeps what it was sent."""

    received: list[bytes]

    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            (length,) = struct.unpack("!L", self._exactly(4))
            if length == 0:
                break
            data += self._exactly(length)
        self.server.received.append(data)  # type: ignore[attr-defined]
        if files.EICAR in data:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = self.request.recv(size - len(data))
            if not part:
                raise ConnectionError("closed early")
            data += part
        return data


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _serve(server: Any) -> Iterator[Any]:
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clamd_socket(tmp_path: Path, settings: Any) -> Iterator[Any]:
    path = str(tmp_path / "clamd.ctl")
    settings.CLAMD_SOCKET = path
    yield from _serve(UnixServer(path, FakeClamd))


@pytest.fixture
def clamd_tcp(settings: Any) -> Iterator[Any]:
    server = TcpServer(("127.0.0.1", 0), FakeClamd)
    settings.CLAMD_HOST, settings.CLAMD_PORT = server.server_address[:2]
    yield from _serve(server)


def _upload(user: User, episode: Episode, name: str, content: bytes) -> Document:
    return upload_document(
        by=user,
        holder=episode,
        kind="report",
        title="School report",
        upload=files.upload(name, content),
    )


@pytest.mark.django_db
def test_a_clean_file_is_scanned_whole_and_recorded_as_scanned(
    clamd_socket: Any, lead: User, episode: Episode
) -> None:
    big = files.PDF + b"%" + b"x" * 200_000  # more than one chunk
    document = _upload(lead, episode, "report.pdf", big)
    assert document.scan_result == ScanResult.CLEAN
    assert clamd_socket.received == [big]


@pytest.mark.django_db
def test_an_infected_file_is_refused_and_nothing_is_stored(
    clamd_tcp: Any, lead: User, episode: Episode, documents_root: Path
) -> None:
    infected = files.PDF + b"\n" + files.EICAR + b"\n"
    with pytest.raises(ValidationError) as refused:
        _upload(lead, episode, "report.pdf", infected)
    assert refused.value.message_dict == {
        "file": ["The selected file contains a virus (Eicar-Test-Signature)"]
    }
    assert clamd_tcp.received == [infected]
    assert not Document.objects.exists()
    assert not documents_root.exists() or not any(p.is_file() for p in documents_root.rglob("*"))


@pytest.mark.django_db
def test_a_scanner_that_cannot_be_reached_refuses_the_upload(
    settings: Any, tmp_path: Path, lead: User, episode: Episode
) -> None:
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.ctl")
    with pytest.raises(ValidationError) as refused:
        _upload(lead, episode, "report.pdf", files.PDF)
    assert "could not be checked for viruses" in str(refused.value)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_without_a_scanner_the_document_is_recorded_as_not_scanned(
    lead: User, episode: Episode
) -> None:
    assert _upload(lead, episode, "report.pdf", files.PDF).scan_result == ScanResult.NOT_SCANNED


def test_clamd_errors_are_not_taken_for_a_verdict() -> None:
    with pytest.raises(ScannerUnavailable):
        parse_answer(b"INSTREAM size limit exceeded. ERROR\0")
    with pytest.raises(ScannerUnavailable):
        parse_answer(b"")
    assert parse_answer(b"stream: OK\0").result == ScanResult.CLEAN
    assert parse_answer(b"stream: Win.Test.EICAR_HDB-1 FOUND\0").found == "Win.Test.EICAR_HDB-1"


def test_a_daemon_that_hangs_up_is_unavailable(tmp_path: Path) -> None:
    path = str(tmp_path / "hangs-up.ctl")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def hang_up() -> None:
        connection, _ = listener.accept()
        connection.close()

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        with pytest.raises(ScannerUnavailable):
            ClamdScanner(unix_socket=path, timeout=5).scan([b"%PDF-1.4 hello"])
    finally:
        listener.close()
