"""The shared threshold framework as versioned data, and councils' local variations."""

from __future__ import annotations

from django.db import models

from continuum.organisations.models import Council


class Level(models.IntegerChoices):
    UNIVERSAL = 1, "Level 1: Universal"
    EARLY_HELP_SINGLE_AGENCY = 2, "Level 2: Early help, single agency"
    TARGETED_EARLY_HELP = 3, "Level 3: Targeted early help, multi-agency"
    SPECIALIST = 4, "Level 4: Specialist or statutory"


class FrameworkVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    published_on = models.DateField()
    summary = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_framework_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class Domain(models.Model):
    """One of the three sides of the assessment triangle."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="indicators"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    guidance = models.TextField()

    class Meta:
        ordering = ["domain__order", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class LocalVariation(models.Model):
    """A council's explicit overlay on one version of the shared framework."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="threshold_variations"
    )
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="variations"
    )
    agreed_on = models.DateField()
    rationale = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "version"], name="one_variation_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.council} variation on version {self.version.number}"


class ChangeKind(models.TextChoices):
    ADD = "add", "Added locally"
    CHANGE = "change", "Changed locally"
    REMOVE = "remove", "Not used locally"


class IndicatorChange(models.Model):
    """One difference between a council's framework and the shared one."""

    variation = models.ForeignKey(LocalVariation, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    # The shared indicator changed or removed; empty for an added one.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="local_changes"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, null=True, blank=True)
    code = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    guidance = models.TextField(blank=True)
    reason = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="add", indicator__isnull=True))
                | (~models.Q(kind="add") & models.Q(indicator__isnull=False)),
                name="added_indicators_are_new_others_name_one",
            ),
            models.UniqueConstraint(
                fields=["variation", "indicator"],
                condition=models.Q(indicator__isnull=False),
                name="one_local_change_per_shared_indicator",
            ),
            models.UniqueConstraint(
                fields=["variation", "code"],
                condition=models.Q(kind="add"),
                name="added_indicator_code_unique_in_variation",
            ),
        ]

    def __str__(self) -> str:
        code = self.indicator.code if self.indicator is not None else self.code
        return f"{self.get_kind_display()}: {code}"
