"""Giving cases to peer auditors (never their own council's), opening a programme (each
auditor and peer-auditor moderator then reads exactly the sampled records and the children
they name) and closing it (that sight ends)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from continuum.access import policy
from continuum.access.models import Involvement, ReadGrant
from continuum.accounts.models import User
from continuum.case_audits.choices import CaseStatus, ProgrammeStatus
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.case_audits.policies import CaseAuditAction, source_of
from continuum.case_audits.services.programmes import (
    assign,
    assign_automatically,
    close_programme,
    draw_sample,
    open_programme,
    withdraw_case,
)
from continuum.early_help.models import Episode
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(
    programme: AuditProgramme, partnership_lead: User, stockton: Council, hartlepool: Council
) -> AuditProgramme:
    """Two cases a council drawn from three Stockton and three Hartlepool episodes."""
    for council in (stockton, hartlepool):
        for _ in range(3):
            factories.EpisodeFactory(council=council)
    programme.per_council = 2
    programme.save()
    return draw_sample(programme=programme, by=partnership_lead)


def test_an_auditor_is_never_given_their_own_councils_case(
    drawn: AuditProgramme, partnership_lead: User, stockton_auditor: User, redcar_auditor: User
) -> None:
    stockton_case = drawn.cases.filter(council__name="Stockton-on-Tees").first()
    assert stockton_case is not None
    with pytest.raises(ValidationError) as refused:
        assign(
            programme=drawn,
            by=partnership_lead,
            assignments={stockton_case.pk: stockton_auditor},
        )
    assert "works for Stockton-on-Tees" in refused.value.messages[0]
    stockton_case.refresh_from_db()
    assert stockton_case.auditor is None
    assign(programme=drawn, by=partnership_lead, assignments={stockton_case.pk: redcar_auditor})
    stockton_case.refresh_from_db()
    assert stockton_case.auditor == redcar_auditor


def test_only_peer_auditors_audit_and_only_moderator_roles_moderate(
    drawn: AuditProgramme, partnership_lead: User, manager: User
) -> None:
    case = drawn.cases.first()
    assert case is not None
    with pytest.raises(ValidationError):
        assign(programme=drawn, by=partnership_lead, assignments={case.pk: manager})
    with pytest.raises(ValidationError) as refused:
        assign(programme=drawn, by=partnership_lead, assignments={}, moderators=[manager])
    assert "moderators" in refused.value.message_dict
    assert not drawn.moderators.exists()


def test_automatic_assignment_is_balanced_and_never_own_council(
    drawn: AuditProgramme,
    partnership_lead: User,
    stockton_auditor: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
) -> None:
    auditors = [stockton_auditor, redcar_auditor, middlesbrough_auditor]
    assign_automatically(
        programme=drawn, by=partnership_lead, auditors=auditors, moderators=[redcar_auditor]
    )
    cases = list(drawn.cases.select_related("auditor__organisation"))
    assert all(c.auditor is not None for c in cases)
    assert all(c.auditor.organisation.council_id != c.council_id for c in cases)  # type: ignore[union-attr]
    load = Counter(c.auditor_id for c in cases)
    assert max(load.values()) - min(load.values()) <= 1
    assert set(drawn.moderators.all()) == {redcar_auditor}


def test_automatic_assignment_is_refused_when_a_council_has_no_eligible_auditor(
    drawn: AuditProgramme, partnership_lead: User, stockton_auditor: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        assign_automatically(
            programme=drawn, by=partnership_lead, auditors=[stockton_auditor], moderators=[]
        )
    assert refused.value.message_dict["auditors"] == [
        "Stockton-on-Tees's cases have no auditor from another council: add an auditor who "
        "does not work for it."
    ]
    assert not drawn.cases.filter(auditor__isnull=False).exists()


def test_opening_is_refused_until_every_case_has_an_auditor_and_there_is_a_moderator(
    drawn: AuditProgramme, partnership_lead: User, redcar_auditor: User
) -> None:
    with pytest.raises(InvalidState, match="4 of the sample's cases have no auditor"):
        open_programme(programme=drawn, by=partnership_lead)
    assign(
        programme=drawn,
        by=partnership_lead,
        assignments={c.pk: redcar_auditor for c in drawn.cases.all()},
    )
    with pytest.raises(InvalidState, match="no moderator"):
        open_programme(programme=drawn, by=partnership_lead)
    drawn.refresh_from_db()
    assert drawn.status == ProgrammeStatus.PLANNING
    assert not ReadGrant.objects.exists()


def _opened(
    programme: AuditProgramme, lead: User, auditor: User, moderator: User
) -> tuple[AuditCase, Episode]:
    """Open with every case given to ``auditor``; return one sampled Stockton case and an
    unsampled Stockton episode."""
    assign(
        programme=programme,
        by=lead,
        assignments={c.pk: auditor for c in programme.cases.all()},
        moderators=[moderator],
    )
    open_programme(programme=programme, by=lead)
    case = programme.cases.filter(council__name="Stockton-on-Tees").select_related("episode")[0]
    sampled = set(programme.cases.values_list("episode_id", flat=True))
    other = Episode.objects.exclude(pk__in=sampled).filter(council=case.council).first()
    assert other is not None
    return case, other


@pytest.mark.parametrize("who", ["auditor", "moderator"])
def test_opening_gives_sight_of_exactly_the_sampled_cases_until_closing(
    drawn: AuditProgramme,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
    client: Client,
    who: str,
) -> None:
    case, other = _opened(drawn, partnership_lead, redcar_auditor, middlesbrough_auditor)
    reader = redcar_auditor if who == "auditor" else middlesbrough_auditor
    assert case.episode is not None
    child = case.episode.children.get()
    unsampled_child = other.children.get()

    assert policy.visible(reader, Episode).filter(pk=case.episode.pk).exists()
    assert not policy.visible(reader, Episode).filter(pk=other.pk).exists()
    assert policy.visible(reader, Person).filter(pk=child.pk).exists()
    assert not policy.visible(reader, Person).filter(pk=unsampled_child.pk).exists()
    client.force_login(reader)
    sampled_page = reverse("early_help:episode", args=[case.episode.pk])
    assert client.get(sampled_page).status_code == 200
    assert client.get(reverse("early_help:episode", args=[other.pk])).status_code == 404

    for c in drawn.cases.all():
        c.status = CaseStatus.MODERATED
        c.save()
    close_programme(programme=drawn, by=partnership_lead)
    assert not policy.visible(reader, Episode).filter(pk=case.episode.pk).exists()
    assert not policy.visible(reader, Person).filter(pk=child.pk).exists()
    assert client.get(sampled_page).status_code == 404
    source = source_of(drawn)
    assert not ReadGrant.objects.active().filter(source=source).exists()
    assert not Involvement.objects.active().filter(source=source).exists()


def test_closing_is_refused_while_cases_are_not_moderated(
    drawn: AuditProgramme, partnership_lead: User, redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    _opened(drawn, partnership_lead, redcar_auditor, middlesbrough_auditor)
    cases = list(drawn.cases.order_by("pk"))
    cases[0].status = CaseStatus.SUBMITTED
    cases[0].save()
    cases[1].status = CaseStatus.MODERATED
    cases[1].save()
    withdraw_case(case=cases[2], by=partnership_lead, reason="Moved away")
    with pytest.raises(InvalidState) as refused:
        close_programme(programme=drawn, by=partnership_lead)
    assert refused.value.message.startswith(
        "2 cases are not yet moderated (1 not started, 1 awaiting moderation)"
    )
    drawn.refresh_from_db()
    assert drawn.status == ProgrammeStatus.OPEN
    assert ReadGrant.objects.active().filter(source=source_of(drawn)).exists()


def test_withdrawing_an_open_case_ends_sight_of_its_record_only(
    drawn: AuditProgramme, partnership_lead: User, redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    case, _ = _opened(drawn, partnership_lead, redcar_auditor, middlesbrough_auditor)
    kept = drawn.cases.exclude(pk=case.pk).select_related("episode")[0]
    assert case.episode is not None and kept.episode is not None
    withdraw_case(case=case, by=partnership_lead, reason="Sampled in error")
    for reader in (redcar_auditor, middlesbrough_auditor):
        visible = policy.visible(reader, Episode)
        assert not visible.filter(pk=case.episode.pk).exists()
        assert visible.filter(pk=kept.episode.pk).exists()
        assert not policy.visible(reader, Person).filter(pk=case.episode.children.get().pk).exists()


def test_the_partnership_lead_as_moderator_is_given_no_sight_of_records(
    drawn: AuditProgramme, partnership_lead: User, redcar_auditor: User
) -> None:
    case, _ = _opened(drawn, partnership_lead, redcar_auditor, partnership_lead)
    assert not ReadGrant.objects.filter(user=partnership_lead).exists()
    assert not Involvement.objects.filter(user=partnership_lead).exists()
    assert case.episode is not None
    assert ReadGrant.objects.filter(user=redcar_auditor, record_id=case.episode.pk).exists()


def test_a_moderator_never_reads_or_moderates_their_own_councils_cases(
    drawn: AuditProgramme,
    partnership_lead: User,
    redcar_auditor: User,
    stockton_auditor: User,
) -> None:
    """A Stockton auditor moderating a Stockton and Hartlepool programme reads and moderates
    Hartlepool's cases only: independence from their own council's practice."""
    _opened(drawn, partnership_lead, redcar_auditor, stockton_auditor)
    cases = AuditCase.objects.filter(programme=drawn).select_related("programme", "episode")
    own = cases.filter(council__name="Stockton-on-Tees")
    theirs = cases.filter(council__name="Hartlepool")
    visible_cases = policy.visible(stockton_auditor, AuditCase)
    visible_episodes = policy.visible(stockton_auditor, Episode)
    for case in own:
        assert not visible_cases.filter(pk=case.pk).exists()
        assert not visible_episodes.filter(audit_cases=case).exists()
    for case in theirs:
        assert visible_cases.filter(pk=case.pk).exists()
        assert visible_episodes.filter(audit_cases=case).exists()
    own_case, their_case = own[0], theirs[0]
    for case in (own_case, their_case):
        case.status = CaseStatus.SUBMITTED
        case.save()
    assert not policy.can(stockton_auditor, CaseAuditAction.MODERATE_CASE, own_case)
    assert policy.can(stockton_auditor, CaseAuditAction.MODERATE_CASE, their_case)
