"""The Consent tab of a person's record, recording consent, a consent record's page and
recording a withdrawal: what each shows, that each read writes one access-log row, and
that bad input shows at its field and in the error summary and saves nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.consent import services
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.organisations.models import Organisation
from continuum.people.choices import PersonKind
from continuum.people.models import ChronologyEvent, Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: Any) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _form(mother: Person, school: Organisation, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "given_by": str(mother.pk),
        "agrees_to_early_help": "on",
        "agencies": [str(school.pk)],
        "information_kinds": [InformationKind.FAMILY, InformationKind.EDUCATION],
        "obtained_how": ObtainedHow.SIGNED_FORM,
        **_date("obtained_on", today),
        **_date("review_on", today + timedelta(days=90)),
        "notes": "Agreed at the first home visit.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _record(by: User, child: Person, mother: Person, **changes: Any) -> ConsentRecord:
    fields: dict[str, Any] = {
        "by": by,
        "person": child,
        "given_by": GivenBy.PARENT,
        "given_by_person": mother,
        "agrees_to_early_help": True,
        "shares_with_taf": True,
        "information_kinds": [InformationKind.FAMILY],
        "obtained_how": ObtainedHow.IN_PERSON,
        "obtained_on": timezone.localdate() - timedelta(days=100),
        "review_on": timezone.localdate() - timedelta(days=10),
    }
    fields.update(changes)
    return services.record_consent(**fields)


def test_recording_consent_for_a_child_from_their_household(
    client: Client, eh_worker: User, child: Person, mother: Person, school: Organisation
) -> None:
    client.force_login(eh_worker)
    tab = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert reverse("consent:person", args=[child.pk]) in tab  # the Consent tab
    url = reverse("consent:record", args=[child.pk])
    page = client.get(url).content.decode()
    assert f"{mother.full_name} (in their household)" in page
    # A 14-year-old may decide for themselves: offered, with the judgement asked beside it.
    assert f"{child.full_name} themselves" in page
    assert 'name="competence_judgement"' in page
    assert school.name in page
    response = client.post(url, _form(mother, school))
    assert response.status_code == 303
    record = ConsentRecord.objects.get()
    assert response["Location"] == reverse("consent:detail", args=[record.pk])
    assert record.given_by_person == mother
    assert list(record.agencies.all()) == [school]
    assert record.obtained_by == eh_worker
    detail = client.get(response["Location"]).content.decode()
    assert "Agreed at the first home visit." in detail
    assert "Consent recorded" in detail  # its history
    chronology = client.get(reverse("people:chronology", args=[child.pk])).content.decode()
    assert reverse("consent:detail", args=[record.pk]) in chronology  # linked for readers


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_by": None}, "given_by", "Select who gave consent"),
        (
            {"given_by": "self"},
            "competence_judgement",
            "Enter why you judge the young person able to decide for themselves",
        ),
        (
            _date("obtained_on", timezone.localdate() + timedelta(days=1)),
            "obtained_on",
            "The date consent was obtained must be today or in the past",
        ),
        (
            _date("review_on", timezone.localdate() - timedelta(days=1)),
            "review_on",
            "The date to check consent again must be after it was obtained",
        ),
        (
            {"agrees_to_early_help": None, "agencies": None},
            "agrees_to_early_help",
            "Record what they agreed to",
        ),
        ({"information_kinds": None}, "information_kinds", "Select the kinds of information"),
    ],
    ids=["no-giver", "no-judgement", "future", "review-before", "nothing", "no-information"],
)
def test_bad_input_shows_at_its_field_and_in_the_summary_and_saves_nothing(
    client: Client,
    eh_worker: User,
    child: Person,
    mother: Person,
    school: Organisation,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    client.force_login(eh_worker)
    data = _form(mother, school)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    response = client.post(reverse("consent:record", args=[child.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}"' in page  # in the summary, linking to the field
    assert f'id="id_{field}-error"' in page  # at the field
    assert message in page
    assert not ConsentRecord.objects.exists()
    assert not ChronologyEvent.objects.exists()


def test_the_tab_shows_consent_now_with_an_overdue_check_and_earlier_records(
    client: Client, eh_worker: User, child: Person, mother: Person
) -> None:
    older = _record(
        eh_worker,
        child,
        mother,
        obtained_on=timezone.localdate() - timedelta(days=200),
        review_on=None,
    )
    current = _record(eh_worker, child, mother)
    services.withdraw_consent(
        by=eh_worker,
        consent=current,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.PHONE,
        taf_sharing=True,
        note="Rang to say only the school",
    )
    client.force_login(eh_worker)
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("consent:person", args=[child.pk]))
    assert response.status_code == 200
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry is not None and entry.subject_id == child.pk
    page = response.content.decode()
    assert "Overdue check" in page
    assert "Withdrawn" in page
    assert '<td class="govuk-table__cell">Sharing with the Team Around the Family</td>' in page
    assert reverse("consent:detail", args=[older.pk]) in page  # an earlier record
    assert "Earlier records" in page


def test_recording_a_withdrawal_lists_only_what_was_agreed_and_says_what_follows(
    client: Client, eh_worker: User, child: Person, mother: Person, school: Organisation
) -> None:
    record = _record(eh_worker, child, mother, shares_with_taf=False, agencies=[school])
    client.force_login(eh_worker)
    url = reverse("consent:withdraw", args=[record.pk])
    page = client.get(url).content.decode()
    assert "Everything they agreed to" in page
    assert f"Sharing with {school.name}" in page
    assert "whole Team Around the Family" not in page  # not agreed, so not offered
    assert "lose it at their next request" in page
    today = timezone.localdate()
    response = client.post(
        url, {"withdrawn": ["everything"], **_date("withdrawn_on", today), "told_how": "phone"}
    )
    assert response.status_code == 303
    withdrawal = ConsentWithdrawal.objects.get()
    assert withdrawal.early_help and not withdrawal.taf_sharing
    assert list(withdrawal.agencies.all()) == [school]
    detail = client.get(response["Location"]).content.decode()
    assert "Withdrawal recorded" in detail
    assert "Record a withdrawal" not in detail  # nothing left to withdraw


def test_a_bad_withdrawal_shows_its_errors_and_saves_nothing(
    client: Client, eh_worker: User, child: Person, mother: Person
) -> None:
    record = _record(eh_worker, child, mother)
    client.force_login(eh_worker)
    future = timezone.localdate() + timedelta(days=2)
    response = client.post(
        reverse("consent:withdraw", args=[record.pk]), _date("withdrawn_on", future)
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("withdrawn", "withdrawn_on", "told_how"):
        assert f'href="#id_{field}"' in page
        assert f'id="id_{field}-error"' in page
    assert "Select what they withdrew" in page
    assert not ConsentWithdrawal.objects.exists()


def test_withdrawing_twice_on_the_page_says_so_and_records_nothing(
    client: Client, eh_worker: User, child: Person, mother: Person
) -> None:
    record = _record(eh_worker, child, mother)
    client.force_login(eh_worker)
    url = reverse("consent:withdraw", args=[record.pk])
    data = {
        "withdrawn": ["early_help"],
        **_date("withdrawn_on", timezone.localdate()),
        "told_how": "phone",
    }
    assert client.post(url, data).status_code == 303
    # The same form, submitted again from a stale page: early help is no longer offered.
    again = client.post(url, data)
    assert again.status_code == 400
    assert ConsentWithdrawal.objects.count() == 1


def test_a_partner_who_may_see_but_not_work_with_the_person_records_nothing(
    client: Client, teacher: User, eh_worker: User, child: Person, mother: Person
) -> None:
    record = _record(eh_worker, child, mother)
    client.force_login(teacher)
    assert client.get(reverse("consent:person", args=[child.pk])).status_code == 404
    assert client.get(reverse("consent:detail", args=[record.pk])).status_code == 404
    response = client.post(
        reverse("consent:withdraw", args=[record.pk]), {"withdrawn": ["everything"]}
    )
    assert response.status_code == 404
    assert not ConsentWithdrawal.objects.exists()


def test_a_young_child_is_not_offered_deciding_for_themselves(
    client: Client, eh_worker: User, stockton: Any
) -> None:
    today = timezone.localdate()
    young: Any = factories.PersonFactory(
        council=stockton, kind=PersonKind.CHILD, date_of_birth=date(today.year - 6, 1, 15)
    )
    client.force_login(eh_worker)
    page = client.get(reverse("consent:record", args=[young.pk])).content.decode()
    assert f"{young.full_name} themselves" not in page
    assert 'name="competence_judgement"' not in page
