"""The words of consent: who gave it, how it was obtained, and the kinds of information a
family agrees may be shared."""

from __future__ import annotations

from django.db import models


class GivenBy(models.TextChoices):
    SELF = "self", "The person themselves"
    PARENT = "parent", "A parent or carer on their behalf"


class ObtainedHow(models.TextChoices):
    SIGNED_FORM = "signed_form", "Signed consent form"
    IN_PERSON = "in_person", "In person, spoken"
    PHONE = "phone", "By phone"
    ELECTRONIC = "electronic", "By email or an online form"


class InformationKind(models.TextChoices):
    """What may be shared, in the words of a council's consent form."""

    FAMILY = "family", "Family circumstances and relationships"
    EDUCATION = "education", "Education, attendance and behaviour at school"
    HEALTH = "health", "Physical and mental health"
    POLICE = "police", "Police involvement and domestic abuse"
    SOCIAL_CARE = "social_care", "Children's social care history"
    HOUSING_MONEY = "housing_money", "Housing, work and money"
