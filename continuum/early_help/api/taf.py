"""The Team Around the Family over JSON: its members (membership gives a practitioner sight
of the episode while it lasts, and not after) and its meetings, with attendance by person
and agency."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.early_help import selectors, services
from continuum.early_help.api.common import (
    Professional,
    ProfessionalOut,
    episode_for,
    found_or_404,
    log_children_read,
    name_of,
    professionals_of,
)
from continuum.early_help.choices import AgencyKind
from continuum.early_help.models import Episode, TafAttendee, TafMeeting, TafMember
from continuum.early_help.policies import EarlyHelpAction
from continuum.ui.api import (
    BODY,
    MessageOut,
    WholeList,
    fields_at,
    invalid,
    invalid_field,
    paginated,
)

router = Router(tags=["early help Team Around the Family"])


# --- schemas ---------------------------------------------------------------------------------


class MemberIn(Schema):
    user: int = Field(
        description="User id of a practitioner of an organisation serving the family's council."
    )
    role_in_taf: str = Field("", description="For example, school nurse.")
    joined_on: date | None = Field(None, description="Defaults to today.")


class MemberOut(Schema):
    id: int
    user: ProfessionalOut
    role_in_taf: str
    joined_on: date
    left_on: date | None
    is_current: bool

    @staticmethod
    def resolve_user(member: TafMember) -> Professional:
        return Professional.of(member.user)

    @staticmethod
    def resolve_is_current(member: TafMember) -> bool:
        return selectors.is_current_member(member)


class AttendeeIn(Schema):
    user: int | None = Field(
        None, description="A professional on the TAF (the lead professional or a member)."
    )
    person: uuid.UUID | None = Field(None, description="A family member (a person you may see).")
    name: str = Field(
        "", description="Required for anyone else; defaults to the user's or person's."
    )
    agency: str = Field(
        "",
        description=f"{', '.join(AgencyKind.values)}. Defaults to the professional's "
        "organisation, or family.",
    )
    attended: bool = True


class MeetingIn(Schema):
    held_on: date
    decisions: str
    attendees: list[AttendeeIn]


class AttendeeOut(Schema):
    name: str
    user: int | None = Field(alias="user_id")
    person: uuid.UUID | None = Field(alias="person_id")
    organisation: str | None
    agency: str
    attended: bool

    @staticmethod
    def resolve_organisation(attendee: TafAttendee) -> str | None:
        return attendee.organisation.name if attendee.organisation else None


class MeetingOut(Schema):
    id: int
    held_on: date
    decisions: str
    recorded_by: str | None
    attendees: list[AttendeeOut]

    @staticmethod
    def resolve_recorded_by(meeting: TafMeeting) -> str | None:
        return name_of(meeting.recorded_by)


# --- helpers ---------------------------------------------------------------------------------


def _meetings(episode: Episode) -> QuerySet[TafMeeting]:
    """The episode's TAF meetings, newest first, with what an answer shows of them."""
    return episode.taf_meetings.select_related("recorded_by").prefetch_related(
        "attendees__organisation"
    )


def _working(request: HttpRequest, episode_id: uuid.UUID) -> Episode:
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.WORK_EPISODE,
        episode,
        "Only the lead professional or the council's early help staff change the TAF.",
    )
    return episode


def _attendees(request: HttpRequest, episode: Episode, rows: list[AttendeeIn]) -> list[dict]:
    """The attendees as the service takes them, each professional and family member one the
    user may name here; 422 naming the row otherwise."""
    professionals = professionals_of(episode)
    family = {p.pk: p for p in selectors.visible_family(user=user_of(request), episode=episode)}
    errors: list[tuple[list[str | int], str]] = []
    attendees: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        where: list[str | int] = [*BODY, "attendees", i]
        entry: dict[str, Any] = {"name": row.name.strip(), "agency": row.agency}
        entry["attended"] = row.attended
        if row.user is not None:
            user = professionals.get(row.user)
            if user is None:
                errors.append(
                    ([*where, "user"], "Not the lead professional or a member of this TAF.")
                )
                continue
            entry.update(user=user, organisation=user.organisation)
            entry["name"] = entry["name"] or str(user)
            entry["agency"] = entry["agency"] or selectors.agency_of(user.organisation)
        elif row.person is not None:
            person = family.get(row.person)
            if person is None:
                errors.append(([*where, "person"], "Not a member of this family you may see."))
                continue
            entry["person"] = person
            entry["name"] = entry["name"] or person.full_name
            entry["agency"] = entry["agency"] or AgencyKind.FAMILY
        attendees.append(entry)
    if errors:
        raise invalid(errors)
    return attendees


