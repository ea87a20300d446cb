"""Forms for the front door's pages. They parse what was typed; the rules live in
``front_door.services``, whose errors are shown on the fields they name.

One module for each part of the front door's work: ``contacts`` (recording a contact),
``decisions`` (screening and deciding), ``sharing``, ``queue`` (the queue and the
summary), ``notifications`` and ``triage`` (domestic abuse; ``common`` holds what those
two share). The contact forms are re-exported here, as their callers have always imported
them; the domestic-abuse forms are imported from their modules.
"""

from continuum.front_door.forms.contacts import (
    ADULT_RELATIONSHIPS,
    PAGE_HOW_RECEIVED,
    SERVICE_FIELD_NAMES,
    SOURCE_FOR_ORGANISATION,
    AddPersonForm,
    ContactForm,
    PersonSearchForm,
    RemovePersonForm,
)
from continuum.front_door.forms.decisions import (
    SCREENING_MOVES,
    DecisionForm,
    RequestInformationForm,
    SignOffForm,
    StatusChangeForm,
)
from continuum.front_door.forms.queue import MAX_SUMMARY_DAYS, QueueFilterForm, SummaryForm
from continuum.front_door.forms.sharing import SharingDecisionForm

__all__ = [
    "ADULT_RELATIONSHIPS",
    "MAX_SUMMARY_DAYS",
    "PAGE_HOW_RECEIVED",
    "SCREENING_MOVES",
    "SERVICE_FIELD_NAMES",
    "SOURCE_FOR_ORGANISATION",
    "AddPersonForm",
    "ContactForm",
    "DecisionForm",
    "PersonSearchForm",
    "QueueFilterForm",
    "RemovePersonForm",
    "RequestInformationForm",
    "SharingDecisionForm",
    "SignOffForm",
    "StatusChangeForm",
    "SummaryForm",
]
