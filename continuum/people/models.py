"""The shared case record: people, their names, addresses, households, relationships and
chronology. Every change to case data is versioned with its author (django-simple-history).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from continuum.organisations.models import Council
from continuum.people import name_keys
from continuum.people.choices import (
    AliasKind,
    ChronologyCategory,
    ChronologySensitivity,
    Disability,
    Ethnicity,
    PersonKind,
    RelationshipKind,
    Sex,
    UPNUnknown,
)
from continuum.people.identifiers import partial_identifier
from continuum.people.validators import (
    validate_nhs_number,
    validate_not_in_future,
    validate_postcode,
    validate_upn,
)

# Person's stored match keys: derived from the names, never part of the record's history.
SEARCH_FIELDS = ["search_names", "search_all_names", "search_keys"]
NAME_FIELDS = {"given_name", "middle_names", "family_name"}


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The council responsible for this person's record.",
    )
    kind = models.CharField(max_length=10, choices=PersonKind.choices, default=PersonKind.CHILD)
    given_name = models.CharField("first name", max_length=100, blank=True)
    middle_names = models.CharField(max_length=150, blank=True)
    family_name = models.CharField("last name", max_length=100)
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="Only for an unborn child."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=60, blank=True)
    # Census disability codes (``Disability``): ["NONE"] for no disability, [] when not known.
    disabilities = models.JSONField(default=list, blank=True)
    disability_detail = models.CharField(max_length=300, blank=True)
    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        null=True,
        blank=True,
        # Not unique: a record with the number of one the user cannot see is saved and
        # marked as a possible match (``people.matching``), never refused (decision 0008).
        db_index=True,
        validators=[validate_nhs_number],
    )
    upn = models.CharField(
        "UPN", max_length=13, null=True, blank=True, db_index=True, validators=[validate_upn]
    )
    upn_unknown_reason = models.CharField(
        "reason the UPN is not known", max_length=3, choices=UPNUnknown.choices, blank=True
    )
    date_of_death = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    is_restricted = models.BooleanField(
        default=False,
        help_text="A restricted record is invisible to anyone not on its access list.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    # Match keys for name search (``name_keys.search_columns``), kept by ``people.services``
    # whenever a name or alias changes: own name tokens and names-and-aliases tokens as
    # " jon smith " (trigram-indexed on PostgreSQL), and the phonetic keys of them all.
    search_names = models.TextField(default="", db_default="", blank=True, editable=False)
    search_all_names = models.TextField(default="", db_default="", blank=True, editable=False)
    search_keys = models.JSONField(
        default=list, db_default=models.Value("[]"), blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=SEARCH_FIELDS)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["council", "family_name"]),
            models.Index(fields=["date_of_birth"]),
        ]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with the match keys for search following the names (and the aliases
        already recorded); ``people.services`` refreshes them again when an alias changes."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or NAME_FIELDS & set(update_fields):
            aliases: list[tuple[str, str]] = []
            if not self._state.adding:
                aliases = list(
                    PersonAlias.objects.filter(person_id=self.pk).values_list(
                        "given_name", "family_name"
                    )
                )
            self.set_search_keys(aliases)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *SEARCH_FIELDS}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.given_name, self.family_name] if p) or "(no name)"

    @property
    def disability_labels(self) -> list[str]:
        """The person's disabilities in words, in the census's order."""
        return [label for code, label in Disability.choices if code in (self.disabilities or [])]

    @property
    def partial_identifier(self) -> str | None:
        """What lists and searches show of the NHS number (or UPN): "*** *** 5919"."""
        return partial_identifier(self.nhs_number, self.upn)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def set_search_keys(self, aliases: Iterable[tuple[str, str]] = ()) -> None:
        """Set the stored match keys from the names and ``aliases`` ((given, family)
        pairs); for writers that create people in bulk. Saving is the caller's."""
        columns = name_keys.search_columns(
            self.given_name, self.middle_names, self.family_name, aliases
        )
        for name, value in columns.items():
            setattr(self, name, value)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == PersonKind.UNBORN:
            if self.expected_date_of_birth is None:
                errors["expected_date_of_birth"] = "Enter the expected date of birth."
            if self.date_of_birth is not None:
                errors["date_of_birth"] = "An unborn child has no date of birth yet."
        elif self.expected_date_of_birth is not None:
            errors["expected_date_of_birth"] = "Only an unborn child has an expected date."
        unknown = [code for code in self.disabilities or [] if code not in Disability.values]
        if unknown:
            errors["disabilities"] = f"Unknown disability codes: {', '.join(map(str, unknown))}."
        elif Disability.NONE in (self.disabilities or []) and len(self.disabilities) > 1:
            errors["disabilities"] = "Choose No disability on its own, or the disabilities."
        elif len(set(self.disabilities or [])) < len(self.disabilities or []):
            errors["disabilities"] = "Choose each disability once."
        if self.upn and self.upn_unknown_reason:
            errors["upn_unknown_reason"] = "A person with a UPN needs no reason it is not known."
        if self.date_of_death and self.date_of_birth and self.date_of_death < self.date_of_birth:
            errors["date_of_death"] = "The date of death must be on or after the date of birth."
        if errors:
            raise ValidationError(errors)


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=AliasKind.choices, default=AliasKind.KNOWN_AS)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return " ".join(p for p in [self.given_name, self.family_name] if p)


