"""The vocabulary of statutory involvement, following the DfE children in need census and
the SSDA903 (looked-after children) return, in our own words."""

from __future__ import annotations

from django.db import models

from continuum.front_door.choices import Outcome


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


# The front door's outcomes that refer a child to children's social care.
REFERRAL_OUTCOMES = frozenset({Outcome.SOCIAL_CARE_ASSESSMENT, Outcome.STRATEGY_DISCUSSION})
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
    """Factors identified at the end of assessment: the children in need census codes for
    2025 to 2026 (the DfE's CIN census guide, annex on factors identified at the end of
    assessment). 18A and 19A (physical and sexual abuse) were replaced by 18B/18C and
    19B/19C in 2022; 22A (female genital mutilation), 23A (abuse linked to faith or belief)
    and 24A (child criminal exploitation) were added after 2015."""

    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: concerns about the parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: concerns about another person living in the household"
    DRUGS_CHILD = "2A", "Drug misuse: concerns about the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about the parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: concerns about another person living in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: concerns about the child being the subject"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: concerns about the parent or carer"
    DOMESTIC_ABUSE_OTHER = (
        "3C",
        ("Domestic abuse: concerns about another person living in the household"),
    )
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: concerns about the parent or carer"
    MENTAL_HEALTH_OTHER = (
        "4C",
        ("Mental health: concerns about another person living in the household"),
    )
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: concerns about the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: concerns about the parent or carer"
    LEARNING_DISABILITY_OTHER = (
        "5C",
        ("Learning disability: concerns about another person living in the household"),
    )
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: concerns about the child"
    PHYSICAL_DISABILITY_PARENT = (
        "6B",
        ("Physical disability or illness: concerns about the parent or carer"),
    )
    PHYSICAL_DISABILITY_OTHER = (
        "6C",
        ("Physical disability or illness: concerns about another person living in the household"),
    )
    YOUNG_CARER = "7A", "Young carer"
    PRIVATELY_FOSTERED = "8B", "Privately fostered: overseas child who intends to return"
    PRIVATELY_FOSTERED_STAY = "8C", "Privately fostered: overseas child who intends to stay"
    PRIVATELY_FOSTERED_UK = "8D", "Privately fostered: UK child in education or training"
    PRIVATELY_FOSTERED_OTHER = "8E", "Privately fostered: any other"
    PRIVATELY_FOSTERED_NOT_KNOWN = "8F", "Privately fostered: not known"
    UNACCOMPANIED = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    SEXUAL_EXPLOITATION = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    BEHAVIOUR = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE_ADULT = "18B", "Physical abuse: by an adult"
    PHYSICAL_ABUSE_CHILD = "18C", "Physical abuse: by another child"
    SEXUAL_ABUSE_ADULT = "19B", "Sexual abuse: by an adult"
    SEXUAL_ABUSE_CHILD = "19C", "Sexual abuse: by another child"
    OTHER = "20", "Other"
    NONE = "21", "No factors identified"
    FEMALE_GENITAL_MUTILATION = "22A", "Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "Abuse linked to faith or belief"
    CRIMINAL_EXPLOITATION = "24A", "Child criminal exploitation"


class AbuseCategory(models.TextChoices):
    """Category of abuse on a child protection plan (census codes), initial and latest."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple"


class PrimaryNeed(models.TextChoices):
    """The child's primary need at assessment (census codes N0 to N9), required for every
    referral that goes further than no further action."""

    NOT_STATED = "N0", "Not stated"
    ABUSE_OR_NEGLECT = "N1", "Abuse or neglect"
    CHILD_DISABILITY = "N2", "Child's disability or illness"
    PARENT_DISABILITY = "N3", "Parental disability or illness"
    ACUTE_STRESS = "N4", "Family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "Family dysfunction"
    BEHAVIOUR = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_IN_NEED = "N9", "Cases other than children in need"


class ReferralClosure(models.TextChoices):
    """Why a child in need episode closed (census reason-for-closure codes, 2025 to 2026)."""

    ADOPTED = "RC1", "Adopted"
    DIED = "RC2", "Died"
    CHILD_ARRANGEMENTS_ORDER = "RC3", "Child arrangements order"
    SPECIAL_GUARDIANSHIP_ORDER = "RC4", "Special guardianship order"
    TRANSFERRED = "RC5", "Transferred to services of another local authority"
    TRANSITION = "RC6", "Transferred to adult social services"
    SERVICES_CEASED = (
        "RC7",
        ("Services ceased for any other reason, including child no longer in need"),
    )
    NO_FURTHER_ACTION = "RC8", "Case closed after assessment, no further action"
    STEP_DOWN = "RC9", "Case closed after assessment, referred to early help"


class RecordSource(models.TextChoices):
    CENSUS = "census", "The council's census return"
    RECORDED = "recorded", "Recorded in Continuum"
