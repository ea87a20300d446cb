"""Returns: one a council a year, never a year not begun; the whole form saved against the
version seen; bad input refused at its field with nothing saved; submitted only with
amounts under mapped headings; signed off by another strategic lead; history kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from continuum.accounts.models import User
from continuum.errors import ConcurrentChange, InvalidState, NotPermitted
from continuum.organisations.models import Council
from continuum.spending.choices import ReturnStatus
from continuum.spending.models import CouncilCategory, SpendAmount, SpendingReturn, StaffLine
from continuum.spending.services import returns as services
from continuum.spending.tests.conftest import no_change

pytestmark = pytest.mark.django_db
snapshot = no_change(SpendingReturn, SpendAmount, StaffLine)


def _filled(by: User, council: Council, year: int) -> SpendingReturn:
    made = services.create_return(by=by, council=council, financial_year=year)
    return services.save_return(
        by=by,
        spending_return=made,
        version=made.version,
        amounts={("FS01", "council"): "1,250,000", ("YS01", "supporting_families"): 300000},
        staff={"key_worker": "42.5"},
    )


def test_a_return_is_entered_as_a_whole_form(
    analyst: User, stockton: Council, headings: dict, last_year: int
) -> None:
    saved = _filled(analyst, stockton, last_year)
    assert {(a.council_category.code, a.funding_source, a.amount) for a in saved.amounts.all()} == {
        ("FS01", "council", Decimal("1250000")),
        ("YS01", "supporting_families", Decimal("300000")),
    }
    assert [(s.role, s.fte) for s in saved.staff.all()] == [("key_worker", Decimal("42.5"))]
    # The whole form: a cell left blank is no amount.
    services.save_return(
        by=analyst,
        spending_return=saved,
        version=saved.version,
        amounts={("FS01", "council"): "1250000", ("YS01", "supporting_families"): ""},
        staff={},
    )
    assert saved.amounts.count() == 1 and saved.staff.count() == 0
    assert saved.history.count() == 3  # started, changed, changed


def test_one_return_a_year_and_never_a_year_not_begun(
    analyst: User, stockton: Council, last_year: int
) -> None:
    services.create_return(by=analyst, council=stockton, financial_year=last_year)
    before = snapshot()
    with pytest.raises(ValidationError) as again:
        services.create_return(by=analyst, council=stockton, financial_year=last_year)
    assert "already has a return" in str(again.value)
    with pytest.raises(ValidationError) as future:
        services.create_return(by=analyst, council=stockton, financial_year=last_year + 2)
    assert "has not started yet" in future.value.message_dict["financial_year"][0]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("amounts", "staff", "field", "says"),
    [
        ({("FS01", "council"): "-5"}, {}, "amount:FS01:council", "cannot be negative"),
        ({("FS01", "council"): "lots"}, {}, "amount:FS01:council", "as a number"),
        ({("FS01", "council"): "NaN"}, {}, "amount:FS01:council", "as a number"),
        ({("FS01", "council"): "1000000000.01"}, {}, "amount:FS01:council", "check it"),
        ({("ZZ99", "council"): "5"}, {}, "amount:ZZ99:council", "no heading ZZ99"),
        ({("FS01", "lottery"): "5"}, {}, "amount:FS01:lottery", "no funding source"),
        ({}, {"key_worker": "-1"}, "fte:key_worker", "cannot be negative"),
        ({}, {"wizard": "1"}, "fte:wizard", "no staff role"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(
    analyst: User,
    stockton: Council,
    headings: dict,
    last_year: int,
    amounts: dict,
    staff: dict,
    field: str,
    says: str,
) -> None:
    saved = _filled(analyst, stockton, last_year)
    before = snapshot()
    good = {("YS01", "council"): "10"}
    with pytest.raises(ValidationError) as refused:
        services.save_return(
            by=analyst,
            spending_return=saved,
            version=saved.version,
            amounts={**good, **amounts},
            staff=staff,
        )
    assert says in refused.value.message_dict[field][0]
    assert snapshot() == before
    saved.refresh_from_db()
    assert saved.version == 2


def test_a_stale_version_is_refused(
    analyst: User, manager: User, stockton: Council, headings: dict, last_year: int
) -> None:
    saved = _filled(analyst, stockton, last_year)
    with pytest.raises(ConcurrentChange):
        services.save_return(by=manager, spending_return=saved, version=1, amounts={}, staff={})
    assert saved.amounts.count() == 2


def test_submitting_needs_an_amount_and_every_heading_mapped(
    analyst: User, stockton: Council, headings: dict, last_year: int
) -> None:
    empty = services.create_return(by=analyst, council=stockton, financial_year=last_year)
    with pytest.raises(ValidationError) as nothing:
        services.submit_return(by=analyst, spending_return=empty, version=empty.version)
    assert "at least one amount" in str(nothing.value)
    CouncilCategory.objects.create(council=stockton, code="MISC", name="Miscellaneous")
    services.save_return(
        by=analyst,
        spending_return=empty,
        version=empty.version,
        amounts={("FS01", "council"): "10", ("MISC", "council"): "5"},
        staff={},
    )
    with pytest.raises(ValidationError) as unmapped:
        services.submit_return(by=analyst, spending_return=empty, version=empty.version)
    assert "MISC Miscellaneous" in str(unmapped.value)
    empty.refresh_from_db()
    assert empty.status == ReturnStatus.DRAFT


def test_signed_off_by_a_strategic_lead_who_did_not_submit_it(
    lead: User, second_lead: User, manager: User, stockton: Council, headings: dict, last_year: int
) -> None:
    saved = _filled(lead, stockton, last_year)
    services.submit_return(by=lead, spending_return=saved, version=saved.version)
    with pytest.raises(NotPermitted):
        services.sign_off_return(by=lead, spending_return=saved, version=saved.version)
    with pytest.raises(NotPermitted):
        services.sign_off_return(by=manager, spending_return=saved, version=saved.version)
    with pytest.raises(InvalidState):  # waiting for sign-off: not changed
        services.save_return(
            by=lead, spending_return=saved, version=saved.version, amounts={}, staff={}
        )
    services.sign_off_return(by=second_lead, spending_return=saved, version=saved.version)
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.SIGNED_OFF and saved.signed_off_by == second_lead
    reasons = list(saved.history.values_list("history_change_reason", flat=True))
    assert reasons[:2] == ["Signed off", "Submitted for sign-off"]


def test_a_year_signed_off_is_never_changed_or_made_again(
    lead: User, second_lead: User, stockton: Council, headings: dict, last_year: int
) -> None:
    saved = _filled(lead, stockton, last_year)
    services.submit_return(by=lead, spending_return=saved, version=saved.version)
    services.sign_off_return(by=second_lead, spending_return=saved, version=saved.version)
    before = snapshot()
    with pytest.raises(InvalidState) as changing:
        services.save_return(
            by=lead, spending_return=saved, version=saved.version, amounts={}, staff={}
        )
    assert stockton.name in str(changing.value) and saved.year_label in str(changing.value)
    with pytest.raises(InvalidState) as again:
        services.create_return(by=lead, council=stockton, financial_year=last_year)
    assert "signed off" in str(again.value)
    with pytest.raises(InvalidState):
        services.send_back_return(
            by=second_lead, spending_return=saved, version=saved.version, reason="Wrong"
        )
    assert snapshot() == before


def test_sending_back_needs_a_reason_and_returns_it_to_draft(
    lead: User, second_lead: User, stockton: Council, headings: dict, last_year: int
) -> None:
    saved = _filled(lead, stockton, last_year)
    services.submit_return(by=lead, spending_return=saved, version=saved.version)
    with pytest.raises(ValidationError):
        services.send_back_return(
            by=second_lead, spending_return=saved, version=saved.version, reason=" "
        )
    services.send_back_return(
        by=second_lead,
        spending_return=saved,
        version=saved.version,
        reason="Youth service double counted",
    )
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.DRAFT
    assert "Youth service double counted" in saved.notes
    assert saved.history.first().history_change_reason.startswith("Sent back")


def test_another_councils_staff_may_not_make_its_return(
    hartlepool_manager: User, stockton: Council, last_year: int
) -> None:
    with pytest.raises(NotPermitted):
        services.create_return(by=hartlepool_manager, council=stockton, financial_year=last_year)
    assert not SpendingReturn.objects.exists()
