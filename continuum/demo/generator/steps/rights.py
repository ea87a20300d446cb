"""Requests under data protection law (issue 13): a few per council in the register of its
information governance lead (``ig.<council>``), in different states, so the register, its
overdue flag and its filters have something to show on first sign-in.

For each council, five requests about people of the council (picked on the step's own random
stream): a subject access request received five weeks ago and overdue; one received last
week, identity checked and in progress; a rectification completed with what was corrected;
an erasure request refused; an objection withdrawn after its due date was extended. No
bundles are made (a lead makes them from the request's page). Cheap: five rows a council.

Runs after the reminders (order 1010).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from continuum.accounts.models import Role
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.people.choices import PersonKind
from continuum.rights.choices import IdentityCheck, RequesterKind, RequestKind, RequestState
from continuum.rights.models import RightsRequest
from continuum.timescales.months import add_months

# (kind, who asked, received days ago, state, months extended, outcome or correction)
REQUESTS = (
    (RequestKind.SUBJECT_ACCESS, RequesterKind.PARENT_OR_CARER, 38, RequestState.RECEIVED, 0, ""),
    (RequestKind.SUBJECT_ACCESS, RequesterKind.SELF, 7, RequestState.IN_PROGRESS, 0, ""),
    (
        RequestKind.RECTIFICATION,
        RequesterKind.PARENT_OR_CARER,
        60,
        RequestState.COMPLETED,
        0,
        "The date of birth was recorded a year out; corrected on the record.",
    ),
    (
        RequestKind.ERASURE,
        RequesterKind.REPRESENTATIVE,
        45,
        RequestState.REFUSED,
        0,
        "Refused: the record is kept under the council's retention schedule for early help.",
    ),
    (
        RequestKind.OBJECTION,
        RequesterKind.SELF,
        70,
        RequestState.WITHDRAWN,
        1,
        "Withdrawn by telephone after the family's questions were answered.",
    ),
)


@step(order=1010)
def rights_requests(world: World) -> None:
    # Dated from the day the demo is made, as the reminders are, so the register's overdue
    # flag is right on first sign-in.
    today = timezone.localdate()
    made: list[RightsRequest] = []
    for key in sorted(world.councils):
        council = world.councils[key]
        lead = next(
            (
                u
                for name, u in sorted(world.users.items())
                if u.role == Role.INFORMATION_GOVERNANCE_LEAD
                and u.organisation
                and u.organisation.council_id == council.pk
            ),
            None,
        )
        people = [p.person for p in world.people_in(key) if p.person.kind != PersonKind.UNBORN]
        if lead is None or len(people) < len(REQUESTS):
            continue
        chosen = world.rng.sample(people, k=len(REQUESTS))
        for (kind, asker, days_ago, state, extended, words), person in zip(
            REQUESTS, chosen, strict=True
        ):
            received = today - timedelta(days=days_ago)
            due = add_months(received, 1 + extended)
            closed = state not in (RequestState.RECEIVED, RequestState.IN_PROGRESS)
            checked = state != RequestState.RECEIVED
            made.append(
                RightsRequest(
                    id=world.new_uuid(),
                    council=council,
                    kind=kind,
                    person=person,
                    requester_name=person.full_name
                    if asker == RequesterKind.SELF
                    else world.faker.name(),
                    requester_kind=asker,
                    received_on=received,
                    due_on=due,
                    extended_on=received + timedelta(days=20) if extended else None,
                    extension_reason="Records held across several services." if extended else "",
                    extended_by=lead if extended else None,
                    identity_check=IdentityCheck.PHOTO_ID_SEEN if checked else "",
                    identity_checked_by=lead if checked else None,
                    identity_checked_at=world.moment(received + timedelta(days=2))
                    if checked
                    else None,
                    state=state,
                    outcome=words if kind != RequestKind.RECTIFICATION else "Corrected.",
                    correction=words if kind == RequestKind.RECTIFICATION else "",
                    closed_on=min(today, received + timedelta(days=25)) if closed else None,
                    handled_by=lead,
                    logged_by=lead,
                )
            )
    world.bulk_create(RightsRequest, made)
    world.note(f"{len(made)} requests under data protection law in the registers")
