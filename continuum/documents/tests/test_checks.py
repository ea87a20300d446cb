"""A document's file is what its content says, not its name or the browser's claim: the
kinds allowed, a name that says one kind over content of another, empty and too large
files, and names with folders in them. Each refusal names the field ``file``."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from continuum.documents import checks
from continuum.documents.tests import files


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        checks.checked_kind(files.upload(name, content))
    assert list(refused.value.message_dict) == ["file"]
    return refused.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("consent.pdf", files.PDF, "application/pdf"),
        (
            "Report.DOCX",
            files.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.png", files.png(), "image/png"),
    ],
)
def test_real_files_are_accepted_by_their_content(name: str, content: bytes, mime: str) -> None:
    # The browser's claim (text/plain) is not looked at.
    kept_name, kind = checks.checked_kind(files.upload(name, content, "text/plain"))
    assert (kept_name, kind.mime) == (name, mime)


def test_a_pdf_that_is_really_a_program_is_refused() -> None:
    assert "is not a PDF: its content is a EXE file" in _refusal("letter.pdf", files.EXECUTABLE)


def test_a_pdf_that_is_really_a_zip_archive_is_refused() -> None:
    assert "is not a PDF: its content is a ZIP file" in _refusal("letter.pdf", files.plain_zip())


def test_a_word_document_named_as_a_pdf_is_refused() -> None:
    message = _refusal("letter.pdf", files.docx())
    assert message == (
        "The selected file's name says it is a PDF but its content is a Word document. "
        "Check you chose the right file"
    )


def test_text_is_refused_whatever_its_name() -> None:
    assert "not a kind of file we know" in _refusal("notes.pdf", b"just some words\n")


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "script.js", "noextension"])
def test_kinds_not_allowed_are_refused_by_name(name: str) -> None:
    assert _refusal(name, files.PDF).startswith("The selected file must be a PDF, Word")


def test_an_empty_file_is_refused() -> None:
    assert _refusal("empty.pdf", b"") == "The selected file is empty"


def test_a_file_over_the_limit_is_refused(settings: Any) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    big = files.PDF + b"%" + b"x" * (1024 * 1024)
    assert _refusal("big.pdf", big) == "The selected file must be smaller than 1 MB"
    settings.DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    assert checks.checked_kind(files.upload("big.pdf", big))[1].mime == "application/pdf"


@pytest.mark.parametrize(
    "name", ["../consent.pdf", "..\\..\\consent.pdf", "C:\\Users\\me\\consent.pdf", "a/b.pdf"]
)
def test_a_name_with_folders_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        checks.sanitised_name(name)
    assert refused.value.message_dict == {
        "file": ["The file name must be a name only, without any folders in it"]
    }


def test_a_name_keeps_its_words_without_control_characters() -> None:
    assert checks.sanitised_name('Consent\x07 "signed".pdf') == "Consent signed.pdf"
    long_name = "a" * 300 + ".pdf"
    assert checks.sanitised_name(long_name) == "a" * 251 + ".pdf"
