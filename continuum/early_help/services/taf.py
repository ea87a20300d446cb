"""The Team Around the Family: its members (membership gives access while it lasts) and its
meetings, with who attended from which agency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.access.services import end_involvements_from, record_involvement
from continuum.accounts.models import User
from continuum.early_help.choices import AgencyKind
from continuum.early_help.models import Episode, TafAttendee, TafMeeting, TafMember
from continuum.early_help.services.consent import refuse_sharing_without_agreement
from continuum.early_help.services.episodes import (
    note_if_future,
    record_in_chronology,
    refuse_if_closed,
    source_of,
)
from continuum.early_help.services.telling import tell_taf_member
from continuum.errors import InvalidState
from continuum.ui.dates import govuk_date


def start_of(day: date) -> datetime:
    """The first moment of ``day`` in the local time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _access_from(day: date) -> datetime:
    """When access dated ``day`` begins: at once for today or a past day, else that
    morning."""
    return max(timezone.now(), start_of(day))


@transaction.atomic
def add_taf_member(
    *, episode: Episode, user: User, by: User, role_in_taf: str = "", joined_on: date | None = None
) -> TafMember:
    """Membership gives the practitioner access to the episode while it lasts: from the
    joining date (a future date grants nothing until then) until they leave. A practitioner
    from an agency the family did not agree to share with is refused, unless the episode
    has a lawful basis (``services.consent``)."""
    refuse_if_closed(episode)
    if user.organisation is None or not user.is_active:
        raise ValidationError(
            {"user": ["A TAF member needs an active account with an organisation."]}
        )
    if episode.taf_members.filter(user=user, left_on__isnull=True).exists():
        raise ValidationError({"user": [f"{user} is already a member of this TAF."]})
    refuse_sharing_without_agreement(episode, user.organisation)
    joined_on = joined_on or timezone.localdate()
    member = TafMember(
        episode=episode,
        user=user,
        organisation=user.organisation,
        role_in_taf=role_in_taf.strip(),
        joined_on=joined_on,
    )
    member._history_user = by  # type: ignore[attr-defined]
    member.save()
    for child in episode.children.all():
        record_involvement(
            user=user,
            person=child,
            reason=InvolvementReason.TAF_MEMBER,
            source=source_of(episode),
            starts_at=_access_from(joined_on),
        )
    tell_taf_member(member, by=by)
    return member


@transaction.atomic
def remove_taf_member(*, member: TafMember, by: User, left_on: date | None = None) -> TafMember:
    """Leaving the TAF ends the practitioner's access (unless they lead the episode) on the
    leaving date, which cannot be before the joining date."""
    if member.left_on is not None:
        raise InvalidState("This practitioner has already left the TAF.")
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise ValidationError(
            {
                "left_on": [
                    "The leaving date cannot be before the joining date "
                    f"({govuk_date(member.joined_on)})."
                ]
            }
        )
    member.left_on = left_on
    member._history_user = by  # type: ignore[attr-defined]
    member.save()
    episode = member.episode
    if episode.lead_professional_id != member.user_id:
        end_involvements_from(
            source=source_of(episode),
            user=member.user,
            reason=InvolvementReason.TAF_MEMBER,
            ends_at=_access_from(left_on),
        )
    return member


@transaction.atomic
def record_taf_meeting(
    *,
    episode: Episode,
    held_on: date,
    decisions: str,
    attendees: Sequence[Mapping[str, Any]],
    by: User,
) -> TafMeeting:
    """A TAF meeting with who attended from which agency (so engagement can be counted)."""
    refuse_if_closed(episode)
    errors: dict[str, list[str]] = {}
    note_if_future(held_on, "held_on", errors)
    if held_on < episode.start_date:
        errors["held_on"] = ["The meeting cannot be before the episode started."]
    if not decisions.strip():
        errors["decisions"] = ["Record what the meeting decided."]
    if not attendees:
        errors["attendees"] = ["Record who attended, by agency."]
    for row in attendees:
        if not str(row.get("name", "")).strip():
            errors["attendees"] = ["Every attendee needs a name."]
        elif row.get("agency") not in AgencyKind.values:
            errors["attendees"] = [f"Select the agency {row.get('name')} came from."]
    if errors:
        raise ValidationError(errors)
    meeting = TafMeeting(
        episode=episode, held_on=held_on, decisions=decisions.strip(), recorded_by=by
    )
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save()
    TafAttendee.objects.bulk_create(
        [
            TafAttendee(
                meeting=meeting,
                name=str(row["name"]).strip(),
                user=row.get("user"),
                person=row.get("person"),
                organisation=row.get("organisation"),
                agency=row["agency"],
                attended=bool(row.get("attended", True)),
            )
            for row in attendees
        ]
    )
    record_in_chronology(episode, title="Team Around the Family meeting", by=by, on=held_on)
    return meeting
