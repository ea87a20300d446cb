"""Reference data the indicators need: how many children live in each council's area.

Rates per 10,000 children divide by the Office for National Statistics' mid-year
population estimate for the council and year, by age band; where there is none, by the
council's own approximate figure (``Council.child_population``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from continuum.organisations.models import Council
from continuum.ui.dates import govuk_month


class AgeBand(models.TextChoices):
    """The age bands the children in need census and the ONS estimates share."""

    UNDER_5 = "0-4", "Under 5"
    FIVE_TO_9 = "5-9", "5 to 9"
    TEN_TO_15 = "10-15", "10 to 15"
    SIXTEEN_PLUS = "16-17", "16 and 17"

    @classmethod
    def for_age(cls, years: int) -> AgeBand:
        if years < 5:
            return cls.UNDER_5
        if years < 10:
            return cls.FIVE_TO_9
        if years < 16:
            return cls.TEN_TO_15
        return cls.SIXTEEN_PLUS


class ChildPopulation(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="populations")
    mid_year = models.PositiveSmallIntegerField(help_text="The estimate is for 30 June.")
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    children = models.PositiveIntegerField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["council__name", "mid_year", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "mid_year", "age_band"], name="one_estimate_per_band"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council}, mid-{self.mid_year}, aged {self.age_band}: {self.children:,}"


class ReportBuildState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be made"


RUNNING_STATES = (ReportBuildState.QUEUED, ReportBuildState.BUILDING)
# The kind of a build of the partnership report (``ReportBuild.kind``).
PARTNERSHIP_REPORT = "partnership"


class ReportBuild(models.Model):
    """One request for the partnership report's PDF, made in the background by the task
    queue (``performance.report_builds``, ``performance.tasks``; decision 0013): a user
    has at most one waiting or being made. Its PDF is kept for ``report_builds.KEEP_FOR``,
    then cleared."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_builds"
    )
    month = models.DateField(help_text="The first day of the report's month.")
    state = models.CharField(
        max_length=10, choices=ReportBuildState.choices, default=ReportBuildState.QUEUED
    )
    step = models.CharField(max_length=100, blank=True, help_text="What it is doing now.")
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=100, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    # What the user could see when they asked (``report.cache_key`` without the day): the
    # PDF is theirs only while that is still what they may see.
    scope = models.CharField(max_length=500)
    # Which report (``report_builds.KINDS``): the partnership report, or another app's
    # report made the same way (an audit programme's), and what it is of (``subject``, the
    # kind's own reference, e.g. a programme's id).
    kind = models.CharField(
        max_length=30, default=PARTNERSHIP_REPORT, db_default=PARTNERSHIP_REPORT
    )
    subject = models.CharField(max_length=100, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=["queued", "building"]),
                name="one_report_build_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"Report PDF for {govuk_month(self.month)}, {self.get_state_display().lower()}"

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES

    @property
    def percent_done(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


# --- maintained figures (issue 16; engine.facts, decision 0019) -------------------------------


class MonthlyFigure(models.Model):
    """One finished monthly value of the indicator engine's store: a source's measure for a
    council, month and category (``category`` NULL: the total), as read with ``dimension``
    ("" for none). Built by ``engine.facts`` from the engine's own source reads; a row with
    value 0 marks a series that exists with nothing in it (see ``engine.facts``)."""

    source = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40, blank=True)
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=300, null=True)
    measure = models.CharField(max_length=80)
    month = models.DateField()
    value = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["council", "source", "dimension", "month"], name="figure_lookup")
        ]


class FigureState(models.Model):
    """When a council's figures were last brought up to date, for which day (``as_of``) and
    over which months."""

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    built_on = models.DateField(help_text="The day the figures are true for (as_of).")
    built_at = models.DateTimeField()
    first_month = models.DateField()
    last_month = models.DateField()


class FigureChange(models.Model):
    """A change to a table the indicator engine reads, waiting to be added to the figures:
    written by database triggers only (``engine.facts.TRIGGERED``), read and deleted by
    ``facts.refresh_pending``. ``council_id`` NULL: could concern any council."""

    id = models.BigAutoField(primary_key=True)
    council_id = models.IntegerField(null=True)
    source_table = models.CharField(max_length=80)
    changed_at = models.DateTimeField(db_default=Now())
