"""A document's type, the kinds of file it may be, and whether it was scanned for malware."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class DocumentKind(models.TextChoices):
    CONSENT_FORM = "consent_form", "Signed consent form"
    REPORT = "report", "Report"
    LETTER = "letter", "Letter"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    IMAGE = "image", "Photograph or image"
    OTHER = "other", "Other"


class ScanResult(models.TextChoices):
    CLEAN = "clean", "Scanned: no malware found"
    NOT_SCANNED = "not_scanned", "Not scanned (no scanner is configured)"


@dataclass(frozen=True)
class FileKind:
    """A kind of file a document may be: the type its content is detected as (``filetype``),
    the names it may end with, and what people call it."""

    mime: str
    extensions: tuple[str, ...]
    label: str


# What a document may be. The type is read from the file's first bytes (never its name or
# what the browser said), and must be the type its name's extension says.
FILE_KINDS = (
    FileKind("application/pdf", ("pdf",), "PDF"),
    FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
        "Word document",
    ),
    FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
        "Excel spreadsheet",
    ),
    FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
        "PowerPoint presentation",
    ),
    FileKind("application/vnd.oasis.opendocument.text", ("odt",), "OpenDocument text"),
    FileKind(
        "application/vnd.oasis.opendocument.spreadsheet", ("ods",), "OpenDocument spreadsheet"
    ),
    # Word 97-2003 and Excel 97-2003: detected by their compound file's class id.
    FileKind("application/msword", ("doc",), "Word 97-2003 document"),
    FileKind("application/vnd.ms-excel", ("xls",), "Excel 97-2003 spreadsheet"),
    FileKind("image/png", ("png",), "PNG image"),
    FileKind("image/jpeg", ("jpg", "jpeg"), "JPEG image"),
    FileKind("image/gif", ("gif",), "GIF image"),
    FileKind("image/webp", ("webp",), "WebP image"),
)
KIND_BY_MIME = {kind.mime: kind for kind in FILE_KINDS}
KIND_BY_EXTENSION = {ext: kind for kind in FILE_KINDS for ext in kind.extensions}
ALLOWED_EXTENSIONS = tuple(KIND_BY_EXTENSION)
# The file input's accept attribute (a hint to the browser; the server decides).
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
ALLOWED_DESCRIPTION = (
    "a PDF, Word, Excel, PowerPoint or OpenDocument file, or a PNG, JPEG, GIF or WebP image"
)
