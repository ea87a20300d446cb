"""What the front door's services share: threshold indicators named by code, the councils
a user may refer to, and people recorded as adults kept out of the children.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError

from continuum.accounts.models import User
from continuum.front_door.policies import councils_user_may_refer_to
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.thresholds.models import Indicator
from continuum.thresholds.selectors import current_version


def indicators_from_codes(codes: Iterable[str], *, field: str) -> list[Indicator]:
    """The current framework's indicators with ``codes`` (any case, each once, in the order
    given); an unknown code is refused, keyed ``field``."""
    codes = list(dict.fromkeys(c.strip().upper() for c in codes if c and c.strip()))
    version = current_version()
    found = {i.code: i for i in Indicator.objects.filter(version=version, code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({field: [f"Unknown threshold indicator code: {', '.join(unknown)}."]})
    return [found[c] for c in codes]


def adults_as_children(children: Sequence[Person]) -> dict[str, list[str]]:
    """A person recorded as an adult cannot be one of the children a record is about."""
    adults = [child.full_name for child in children if child.kind == PersonKind.ADULT]
    if not adults:
        return {}
    return {
        "children": [
            f"{', '.join(adults)} is recorded as an adult: add adults as parents or carers, "
            "not as children."
        ]
    }


def check_council(*, user: User, council: Council) -> None:
    """Refuse a record for a council the user's organisation does not serve (council
    staff: their own council, and a hub's front door the councils it decides for)."""
    councils = councils_user_may_refer_to(user)
    if council not in councils:
        if len(councils) > 1:
            message = (
                f"You cannot take a contact for {council.name}: you take contacts for "
                f"{', '.join(c.name for c in councils)} only."
            )
        else:
            message = "You can only make contacts to a council your organisation serves."
        raise ValidationError({"council": [message]})