class NameKey(models.Model):
    """A phonetic key of one of a person's names, kept by ``people.services`` for search."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=20, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="name_key_unique_per_person")
        ]


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField("address line 1", max_length=150)
    line_2 = models.CharField("address line 2", max_length=150, blank=True)
    town = models.CharField("town or city", max_length=100)
    postcode = models.CharField(max_length=8, validators=[validate_postcode], db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in [self.line_1, self.line_2, self.town, self.postcode] if p)

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(max_length=150, help_text="How the family is known, e.g. 'Smith'.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.name} household"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_members")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"], name="person_once_per_household"
            )
        ]


class Relationship(models.Model):
    """``from_person`` is the ``kind`` of ``to_person`` (e.g. Jane is the parent of Tom)."""

    from_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships_from"
    )
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    has_parental_responsibility = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_person=models.F("to_person")),
                name="relationship_not_to_self",
            ),
        ]


class ChronologyEvent(models.Model):
    """A significant event in a person's life, written by the app where it happened."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="chronology")
    occurred_on = models.DateField()
    category = models.CharField(max_length=20, choices=ChronologyCategory.choices)
    # Who may read the detail once the category is seen (a decision's rationale: council
    # staff only).
    sensitivity = models.CharField(
        max_length=20, choices=ChronologySensitivity.choices, default=ChronologySensitivity.STANDARD
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    # Where the event came from, e.g. "front_door.contact:<uuid>", for a link back.
    source = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-recorded_at"]
        indexes = [models.Index(fields=["person", "occurred_on"])]


class MatchBasis(models.TextChoices):
    NHS_NUMBER = "nhs_number", "The same NHS number"
    UPN = "upn", "The same UPN"
    NAME_AND_DATE_OF_BIRTH = "name_dob", "A similar name, the same date of birth and council"


class MatchStatus(models.TextChoices):
    OPEN = "open", "To review"
    LINKED = "linked", "The same child: records linked"
    NOT_THE_SAME = "not_same", "Not the same person"


class PossibleMatch(models.Model):
    """A new record that may be a second record of someone already known, found when it was
    created (or its identifiers changed) against a record its author could not see.

    The council that holds the existing record reviews it: someone who may see both links
    them (each record then shows the other; nothing is merged or deleted) or marks them
    not the same. Either decision can be undone; the history keeps every change.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    new_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="matches_as_new")
    existing_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="matches_as_existing"
    )
    basis = models.CharField(max_length=10, choices=MatchBasis.choices)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.OPEN, db_index=True
    )
    found_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["found_at"]
        verbose_name_plural = "possible matches"
        constraints = [
            models.UniqueConstraint(
                fields=["new_person", "existing_person"], name="possible_match_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(new_person=models.F("existing_person")),
                name="possible_match_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"Possible match ({self.get_basis_display()})"
