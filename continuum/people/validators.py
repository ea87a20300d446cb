"""Django validators for identifiers and postcodes; messages name what is wrong."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from localflavor.gb.forms import GBPostcodeField

from continuum.people.identifiers import is_valid_nhs_number, is_valid_upn

_postcode_field = GBPostcodeField()


def validate_nhs_number(value: str) -> None:
    if not is_valid_nhs_number(value):
        raise ValidationError(
            "Enter a valid NHS number: 10 digits with a correct check digit, like 943 476 5919.",
            code="invalid_nhs_number",
        )


def validate_upn(value: str) -> None:
    if not is_valid_upn(value):
        raise ValidationError(
            "Enter a valid UPN: 13 characters, a check letter then 12 digits, "
            "with a correct check letter.",
            code="invalid_upn",
        )


def normalise_postcode(value: str) -> str:
    """'ts181ld' -> 'TS18 1LD'; raises ValidationError when it is not a UK postcode."""
    try:
        return str(_postcode_field.clean(value))
    except ValidationError as exc:
        raise ValidationError(
            "Enter a real UK postcode, like TS18 1LD.", code="invalid_postcode"
        ) from exc


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def validate_not_in_future(value: date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past.", code="future_date")
