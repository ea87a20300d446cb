"""docs/security.md names the tests that meet each ASVS requirement: every one must exist, so
the page cannot claim a control whose test was renamed or removed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "docs" / "security.md"
# `continuum/.../test_x.py::test_name` or a whole test module `continuum/.../test_x.py`.
NAMED = re.compile(r"`(continuum/[\w/]+\.py)(?:::(\w+))?`")


def named_tests() -> list[tuple[str, str | None]]:
    return sorted(set(NAMED.findall(SECURITY.read_text())), key=lambda n: (n[0], n[1] or ""))


def test_the_page_names_tests() -> None:
    assert len(named_tests()) > 40


@pytest.mark.parametrize(("path", "name"), named_tests())
def test_each_named_test_exists(path: str, name: str) -> None:
    module = ROOT / path
    assert module.is_file(), f"docs/security.md names {path}, which does not exist"
    if not name:
        return
    tree = ast.parse(module.read_text())
    defined = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    assert name in defined, f"docs/security.md names {path}::{name}, which is not defined there"


def test_every_level_two_chapter_has_its_section() -> None:
    text = SECURITY.read_text()
    for chapter in range(1, 18):
        assert re.search(rf"^### .*\bV{chapter}\b", text, re.M), f"no section for V{chapter}"
