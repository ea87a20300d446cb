from django.db import models


class FundingSource(models.TextChoices):
    COUNCIL = "council", "Council"
    SUPPORTING_FAMILIES = "supporting_families", "Supporting Families grant"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    VOLUNTARY_IN_KIND = "voluntary_in_kind", "Voluntary sector's own resources (in kind)"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


class StaffRole(models.TextChoices):
    KEY_WORKER = "key_worker", "Family support and key workers"
    LEAD_PRACTITIONER = "lead_practitioner", "Senior and lead practitioners"
    MANAGER = "manager", "Team and service managers"
    FAMILY_HUB = "family_hub", "Family hub and children's centre staff"
    PARENTING = "parenting", "Parenting practitioners"
    YOUTH_WORKER = "youth_worker", "Youth workers"
    SCHOOL_BASED = "school_based", "School-based staff"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic-abuse workers"
    ADMINISTRATIVE = "administrative", "Business support and administration"
    OTHER = "other", "Other"
