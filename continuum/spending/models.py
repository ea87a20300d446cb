"""Early help spending compared like for like (issue 15).

- ``Section251Line``: the lines of the DfE's section 251 outturn return, as reference data.
- ``Classification`` and ``Category``: the common classification of early help spending as
  versioned data, each category mapped to the section 251 lines it is reported under.
- ``CouncilCategory`` and ``CategoryMapping``: each council's own headings, mapped explicitly
  onto a version of the common classification (a heading may be split across categories by
  share, or mapped to none); the differences are shown as thresholds' are.
- ``SpendingReturn``: a council's return for a financial year, amounts by its own heading and
  funding source (``SpendAmount``) and staff by role (``StaffLine``); draft, submitted, signed
  off; history kept.
- ``DeflatorSeries`` and ``Deflator``: the GDP deflator used to compare in real terms, with
  its source and base year.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.organisations.models import Council
from continuum.spending.choices import FundingSource, ReturnStatus, StaffRole

USER = settings.AUTH_USER_MODEL


def financial_year_label(start_year: int) -> str:
    """2024 -> "2024-25"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


class Section251Line(models.Model):
    code = models.CharField(max_length=10, unique=True)
    description = models.CharField(max_length=250)

    class Meta:
        ordering = ["code"]
        verbose_name = "section 251 line"

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Classification(models.Model):
    """A version of the common classification of early help spending."""

    version = models.PositiveSmallIntegerField(unique=True)
    published_on = models.DateField()
    note = models.TextField(blank=True, help_text="What changed from the previous version.")
    is_current = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_spending_classification",
            )
        ]

    def __str__(self) -> str:
        return f"Early help spending classification, version {self.version}"


class Category(models.Model):
    classification = models.ForeignKey(
        Classification, on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    section_251_lines = models.ManyToManyField(Section251Line, blank=True, related_name="+")
    outside_section_251 = models.CharField(
        max_length=250,
        blank=True,
        help_text="Where spending not in the section 251 return is reported (e.g. the public "
        "health grant).",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["classification", "order", "code"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "code"], name="category_code_unique_in_version"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CouncilCategory(models.Model):
    """A heading a council records its early help spending under, in its own words."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="spending_categories"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["council__name", "code"]
        verbose_name_plural = "council categories"
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="council_category_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.council})"


class CategoryMapping(models.Model):
    """A share of a council's heading counted under a common category (or, with no
    category, outside early help) in one version of the classification. A heading's shares
    in a version add up to 100."""

    classification = models.ForeignKey(
        Classification, on_delete=models.CASCADE, related_name="mappings"
    )
    council_category = models.ForeignKey(
        CouncilCategory, on_delete=models.CASCADE, related_name="mappings"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="mappings"
    )
    share = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"))
    note = models.TextField(blank=True, help_text="How the heading was fitted.")
    mapped_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mapped_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council_category", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "council_category", "category"],
                name="mapping_once_per_category",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=100),
                name="mapping_share_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council_category} -> {self.category or 'outside early help'}"


class SpendingReturn(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="spending_returns")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2024 for 2024-25."
    )
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "financial_year"], name="one_spending_return_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} early help spending {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def is_signed_off(self) -> bool:
        return self.status == ReturnStatus.SIGNED_OFF


class SpendAmount(models.Model):
    spending_return = models.ForeignKey(
        SpendingReturn, on_delete=models.CASCADE, related_name="amounts"
    )
    council_category = models.ForeignKey(
        CouncilCategory, on_delete=models.PROTECT, related_name="amounts"
    )
    funding_source = models.CharField(max_length=30, choices=FundingSource.choices)
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council_category__code", "funding_source"]
        constraints = [
            models.UniqueConstraint(
                fields=["spending_return", "council_category", "funding_source"],
                name="one_amount_per_heading_and_source",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.council_category.code} {self.funding_source}: £{self.amount}"


class StaffLine(models.Model):
    spending_return = models.ForeignKey(
        SpendingReturn, on_delete=models.CASCADE, related_name="staff"
    )
    role = models.CharField(max_length=30, choices=StaffRole.choices)
    fte = models.DecimalField("full-time equivalent", max_digits=7, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["spending_return", "role"], name="one_staff_line_per_role"
            ),
            models.CheckConstraint(condition=models.Q(fte__gte=0), name="fte_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.fte} FTE"


class DeflatorSeries(models.Model):
    """A published GDP deflator series, named with its source and base year."""

    name = models.CharField(max_length=150)
    source = models.CharField(max_length=250)
    source_url = models.URLField(blank=True)
    base_year = models.PositiveSmallIntegerField(
        help_text="The financial year (by its start) whose index is 100."
    )
    published_on = models.DateField()
    note = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_on"]
        verbose_name_plural = "deflator series"
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_deflator_series",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.published_on:%Y})"


class Deflator(models.Model):
    series = models.ForeignKey(DeflatorSeries, on_delete=models.CASCADE, related_name="values")
    financial_year = models.PositiveSmallIntegerField()
    index = models.DecimalField(max_digits=7, decimal_places=3)

    class Meta:
        ordering = ["series", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "financial_year"], name="one_deflator_a_year"
            ),
            models.CheckConstraint(condition=models.Q(index__gt=0), name="deflator_positive"),
        ]

    def __str__(self) -> str:
        return f"{financial_year_label(self.financial_year)}: {self.index}"
