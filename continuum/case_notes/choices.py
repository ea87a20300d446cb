"""The kinds of case note, as practitioners name them."""

from __future__ import annotations

from django.db import models


class NoteType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    VISIT_ELSEWHERE = "visit_elsewhere", "Visit elsewhere"
    PHONE_CALL = "phone_call", "Phone call"
    TAF_DISCUSSION = "taf_discussion", "TAF discussion"
    SUPERVISION = "supervision", "Supervision"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    OTHER = "other", "Other"
