"""The bundle's sections, one builder per kind of record held about a person. A builder
takes the person and answers a ``Section``; ``SECTIONS`` lists them in the bundle's order,
so a kind of record is one function added here.

Builders read the tables directly: a subject access bundle is everything held, whoever
could see it. Each link to another person, and the referrer's details, is marked
(``content.fields_of``)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from continuum.audit.models import AccessLogEntry, ShownRecord
from continuum.case_notes.models import CaseNote
from continuum.consent.models import ConsentRecord
from continuum.documents.models import Document
from continuum.early_help.models import Episode
from continuum.education.models import AttendanceRecord
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.people.models import HouseholdMember, Person, Relationship
from continuum.rights.bundle.content import (
    ANOTHER_PERSON,
    REFERRER,
    Field,
    Record,
    Section,
    fields_of,
    people_field,
)
from continuum.statutory.models import StatutoryInvolvement
from continuum.ui.dates import govuk_date, govuk_datetime

Builder = Callable[[Person], Section]
REFERRER_FIELDS = {
    name: REFERRER
    for name in (
        "referrer_name",
        "referrer_organisation_name",
        "referrer_role",
        "referrer_phone",
        "referrer_email",
        "referrer_address",
        "referrer_user",
    )
}


def person_record(person: Person) -> Section:
    """The record itself: names, identifiers, addresses, aliases, households and
    relationships."""
    section = Section("person", "Your record")
    section.records.append(Record("Personal details", fields_of(person, person, skip=("council",))))
    for alias in person.aliases.order_by("pk"):
        section.records.append(Record("Another name", fields_of(alias, person, skip=("person",))))
    for address in person.addresses.order_by("start_date", "pk"):
        section.records.append(Record("Address", fields_of(address, person, skip=("person",))))
    memberships = HouseholdMember.objects.filter(person=person).select_related("household")
    for membership in memberships.order_by("start_date", "pk"):
        household = membership.household
        record = Record(
            f"Household: {household.name}", fields_of(membership, person, skip=("person",))
        )
        others = [
            m.person
            for m in household.members.select_related("person")
            .exclude(person=person)
            .order_by("pk")
        ]
        record.fields += people_field("Also in the household", others, person)
        section.records.append(record)
    relationships = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))
    for relationship in relationships.select_related("from_person", "to_person").order_by("pk"):
        section.records.append(Record("Relationship", fields_of(relationship, person)))
    return section


def chronology(person: Person) -> Section:
    section = Section("chronology", "Chronology")
    for event in person.chronology.order_by("occurred_on", "pk"):
        section.records.append(
            Record(
                f"{govuk_date(event.occurred_on)}: {event.title}",
                fields_of(event, person, skip=("person",)),
            )
        )
    return section


def contacts(person: Person) -> Section:
    """Front-door contacts about the person (as a child, or an adult named on one), and
    their decisions."""
    section = Section("contacts", "Contacts to the front door")
    found = (
        Contact.objects.filter(Q(child_links__person=person) | Q(adults__person=person))
        .distinct()
        .order_by("received_at", "pk")
    )
    for contact in found:
        record = Record(
            f"Contact received {govuk_datetime(contact.received_at)}",
            fields_of(contact, person, marked=REFERRER_FIELDS),
        )
        children = [link.person for link in contact.child_links.select_related("person")]
        record.fields += people_field("Child", children, person)
        adults = [link.person for link in contact.adults.select_related("person")]
        record.fields += people_field("Adult", adults, person)
        section.records.append(record)
        decision = getattr(contact, "decision", None)
        if decision is not None:
            section.records.append(
                Record("The front door's decision", fields_of(decision, person, skip=("contact",)))
            )
        for sharing in contact.sharing_decisions.order_by("pk"):
            section.records.append(
                Record(
                    "Information-sharing decision", fields_of(sharing, person, skip=("contact",))
                )
            )
    return section


def notifications(person: Person) -> Section:
    """Police domestic-abuse notifications naming the person (victim, alleged
    perpetrator or child)."""
    section = Section("notifications", "Domestic-abuse notifications")
    found = (
        DomesticAbuseNotification.objects.filter(
            Q(victim=person) | Q(alleged_perpetrator=person) | Q(child_links__person=person)
        )
        .distinct()
        .order_by("received_at", "pk")
    )
    for notification in found:
        record = Record(
            f"Notification received {govuk_datetime(notification.received_at)}",
            fields_of(
                notification, person, marked={"alleged_perpetrator_description": ANOTHER_PERSON}
            ),
        )
        children = [link.person for link in notification.child_links.select_related("person")]
        record.fields += people_field("Child", children, person)
        section.records.append(record)
        outcome = getattr(notification, "triage", None)
        if outcome is not None:
            section.records.append(
                Record("Triage outcome", fields_of(outcome, person, skip=("notification",)))
            )
    return section


def _episode_parts(episode: Episode, person: Person) -> list[Record]:
    parts: list[Record] = []
    assessment = getattr(episode, "assessment", None)
    if assessment is not None:
        parts.append(Record("Assessment", fields_of(assessment, person, skip=("episode",))))
        for part in assessment.people.select_related("person").order_by("pk"):
            parts.append(Record("Assessment of a family member", fields_of(part, person)))
    for need in episode.needs.order_by("pk"):
        parts.append(Record("Need", fields_of(need, person, skip=("episode",))))
    plan = getattr(episode, "plan", None)
    if plan is not None:
        parts.append(Record("Plan", fields_of(plan, person, skip=("episode",))))
        for outcome in plan.outcomes.order_by("pk"):
            parts.append(Record("Plan outcome", fields_of(outcome, person, skip=("plan",))))
            for action in outcome.actions.order_by("pk"):
                parts.append(Record("Plan action", fields_of(action, person, skip=("outcome",))))
    for review in episode.reviews.order_by("pk"):
        parts.append(Record("Review", fields_of(review, person, skip=("episode",))))
    for member in episode.taf_members.select_related("user", "organisation").order_by("pk"):
        parts.append(
            Record("Team Around the Family member", fields_of(member, person, skip=("episode",)))
        )
    for meeting in episode.taf_meetings.order_by("pk"):
        parts.append(
            Record("Team Around the Family meeting", fields_of(meeting, person, skip=("episode",)))
        )
    closure = getattr(episode, "closure", None)
    if closure is not None:
        parts.append(Record("Closure", fields_of(closure, person, skip=("episode",))))
    return parts


def early_help(person: Person) -> Section:
    """Early help episodes with the person among the children: the episode, the
    assessment, needs, plan, reviews, Team Around the Family and closure."""
    section = Section("early_help", "Early help")
    for episode in person.early_help_episodes.order_by("pk"):
        record = Record(
            f"Early help for the {episode.household.name} family",
            fields_of(episode, person, skip=("household",)),
        )
        record.fields += people_field("Child", list(episode.children.order_by("pk")), person)
        section.records.append(record)
        section.records += _episode_parts(episode, person)
    return section


def statutory(person: Person) -> Section:
    section = Section("statutory", "Children's social care")
    for involvement in StatutoryInvolvement.objects.filter(person=person).order_by("pk"):
        section.records.append(
            Record(involvement.get_kind_display(), fields_of(involvement, person, skip=("person",)))
        )
    return section


def attendance(person: Person) -> Section:
    section = Section("attendance", "School attendance")
    for row in AttendanceRecord.objects.filter(person=person).order_by("pk"):
        section.records.append(Record("Attendance", fields_of(row, person, skip=("person",))))
    return section


def _episodes_and_contacts(person: Person) -> Q:
    return Q(episode__in=person.early_help_episodes.all()) | Q(
        contact__in=Contact.objects.filter(Q(child_links__person=person) | Q(adults__person=person))
    )


def case_notes(person: Person) -> Section:
    """Case notes on the person's episodes and contacts, sensitive ones too (they are
    the person's data), with their addenda and the children seen."""
    section = Section("case_notes", "Case notes")
    notes = CaseNote.objects.filter(_episodes_and_contacts(person)).distinct()
    for note in notes.order_by("occurred_at", "pk"):
        record = Record(
            f"Case note, {govuk_datetime(note.occurred_at)}",
            fields_of(note, person, marked={"present": ANOTHER_PERSON}),
        )
        seen = [seen.child for seen in note.children_seen.select_related("child")]
        record.fields += people_field("Child seen", seen, person)
        section.records.append(record)
        for addendum in note.addenda.order_by("pk"):
            section.records.append(Record("Addendum", fields_of(addendum, person, skip=("note",))))
    return section


