"""Recording a council's local change to the shared framework."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from continuum.organisations.models import Council
from continuum.thresholds.models import (
    ChangeKind,
    Domain,
    FrameworkVersion,
    IndicatorChange,
    LocalVariation,
)
from continuum.thresholds.services import record_local_change
from continuum.thresholds.tests.conftest import shared

pytestmark = pytest.mark.django_db


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_the_first_change_creates_the_councils_variation(
    hartlepool: Council, version: FrameworkVersion
) -> None:
    change = record_local_change(
        council=hartlepool,
        kind=ChangeKind.CHANGE,
        indicator=shared("PAR-2-01"),
        guidance="Offer the Hartlepool parenting programme first.",
        reason="Local programme with good results.",
        agreed_on=datetime.date(2026, 5, 12),
    )
    variation = LocalVariation.objects.get(council=hartlepool, version=version)
    assert change.variation == variation
    assert variation.agreed_on == datetime.date(2026, 5, 12)
    # Only what differs is stored; the rest stays the shared wording.
    assert change.guidance.startswith("Offer the Hartlepool")
    assert change.title == "" and change.level is None


def test_a_later_agreement_date_moves_the_variation_on(hartlepool_variation: Council) -> None:
    record_local_change(
        council=hartlepool_variation,
        kind=ChangeKind.REMOVE,
        indicator=shared("PAR-1-03"),
        reason="Not used locally.",
        agreed_on=datetime.date(2030, 1, 1),
    )
    assert hartlepool_variation.threshold_variations.get().agreed_on == datetime.date(2030, 1, 1)


def test_a_change_must_actually_differ(hartlepool: Council) -> None:
    indicator = shared("DEV-2-01")
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.CHANGE,
            indicator=indicator,
            title=indicator.title,
            level=indicator.level,
            reason="No real change.",
        )
    assert "must differ" in errors_of(excinfo)[NON_FIELD_ERRORS][0]
    assert not IndicatorChange.objects.exists()
    assert not LocalVariation.objects.exists()


def test_a_reason_is_required(hartlepool: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.REMOVE,
            indicator=shared("FAM-1-01"),
            reason="   ",
        )
    assert errors_of(excinfo)["reason"] == ["Enter the reason for the local change."]
    assert not LocalVariation.objects.exists()


def test_an_added_indicator_needs_all_its_values(hartlepool: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(council=hartlepool, kind=ChangeKind.ADD, reason="New local need.")
    assert set(errors_of(excinfo)) == {"domain", "code", "title", "level", "guidance"}


def test_an_added_code_cannot_reuse_a_shared_code(hartlepool: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.ADD,
            domain=Domain.objects.get(code="parenting-capacity"),
            code="par-2-01",
            title="A new need",
            level=2,
            guidance="Some guidance. More guidance.",
            reason="Local need.",
        )
    assert "already a shared indicator" in errors_of(excinfo)["code"][0]


def test_an_added_code_must_be_usable(hartlepool: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.ADD,
            domain=Domain.objects.get(code="parenting-capacity"),
            code="HPL 1/2",
            title="A new need",
            level=2,
            guidance="Some guidance.",
            reason="Local need.",
        )
    assert "capital letters, numbers and hyphens" in errors_of(excinfo)["code"][0]


def test_one_change_per_indicator(hartlepool_variation: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool_variation,
            kind=ChangeKind.REMOVE,
            indicator=shared("DEV-2-01"),
            reason="Second thoughts.",
        )
    assert "already has a local change to DEV-2-01" in errors_of(excinfo)["indicator"][0]


def test_the_same_code_cannot_be_added_twice(hartlepool_variation: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool_variation,
            kind=ChangeKind.ADD,
            domain=Domain.objects.get(code="family-environment"),
            code="HPL-FAM-2-01",
            title="Again",
            level=2,
            guidance="Again.",
            reason="Again.",
        )
    assert "already been added locally" in errors_of(excinfo)["code"][0]


@pytest.mark.parametrize("kind", [ChangeKind.CHANGE, ChangeKind.REMOVE])
def test_a_change_or_removal_names_a_shared_indicator(hartlepool: Council, kind: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(council=hartlepool, kind=kind, title="X", reason="Because.")
    assert "indicator" in errors_of(excinfo)


def test_a_removal_takes_no_new_values(hartlepool: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.REMOVE,
            indicator=shared("FAM-1-01"),
            level=2,
            reason="Not used.",
        )
    assert "level" in errors_of(excinfo)


def test_a_changed_indicator_keeps_its_code_and_a_valid_level(hartlepool: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(
            council=hartlepool,
            kind=ChangeKind.CHANGE,
            indicator=shared("DEV-2-01"),
            code="DEV-9-99",
            level=7,
            reason="Renumbering.",
        )
    assert {"code", "level"} <= set(errors_of(excinfo))


def test_an_unknown_kind_is_refused(hartlepool: Council) -> None:
    with pytest.raises(ValidationError) as excinfo:
        record_local_change(council=hartlepool, kind="rewrite", reason="Because.")
    assert "kind" in errors_of(excinfo)
