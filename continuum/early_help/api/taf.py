"""The Team Around the Family over JSON: its members (membership gives a practitioner sight
of the episode while it lasts, and not after) and its meetings, with attendance by person
and agency."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.early_help import selectors, services
from continuum.early_help.api.common import (
    ProfessionalOut,
    episode_for,
    found_or_404,
    log_children_read,
    name_of,
    professional_out,
    professionals_of,
)
from continuum.early_help.choices import AgencyKind
from continuum.early_help.models import Episode, TafMeeting, TafMember
from continuum.early_help.policies import EarlyHelpAction
from continuum.ui.api import BODY, MessageOut, invalid, invalid_field

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


class MemberList(Schema):
    items: list[MemberOut]
    count: int


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
    user: int | None
    person: uuid.UUID | None
    organisation: str | None
    agency: str
    attended: bool


class MeetingOut(Schema):
    id: int
    held_on: date
    decisions: str
    recorded_by: str | None
    attendees: list[AttendeeOut]


class MeetingList(Schema):
    items: list[MeetingOut]
    count: int


# --- helpers ---------------------------------------------------------------------------------


def _member_out(member: TafMember) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": member.pk,
        "user": professional_out(member.user),
        "role_in_taf": member.role_in_taf,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
        "is_current": member.joined_on <= today
        and (member.left_on is None or member.left_on > today),
    }


def _meeting_out(meeting: TafMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "held_on": meeting.held_on,
        "decisions": meeting.decisions,
        "recorded_by": name_of(meeting.recorded_by),
        "attendees": [
            {
                "name": a.name,
                "user": a.user_id,
                "person": a.person_id,
                "organisation": a.organisation.name if a.organisation else None,
                "agency": a.agency,
                "attended": a.attended,
            }
            for a in meeting.attendees.all()
        ],
    }


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


@router.get("/{episode_id}/taf-members", response=MemberList, summary="The TAF's members")
def list_members(request: HttpRequest, episode_id: uuid.UUID) -> dict[str, Any]:
    """Current and past members (a member who left keeps their row, with ``left_on``)."""
    episode = episode_for(request, episode_id)
    members = episode.taf_members.select_related("user__organisation").order_by(
        "left_on", "joined_on", "pk"
    )
    log_children_read(request, episode)
    return {"items": [_member_out(m) for m in members], "count": members.count()}


@router.post(
    "/{episode_id}/taf-members",
    response={201: MemberOut, 409: MessageOut},
    summary="Add a member to the TAF",
)
def add_member(
    request: HttpRequest, episode_id: uuid.UUID, payload: MemberIn
) -> Status[dict[str, Any]]:
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
    return Status(201, _member_out(member))


@router.delete(
    "/{episode_id}/taf-members/{member_id}",
    response={200: MemberOut, 409: MessageOut},
    summary="End a TAF membership",
)
def remove_member(request: HttpRequest, episode_id: uuid.UUID, member_id: int) -> dict[str, Any]:
    """Ends the membership today (the row is kept, with ``left_on``) and with it the
    practitioner's access, unless they lead the episode. A membership already ended
    answers 409."""
    episode = _working(request, episode_id)
    member = found_or_404(
        episode.taf_members.select_related("user__organisation").filter(pk=member_id).first()
    )
    services.remove_taf_member(member=member, by=user_of(request))
    return _member_out(member)


@router.get("/{episode_id}/taf-meetings", response=MeetingList, summary="The TAF's meetings")
def list_meetings(request: HttpRequest, episode_id: uuid.UUID) -> dict[str, Any]:
    episode = episode_for(request, episode_id)
    meetings = episode.taf_meetings.select_related("recorded_by").prefetch_related(
        "attendees__organisation"
    )
    log_children_read(request, episode)
    return {"items": [_meeting_out(m) for m in meetings], "count": meetings.count()}


@router.post(
    "/{episode_id}/taf-meetings",
    response={201: MeetingOut, 409: MessageOut},
    summary="Record a TAF meeting",
)
def record_meeting(
    request: HttpRequest, episode_id: uuid.UUID, payload: MeetingIn
) -> Status[dict[str, Any]]:
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
    return Status(201, _meeting_out(meeting))
