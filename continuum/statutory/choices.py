"""The vocabulary of statutory involvement, following the DfE children in need census and
the SSDA903 (looked-after children) return, in our own words."""

from __future__ import annotations

from django.db import models


class InvolvementKind(models.TextChoices):
    # The child in need episode: open from the referral until the case is closed. A child
    # is "in need" on a day when a referral episode is open on that day (as the census
    # counts them).
    REFERRAL = "referral", "Referral to children's social care"
    ASSESSMENT = "assessment", "Social work assessment"
    CHILD_IN_NEED_PLAN = "cin_plan", "Child in need plan"
    SECTION_47 = "section_47", "Section 47 enquiry"
    INITIAL_CONFERENCE = "icpc", "Initial child protection conference"
    CHILD_PROTECTION_PLAN = "cp_plan", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"


# Everything but the referral itself belongs to a referral episode.
PART_OF_REFERRAL = frozenset(InvolvementKind.values) - {InvolvementKind.REFERRAL}
# The stages of the continuum beyond early help, least to most intrusive.
STAGES = (
    InvolvementKind.REFERRAL,
    InvolvementKind.CHILD_IN_NEED_PLAN,
    InvolvementKind.CHILD_PROTECTION_PLAN,
    InvolvementKind.LOOKED_AFTER,
)


class AssessmentFactor(models.TextChoices):
    """Factors identified at the end of assessment (children in need census codes)."""

    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: concerns about a parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: concerns about another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: concerns about the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about a parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: concerns about another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: concerns about the child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: concerns about a parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: concerns about another person"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: concerns about a parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: concerns about another person"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: concerns about the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: concerns about a parent or carer"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: a parent or carer"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATELY_FOSTERED = "8B", "Privately fostered"
    UNACCOMPANIED = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    SEXUAL_EXPLOITATION = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    BEHAVIOUR = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE = "18B", "Physical abuse"
    SEXUAL_ABUSE = "19B", "Sexual abuse"
    OTHER = "20", "Other"
    NONE = "21", "No factors identified"
    CRIMINAL_EXPLOITATION = "24A", "Child criminal exploitation"


class AbuseCategory(models.TextChoices):
    """Initial category of abuse on a child protection plan."""

    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    SEXUAL = "sexual", "Sexual abuse"
    MULTIPLE = "multiple", "Multiple"


class ReferralClosure(models.TextChoices):
    """Why a child in need episode closed (census reason-for-closure codes)."""

    ADOPTED = "RC1", "Adopted"
    DIED = "RC2", "Died"
    RESIDENCE_ORDER = "RC3", "Child arrangements or special guardianship order"
    TRANSFERRED = "RC4", "Transferred to another council"
    TRANSITION = "RC5", "Transferred to adult social care"
    SERVICES_CEASED = "RC6", "Case closed after assessment: no further action"
    CASE_CLOSED = "RC7", "Case closed after support"
    NOT_IN_NEED = "RC8", "Case closed after assessment: child not in need"


class RecordSource(models.TextChoices):
    CENSUS = "census", "The council's census return"
    RECORDED = "recorded", "Recorded in Continuum"
