"""Coded values used on a person's record, in the DfE census codes where one exists."""

from django.db import models


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult"
    UNBORN = "unborn", "Unborn child"


class Sex(models.TextChoices):
    """The census codes for sex (2025 to 2026): M, F or U. "I" (indeterminate) is no
    longer valid; records that held it were moved to U (people migration 0004)."""

    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class UPNUnknown(models.TextChoices):
    """Why a child has no unique pupil number: the UPN unknown codes of the DfE's common
    basic data set, as the children in need census 2025 to 2026 uses them (UN1 to UN7)."""

    UNDER_SIX = "UN1", "Child is aged under 6 years old and is not yet assigned a UPN"
    NEVER_IN_SCHOOL = (
        "UN2",
        "Child has never attended a maintained school in England and has not been assigned a UPN",
    )
    EDUCATED_OUTSIDE = "UN3", "Child is educated outside England and has not been assigned a UPN"
    NEWLY_IN_NEED = (
        "UN4",
        "Child is newly in need (in the last week of the collection period) and the UPN was "
        "not yet known at the time of the return",
    )
    DISCREPANCY = (
        "UN5",
        "Sources collating UPNs disagree on the child's name or date of birth, so they cannot "
        "be matched reliably (for example a duplicated UPN)",
    )
    CANNOT_OBTAIN = "UN6", "Child is not looked after and the council is unable to obtain the UPN"
    NO_FURTHER_ACTION = "UN7", "Referral with no further action"


class Ethnicity(models.TextChoices):
    """DfE school and children's social care census ethnicity codes (main categories)."""

    WBRI = "WBRI", "White - British"
    WIRI = "WIRI", "White - Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy / Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black - African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    """The census disability codes. A child has a list of them: NONE alone when the child
    has no disability, nothing at all when it is not known."""

    NONE = "NONE", "No disability"
    MOBILITY = "MOB", "Mobility: getting about the house and beyond"
    HAND = "HAND", "Hand function: using hands for everyday tasks"
    PERSONAL_CARE = "PC", "Personal care: for example eating, washing, dressing"
    INCONTINENCE = "INC", "Incontinence: controlling the bowel and bladder"
    COMMUNICATION = "COMM", "Communication: speaking or understanding others"
    LEARNING = "LD", "Learning: understanding or learning new things"
    HEARING = "HEAR", "Hearing"
    VISION = "VIS", "Vision"
    BEHAVIOUR = "BEH", "Behaviour: a condition affecting behaviour"
    CONSCIOUSNESS = "CON", "Consciousness: seizures"
    AUTISM = "AUT", "Autism or Asperger syndrome, diagnosed by a qualified medical practitioner"
    OTHER = "DDA", "Other disability under the Equality Act 2010"


class RelationshipKind(models.TextChoices):
    """Read as: 'from_person is the <kind> of to_person'."""

    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    PARTNER = "partner", "Partner"
    OTHER_RELATIVE = "other_relative", "Other relative"
    OTHER = "other", "Other"


# The name each relationship takes when read from the other person's side.
RELATIONSHIP_INVERSE: dict[str, str] = {
    RelationshipKind.PARENT: "Child",
    RelationshipKind.STEP_PARENT: "Step-child",
    RelationshipKind.CARER: "Cared-for child",
    RelationshipKind.SPECIAL_GUARDIAN: "Child under special guardianship",
    RelationshipKind.SIBLING: "Sibling",
    RelationshipKind.HALF_SIBLING: "Half-sibling",
    RelationshipKind.GRANDPARENT: "Grandchild",
    RelationshipKind.PARTNER: "Partner",
    RelationshipKind.OTHER_RELATIVE: "Other relative",
    RelationshipKind.OTHER: "Other",
}


class AliasKind(models.TextChoices):
    KNOWN_AS = "known_as", "Known as"
    PREVIOUS = "previous", "Previous name"
    ALIAS = "alias", "Alias"


class ChronologyCategory(models.TextChoices):
    """What kind of event a chronology entry is: each reader sees the categories their
    involvement needs (``people.policies.CHRONOLOGY_VISIBILITY``,
    docs/chronology-visibility.md)."""

    RECORD = "record", "Record"
    FAMILY = "family", "Family and household"
    CONTACT = "contact", "Contact or referral"
    DECISION = "decision", "Front-door decision"
    EARLY_HELP = "early_help", "Early help"
    SOCIAL_CARE = "social_care", "Social care"
    HEALTH = "health", "Health"
    MENTAL_HEALTH = "mental_health", "Mental health (CAMHS and talking therapies)"
    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


class ChronologySensitivity(models.TextChoices):
    """How far an entry's detail goes once its category is seen."""

    STANDARD = "standard", "Standard: in full to whoever sees its category"
    COUNCIL_ONLY = "council_only", "Detail for council staff only"


# Categories whose detail is for council staff only: a front-door decision's rationale.
COUNCIL_ONLY_DETAIL = frozenset({ChronologyCategory.DECISION})


def sensitivity_for(category: str) -> str:
    """The sensitivity an entry of ``category`` is written with."""
    if category in COUNCIL_ONLY_DETAIL:
        return ChronologySensitivity.COUNCIL_ONLY
    return ChronologySensitivity.STANDARD
