"""Councils, the organisations that work with them, their teams and localities."""

from django.db import models


class Council(models.Model):
    """An English local authority with children's services responsibilities."""

    name = models.CharField(max_length=100, unique=True)
    dfe_la_code = models.CharField("DfE LA code", max_length=3, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    child_population = models.PositiveIntegerField(help_text="Children aged 0 to 17 (approx.)")
    # Outward postcode districts in the council's area, e.g. "TS24 TS25 TS26".
    postcode_districts = models.CharField(max_length=200, blank=True)
    front_door_phone = models.CharField(
        "front door phone number",
        max_length=30,
        blank=True,
        # A default in the database too, so code (and migration tests' historical models)
        # that does not know the column can still add a council.
        db_default="",
        help_text="The number practitioners phone the front door on, e.g. to tell it of an "
        "urgent step-up at once.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    COUNCIL_CHILDRENS_SERVICES = "council", "Council children's services"
    POLICE = "police", "Police"
    NHS_TRUST = "nhs_trust", "NHS trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years setting"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    HOUSING = "housing", "Housing"
    SAFEGUARDING_PARTNERSHIP = "partnership", "Safeguarding children partnership"
    # A joint front door run for several councils under a data-sharing agreement (issue 15).
    # Its staff are placed in it by their own agencies (``hubs.HubPlacement``).
    HUB = "hub", "Multi-agency front door (hub)"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """Any agency whose staff use Continuum: a council's children's services or a partner."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # The council whose children's services this is (only for kind=council).
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="own_services"
    )
    serves = models.ManyToManyField(
        Council, related_name="served_by", help_text="The council areas this organisation serves."
    )
    ods_code = models.CharField("ODS or URN code", max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="council", council__isnull=False))
                | (~models.Q(kind="council") & models.Q(council__isnull=True)),
                name="council_services_name_their_council",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_council(self) -> bool:
        return self.kind == OrganisationKind.COUNCIL_CHILDRENS_SERVICES


class Locality(models.Model):
    """A geographical area within a council, e.g. 'Stockton North'."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="localities")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["council__name", "name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="locality_unique_in_council")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.council})"


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=150)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    # A police force's joint domestic-abuse triage team: its members see the force's
    # notifications in full while the force needs them (issue 10, finding 7).
    joint_triage = models.BooleanField(
        "joint domestic-abuse triage team",
        default=False,
        help_text="Its members see their force's notifications in full until a period after "
        "triage.",
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_in_org")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}"
