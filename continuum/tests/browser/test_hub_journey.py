"""A joint front door (issue 15), in a real headless browser with axe-core on every page: a
Stockton front-door worker placed in the Hartlepool and Stockton hub works one queue of both
councils' contacts (each row naming its council), filters it to Hartlepool, and decides a
Hartlepool contact and a Stockton contact through the screening and decision pages. Each
decision is then recorded on its own council's contact, and no contact has changed council,
so each council's figures stay its own. A Middlesbrough contact (outside the agreement) is
never in the queue and its page is not found; when the agreement ends, the Hartlepool
contact's page is not found on the worker's next request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, cast

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.front_door.tests.contacts_support import indicator, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def child_of(council: Council, given: str, family: str) -> Person:
    return cast(
        Person, factories.PersonFactory(council=council, given_name=given, family_name=family)
    )


def test_a_hub_worker_decides_contacts_of_two_councils_from_one_queue(
    browse: Browse,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
) -> None:
    middlesbrough = factories.tees_council("Middlesbrough")
    agreement = factories.hub_agreement(stockton, hartlepool)
    hub_worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="hub.worker")
    factories.HubPlacementFactory(hub=agreement.hub, user=hub_worker)
    hartlepool_worker = make_user(
        Role.FRONT_DOOR_WORKER, council=hartlepool, username="frontdoor.hartlepool"
    )
    boro_worker = make_user(
        Role.FRONT_DOOR_WORKER, council=middlesbrough, username="frontdoor.middlesbrough"
    )
    level_2 = (indicator(2).code,)
    ours = submitted_contact(
        by=hub_worker,
        council=stockton,
        children=[child_of(stockton, "Ada", "Stockwell")],
        indicator_codes=level_2,
    )
    theirs = submitted_contact(
        by=hartlepool_worker,
        council=hartlepool,
        children=[child_of(hartlepool, "Hettie", "Harbour")],
        indicator_codes=level_2,
    )
    outside = submitted_contact(
        by=boro_worker,
        council=middlesbrough,
        children=[child_of(middlesbrough, "Mabel", "Boro")],
        indicator_codes=level_2,
    )
    queue_url = reverse("front_door:queue")
    urls = {
        "ours": reverse("front_door:contact", args=[ours.pk]),
        "theirs": reverse("front_door:contact", args=[theirs.pk]),
        "outside": reverse("front_door:contact", args=[outside.pk]),
    }
    names = {"stockton": stockton.name, "hartlepool": hartlepool.name}

    def decide(page: Page, url: str, what: str) -> None:
        page.goto(url)
        assert_accessible(page, f"the screening page of {what}")
        page.get_by_role("button", name="Start screening").click()
        page.get_by_role("link", name="Record decision").click()
        assert_accessible(page, f"the decision form for {what}")
        page.get_by_role("radio", name="Level 2: Early help, single agency").check()
        page.get_by_role("radio", name="Early help, single agency", exact=True).check()
        page.get_by_label("Rationale").fill("School-led early help, with the family hub.")
        page.get_by_role("button", name="Record the decision").click()
        page.wait_for_load_state("load")
        assert page.locator("[data-testid=decision]").is_visible(), page.url
        assert_accessible(page, f"the screening page of {what}, decided")

    def journey(page: Page) -> None:
        sign_in(page, "hub.worker")
        page.get_by_role("link", name="Front door queue").first.click()
        page.wait_for_url(f"**{queue_url}*")
        assert page.locator("[data-testid=hub-queue]").is_visible()
        rows = page.locator("[data-testid=queue] tbody tr")
        assert rows.count() == 2
        councils = page.locator("[data-testid=queue-council]").all_inner_texts()
        assert sorted(c.strip() for c in councils) == sorted(names.values())
        queue_text = page.locator("[data-testid=queue]").inner_text()
        assert "Ada Stockwell" in queue_text and "Hettie Harbour" in queue_text
        assert "Mabel Boro" not in queue_text
        assert page.locator(f"a[href='{urls['outside']}']").count() == 0
        assert_accessible(page, "the hub's queue")

        # Filter to Hartlepool: only its contact.
        if not page.get_by_label("Council", exact=True).is_visible():
            page.locator("[data-testid=show-filters]").click()
        page.get_by_label("Council", exact=True).select_option(label=names["hartlepool"])
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_load_state("load")
        councils = page.locator("[data-testid=queue-council]").all_inner_texts()
        assert [c.strip() for c in councils] == [names["hartlepool"]]
        assert page.locator(f"a[href='{urls['theirs']}']").count() == 1
        assert_accessible(page, "the hub's queue filtered to Hartlepool")

        decide(page, urls["theirs"], "a Hartlepool contact")
        decide(page, urls["ours"], "a Stockton contact")

        # Outside the agreement: not found.
        response = page.goto(urls["outside"])
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", name="Page not found").is_visible()
        assert_accessible(page, "the not-found page")

    browse(journey)

    # Each decision is on its own council's contact; no contact has changed council.
    for contact, council in ((ours, stockton), (theirs, hartlepool), (outside, middlesbrough)):
        contact.refresh_from_db()
        assert contact.council == council
    decisions = ContactDecision.objects.select_related("contact").order_by("contact__council")
    assert {(d.contact.pk, d.contact.council.pk) for d in decisions} == {
        (ours.pk, stockton.pk),
        (theirs.pk, hartlepool.pk),
    }
    for decision in decisions:
        assert decision.decided_by == hub_worker
        assert decision.outcome == Outcome.EARLY_HELP_SINGLE
    assert ours.status == ContactStatus.DECIDED and theirs.status == ContactStatus.DECIDED
    assert outside.status == ContactStatus.SUBMITTED
    assert Contact.objects.filter(council=hartlepool).count() == 1
    assert Contact.objects.filter(council=stockton).count() == 1

    # The agreement ends (yesterday): the Hartlepool contact is gone on the next request,
    # while the worker's own council's contact stays.
    agreement.ends_on = timezone.localdate() - timedelta(days=1)
    agreement.save(update_fields=["ends_on"])

    def after_the_agreement_ends(page: Page) -> None:
        sign_in(page, "hub.worker")
        response = page.goto(urls["theirs"])
        assert response is not None and response.status == 404
        response = page.goto(urls["ours"])
        assert response is not None and response.status == 200
        page.goto(queue_url)
        assert page.locator("[data-testid=hub-queue]").count() == 0
        assert_accessible(page, "the queue after the agreement ended")

    browse(after_the_agreement_ends)