# --- endpoints -------------------------------------------------------------------------------


@router.get("/{episode_id}/taf-members", response=list[MemberOut], summary="The TAF's members")
@paginated(WholeList)
def list_members(request: HttpRequest, episode_id: uuid.UUID) -> QuerySet[TafMember]:
    """Current and past members (a member who left keeps their row, with ``left_on``)."""
    episode = episode_for(request, episode_id)
    log_children_read(request, episode)
    return episode.taf_members.select_related("user__organisation").order_by(
        "left_on", "joined_on", "pk"
    )


@router.post(
    "/{episode_id}/taf-members",
    response={201: MemberOut, 409: MessageOut},
    summary="Add a member to the TAF",
)
def add_member(request: HttpRequest, episode_id: uuid.UUID, payload: MemberIn) -> Status[TafMember]:
    """A practitioner of any organisation serving the family's council. While a member
    they see the episode (and its children); after they leave, they do not."""
    episode = _working(request, episode_id)
    candidate = selectors.possible_taf_members(episode).filter(pk=payload.user).first()
    if candidate is None:
        raise invalid_field(
            "user",
            f"No active practitioner of an organisation serving {episode.council}, not "
            "already a member, has this id.",
        )
    member = services.add_taf_member(
        episode=episode,
        user=candidate,
        by=user_of(request),
        role_in_taf=payload.role_in_taf,
        joined_on=payload.joined_on,
    )
    return Status(201, member)


@router.delete(
    "/{episode_id}/taf-members/{member_id}",
    response={200: MemberOut, 409: MessageOut},
    summary="End a TAF membership",
)
@fields_at(under=("query",))
def remove_member(
    request: HttpRequest,
    episode_id: uuid.UUID,
    member_id: int,
    left_on: date | None = None,
) -> TafMember:
    """Ends the membership on ``left_on`` (today by default; the row is kept, with
    ``left_on``) and with it the practitioner's access, unless they lead the episode. A
    leaving date before the joining date answers 422; a membership already ended, 409."""
    episode = _working(request, episode_id)
    member = found_or_404(
        episode.taf_members.select_related("user__organisation").filter(pk=member_id).first()
    )
    return services.remove_taf_member(member=member, by=user_of(request), left_on=left_on)


@router.get("/{episode_id}/taf-meetings", response=list[MeetingOut], summary="The TAF's meetings")
@paginated(WholeList)
def list_meetings(request: HttpRequest, episode_id: uuid.UUID) -> QuerySet[TafMeeting]:
    episode = episode_for(request, episode_id)
    log_children_read(request, episode)
    return _meetings(episode)


@router.post(
    "/{episode_id}/taf-meetings",
    response={201: MeetingOut, 409: MessageOut},
    summary="Record a TAF meeting",
)
def record_meeting(
    request: HttpRequest, episode_id: uuid.UUID, payload: MeetingIn
) -> Status[TafMeeting]:
    """Who attended, by person and agency (so partner engagement can be counted), and
    what the meeting decided."""
    episode = _working(request, episode_id)
    attendees = _attendees(request, episode, payload.attendees)
    meeting = services.record_taf_meeting(
        episode=episode,
        held_on=payload.held_on,
        decisions=payload.decisions,
        attendees=attendees,
        by=user_of(request),
    )
    return Status(201, _meetings(episode).get(pk=meeting.pk))
