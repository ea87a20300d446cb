"""Coded values at the front door, in the DfE Children in Need census codes where one exists."""

from django.db import models


class ContactStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_SCREENING = "in_screening", "In screening"
    AWAITING_INFORMATION = "awaiting_information", "Awaiting information"
    # A team manager did not agree the decision awaiting their sign-off: back to the worker.
    RETURNED = "returned", "Returned to the worker"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (
    ContactStatus.SUBMITTED,
    ContactStatus.IN_SCREENING,
    ContactStatus.AWAITING_INFORMATION,
    ContactStatus.RETURNED,
)

# The moves a contact's status may make. A worker makes them by hand, except three: a
# decision moves a contact to DECIDED, submitting a draft to SUBMITTED, and a team manager
# not agreeing a decision awaiting sign-off to RETURNED (to the worker, who decides again).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ContactStatus.DRAFT: frozenset({ContactStatus.SUBMITTED}),
    ContactStatus.SUBMITTED: frozenset({ContactStatus.IN_SCREENING}),
    ContactStatus.IN_SCREENING: frozenset(
        {ContactStatus.AWAITING_INFORMATION, ContactStatus.RETURNED, ContactStatus.DECIDED}
    ),
    ContactStatus.AWAITING_INFORMATION: frozenset(
        {ContactStatus.IN_SCREENING, ContactStatus.RETURNED, ContactStatus.DECIDED}
    ),
    ContactStatus.RETURNED: frozenset(
        {ContactStatus.IN_SCREENING, ContactStatus.AWAITING_INFORMATION, ContactStatus.DECIDED}
    ),
    ContactStatus.DECIDED: frozenset({ContactStatus.CLOSED}),
    ContactStatus.CLOSED: frozenset(),
}


class HowReceived(models.TextChoices):
    PHONE = "phone", "Phone"
    ONLINE = "online", "Online form"
    EMAIL = "email", "Secure email"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    DOMESTIC_ABUSE_NOTIFICATION = "da_notification", "Domestic-abuse notification (joint triage)"
    API = "api", "Partner system (API)"


class ReferralSource(models.TextChoices):
    """DfE Children in Need census referral source codes."""

    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours and child minders)"
    SELF = "1C", "Individual: self"
    OTHER_INDIVIDUAL = "1D", "Individual: other (including strangers and MPs)"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    SCHOOL_NURSE = "3C", "Health services: school nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Health services: other primary health services"
    EMERGENCY_DEPARTMENT = "3E", "Health services: A&E (emergency department)"
    OTHER_HEALTH = "3F", "Health services: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "Local authority services: social care (e.g. adults)"
    LA_OTHER_INTERNAL = "5B", "Local authority services: other internal"
    LA_EXTERNAL = "5C", "Local authority services: external (e.g. another council)"
    EARLY_HELP = "5D", "Early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency (courts, probation, CAFCASS, prison)"
    OTHER = "8", "Other (including voluntary organisations and children's centres)"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class FamilyAgreement(models.TextChoices):
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"
    NOT_SOUGHT = "not_sought", "Not sought"


class LawfulBasis(models.TextChoices):
    """The lawful basis for sharing, recorded separately from the family's agreement.

    DfE information-sharing advice (2024): consent is not assumed to be the lawful basis.
    """

    PUBLIC_TASK = (
        "public_task",
        "Public task (UK GDPR 6(1)(e)) – safeguarding and promoting the child's welfare",
    )
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (UK GDPR 6(1)(d)) – risk to life"
    CONSENT = "consent", "Consent (UK GDPR 6(1)(a))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (UK GDPR 6(1)(f))"


class NotSoughtReason(models.TextChoices):
    SIGNIFICANT_HARM = (
        "significant_harm",
        "Seeking agreement would place a child at risk of significant harm",
    )
    CRIME = (
        "crime",
        "Seeking agreement would prejudice the prevention or detection of a crime",
    )
    DELAY = "delay", "Seeking agreement would cause undue delay"
    NOT_CONTACTABLE = "not_contactable", "The family could not be contacted"
    OTHER = "other", "Other (explain)"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    INFORMATION_AND_ADVICE = "advice", "Information and advice"
    SIGNPOSTING = "signposting", "Signposting to universal services"
    EARLY_HELP_SINGLE = "eh_single", "Early help, single agency"
    EARLY_HELP_MULTI = "eh_multi", "Early help, multi-agency (Team Around the Family)"
    SOCIAL_CARE_ASSESSMENT = "s17", "Social care assessment (s17)"
    STRATEGY_DISCUSSION = "s47", "Strategy discussion (s47)"


# The levels of need at which each outcome makes sense. An outcome outside its levels
# contradicts the decision (e.g. a strategy discussion at level 1) and is refused.
OUTCOME_LEVELS: dict[str, frozenset[int]] = {
    Outcome.NO_FURTHER_ACTION: frozenset({1, 2}),
    Outcome.INFORMATION_AND_ADVICE: frozenset({1, 2}),
    Outcome.SIGNPOSTING: frozenset({1, 2}),
    Outcome.EARLY_HELP_SINGLE: frozenset({2}),
    Outcome.EARLY_HELP_MULTI: frozenset({3}),
    Outcome.SOCIAL_CARE_ASSESSMENT: frozenset({4}),
    Outcome.STRATEGY_DISCUSSION: frozenset({4}),
}


class DashRisk(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# Highest risk first: the order notifications wait for joint triage in (then oldest first).
DASH_RISK_ORDER: dict[str, int] = {DashRisk.HIGH: 0, DashRisk.MEDIUM: 1, DashRisk.STANDARD: 2}


class NotificationStatus(models.TextChoices):
    AWAITING_TRIAGE = "awaiting_triage", "Awaiting joint triage"
    TRIAGED = "triaged", "Triaged"


class TriageAgency(models.TextChoices):
    POLICE = "police", "Police"
    IDVA = "idva", "IDVA service"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    OTHER = "other", "Other"


class MaracBasis(models.TextChoices):
    VISIBLE_HIGH_RISK = "ticks", "Visible high risk (14 or more ticks)"
    PROFESSIONAL_JUDGEMENT = "judgement", "Professional judgement"
    ESCALATION = "escalation", "Escalation (repeat incidents)"