def documents_held(person: Person) -> QuerySet[Document]:
    """The documents on the person, their contacts and their episodes (deleted ones too:
    they are still held)."""
    return (
        Document.objects.filter(Q(person=person) | _episodes_and_contacts(person))
        .distinct()
        .order_by("uploaded_at", "pk")
    )


def documents(person: Person) -> Section:
    """Documents on the person, their contacts and episodes: listed here, each file
    offered for download beside the bundle."""
    section = Section("documents", "Documents")
    for document in documents_held(person):
        section.records.append(
            Record(
                document.title,
                fields_of(document, person, skip=("stored_name",))
                + [Field("Document id", str(document.pk), str(document.pk))],
            )
        )
    return section


def consent(person: Person) -> Section:
    """Each consent record of the person (or given for them): what was agreed, how and
    when, and each withdrawal. A parent who gave it is another person, marked."""
    section = Section("consent", "Consent to early help and to sharing")
    records = ConsentRecord.objects.filter(person=person).prefetch_related(
        "agencies", "withdrawals__agencies"
    )
    for record in records.order_by("obtained_on", "recorded_at", "pk"):
        agencies = ", ".join(sorted(a.name for a in record.agencies.all()))
        section.records.append(
            Record(
                f"Consent obtained {govuk_date(record.obtained_on)}",
                fields_of(record, person, skip=("person",))
                + [Field("Agencies agreed", agencies, agencies)],
            )
        )
        for withdrawal in record.withdrawals.order_by("withdrawn_on", "recorded_at", "pk"):
            withdrawn = ", ".join(sorted(a.name for a in withdrawal.agencies.all()))
            section.records.append(
                Record(
                    f"Consent withdrawn {govuk_date(withdrawal.withdrawn_on)}",
                    fields_of(withdrawal, person, skip=("consent",))
                    + [Field("Agencies withdrawn", withdrawn, withdrawn)],
                )
            )
    return section


def access_log(person: Person) -> Section:
    """Who read the person's record and when: the date, and the organisation and role of
    the reader; and the searches and exports that listed them."""
    section = Section("access_log", "Who has read your record")
    listed = ShownRecord.objects.filter(subject_id=person.pk).values("entry_id")
    entries = AccessLogEntry.objects.filter(Q(subject_id=person.pk) | Q(pk__in=listed))
    for entry in entries.order_by("at", "pk"):
        section.records.append(
            Record(
                govuk_datetime(entry.at),
                [
                    Field("When", entry.at.isoformat(), govuk_datetime(entry.at)),
                    Field("Organisation", entry.organisation_name, entry.organisation_name),
                    Field("Role", entry.role, entry.role_label),
                    Field("What", entry.action, entry.get_action_display()),
                ],
            )
        )
    return section


# The bundle's sections, in order.
SECTIONS: list[Builder] = [
    person_record,
    chronology,
    contacts,
    notifications,
    early_help,
    statutory,
    attendance,
    case_notes,
    documents,
    consent,
    access_log,
]


def build_sections(person: Person) -> list[Section]:
    return [builder(person) for builder in SECTIONS]
