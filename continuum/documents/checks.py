"""What an uploaded file must be before it is kept, checked before anything is stored: a
plain file name (no folders), not empty, not larger than ``DOCUMENT_MAX_BYTES``, and one of
the kinds of file a document may be (``choices.FILE_KINDS``) as its content says, read with
``filetype`` from the first bytes, matching its name's extension. Each refusal is a
``ValidationError`` on the field ``file`` with a message saying what to do."""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

from continuum.documents.choices import (
    ALLOWED_DESCRIPTION,
    KIND_BY_EXTENSION,
    KIND_BY_MIME,
    FileKind,
)

# filetype reads no further than this.
HEAD_BYTES = 8192
MAX_NAME = 255
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


class Upload(Protocol):
    @property
    def name(self) -> str | None: ...
    @property
    def size(self) -> int | None: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...
    def read(self, size: int = -1) -> bytes: ...


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.0f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def too_large_message() -> str:
    return f"The selected file must be smaller than {megabytes(settings.DOCUMENT_MAX_BYTES)}"


def refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def sanitised_name(name: str) -> str:
    """The uploader's file name as kept and offered again on download: refused if it has
    folders in it (``../x.pdf``, ``C:\\x.pdf``); control and reserved characters removed."""
    if not name or not name.strip():
        raise refuse("Select a file with a name")
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise refuse("The file name must be a name only, without any folders in it")
    cleaned = _UNSAFE.sub("", unicodedata.normalize("NFC", name)).strip().strip(".")
    if not cleaned:
        raise refuse("The file name must have letters or numbers in it")
    if len(cleaned) > MAX_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = stem[: MAX_NAME - len(ext) - 1] + dot + ext if dot else cleaned[:MAX_NAME]
    return cleaned


def extension_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def check_size(size: int) -> None:
    if size <= 0:
        raise refuse("The selected file is empty")
    if size > settings.DOCUMENT_MAX_BYTES:
        raise refuse(too_large_message())


def detected_kind(name: str, head: bytes) -> FileKind:
    """The kind of file ``head`` (its first bytes) is, which must be the kind its name says."""
    claimed = KIND_BY_EXTENSION.get(extension_of(name))
    if claimed is None:
        raise refuse(f"The selected file must be {ALLOWED_DESCRIPTION}")
    guessed = filetype.guess(head)
    found = KIND_BY_MIME.get(guessed.mime) if guessed is not None else None
    if found is None:
        what = f"a {guessed.extension.upper()} file" if guessed else "not a kind of file we know"
        raise refuse(
            f"The selected file is not a {claimed.label}: its content is {what}. "
            f"Upload {ALLOWED_DESCRIPTION}"
        )
    if found != claimed:
        raise refuse(
            f"The selected file's name says it is a {claimed.label} but its content is a "
            f"{found.label}. Check you chose the right file"
        )
    return found


def checked_kind(upload: Upload) -> tuple[str, FileKind]:
    """The upload's sanitised name and its kind of file, or a refusal."""
    name = sanitised_name(upload.name or "")
    check_size(upload.size or 0)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return name, detected_kind(name, head)
