"""The records a search showed are kept like the rest of the access log: append-only, in
the application and in the database."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from continuum.audit.models import AppendOnlyError, ShownRecord
from continuum.audit.services import describe_terms, log_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(worker: Any, rf: Any) -> ShownRecord:
    entry = log_search(
        request=rf.get("/"), user=worker, terms={"q": "smith"}, result_count=1,
        shown_ids=[uuid.uuid4()],
    )  # fmt: skip
    return entry.shown.get()


def test_the_application_refuses_to_change_or_delete_a_shown_record(shown: ShownRecord) -> None:
    shown.subject_id = uuid.uuid4()
    with pytest.raises(AppendOnlyError):
        shown.save()
    with pytest.raises(AppendOnlyError):
        shown.delete()
    with pytest.raises(AppendOnlyError):
        ShownRecord.objects.all().update(subject_id=uuid.uuid4())
    with pytest.raises(AppendOnlyError):
        ShownRecord.objects.all().delete()


def test_the_database_refuses_to_change_a_shown_record(shown: ShownRecord) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_shownrecord SET subject_id = subject_id")


def test_terms_leave_out_blanks_and_fit_the_column() -> None:
    assert describe_terms({"q": "smith", "postcode": "", "date_of_birth": None}) == "q=smith"
    assert len(describe_terms({"q": "x" * 5000})) == 1000
