"""Running audit programmes over the API: list and set up programmes, read one, draw its
sample, list and add cases by hand, give cases to auditors, open and close it.

Who may see a programme sees it (``programmes_visible_to``; anyone else: 404); only the
safeguarding partnership's lead changes one (403). Cases are named by id and council,
never by a person's details."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.case_audits.choices import CaseKind, SampleMethod
from continuum.case_audits.models import AuditCase, AuditProgramme, AuditTemplate
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services import programmes as services
from continuum.organisations.models import Council
from continuum.ui.api import invalid, limit_offset, paginated

router = Router(tags=["case audits"])
Pages = limit_offset("AuditProgrammePages", default=50, maximum=200)
RUN = CaseAuditAction.RUN_PROGRAMMES


def _name(user: Any) -> str | None:
    return None if user is None else (user.get_full_name() or user.username)


class ProgrammeCouncilOut(Schema):
    id: int
    name: str


class AuditProgrammeRunOut(Schema):
    id: uuid.UUID
    title: str
    theme: str
    status: str
    template: int
    case_kind: str
    period_start: date
    period_end: date
    councils: list[ProgrammeCouncilOut]
    sample_method: str
    per_council: int
    seed: int | None
    exclude_audited_within_days: int | None
    regrade_per_council: int
    audits_due_on: date | None
    moderators: list[str]
    sampled_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_template(programme: AuditProgramme) -> int:
        return programme.template_id

    @staticmethod
    def resolve_councils(programme: AuditProgramme) -> list[Council]:
        return list(programme.councils.order_by("name"))

    @staticmethod
    def resolve_moderators(programme: AuditProgramme) -> list[str]:
        return [str(_name(m)) for m in programme.moderators.order_by("last_name", "first_name")]


class SampledCaseOut(Schema):
    id: uuid.UUID
    council: str
    kind: str
    record_id: uuid.UUID
    level: int | None
    chosen_by_hand: bool
    reason: str
    auditor: str | None
    status: str
    withdrawn_reason: str

    @staticmethod
    def resolve_council(case: AuditCase) -> str:
        return case.council.name

    @staticmethod
    def resolve_record_id(case: AuditCase) -> Any:
        return case.episode_id or case.contact_id

    @staticmethod
    def resolve_auditor(case: AuditCase) -> str | None:
        return _name(case.auditor)


class AuditProgrammeIn(Schema):
    title: str
    theme: str
    template: int = Field(description="A current case audit template's id.")
    case_kind: CaseKind
    period_start: date
    period_end: date = Field(description="Today or earlier.")
    councils: list[int] = Field(description="Ids of councils the partnership serves.")
    sample_method: SampleMethod
    per_council: int = 10
    seed: int | None = Field(default=None, description="Made for you when not given.")
    exclude_audited_within_days: int | None = None
    regrade_per_council: int = 0
    audits_due_on: date | None = None


class CaseByHandIn(Schema):
    record_id: str = Field(description="The episode's or contact's id.")
    reason: str


class ProgrammeAssignmentsIn(Schema):
    cases: dict[str, int] = Field(default_factory=dict, description="Case id to auditor id.")
    regrades: dict[str, int] = Field(default_factory=dict, description="Re-grade id to auditor id.")
    moderators: list[int] | None = Field(default=None, description="Replaces the moderators.")
    automatic: list[int] | None = Field(
        default=None,
        description="Auditor ids to share every case and re-grade between (instead of cases).",
    )


def _run(request: HttpRequest, programme_id: uuid.UUID) -> tuple[User, AuditProgramme]:
    user = user_of(request)
    found = policy.get_visible_or_404(user, AuditProgramme, programme_id)
    return user, found


def _users(ids: list[int], field: str) -> list[User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    if missing := [i for i in ids if i not in found]:
        raise invalid([(("body", field), f"There is no user {missing[0]}.")])
    return [found[i] for i in ids]


@router.get("/audit-programmes", response=list[AuditProgrammeRunOut], summary="Audit programmes")
@paginated(Pages)
def list_programmes(request: HttpRequest) -> QuerySet[AuditProgramme]:
    user = user_of(request)
    policy.require(user, CaseAuditAction.VIEW_PROGRAMME)
    return policy.visible(user, AuditProgramme).order_by("-period_end", "title", "pk")


@router.post(
    "/audit-programmes", response={201: AuditProgrammeRunOut}, summary="Set up a programme"
)
def create(request: HttpRequest, body: AuditProgrammeIn) -> Status:
    """422 by field (councils not served, a period in the future or ending before it
    starts, a template not current, 1–50 cases a council, a due date in the past)."""
    user = user_of(request)
    policy.require(user, RUN, message="Only the safeguarding partnership's lead.")
    data = body.model_dump()
    template = AuditTemplate.objects.filter(pk=data.pop("template")).first()
    ids = data.pop("councils")
    councils = list(Council.objects.filter(pk__in=ids))
    if len(councils) != len(set(ids)):
        raise invalid([(("body", "councils"), "Choose councils your partnership serves.")])
    made = services.create_programme(by=user, template=template, councils=councils, **data)
    return Status(201, made)


@router.get(
    "/audit-programmes/{uuid:programme_id}", response=AuditProgrammeRunOut, summary="A programme"
)
def get_programme(request: HttpRequest, programme_id: uuid.UUID) -> AuditProgramme:
    return _run(request, programme_id)[1]


@router.post(
    "/audit-programmes/{uuid:programme_id}/sample",
    response=AuditProgrammeRunOut,
    summary="Draw the sample",
)
def draw(request: HttpRequest, programme_id: uuid.UUID) -> AuditProgramme:
    """422 with the numbers per council when the sample is larger than the population
    (nothing saved); 409 once the programme has opened."""
    user, found = _run(request, programme_id)
    return services.draw_sample(programme=found, by=user)


@router.get(
    "/audit-programmes/{uuid:programme_id}/cases",
    response=list[SampledCaseOut],
    summary="The programme's cases you can see",
)
@paginated(Pages)
def list_cases(request: HttpRequest, programme_id: uuid.UUID) -> QuerySet[AuditCase]:
    user, found = _run(request, programme_id)
    return (
        policy.visible(user, AuditCase)
        .filter(programme=found)
        .select_related("council", "auditor")
        .order_by("council__name", "pk")
    )


@router.post(
    "/audit-programmes/{uuid:programme_id}/cases",
    response={201: SampledCaseOut},
    summary="Add a case by hand",
)
def add_case(request: HttpRequest, programme_id: uuid.UUID, body: CaseByHandIn) -> Status:
    user, found = _run(request, programme_id)
    return Status(
        201,
        services.add_case_by_hand(
            programme=found, by=user, record_id=body.record_id, reason=body.reason
        ),
    )


@router.post(
    "/audit-programmes/{uuid:programme_id}/assignments",
    response=AuditProgrammeRunOut,
    summary="Give cases to auditors; set the moderators",
)
def assign(
    request: HttpRequest, programme_id: uuid.UUID, body: ProgrammeAssignmentsIn
) -> AuditProgramme:
    """``automatic``: share every case and re-grade between these auditors (balanced, never
    their own council's); otherwise ``cases`` and ``regrades`` map ids to auditors."""
    user, found = _run(request, programme_id)
    policy.require(user, RUN, found, message="Only the safeguarding partnership's lead.")
    moderators = None if body.moderators is None else _users(body.moderators, "moderators")
    if body.automatic is not None:
        return services.assign_automatically(
            programme=found,
            by=user,
            auditors=_users(body.automatic, "automatic"),
            moderators=moderators or [],
        )
    people = _users(sorted({*body.cases.values(), *body.regrades.values()}), "cases")
    by_id = {p.pk: p for p in people}
    return services.assign(
        programme=found,
        by=user,
        assignments={key: by_id[value] for key, value in body.cases.items()},
        regrade_assignments={key: by_id[value] for key, value in body.regrades.items()},
        moderators=moderators,
    )


@router.post(
    "/audit-programmes/{uuid:programme_id}/open", response=AuditProgrammeRunOut, summary="Open it"
)
def open_programme(request: HttpRequest, programme_id: uuid.UUID) -> AuditProgramme:
    """409 until the sample is drawn, every case and re-grade has an auditor and there is a
    moderator."""
    user, found = _run(request, programme_id)
    return services.open_programme(programme=found, by=user)


@router.post(
    "/audit-programmes/{uuid:programme_id}/close", response=AuditProgrammeRunOut, summary="Close it"
)
def close_programme(request: HttpRequest, programme_id: uuid.UUID) -> AuditProgramme:
    """409 while any case is not moderated or withdrawn (with the counts)."""
    user, found = _run(request, programme_id)
    return services.close_programme(programme=found, by=user)
