"""The fixed vocabularies of case audits: grading scales, what is audited, and the states a
programme, an audited case and an action move through."""

from __future__ import annotations

from django.db import models


class TemplateKind(models.TextChoices):
    CASE_AUDIT = "case", "Case audit"
    FRONT_DOOR_OBSERVATION = "observation", "Front-door practice observation"


class Scale(models.TextChoices):
    """How a question is answered. The options of each are ``SCALE_OPTIONS``."""

    GRADES = "grades", "Outstanding, good, requires improvement or inadequate"
    YES_PARTLY_NO = "yes_partly_no", "Yes, partly or no"
    COMMENT_ONLY = "comment", "A comment, not graded"


class Grade(models.IntegerChoices):
    """Ofsted's four grades, best first: the overall grade of a case, and a question's
    answer on the ``Scale.GRADES`` scale."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


# A finding's ``grade`` is one of its question's scale's options (none for a comment only).
SCALE_OPTIONS: dict[str, list[tuple[int, str]]] = {
    Scale.GRADES: [(int(grade.value), str(grade.label)) for grade in Grade],
    Scale.YES_PARTLY_NO: [(1, "Yes"), (2, "Partly"), (3, "No")],
    Scale.COMMENT_ONLY: [],
}


class CaseKind(models.TextChoices):
    EPISODE = "episode", "Early help episode"
    CONTACT = "contact", "Front-door contact"


class SampleMethod(models.TextChoices):
    RANDOM = "random", "At random"
    STRATIFIED = "stratified", "At random, stratified by council and threshold level"
    BY_HAND = "by_hand", "Chosen by hand, with a reason"


class ProgrammeStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CaseStatus(models.TextChoices):
    ASSIGNED = "assigned", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Awaiting moderation"
    MODERATED = "moderated", "Moderated"
    WITHDRAWN = "withdrawn", "Taken out of the sample"


class ConversationWith(models.TextChoices):
    PRACTITIONER = "practitioner", "The practitioner"
    MANAGER = "manager", "The manager"
    BOTH = "both", "The practitioner and their manager"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "No longer needed"
