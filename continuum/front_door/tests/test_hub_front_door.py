"""A joint front door (issue 15): staff placed in the Hartlepool and Stockton hub work one
queue across both councils, each contact decided for its child's own council; police and
health placed see what their agency's row allows and never decide; a council outside the
agreement is refused with nothing saved; when the placement or agreement ends, it all ends.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.audit.models import AccessLogEntry
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, ContactDecision, DomesticAbuseNotification
from continuum.front_door.policies import FrontDoorAction
from continuum.front_door.tests import triage_support as support
from continuum.front_door.tests.api_support import contact_rows, fields_named, post
from continuum.front_door.tests.contacts_support import details
from continuum.hubs.models import DataSharingAgreement, HubPlacement
from continuum.hubs.reach import reach_of, reached_councils
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.people.policies import ChronologyReader, PeopleAction, chronology_readers
from continuum.testing import factories
from continuum.thresholds.models import Indicator
from continuum.thresholds.services import record_local_change
from continuum.work.selectors import tray_for

pytestmark = pytest.mark.django_db

API = "/api/v1/contacts"


@pytest.fixture
def middlesbrough(db: Any) -> Council:
    return factories.tees_council("Middlesbrough")


@pytest.fixture
def nhs(stockton: Council, hartlepool: Council) -> Organisation:
    org = cast(
        Organisation,
        factories.OrganisationFactory(name="Test NHS Trust", kind=OrganisationKind.NHS_TRUST),
    )
    org.serves.add(stockton, hartlepool)
    return org


@pytest.fixture
def agreement(stockton: Council, hartlepool: Council, nhs: Organisation) -> DataSharingAgreement:
    force = factories.police_force(stockton, hartlepool)
    return factories.hub_agreement(
        stockton,
        hartlepool,
        agencies={
            force: {"sees_notifications": True, "sees_triage": True, "sees_contacts": True},
            nhs: {"sees_contacts": True, "sees_childrens_records": True},
        },
    )


def placed(agreement: DataSharingAgreement, role: str, organisation: Organisation) -> User:
    user = cast(User, factories.UserFactory(role=role, organisation=organisation))
    factories.HubPlacementFactory(hub=agreement.hub, user=user)
    return user


@pytest.fixture
def hub_worker(agreement: DataSharingAgreement, stockton: Council) -> User:
    """A Stockton front-door worker placed in the hub."""
    return placed(agreement, Role.FRONT_DOOR_WORKER, factories.council_services(stockton))


@pytest.fixture
def hub_manager(agreement: DataSharingAgreement, hartlepool: Council) -> User:
    """A Hartlepool team manager placed in the hub."""
    return placed(agreement, Role.TEAM_MANAGER, factories.council_services(hartlepool))


@pytest.fixture
def hub_officer(agreement: DataSharingAgreement, stockton: Council) -> User:
    return placed(agreement, Role.PARTNER_PRACTITIONER, factories.police_force(stockton, stockton))


@pytest.fixture
def hub_health(agreement: DataSharingAgreement, nhs: Organisation) -> User:
    return placed(agreement, Role.PARTNER_PRACTITIONER, nhs)


def contact_of(council: Council, **kwargs: Any) -> Contact:
    return cast(Contact, factories.ContactFactory(council=council, **kwargs))


def screening(client: Client, contact: Contact) -> int:
    """Start screening ``contact`` over the API; its new version."""
    response = post(
        client, f"{API}/{contact.pk}/status", {"status": "in_screening", "version": contact.version}
    )
    assert response.status_code == 200, response.content
    return cast(int, response.json()["version"])


def decide(client: Client, contact: Contact, version: int, **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "level": 2,
        "indicator_codes": support.indicator_codes(2),
        "outcome": "eh_single",
        "rationale": "School and health visitor can support the family together.",
        "version": version,
    }
    body.update(overrides)
    return post(client, f"{API}/{contact.pk}/decision", body)


# --- one queue across the hub's councils ------------------------------------------------------


def test_the_queue_page_lists_every_council_decided_for_each_row_naming_its_council(
    client: Client,
    hub_worker: User,
    stockton: Council,
    hartlepool: Council,
    middlesbrough: Council,
) -> None:
    ours, theirs, outside = contact_of(stockton), contact_of(hartlepool), contact_of(middlesbrough)
    client.force_login(hub_worker)
    page = client.get(reverse("front_door:queue"))
    assert page.status_code == 200
    shown = {row.contact.pk for row in page.context["queue"].rows}
    assert shown == {ours.pk, theirs.pk}
    html = page.content.decode()
    assert 'data-testid="queue-council"' in html and "Hartlepool" in html
    assert "All councils" in html  # the council filter offers every council decided for

    only = client.get(reverse("front_door:queue"), {"council": hartlepool.pk})
    assert [row.contact.pk for row in only.context["queue"].rows] == [theirs.pk]
    refused = client.get(reverse("front_door:queue"), {"council": middlesbrough.pk})
    assert "council" in refused.context["form"].errors
    assert outside.pk not in {row.contact.pk for row in refused.context["queue"].rows}


def test_the_queue_api_lists_both_councils_and_filters_by_council(
    client: Client,
    hub_worker: User,
    stockton: Council,
    hartlepool: Council,
    middlesbrough: Council,
) -> None:
    contact_of(stockton)
    theirs = contact_of(hartlepool)
    contact_of(middlesbrough)
    client.force_login(hub_worker)
    everything = client.get(f"{API}/queue").json()
    assert everything["count"] == 2
    assert {i["council_name"] for i in everything["items"]} == {stockton.name, hartlepool.name}
    one = client.get(f"{API}/queue", {"council": hartlepool.dfe_la_code}).json()
    assert [i["id"] for i in one["items"]] == [str(theirs.pk)]
    assert one["items"][0]["council"] == hartlepool.dfe_la_code
    outside = client.get(f"{API}/queue", {"council": middlesbrough.dfe_la_code})
    assert fields_named(outside) == {"council"}


def test_staff_of_a_party_council_not_placed_keep_only_their_own_council(
    client: Client, agreement: DataSharingAgreement, worker: User, hartlepool: Council
) -> None:
    theirs = contact_of(hartlepool)
    client.force_login(worker)
    assert client.get(f"{API}/queue").json()["count"] == 0
    assert client.get(f"{API}/{theirs.pk}").status_code == 404


# --- deciding for the child's council ----------------------------------------------------------


def test_a_hub_worker_decides_a_contact_of_the_other_council(
    client: Client, hub_worker: User, hartlepool: Council
) -> None:
    contact = contact_of(hartlepool)
    client.force_login(hub_worker)
    response = decide(client, contact, screening(client, contact))
    assert response.status_code == 200, response.content
    decision = ContactDecision.objects.get(contact=contact)
    assert decision.decided_by == hub_worker
    contact.refresh_from_db()
    assert contact.council == hartlepool and contact.status == ContactStatus.DECIDED


def test_each_contact_is_decided_by_its_own_councils_threshold_variation(
    client: Client, hub_worker: User, stockton: Council, hartlepool: Council
) -> None:
    """Hartlepool counts a shared level 2 indicator at level 3 and does not use another:
    a Stockton worker deciding Hartlepool's contact decides by Hartlepool's framework."""
    raised, dropped = (
        Indicator.objects.get(version__is_current=True, code=code)
        for code in support.indicator_codes(2, count=2)
    )
    record_local_change(
        council=hartlepool, kind="change", indicator=raised, level=3, reason="Local practice."
    )
    record_local_change(council=hartlepool, kind="remove", indicator=dropped, reason="Not used.")
    theirs, ours = contact_of(hartlepool), contact_of(stockton)
    client.force_login(hub_worker)

    # The same indicator suggests level 3 in Hartlepool and level 2 in Stockton.
    level_2 = decide(client, theirs, screening(client, theirs), indicator_codes=[raised.code])
    assert fields_named(level_2) == {"difference_reason"}
    assert "level 3" in level_2.json()["detail"][0]["msg"]
    theirs.refresh_from_db()
    done = decide(
        client,
        theirs,
        theirs.version,
        level=3,
        outcome="eh_multi",
        indicator_codes=[raised.code],
    )
    assert done.status_code == 200, done.content
    assert ContactDecision.objects.get(contact=theirs).suggested_level == 3
    decided = decide(client, ours, screening(client, ours), indicator_codes=[raised.code])
    assert decided.status_code == 200, decided.content
    assert ContactDecision.objects.get(contact=ours).suggested_level == 2

    # An indicator Hartlepool does not use is refused for its contact, nothing saved.
    another = contact_of(hartlepool)
    version = screening(client, another)
    before = contact_rows()
    refused = decide(client, another, version, indicator_codes=[dropped.code])
    assert fields_named(refused) == {"indicator_codes"}
    assert "Hartlepool" in refused.json()["detail"][0]["msg"]
    assert contact_rows() == before


def test_the_decision_page_suggests_by_the_contacts_council(
    client: Client, hub_worker: User, hartlepool: Council
) -> None:
    raised = Indicator.objects.get(version__is_current=True, code=support.indicator_codes(2)[0])
    record_local_change(
        council=hartlepool, kind="change", indicator=raised, level=3, reason="Local practice."
    )
    contact = contact_of(hartlepool)
    client.force_login(hub_worker)
    screening(client, contact)
    page = client.get(reverse("front_door:contact-decide", args=[contact.pk]))
    assert page.status_code == 200
    assert page.context["suggestion_rules"]["indicators"][raised.code][0] == 3


def test_a_hub_manager_signs_off_the_other_councils_decision(
    client: Client, hub_worker: User, hub_manager: User, stockton: Council
) -> None:
    contact = contact_of(stockton)
    client.force_login(hub_worker)
    high = support.indicator_codes(3)
    response = decide(
        client,
        contact,
        screening(client, contact),
        level=1,
        outcome="nfa",
        indicator_codes=high,
        difference_reason="The family have already taken up support.",
    )
    assert response.status_code == 200, response.content
    assert response.json()["awaiting_sign_off"] is True
    client.force_login(hub_manager)
    contact.refresh_from_db()
    signed = post(
        client, f"{API}/{contact.pk}/sign-off", {"agreed": True, "version": contact.version}
    )
    assert signed.status_code == 200, signed.content
    assert ContactDecision.objects.get(contact=contact).signed_off_by == hub_manager


# --- bad input: a council outside the agreement -------------------------------------------------


def test_deciding_for_a_council_outside_the_agreement_is_not_found_and_saves_nothing(
    client: Client, hub_worker: User, middlesbrough: Council
) -> None:
    """The hub's staff cannot see a council's contacts the agreement does not cover, so
    screening, deciding or signing one off answers 404 (as any record they may not see:
    its existence is not told), on the API and on the pages; nothing changes."""
    outside = contact_of(middlesbrough, status=ContactStatus.IN_SCREENING)
    client.force_login(hub_worker)
    before = contact_rows()
    assert decide(client, outside, outside.version).status_code == 404
    moved = post(
        client, f"{API}/{outside.pk}/status", {"status": "closed", "version": outside.version}
    )
    assert moved.status_code == 404
    page = client.post(
        reverse("front_door:contact-decide", args=[outside.pk]),
        {"version": outside.version, "level": 2, "outcome": "eh_single", "rationale": "x"},
    )
    assert page.status_code == 404
    assert client.get(reverse("front_door:contact-sign-off", args=[outside.pk])).status_code == 404
    assert contact_rows() == before
    outside.refresh_from_db()
    assert outside.status == ContactStatus.IN_SCREENING


def test_staff_who_see_but_do_not_decide_are_refused_naming_the_council(
    client: Client, hub_health: User, hub_worker: User, hartlepool: Council
) -> None:
    """Health placed with sight of contacts reads them but never decides: 403 naming the
    council, on the API and on the page; nothing changes."""
    contact = contact_of(hartlepool, status=ContactStatus.IN_SCREENING)
    client.force_login(hub_health)
    assert client.get(f"{API}/{contact.pk}").status_code == 200
    before = contact_rows()
    refused = decide(client, contact, contact.version)
    assert refused.status_code == 403
    assert "Hartlepool" in refused.json()["detail"]
    page = client.post(
        reverse("front_door:contact-decide", args=[contact.pk]),
        {"version": contact.version, "level": 2, "outcome": "eh_single", "rationale": "x"},
    )
    assert page.status_code == 403
    # A front-door worker (not a manager) is told only a team manager signs off.
    client.force_login(hub_worker)
    not_manager = post(client, f"{API}/{contact.pk}/sign-off", {"agreed": True, "version": 1})
    assert not_manager.status_code == 403
    assert "team manager" in not_manager.json()["detail"]
    assert contact_rows() == before


def test_a_contact_taken_by_phone_for_a_council_outside_reach_is_refused_at_the_council(
    client: Client, hub_worker: User, hartlepool: Council, middlesbrough: Council
) -> None:
    child = cast(Person, factories.PersonFactory(council=hartlepool))
    taken = services.record_contact(
        recorded_by=hub_worker, council=hartlepool, details=details(), children=[child]
    )
    assert taken.council == hartlepool
    before = contact_rows()
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=hub_worker,
            council=middlesbrough,
            details=details(),
            children=[cast(Person, factories.PersonFactory(council=middlesbrough))],
        )
    assert "council" in refused.value.message_dict
    assert contact_rows()[0] == before[0]
    # The recording page's council field offers the councils decided for.
    client.force_login(hub_worker)
    api = post(
        client,
        API,
        {"council": middlesbrough.dfe_la_code, "referral_source": "2A", "concerns": "x"},
    )
    assert fields_named(api) == {"council"}
    assert contact_rows()[0] == before[0]


# --- the children's records -----------------------------------------------------------------


def test_hub_staff_see_the_childrens_records_but_edit_only_their_own_councils(
    client: Client,
    hub_worker: User,
    hub_health: User,
    hub_officer: User,
    stockton: Council,
    hartlepool: Council,
    middlesbrough: Council,
) -> None:
    child = cast(Person, factories.PersonFactory(council=hartlepool))
    hidden = cast(Person, factories.PersonFactory(council=hartlepool, is_restricted=True))
    outside = cast(Person, factories.PersonFactory(council=middlesbrough))
    for reader in (hub_worker, hub_health):
        seen = set(policy.visible(reader, Person).values_list("pk", flat=True))
        assert child.pk in seen and hidden.pk not in seen and outside.pk not in seen
    assert not policy.visible(hub_officer, Person).filter(pk=child.pk).exists()
    assert not policy.can(hub_worker, PeopleAction.EDIT, child)
    assert chronology_readers(hub_worker, child) == [ChronologyReader.COUNCIL]
    assert chronology_readers(hub_health, child) == [ChronologyReader.NHS_TRUST]
    client.force_login(hub_worker)
    assert client.get(reverse("people:detail", args=[child.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[hidden.pk])).status_code == 404


def test_opening_another_councils_contact_writes_one_access_log_row_per_person(
    client: Client, hub_worker: User, hartlepool: Council
) -> None:
    contact = contact_of(hartlepool)
    people = list(contact.children.values_list("pk", flat=True))
    client.force_login(hub_worker)
    before = AccessLogEntry.objects.filter(user=hub_worker).count()
    assert client.get(reverse("front_door:contact", args=[contact.pk])).status_code == 200
    rows = AccessLogEntry.objects.filter(user=hub_worker)
    assert rows.count() == before + len(people)
    assert sorted(map(str, rows.values_list("subject_id", flat=True))) == sorted(map(str, people))


# --- police and health placed ----------------------------------------------------------------


def test_police_placed_see_the_councils_notifications_in_full_and_never_decide(
    client: Client,
    hub_officer: User,
    hub_worker: User,
    hartlepool: Council,
    middlesbrough: Council,
) -> None:
    # Made by another force, so only the hub shows them to the placed officer.
    other_force = factories.OrganisationFactory(name="Other Police", kind=OrganisationKind.POLICE)
    other_force.serves.add(hartlepool, middlesbrough)
    other = factories.UserFactory(role=Role.PARTNER_PRACTITIONER, organisation=other_force)
    theirs = support.notify(by=cast(User, other), council=hartlepool)
    outside = support.notify(by=cast(User, other), council=middlesbrough)
    seen = policy.visible(hub_officer, DomesticAbuseNotification)
    assert theirs in seen and outside not in seen
    assert policy.can(hub_officer, FrontDoorAction.VIEW_NOTIFICATION_IN_FULL, theirs)
    contact = contact_of(hartlepool)
    assert policy.visible(hub_officer, Contact).filter(pk=contact.pk).exists()
    assert not policy.can(hub_officer, FrontDoorAction.DECIDE_CONTACT, contact)
    assert not policy.can(hub_officer, FrontDoorAction.SCREEN_CONTACT, contact)
    # The hub's front door triages Hartlepool's notification, not Middlesbrough's.
    assert policy.can(hub_worker, FrontDoorAction.TRIAGE, theirs)
    assert not policy.can(hub_worker, FrontDoorAction.TRIAGE, outside)
    assert not policy.can(hub_officer, FrontDoorAction.TRIAGE, theirs)


# --- when access ends -------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["placement", "agreement"])
def test_access_ends_the_day_after_the_placement_or_agreement_ends(
    client: Client,
    hub_worker: User,
    agreement: DataSharingAgreement,
    hartlepool: Council,
    ending: str,
) -> None:
    contact = contact_of(hartlepool)
    child = contact.children.get()
    client.force_login(hub_worker)
    assert client.get(f"{API}/{contact.pk}").status_code == 200
    yesterday = timezone.localdate() - timedelta(days=1)
    if ending == "placement":
        HubPlacement.objects.filter(user=hub_worker).update(ends_on=yesterday)
    else:
        DataSharingAgreement.objects.filter(pk=agreement.pk).update(
            starts_on=yesterday - timedelta(days=30), ends_on=yesterday
        )
    assert client.get(f"{API}/{contact.pk}").status_code == 404
    assert client.get(reverse("people:detail", args=[child.pk])).status_code == 404
    assert client.get(f"{API}/queue").json()["count"] == 0
    assert decide(client, contact, contact.version).status_code == 404


# --- the work tray ------------------------------------------------------------------------------


def test_the_work_tray_counts_the_hub_councils_contacts_each_naming_its_council(
    hub_worker: User, stockton: Council, hartlepool: Council, middlesbrough: Council
) -> None:
    late = timezone.now() - timedelta(days=10)
    overdue = contact_of(hartlepool, received_at=late)
    contact_of(stockton)
    contact_of(middlesbrough)
    queue = next(s for s in tray_for(user=hub_worker) if s.key == "queue")
    assert queue.count == 2 and queue.overdue == 1
    first = queue.shown[0]
    assert first.url.endswith(f"{overdue.pk}/") and first.overdue
    assert first.detail.startswith("Hartlepool: ")
    assert any(item.detail.startswith("Stockton-on-Tees: ") for item in queue.shown)


def test_the_subquery_reach_matches_reach_of(
    hub_worker: User, hub_officer: User, hub_health: User
) -> None:
    for user in (hub_worker, hub_officer, hub_health):
        reach = reach_of(user)
        for what in ("contacts", "notifications", "triage", "childrens_records", "decides"):
            found = set(reached_councils(user, what))
            assert found == set(getattr(reach, what)), (user.organisation, what)


# --- every council's figures stay its own -------------------------------------------------------


def test_contacts_a_hub_worker_decides_count_under_each_childs_council(
    client: Client, hub_worker: User, stockton: Council, hartlepool: Council
) -> None:
    from continuum.performance import engine
    from continuum.performance.periods import PeriodKind

    ours, theirs = contact_of(stockton), contact_of(hartlepool)
    client.force_login(hub_worker)
    assert decide(client, ours, screening(client, ours)).status_code == 200
    nfa = decide(
        client,
        theirs,
        screening(client, theirs),
        level=1,
        outcome="nfa",
        indicator_codes=support.indicator_codes(1),
    )
    assert nfa.status_code == 200, nfa.content
    today = timezone.localdate()
    month = today.replace(day=1)
    result = engine.compute(
        councils=[stockton, hartlepool],
        period_kind=PeriodKind.MONTH,
        first=month,
        last=month,
        as_of=today,
    )
    period = result.periods()[-1]

    def count(code: str, council: Council) -> tuple[Any, Any]:
        cell = result.get(code, council.pk, period, None)
        assert cell is not None, (code, council)
        return cell.numerator, cell.denominator

    # Each decided under its own council: Stockton's early help, Hartlepool's no further
    # action, though one worker (of Stockton) decided both.
    assert count("fd_outcome_eh_single_pct", stockton) == (1, 1)
    assert count("fd_outcome_nfa_pct", stockton) == (0, 1)
    assert count("fd_outcome_nfa_pct", hartlepool) == (1, 1)
    assert count("fd_outcome_eh_single_pct", hartlepool) == (0, 1)
