"""Drawing a programme's sample: reproducible from its seed, stratified in proportion,
leaving out restricted children and recent audits, refusing a sample larger than the
population with nothing saved; cases added by hand with a reason; withdrawing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_audits import sampling
from continuum.case_audits.choices import CaseKind, CaseStatus, SampleMethod
from continuum.case_audits.models import AuditCase, AuditProgramme, AuditTemplate, BlindRegrade
from continuum.case_audits.services.programmes import (
    add_case_by_hand,
    create_programme,
    draw_sample,
    update_programme,
    withdraw_case,
)
from continuum.early_help.models import Episode
from continuum.errors import InvalidState, NotPermitted
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def episodes(council: Council, n: int, **fields: Any) -> list[Episode]:
    return [cast(Episode, factories.EpisodeFactory(council=council, **fields)) for _ in range(n)]


def decided_contacts(council: Council, levels: list[int], by: User) -> list[Contact]:
    made = []
    for level in levels:
        contact = cast(
            Contact,
            factories.ContactFactory(
                council=council,
                status=ContactStatus.DECIDED,
                received_at=timezone.now() - timedelta(days=20),
            ),
        )
        ContactDecision.objects.create(
            contact=contact,
            level=level,
            outcome=Outcome.EARLY_HELP_SINGLE,
            rationale="x",
            decided_by=by,
        )
        made.append(contact)
    return made


def template() -> AuditTemplate:
    found = AuditTemplate.objects.filter(key="early-help-case-audit", is_current=True).first()
    return found or factories.audit_template()


def drawn(programme: AuditProgramme) -> list[str]:
    return sorted(str(c.episode_id or c.contact_id) for c in programme.cases.all())


# --- the pure draw -----------------------------------------------------------------------------


def test_the_same_seed_draws_the_same_candidates_whatever_order_they_come_in() -> None:
    candidates = [sampling.Candidate(id=f"{n:03}") for n in range(40)]
    first = sampling.draw(candidates, 10, seed=7, stream="a")
    again = sampling.draw(list(reversed(candidates)), 10, seed=7, stream="a")
    assert first == again
    assert sampling.draw(candidates, 10, seed=8, stream="a") != first
    assert sampling.draw(candidates, 10, seed=7, stream="b") != first


def test_largest_remainder_shares_the_sample_in_proportion() -> None:
    # 10 of 20 at level 2, 15 at level 3, 5 at level 4: quotas 4, 6, 2 exactly.
    assert sampling.allocate({2: 20, 3: 15, 4: 5}, 6) == {2: 3, 3: 2, 4: 1}
    # Quotas 10*7/12=5.83, 10*4/12=3.33, 10*1/12=0.83: 5, 3, 0 then the largest remainders.
    assert sampling.allocate({2: 7, 3: 4, 4: 1}, 10) == {2: 6, 3: 3, 4: 1}
    # Equal remainders go to the lower level.
    assert sampling.allocate({2: 1, 3: 1}, 1) == {2: 1, 3: 0}
    with pytest.raises(ValueError):
        sampling.allocate({2: 1}, 2)


# --- the programme's sample ------------------------------------------------------------------


def test_a_random_sample_is_reproducible_from_its_seed(
    programme: AuditProgramme, partnership_lead: User, stockton: Council, hartlepool: Council
) -> None:
    episodes(stockton, 14)
    episodes(hartlepool, 12)
    programme.per_council = 5
    programme.save()
    draw_sample(programme=programme, by=partnership_lead)
    first = drawn(programme)
    assert programme.cases.filter(council=stockton).count() == 5
    assert programme.cases.filter(council=hartlepool).count() == 5
    draw_sample(programme=programme, by=partnership_lead)
    assert drawn(programme) == first
    assert programme.cases.count() == 10  # replaced, not added to

    programme.seed = 2
    programme.save()
    draw_sample(programme=programme, by=partnership_lead)
    assert drawn(programme) != first


def test_episodes_outside_the_period_or_naming_a_restricted_child_are_never_drawn(
    programme: AuditProgramme, partnership_lead: User, stockton: Council, hartlepool: Council
) -> None:
    programme.councils.set([stockton])
    programme.per_council = 2
    programme.save()
    inside = episodes(stockton, 2)
    long_ago = programme.period_start - timedelta(days=60)
    episodes(stockton, 3, start_date=long_ago, end_date=long_ago + timedelta(days=10))
    restricted = factories.PersonFactory(council=stockton, is_restricted=True)
    episodes(stockton, 1, children=[restricted])
    draw_sample(programme=programme, by=partnership_lead)
    assert drawn(programme) == sorted(str(e.pk) for e in inside)


def test_a_sample_larger_than_the_population_is_refused_with_the_numbers_and_nothing_saved(
    programme: AuditProgramme, partnership_lead: User, stockton: Council, hartlepool: Council
) -> None:
    episodes(stockton, 12)
    episodes(hartlepool, 7)
    with pytest.raises(ValidationError) as refused:
        draw_sample(programme=programme, by=partnership_lead)
    assert refused.value.message_dict["per_council"] == [
        "Hartlepool has 7 early help episodes open in the period after exclusions: "
        "a sample of 10 is larger than that."
    ]
    assert AuditCase.objects.count() == 0
    programme.refresh_from_db()
    assert programme.sampled_at is None


def test_records_sampled_in_another_recent_programme_are_left_out(
    programme: AuditProgramme, partnership_lead: User, stockton: Council
) -> None:
    made = episodes(stockton, 4)
    earlier = factories.AuditProgrammeFactory(councils=[stockton], sampled_at=timezone.now())
    factories.AuditCaseFactory(programme=earlier, council=stockton, episode=made[0])
    factories.AuditCaseFactory(
        programme=earlier, council=stockton, episode=made[1], status=CaseStatus.WITHDRAWN
    )
    programme.councils.set([stockton])
    programme.per_council = 3
    programme.exclude_audited_within_days = 365
    programme.save()
    draw_sample(programme=programme, by=partnership_lead)
    assert str(made[0].pk) not in drawn(programme)
    assert len(drawn(programme)) == 3

    programme.per_council = 4
    programme.save()
    with pytest.raises(ValidationError, match="3 early help episodes open"):
        draw_sample(programme=programme, by=partnership_lead)


def test_a_stratified_sample_shares_each_council_between_levels_and_records_the_level(
    partnership_lead: User, stockton: Council, manager: User
) -> None:
    decided_contacts(stockton, [2] * 6 + [3] * 3 + [4] * 1, manager)
    programme = create_programme(
        by=partnership_lead,
        title="Threshold decisions",
        theme="Are decisions at the right level?",
        template=template(),
        case_kind=CaseKind.CONTACT,
        period_start=timezone.localdate() - timedelta(days=90),
        period_end=timezone.localdate() - timedelta(days=1),
        councils=[stockton],
        sample_method=SampleMethod.STRATIFIED,
        per_council=5,
    )
    assert programme.seed is not None  # generated, stored and shown
    draw_sample(programme=programme, by=partnership_lead)
    levels = sorted(level or 0 for level in programme.cases.values_list("level", flat=True))
    # 5 of 10: quotas 3, 1.5 and 0.5: 3, 1 and 0, then the one left to level 3 (equal
    # remainders go to the lower level).
    assert levels == [2, 2, 2, 3, 3]
    for case in programme.cases.select_related("contact__decision"):
        assert case.contact is not None
        assert case.level == case.contact.decision.level


def test_the_blind_regrade_sample_is_drawn_beside_the_cases_and_refused_if_too_small(
    programme: AuditProgramme, partnership_lead: User, stockton: Council, manager: User
) -> None:
    episodes(stockton, 2)
    contacts = decided_contacts(stockton, [2, 3, 3], manager)
    programme.councils.set([stockton])
    programme.per_council = 2
    programme.regrade_per_council = 3
    programme.save()
    draw_sample(programme=programme, by=partnership_lead)
    assert sorted(BlindRegrade.objects.values_list("contact_id", flat=True)) == sorted(
        c.pk for c in contacts
    )
    programme.regrade_per_council = 4
    programme.save()
    with pytest.raises(ValidationError) as refused:
        draw_sample(programme=programme, by=partnership_lead)
    assert "regrade_per_council" in refused.value.message_dict
    assert BlindRegrade.objects.count() == 3  # the earlier draw stands


def test_adding_a_case_by_hand_needs_a_reason_and_a_record_of_the_programme(
    programme: AuditProgramme, partnership_lead: User, stockton: Council, redcar: Council
) -> None:
    ours = episodes(stockton, 1)[0]
    theirs = episodes(redcar, 1)[0]
    with pytest.raises(ValidationError) as refused:
        add_case_by_hand(programme=programme, by=partnership_lead, record_id=ours.pk, reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add_case_by_hand(
            programme=programme, by=partnership_lead, record_id=theirs.pk, reason="Complaint"
        )
    assert "record_id" in refused.value.message_dict
    with pytest.raises(ValidationError):
        add_case_by_hand(
            programme=programme, by=partnership_lead, record_id="not an id", reason="Complaint"
        )
    assert AuditCase.objects.count() == 0
    case = add_case_by_hand(
        programme=programme, by=partnership_lead, record_id=ours.pk, reason="A complaint"
    )
    assert case.chosen_by_hand and case.council == stockton
    with pytest.raises(ValidationError, match="already in the sample"):
        add_case_by_hand(
            programme=programme, by=partnership_lead, record_id=ours.pk, reason="Again"
        )


def test_drawing_again_keeps_the_cases_chosen_by_hand(
    programme: AuditProgramme, partnership_lead: User, stockton: Council
) -> None:
    made = episodes(stockton, 4)
    programme.councils.set([stockton])
    programme.per_council = 3
    programme.save()
    add_case_by_hand(programme=programme, by=partnership_lead, record_id=made[0].pk, reason="R")
    draw_sample(programme=programme, by=partnership_lead)
    draw_sample(programme=programme, by=partnership_lead)
    assert programme.cases.count() == 4
    assert programme.cases.filter(chosen_by_hand=True).get().episode_id == made[0].pk


def test_withdrawing_needs_a_reason(programme: AuditProgramme, partnership_lead: User) -> None:
    case = cast(AuditCase, factories.AuditCaseFactory(programme=programme))
    with pytest.raises(ValidationError):
        withdraw_case(case=case, by=partnership_lead, reason="")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED
    withdraw_case(case=case, by=partnership_lead, reason="The family moved away")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert case.withdrawn_reason == "The family moved away"


def _fields(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "title": "Peer audit",
        "theme": "Assessments",
        "template": template(),
        "case_kind": CaseKind.EPISODE,
        "period_start": today - timedelta(days=100),
        "period_end": today - timedelta(days=1),
        "councils": [factories.tees_council()],
        "sample_method": SampleMethod.RANDOM,
    }
    fields.update(changes)
    return fields


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("period_end", timezone.localdate() + timedelta(days=1)),
        ("period_start", timezone.localdate()),  # after the end
        ("per_council", 0),
        ("per_council", 51),
        ("councils", []),
        ("audits_due_on", timezone.localdate() - timedelta(days=1)),
        ("template", None),
    ],
)
def test_bad_fields_are_refused_at_the_field_and_nothing_is_saved(
    partnership_lead: User, field: str, value: Any
) -> None:
    fields = _fields(**{field: value})
    with pytest.raises(ValidationError) as refused:
        create_programme(by=partnership_lead, **fields)
    key = "period_end" if field == "period_start" else field
    assert key in refused.value.message_dict
    assert AuditProgramme.objects.count() == 0


def test_a_template_not_current_or_for_observations_is_refused(partnership_lead: User) -> None:
    old = factories.audit_template(key="old")
    old.is_current = False
    old.save()
    observation = factories.audit_template(key="fd", kind="observation")
    for template in (old, observation):
        with pytest.raises(ValidationError) as refused:
            create_programme(by=partnership_lead, **_fields(template=template))
        assert "template" in refused.value.message_dict


def test_councils_the_partnership_does_not_serve_are_refused(
    partnership_lead: User, stockton: Council
) -> None:
    elsewhere = cast(Council, factories.CouncilFactory(name="Elsewhere"))
    with pytest.raises(ValidationError) as refused:
        create_programme(by=partnership_lead, **_fields(councils=[stockton, elsewhere]))
    assert refused.value.message_dict["councils"] == ["Your partnership does not serve Elsewhere."]


def test_only_the_partnership_lead_runs_programmes(
    programme: AuditProgramme, redcar_auditor: User, manager: User
) -> None:
    for user in (redcar_auditor, manager):
        with pytest.raises(NotPermitted):
            create_programme(by=user, **_fields())
        with pytest.raises(NotPermitted):
            draw_sample(programme=programme, by=user)


def test_a_programme_changes_only_while_it_is_planned(
    programme: AuditProgramme, partnership_lead: User, stockton: Council
) -> None:
    programme.status = "open"
    programme.save()
    with pytest.raises(InvalidState):
        update_programme(programme=programme, by=partnership_lead, **_fields())
    with pytest.raises(InvalidState):
        draw_sample(programme=programme, by=partnership_lead)
