"""Recording local programmes and the families who take part. Each service refuses with
every problem at once (``ValidationError`` keyed by field) and saves nothing when refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.early_help.models import Episode
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.programmes.models import Participation, Programme
from continuum.programmes.policies import ProgrammeAction
from continuum.ui.dates import govuk_date

MANAGE_REFUSED = (
    "Only a council's team managers and strategic leads record its programmes; a programme "
    "across councils is the safeguarding partnership lead's."
)


def _details_problems(
    *, name: str, offers: str, for_whom: str, starts_on: date | None, ends_on: date | None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Enter the programme's name"
    elif len(name.strip()) > 200:
        problems["name"] = "The name must be 200 characters or fewer"
    if not offers.strip():
        problems["offers"] = "Enter what the programme offers"
    if not for_whom.strip():
        problems["for_whom"] = "Enter who the programme is for"
    if starts_on is None:
        problems["starts_on"] = "Enter the date the programme started"
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "The end date must be on or after the start date"
    return problems


def _check_name(name: str, *, other_than: Programme | None = None) -> dict[str, str]:
    taken = Programme.objects.filter(name__iexact=name.strip())
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    return {"name": "There is already a programme with this name"} if taken.exists() else {}


@transaction.atomic
def create_programme(
    *,
    by: User,
    name: str,
    councils: Sequence[Council],
    offers: str,
    for_whom: str,
    starts_on: date | None,
    ends_on: date | None = None,
) -> Programme:
    """A new programme of ``councils``, by a manager or strategic lead of that council (or
    the partnership lead for councils their partnership serves)."""
    problems = _details_problems(
        name=name, offers=offers, for_whom=for_whom, starts_on=starts_on, ends_on=ends_on
    )
    if not councils:
        problems["councils"] = "Select the council or councils the programme is for"
    else:
        policy.require(by, ProgrammeAction.MANAGE, list(councils), MANAGE_REFUSED)
    problems.update(_check_name(name) if "name" not in problems else {})
    if problems:
        raise ValidationError(problems)
    assert starts_on is not None
    programme = Programme.objects.create(
        name=name.strip(),
        offers=offers.strip(),
        for_whom=for_whom.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    programme.councils.set(councils)
    return programme


@transaction.atomic
def edit_programme(
    *,
    by: User,
    programme: Programme,
    name: str,
    offers: str,
    for_whom: str,
    starts_on: date | None,
    ends_on: date | None = None,
) -> Programme:
    """Change a programme's details (not its councils). Families already taking part must
    stay within its dates."""
    policy.require(by, ProgrammeAction.MANAGE, programme, MANAGE_REFUSED)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    problems = _details_problems(
        name=name, offers=offers, for_whom=for_whom, starts_on=starts_on, ends_on=ends_on
    )
    problems.update(_check_name(name, other_than=programme) if "name" not in problems else {})
    joined = programme.participations.order_by("joined_on").values_list("joined_on", flat=True)
    first, last = joined.first(), joined.last()
    if starts_on is not None and first is not None and first < starts_on:
        problems["starts_on"] = (
            f"A family joined on {govuk_date(first)}: the programme must start on or before then"
        )
    if ends_on is not None and last is not None and last > ends_on:
        problems["ends_on"] = (
            f"A family joined on {govuk_date(last)}: the programme must end on or after then"
        )
    if problems:
        raise ValidationError(problems)
    programme.name, programme.offers, programme.for_whom = (
        name.strip(),
        offers.strip(),
        for_whom.strip(),
    )
    programme.starts_on, programme.ends_on = starts_on, ends_on  # type: ignore[assignment]
    programme.save()
    return programme


@transaction.atomic
def join_programme(
    *, episode: Episode, programme: Programme, by: User, joined_on: date | None
) -> Participation:
    """The episode's family took part in ``programme`` from ``joined_on``: a programme of
    the episode's council, on a day within both the programme's dates and the episode's."""
    policy.require(by, ProgrammeAction.TAG_EPISODE, episode, "You do not work this episode.")
    problems: dict[str, str] = {}
    if not programme.councils.filter(pk=episode.council_id).exists():
        problems["programme"] = "The programme is not one of the episode's council"
    if joined_on is None:
        problems["joined_on"] = "Enter the date the family joined the programme"
    else:
        problem = _outside(joined_on, programme, episode)
        if problem:
            problems["joined_on"] = problem
    if Participation.objects.filter(programme=programme, episode=episode).exists():
        problems["programme"] = "The family is already recorded as taking part in this programme"
    if problems:
        raise ValidationError(problems)
    assert joined_on is not None
    return Participation.objects.create(
        programme=programme, episode=episode, joined_on=joined_on, recorded_by=by
    )


def _outside(day: date, programme: Programme, episode: Episode) -> str | None:
    if day > timezone.localdate():
        return "The date the family joined must be today or in the past"
    if day < programme.starts_on or (programme.ends_on is not None and day > programme.ends_on):
        ends = f" to {govuk_date(programme.ends_on)}" if programme.ends_on else ""
        return f"The programme runs from {govuk_date(programme.starts_on)}{ends}"
    closed = getattr(getattr(episode, "closure", None), "closed_on", None)
    if day < episode.start_date or (closed is not None and day > closed):
        ends = f" to {govuk_date(closed)}" if closed else ""
        return f"The episode runs from {govuk_date(episode.start_date)}{ends}"
    return None


@transaction.atomic
def leave_programme(
    *, participation: Participation, by: User, left_on: date | None
) -> Participation:
    """The family stopped taking part on ``left_on`` (on or after they joined)."""
    policy.require(
        by, ProgrammeAction.TAG_EPISODE, participation.episode, "You do not work this episode."
    )
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if participation.left_on is not None:
        raise InvalidState("The family has already left this programme.")
    if left_on is None:
        raise ValidationError({"left_on": "Enter the date the family left the programme"})
    if left_on < participation.joined_on:
        raise ValidationError(
            {
                "left_on": f"The family joined on {govuk_date(participation.joined_on)}: "
                "they must leave on or after then"
            }  # fmt: skip
        )
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": "The date the family left must be today or in the past"})
    participation.left_on = left_on
    participation.save(update_fields=["left_on"])
    return participation
