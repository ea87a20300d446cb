"""Local programmes (initiatives such as Fairer Start in Stockton, Encompass in Hartlepool,
Team Around the School in Middlesbrough) and the episodes whose families took part in them
(issue 14). What a programme achieves is evaluated against matched comparison families
(``programmes.evaluation``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.early_help.models import Episode
from continuum.organisations.models import Council

USER = settings.AUTH_USER_MODEL


class Programme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    councils = models.ManyToManyField(Council, related_name="programmes")
    offers = models.TextField("what it offers")
    for_whom = models.TextField("who it is for")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[councils])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """A family taking part in a programme, through its early help episode."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="participations"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="programme_participations"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "episode"], name="episode_in_a_programme_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.episode_id}"
