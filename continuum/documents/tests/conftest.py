from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.builders import council_staff


@pytest.fixture(autouse=True)
def documents_root(settings: Any, tmp_path: Path) -> Path:
    """Each test keeps its documents in a folder of its own."""
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    return root


@pytest.fixture
def lead(stockton: Council) -> User:
    return council_staff(stockton, username="docs.lead", role=Role.EARLY_HELP_PRACTITIONER)


@pytest.fixture
def episode(stockton: Council, child: Person, lead: User) -> Episode:
    """An allocated episode for the root conftest's child, led by ``lead``."""
    return cast(
        Episode,
        factories.EpisodeFactory(
            council=stockton,
            children=[child],
            status=EpisodeStatus.ALLOCATED,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation,
            allocation_reason="Knows the family.",
            allocated_at=timezone.now(),
        ),
    )
