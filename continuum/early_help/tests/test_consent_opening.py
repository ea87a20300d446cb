"""Opening an episode needs the family's agreement to early help or a lawful basis with a
justification; a Team Around the Family member from an agency the family did not agree to
share with is refused, naming it, unless the episode has a lawful basis."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.consent.choices import ObtainedHow
from continuum.consent.services import withdraw_consent
from continuum.early_help import services
from continuum.early_help.choices import ConsentGround
from continuum.early_help.models import Episode, TafMember
from continuum.early_help.services.consent import AGREEMENT_WITHDRAWN, NO_AGREEMENT
from continuum.early_help.tests.builders import (
    Family,
    Place,
    agree_to_early_help,
    decided_for_early_help,
)
from continuum.front_door.choices import FamilyAgreement, LawfulBasis, NotSoughtReason
from continuum.organisations.models import Organisation

pytestmark = pytest.mark.django_db

AGREED = services.ConsentAnswer(answer="agreed")
PUBLIC_TASK = services.ConsentAnswer(
    answer="lawful_basis",
    lawful_basis=LawfulBasis.PUBLIC_TASK,
    justification="Seeking agreement now would put the children at risk.",
)


def _place(place: Place, family: Family) -> services.EpisodePlace:
    return services.EpisodePlace(
        council=place.council, locality=place.locality, team=place.team, household=family.household
    )


def _start(teacher: User, place: Place, family: Family, consent: services.ConsentAnswer) -> Episode:
    return services.open_episode_by_partner(
        place=_place(place, family),
        children=[family.child],
        reason="Attendance has fallen and mum asked the school for help.",
        opened_by=teacher,
        consent=consent,
    )


def _refused(call: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()  # type: ignore[operator]
    return refused.value.message_dict


def test_a_partner_cannot_open_early_help_without_the_familys_agreement_or_a_lawful_basis(
    teacher: User, eh_worker: User, stockton_place: Place, family: Family
) -> None:
    errors = _refused(lambda: _start(teacher, stockton_place, family, AGREED))
    assert errors == {"consent": [NO_AGREEMENT]}
    assert not Episode.objects.exists()

    agree_to_early_help(family, eh_worker)
    episode = _start(teacher, stockton_place, family, AGREED)
    assert episode.consent_ground == ConsentGround.AGREEMENT
    assert episode.lawful_basis == ""


def test_a_lawful_basis_needs_a_basis_other_than_consent_and_a_justification(
    teacher: User, stockton_place: Place, family: Family
) -> None:
    bad = services.ConsentAnswer(answer="lawful_basis", lawful_basis=LawfulBasis.CONSENT)
    errors = _refused(lambda: _start(teacher, stockton_place, family, bad))
    assert "Consent is not a lawful basis" in errors["lawful_basis"][0]
    assert errors["lawful_basis_justification"] == [
        "Explain why early help without the family's agreement is justified."
    ]
    unknown = services.ConsentAnswer(answer="maybe")
    assert "consent" in _refused(lambda: _start(teacher, stockton_place, family, unknown))
    assert not Episode.objects.exists()

    episode = _start(teacher, stockton_place, family, PUBLIC_TASK)
    assert episode.consent_ground == ConsentGround.LAWFUL_BASIS
    assert episode.lawful_basis == LawfulBasis.PUBLIC_TASK
    assert episode.history.first().lawful_basis_justification.startswith("Seeking agreement")


def test_a_step_down_refuses_every_problem_at_once_and_saves_nothing(
    manager: User, stockton_place: Place, family: Family
) -> None:
    errors = _refused(
        lambda: services.step_down(
            place=_place(stockton_place, family),
            children=[family.child],
            level=4,
            social_care_history="Child in need plan ended.",
            reason="",
            opened_by=manager,
            consent=services.ConsentAnswer(),
        )
    )
    assert set(errors) == {"level", "reason_for_request", "consent"}
    assert not Episode.objects.exists()


def test_agreement_withdrawn_is_not_agreement(
    teacher: User, eh_worker: User, stockton_place: Place, family: Family
) -> None:
    parent_consent, _ = agree_to_early_help(family, eh_worker)
    withdraw_consent(
        by=eh_worker,
        consent=parent_consent,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.PHONE,
        early_help=True,
    )
    errors = _refused(lambda: _start(teacher, stockton_place, family, AGREED))
    assert errors == {"consent": [AGREEMENT_WITHDRAWN]}


def test_from_the_front_door_the_contacts_consent_carries_over(
    manager: User, stockton_place: Place, family: Family
) -> None:
    agreed = decided_for_early_help(stockton_place.council, family, manager)
    episode = services.open_episode_from_decision(
        decision=agreed, place=_place(stockton_place, family), opened_by=manager
    )
    assert episode.consent_ground == ConsentGround.REFERRAL_AGREEMENT

    not_sought = decided_for_early_help(stockton_place.council, family, manager)
    contact = not_sought.contact
    contact.family_agreement = FamilyAgreement.NOT_SOUGHT
    contact.lawful_basis = LawfulBasis.PUBLIC_TASK
    contact.not_agreed_reason = NotSoughtReason.SIGNIFICANT_HARM
    contact.sharing_justification = "Asking would alert the person harming the child."
    contact.save()
    episode = services.open_episode_from_decision(
        decision=not_sought, place=_place(stockton_place, family), opened_by=manager
    )
    assert episode.consent_ground == ConsentGround.LAWFUL_BASIS
    assert episode.lawful_basis_justification == contact.sharing_justification


def test_a_practitioners_answer_from_the_front_door_is_checked(
    manager: User, stockton_place: Place, family: Family
) -> None:
    decision = decided_for_early_help(stockton_place.council, family, manager)
    contact = decision.contact
    contact.family_agreement = FamilyAgreement.DECLINED
    contact.save()
    errors = _refused(
        lambda: services.open_episode_from_decision(
            decision=decision,
            place=_place(stockton_place, family),
            opened_by=manager,
            consent=AGREED,
        )
    )
    assert errors == {"consent": [NO_AGREEMENT]}
    assert not Episode.objects.exists()


# --- the Team Around the Family ------------------------------------------------------------


def test_a_member_from_an_agency_the_family_did_not_agree_to_share_with_is_refused(
    manager: User,
    eh_worker: User,
    teacher: User,
    officer: User,
    school: Organisation,
    police: Organisation,
    stockton_place: Place,
    family: Family,
) -> None:
    agree_to_early_help(family, eh_worker, taf=False, agencies=[school])
    decision = decided_for_early_help(stockton_place.council, family, manager)
    episode = services.open_episode_from_decision(
        decision=decision, place=_place(stockton_place, family), opened_by=manager
    )
    errors = _refused(lambda: services.add_taf_member(episode=episode, user=officer, by=manager))
    assert errors["user"][0].startswith(
        f"The family has not agreed to share information with {police.name}:"
    )
    assert not TafMember.objects.filter(user=officer).exists()

    services.add_taf_member(episode=episode, user=teacher, by=manager)
    # The council's own children's services are not another agency.
    services.add_taf_member(episode=episode, user=eh_worker, by=manager)
    assert set(episode.taf_members.values_list("user", flat=True)) == {teacher.pk, eh_worker.pk}


def test_a_lawful_basis_lets_any_agency_join(
    manager: User, officer: User, stockton_place: Place, family: Family
) -> None:
    episode = services.step_down(
        place=_place(stockton_place, family),
        children=[family.child],
        level=3,
        social_care_history="Child protection plan ended last week.",
        reason="The family needs continued support.",
        opened_by=manager,
        consent=PUBLIC_TASK,
    )
    member = services.add_taf_member(episode=episode, user=officer, by=manager)
    assert member.organisation == officer.organisation
