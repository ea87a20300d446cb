"""The access log is append-only: one row per read, and nothing can change or delete a row
(not the model, not a queryset, not raw SQL on the database's own terms)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from continuum.accounts.models import Role
from continuum.audit.models import AccessAction, AccessLogEntry, AppendOnlyError
from continuum.audit.services import log_access
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(worker, stockton):
    person = factories.PersonFactory.create(council=stockton)
    request = RequestFactory().get(f"/people/{person.pk}/")
    return log_access(
        request=request, user=worker, subject_id=person.pk, action=AccessAction.VIEW_RECORD
    )


def test_each_log_access_writes_exactly_one_row_with_who_what_and_when(worker, stockton):
    person = factories.PersonFactory.create(council=stockton)
    request = RequestFactory().get("/")
    request_id = "8c3d7a0e-3a55-4ef4-9a2c-6a8d1b8f0c11"
    request.request_id = request_id  # type: ignore[attr-defined]

    log_access(request=request, user=worker, subject_id=person.pk, action=AccessAction.VIEW_RECORD)
    assert AccessLogEntry.objects.count() == 1
    log_access(request=request, user=worker, subject_id=person.pk, action=AccessAction.API_READ)
    assert AccessLogEntry.objects.count() == 2

    first = AccessLogEntry.objects.order_by("id").first()
    assert first is not None
    assert first.username == "frontdoor.stockton"
    assert first.organisation_name == "Stockton-on-Tees Children's Services"
    assert first.role == Role.FRONT_DOOR_WORKER
    assert first.subject_id == person.pk
    assert str(first.request_id) == request_id
    assert first.break_glass_reason == ""


@pytest.mark.parametrize("private", ["family_name", "given_name", "nhs_number", "upn"])
def test_the_log_keeps_no_names_or_identifiers_of_the_person(entry, private):
    person = Person.objects.get(pk=entry.subject_id)
    value = getattr(person, private)
    assert value  # something the log could have kept
    values = {str(getattr(entry, f.attname)) for f in AccessLogEntry._meta.concrete_fields}
    assert value not in values


def test_a_saved_row_cannot_be_changed_through_the_model(entry):
    entry.role = Role.SYSTEM_ADMINISTRATOR
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AccessLogEntry.objects.get().role == Role.FRONT_DOOR_WORKER


def test_a_row_cannot_be_deleted_through_the_model(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AccessLogEntry.objects.count() == 1


def test_querysets_refuse_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(username="someone.else")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get().username == "frontdoor.stockton"


def test_the_database_refuses_a_raw_update(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_accesslogentry SET username = %s WHERE id = %s",
            ["someone.else", entry.pk],
        )
    assert AccessLogEntry.objects.get().username == "frontdoor.stockton"


def test_the_database_refuses_a_raw_delete(entry):
    if connection.vendor == "sqlite":
        pytest.skip("On SQLite (the embedded demo database) only the model refuses deletion.")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])
    assert AccessLogEntry.objects.count() == 1


def test_the_log_is_not_editable_through_the_admin_or_the_api():
    from continuum.api import api

    assert AccessLogEntry not in admin.site._registry
    paths = api.get_openapi_schema()["paths"]
    # Nothing of the access log (the ``audit`` app's): case audits' ``/audit-programmes``
    # and the like are another matter (issue 14) and never touch it.
    log_paths = [p for p in paths if "access-log" in p or "audit-log" in p or "/audit/" in p]
    assert not log_paths
