"""The school terms attendance is counted in."""

from __future__ import annotations

from django.db import models


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"
