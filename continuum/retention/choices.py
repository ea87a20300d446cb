"""The kinds of record the retention schedule covers, the events a period counts from, and
the states of a disposal run."""

from __future__ import annotations

from django.db import models


class RecordKind(models.TextChoices):
    CONTACT_NFA = "contact_nfa", "Front-door contacts ending in no further action"
    EPISODE = "episode", "Early help episodes"
    NOTIFICATION = "notification", "Domestic-abuse notifications"
    CASE_NOTE = "case_note", "Case notes"
    DOCUMENT = "document", "Documents"
    ACCESS_LOG = "access_log", "Access-log rows"
    PERSON = "person", "People with no record still held"


class RetentionEvent(models.TextChoices):
    DECISION = "decision", "the front door's decision"
    CLOSURE = "closure", "the episode's closure"
    YOUNGEST_CHILD_25 = "youngest_child_25", "the youngest child's 25th birthday"
    RECEIVED = "received", "the notification being received"
    WITH_RECORD = "with_record", "with the record it sits on (on a person: with the person)"
    KEPT = "kept", "kept until removed by the database owner"
    LAST_RECORD = "last_record", "the last record about them being disposed of"


# The events each kind's period may count from (the first is the default).
EVENTS_FOR_KIND: dict[str, tuple[str, ...]] = {
    RecordKind.CONTACT_NFA: (RetentionEvent.DECISION,),
    RecordKind.EPISODE: (RetentionEvent.YOUNGEST_CHILD_25, RetentionEvent.CLOSURE),
    RecordKind.NOTIFICATION: (RetentionEvent.RECEIVED,),
    RecordKind.CASE_NOTE: (RetentionEvent.WITH_RECORD,),
    RecordKind.DOCUMENT: (RetentionEvent.WITH_RECORD,),
    RecordKind.ACCESS_LOG: (RetentionEvent.KEPT,),
    RecordKind.PERSON: (RetentionEvent.LAST_RECORD,),
}
# Events with no period of their own: the record goes with another, or is never disposed.
EVENTS_WITHOUT_PERIOD = frozenset({RetentionEvent.WITH_RECORD, RetentionEvent.KEPT})

# The schedule a council starts with, in months from the event (councils' retention
# guidance commonly sets six years for contacts ending in no further action and for
# domestic-abuse notifications, and the youngest child's 25th birthday for early help).
DEFAULT_SCHEDULE: dict[str, tuple[int, str]] = {
    RecordKind.CONTACT_NFA: (72, RetentionEvent.DECISION),
    RecordKind.EPISODE: (0, RetentionEvent.YOUNGEST_CHILD_25),
    RecordKind.NOTIFICATION: (72, RetentionEvent.RECEIVED),
    RecordKind.CASE_NOTE: (0, RetentionEvent.WITH_RECORD),
    RecordKind.DOCUMENT: (0, RetentionEvent.WITH_RECORD),
    RecordKind.ACCESS_LOG: (0, RetentionEvent.KEPT),
    RecordKind.PERSON: (12, RetentionEvent.LAST_RECORD),
}

# The longest period the schedule takes (100 years), against a typing slip.
MAX_PERIOD_MONTHS = 1200


class HeldKind(models.TextChoices):
    """A record a legal hold or a disposal item names (a person, or a record about them)."""

    CONTACT = "contact", "Front-door contact"
    EPISODE = "episode", "Early help episode"
    NOTIFICATION = "notification", "Domestic-abuse notification"
    PERSON = "person", "Person"


class RunState(models.TextChoices):
    LISTING = "listing", "Listing what is due"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    CANCELLED = "cancelled", "Cancelled"
    APPROVED = "approved", "Approved, waiting to be carried out"
    CARRYING_OUT = "carrying_out", "Being carried out"
    COMPLETED = "completed", "Carried out"
    FAILED = "failed", "Failed"


OPEN_RUN_STATES = frozenset(
    {RunState.LISTING, RunState.AWAITING_APPROVAL, RunState.APPROVED, RunState.CARRYING_OUT}
)


class RunPurpose(models.TextChoices):
    SCHEDULE = "schedule", "The retention schedule"
    ERASURE = "erasure", "Erasure of one person's records"


class ItemOutcome(models.TextChoices):
    PENDING = "pending", "Waiting"
    DISPOSED = "disposed", "Disposed of"
    HELD = "held", "Kept: a legal hold stands"
    ALREADY = "already", "Already disposed of by another run"
