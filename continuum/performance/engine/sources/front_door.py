"""The front door's contacts as a source: counted in the month received (drafts never
are), with the consent, repeat and outcome mixes, and the decision within one working day.
"""

from __future__ import annotations

from django.db.models import Count, F, Q

from continuum.front_door.choices import ContactStatus, FamilyAgreement, Outcome
from continuum.front_door.models import Contact, ContactChild
from continuum.performance.engine.dimensions import Children, YoungestChild
from continuum.performance.engine.source import Flow, Source
from continuum.performance.engine.timeliness import WithinOneWorkingDay
from continuum.timescales.working_days import WorkingCalendar

OUTCOME_MEASURES = tuple(f"contacts_outcome_{outcome.value}" for outcome in Outcome)

CONTACT_CHILDREN = Children(
    "contacts",
    lambda ctx: (
        ContactChild.objects.filter(contact__council__in=ctx.council_ids)
        .filter(ctx.in_range("contact__received_at", datetime_field=True))
        .values_list("contact_id", "person_id", "person__date_of_birth", "person__ethnicity")
    ),
)

CONTACTS = Source(
    name="contacts",
    feeds=("contacts",),
    rows=lambda ctx: (
        Contact.objects.filter(council__in=ctx.council_ids)
        .exclude(status=ContactStatus.DRAFT)
        .filter(ctx.in_range("received_at", datetime_field=True))
    ),
    council="council_id",
    counts=lambda ctx: {
        "contacts": Count("pk"),
        "contacts_consent": Count(
            "pk", filter=Q(family_agreement=FamilyAgreement.AGREED) | ~Q(lawful_basis="")
        ),
        "contacts_repeat": Count("pk", filter=Q(is_repeat=True)),
        "contacts_decided": Count("pk", filter=Q(decision__isnull=False)),
        **{
            f"contacts_outcome_{outcome.value}": Count(
                "pk", filter=Q(decision__outcome=outcome.value)
            )
            for outcome in Outcome
        },
    },
    dimensions={
        "locality": F("team__locality__name"),
        "team": F("team__name"),
        "referral_source": F("referral_source"),
        "age_band": YoungestChild(CONTACT_CHILDREN),
        "ethnicity": YoungestChild(CONTACT_CHILDREN),
    },
    timeliness=WithinOneWorkingDay(
        due=WorkingCalendar.decision_due,
        received="received_at",
        done="decided_at",
        waiting="decided_at__isnull",
        total="contacts",
        due_measure="contacts_timeliness_due",
        on_time_measure="contacts_on_time",
    ),
    monthly=(
        Flow(
            "day",
            (
                "contacts",
                "contacts_consent",
                "contacts_repeat",
                "contacts_decided",
                *OUTCOME_MEASURES,
                "contacts_timeliness_due",
                "contacts_on_time",
            ),
        ),
    ),
)
