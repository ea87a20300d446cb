"""Erasure and restriction carried out through the retention rules (issue 13). They call
``continuum.retention.services`` (``erase_person``, ``place_legal_hold``,
``lift_legal_hold``), written beside this app: until that module is merged these tests are
skipped; after the merge they run."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.errors import InvalidState, NotPermitted
from continuum.people.models import Person
from continuum.rights import carrying_out
from continuum.rights.models import RightsRequest
from continuum.testing import factories

retention = pytest.importorskip("continuum.retention.services")
pytestmark = pytest.mark.django_db


def _request(kind: str, person: Person, ig_lead: User) -> RightsRequest:
    return cast(
        RightsRequest,
        factories.RightsRequestFactory(
            council=person.council, person=person, logged_by=ig_lead, kind=kind
        ),
    )


def test_erasure_anonymises_the_person_through_the_retention_rules(
    ig_lead: User, family: dict[str, Person]
) -> None:
    request = _request("erasure", family["brother"], ig_lead)
    with pytest.raises(ValidationError):
        carrying_out.erase(by=ig_lead, request=request, reason=" ")
    carrying_out.erase(by=ig_lead, request=request, reason="The register decided to erase.")
    request.refresh_from_db()
    assert request.erased_at is not None
    person = Person.objects.get(pk=family["brother"].pk)
    assert person.family_name != "Quarrington"
    with pytest.raises(InvalidState):
        carrying_out.erase(by=ig_lead, request=request, reason="Again")


def test_a_legal_hold_from_a_restriction_stops_erasure_until_lifted(
    ig_lead: User, family: dict[str, Person], worker: User, client: Client
) -> None:
    child = family["child"]
    restriction = _request("restriction", child, ig_lead)
    carrying_out.restrict(by=ig_lead, request=restriction, reason="Accuracy contested.")
    restriction.refresh_from_db()
    assert restriction.restriction_in_force and restriction.legal_hold_id
    client.force_login(worker)
    summary = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert 'data-testid="processing-restricted"' in summary

    erasure = _request("erasure", child, ig_lead)
    with pytest.raises(InvalidState):
        carrying_out.erase(by=ig_lead, request=erasure, reason="The register decided to erase.")
    erasure.refresh_from_db()
    assert erasure.erased_at is None
    assert Person.objects.get(pk=child.pk).family_name == "Quarrington"

    carrying_out.lift_restriction(by=ig_lead, request=restriction, reason="Accuracy confirmed.")
    restriction.refresh_from_db()
    assert not restriction.restriction_in_force
    summary = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert 'data-testid="processing-restricted"' not in summary
    carrying_out.erase(by=ig_lead, request=erasure, reason="The register decided to erase.")


def test_only_the_councils_lead_carries_out_a_decision(
    ig_lead: User, hartlepool_ig_lead: User, manager: User, family: dict[str, Person]
) -> None:
    request = _request("restriction", family["child"], ig_lead)
    for user in (hartlepool_ig_lead, manager):
        with pytest.raises(NotPermitted):
            carrying_out.restrict(by=user, request=request, reason="Not theirs to decide.")
    wrong: Any = _request("objection", family["child"], ig_lead)
    with pytest.raises(InvalidState):
        carrying_out.restrict(by=ig_lead, request=wrong, reason="Not a restriction request.")
