"""Who may see and do what in case audits (issue 14). Registered with the one access policy.

- **The safeguarding partnership lead** (``Role.SAFEGUARDING_PARTNERSHIP_LEAD``, employed by
  the partnership, an organisation serving its councils) runs audit programmes across the
  councils their partnership serves: creates them, draws the sample, gives each case to an
  auditor, opens and closes them; edits the templates; sees every programme's cases,
  findings, actions, observations and reports across councils, naming cases by reference
  (never a person's record: they are not given read grants).
- **A peer auditor** (``Role.AUDITOR``) audits only the cases given to them, only while the
  programme is open, and never a case of their own council. Their read-only sight of the
  sampled episode or contact, and of the people it names, comes from a read grant and
  involvements from the programme (``source_of(programme)``), which end when it closes.
  They see their own audit cases and re-grades while the programme is open, and not after.
- **A moderator** (a programme's ``moderators``: auditors or the partnership lead) agrees
  the final grade of submitted cases they did not audit themselves and that are not their
  own council's, and sees the programme's cases (but their own council's) while it is
  open; a moderator who is an auditor reads those cases' records as their auditors do.
- **A council's team managers and strategic leads** see their own council's audited cases
  once submitted (the findings are shared with the practitioner and manager), the actions
  for their council, the observations of their front door and their council's report; a
  council's team managers and strategic leads add questions of the council's own to a
  template. Performance analysts see their council's report.
- **An action's owner** sees it and records its progress until it is done.
- Nobody else: partners, practitioners, front-door workers, the information governance lead
  and administrators see none of it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseStatus, ProgrammeStatus
from continuum.case_audits.models import (
    AuditAction,
    AuditCase,
    AuditProgramme,
    AuditTemplate,
    BlindRegrade,
    FrontDoorObservation,
)
from continuum.organisations.models import Council

# Council staff who see their own council's audit results and actions.
COUNCIL_AUDIT_READERS = frozenset({Role.TEAM_MANAGER, Role.STRATEGIC_LEAD})
# ...and who see their council's audit report (figures only).
COUNCIL_REPORT_READERS = COUNCIL_AUDIT_READERS | {Role.PERFORMANCE_ANALYST}


class CaseAuditAction:
    # Create, sample, assign, open and close programmes; edit templates (new versions).
    RUN_PROGRAMMES = "case_audits.run_programmes"
    # See a programme (its page, its list of cases as far as the scope shows them).
    VIEW_PROGRAMME = "case_audits.view_programme"
    # Record findings, the conversation and the overall grade; submit.
    AUDIT_CASE = "case_audits.audit_case"
    # Agree the final grade of a submitted case.
    MODERATE_CASE = "case_audits.moderate_case"
    # Grade a sampled contact's threshold level blind, or reveal the decision.
    REGRADE = "case_audits.regrade"
    # See the threshold agreement of a programme (kappa, matrix, disagreements).
    VIEW_CONSISTENCY = "case_audits.view_consistency"
    # See a programme's report (obj: the programme; for one council: the council).
    VIEW_REPORT = "case_audits.view_report"
    # Add actions to a programme's cases or councils.
    ADD_ACTIONS = "case_audits.add_actions"
    # Record an action's progress (obj: the action).
    UPDATE_ACTION = "case_audits.update_action"
    # Record an observation of a council's front door (obj: the council observed).
    OBSERVE_FRONT_DOOR = "case_audits.observe_front_door"
    # Add a council's own question to a template (obj: the council).
    ADD_COUNCIL_QUESTION = "case_audits.add_council_question"
    # See the audit templates (no object: they name nobody).
    VIEW_TEMPLATES = "case_audits.view_templates"


def source_of(programme: AuditProgramme) -> str:
    """What the read grants and involvements a programme gives come from: they end, all
    together, when it closes (``access.services.end_read_grants_from`` and
    ``end_involvements_from``)."""
    return f"case_audits.programme:{programme.pk}"


def partnership_councils(user: User) -> QuerySet[Council]:
    """The councils a safeguarding partnership lead's partnership serves (none for anyone
    else)."""
    if user.role != Role.SAFEGUARDING_PARTNERSHIP_LEAD or user.organisation_id is None:
        return Council.objects.none()
    return Council.objects.filter(served_by=user.organisation_id)


def _leads(user: User) -> Q:
    """Programmes whose every council the user's partnership serves."""
    councils = partnership_councils(user)
    if not councils.exists():
        return Q(pk__in=[])
    outside = AuditProgramme.councils.through.objects.filter(auditprogramme=OuterRef("pk")).exclude(
        council__in=councils
    )
    return ~Q(Exists(outside))


def _council_reader(user: User) -> Council | None:
    if user.role in COUNCIL_REPORT_READERS and user.organisation is not None:
        return user.organisation.council
    return None


def programmes_visible_to(user: User) -> QuerySet[AuditProgramme]:
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return AuditProgramme.objects.filter(_leads(user))
    open_now = Q(status=ProgrammeStatus.OPEN)
    reach = Q(pk__in=[])
    if user.role == Role.AUDITOR:
        reach = open_now & (
            Q(moderators=user)
            | Exists(AuditCase.objects.filter(programme=OuterRef("pk"), auditor=user))
            | Exists(BlindRegrade.objects.filter(programme=OuterRef("pk"), auditor=user))
        )
    council = _council_reader(user)
    if council is not None:
        reach = reach | (Q(councils=council) & ~Q(status=ProgrammeStatus.PLANNING))
    return AuditProgramme.objects.filter(reach).distinct()


def cases_visible_to(user: User) -> QuerySet[AuditCase]:
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return AuditCase.objects.filter(programme__in=programmes_visible_to(user))
    open_now = Q(programme__status=ProgrammeStatus.OPEN)
    reach = Q(pk__in=[])
    if user.role == Role.AUDITOR:
        # A moderator sees the programme's cases but their own council's.
        moderates = Q(programme__moderators=user) & ~Q(council_id=_employer_council_id(user))
        reach = open_now & (Q(auditor=user) | moderates)
    council = _council_reader(user)
    if council is not None and user.role in COUNCIL_AUDIT_READERS:
        reach = reach | Q(council=council, status__in=[CaseStatus.SUBMITTED, CaseStatus.MODERATED])
    return AuditCase.objects.filter(reach).distinct()


def regrades_visible_to(user: User) -> QuerySet[BlindRegrade]:
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return BlindRegrade.objects.filter(programme__in=programmes_visible_to(user))
    if user.role == Role.AUDITOR:
        return BlindRegrade.objects.filter(
            Q(programme__status=ProgrammeStatus.OPEN)
            & (
                Q(auditor=user)
                | (Q(programme__moderators=user) & ~Q(council_id=_employer_council_id(user)))
            )
        ).distinct()
    return BlindRegrade.objects.none()


def actions_visible_to(user: User) -> QuerySet[AuditAction]:
    reach = Q(owner=user)
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        reach |= Q(programme__in=programmes_visible_to(user))
    if user.role in (Role.AUDITOR, Role.SAFEGUARDING_PARTNERSHIP_LEAD):
        reach |= Q(programme__moderators=user, programme__status=ProgrammeStatus.OPEN)
    council = _council_reader(user)
    if council is not None and user.role in COUNCIL_AUDIT_READERS:
        reach |= Q(council=council)
    return AuditAction.objects.filter(reach).distinct()


def observations_visible_to(user: User) -> QuerySet[FrontDoorObservation]:
    reach = Q(observer=user)
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        reach |= Q(council__in=partnership_councils(user))
    council = _council_reader(user)
    if council is not None and user.role in COUNCIL_AUDIT_READERS:
        reach |= Q(council=council, submitted_at__isnull=False)
    return FrontDoorObservation.objects.filter(reach).distinct()


# --- rules -----------------------------------------------------------------------------------
# Asked without an object, a rule answers whether the user could ever do it (a page's first
# gate); asked with one, whether they may do it to that record.


def _can_run(user: User, programme: Any) -> bool:
    if user.role != Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return False
    if programme is None:
        return partnership_councils(user).exists()
    return programmes_visible_to(user).filter(pk=programme.pk).exists()


def _can_view_programme(user: User, programme: Any) -> bool:
    if programme is None:
        return user.role in (Role.SAFEGUARDING_PARTNERSHIP_LEAD, Role.AUDITOR) or (
            _council_reader(user) is not None and user.role in COUNCIL_AUDIT_READERS
        )
    return programmes_visible_to(user).filter(pk=programme.pk).exists()


def _employer_council_id(user: User) -> Any:
    """The council employing ``user`` (None for a partner's or the partnership's staff)."""
    return user.organisation.council_id if user.organisation is not None else None


def _auditor_of_another_council(user: User, council_id: Any) -> bool:
    own = _employer_council_id(user)
    return own is None or own != council_id


def _can_audit(user: User, case: Any) -> bool:
    if user.role != Role.AUDITOR:
        return False
    if case is None:
        return True
    return (
        case.auditor_id == user.pk
        and case.programme.status == ProgrammeStatus.OPEN
        and case.status in (CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS)
        and _auditor_of_another_council(user, case.council_id)
    )


def _can_moderate(user: User, case: Any) -> bool:
    if user.role not in (Role.AUDITOR, Role.SAFEGUARDING_PARTNERSHIP_LEAD):
        return False
    if case is None:
        return True
    programme = case.programme
    return (
        programme.status == ProgrammeStatus.OPEN
        and case.status == CaseStatus.SUBMITTED
        and case.auditor_id != user.pk
        and _auditor_of_another_council(user, case.council_id)
        and programme.moderators.filter(pk=user.pk).exists()
    )


def _can_regrade(user: User, regrade: Any) -> bool:
    if user.role != Role.AUDITOR:
        return False
    if regrade is None:
        return True
    return (
        regrade.auditor_id == user.pk
        and regrade.programme.status == ProgrammeStatus.OPEN
        and _auditor_of_another_council(user, regrade.council_id)
    )


def _runs_or_moderates(user: User, programme: Any) -> bool:
    """The partnership lead who runs the programme, or an auditor moderating it while it is
    open: who sees its threshold agreement and adds actions to it."""
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return programme is None or _can_run(user, programme)
    if user.role == Role.AUDITOR:
        return programme is None or (
            programme.status == ProgrammeStatus.OPEN
            and programme.moderators.filter(pk=user.pk).exists()
        )
    return False


class CouncilReport(NamedTuple):
    """One council's part of a programme's report (``VIEW_REPORT``'s object)."""

    programme: AuditProgramme
    council: Council


def _can_view_report(user: User, obj: Any) -> bool:
    """``obj``: a programme (the report across its councils), a ``CouncilReport`` (one
    council's part of it: only of one of the programme's councils), or a council. Nobody
    sees the report of a programme still being planned."""
    if isinstance(obj, CouncilReport):
        return (
            obj.programme.status != ProgrammeStatus.PLANNING
            and obj.programme.councils.filter(pk=obj.council.pk).exists()
            and _can_view_report(user, obj.council)
            and (user.role != Role.SAFEGUARDING_PARTNERSHIP_LEAD or _can_run(user, obj.programme))
        )
    if isinstance(obj, AuditProgramme) and obj.status == ProgrammeStatus.PLANNING:
        return False
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        if obj is None:
            return partnership_councils(user).exists()
        if isinstance(obj, Council):
            return partnership_councils(user).filter(pk=obj.pk).exists()
        return _can_run(user, obj)
    council = _council_reader(user)
    if council is None:
        return False
    if obj is None:
        return True
    if isinstance(obj, Council):
        return obj.pk == council.pk
    return False


def _can_update_action(user: User, action: Any) -> bool:
    if action is None:
        return True
    if action.owner_id == user.pk:
        return True
    return user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD and _can_run(user, action.programme)


def _can_observe(user: User, council: Any) -> bool:
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return council is None or partnership_councils(user).filter(pk=council.pk).exists()
    if user.role == Role.AUDITOR:
        return council is None or _auditor_of_another_council(user, council.pk)
    return False


def _can_add_council_question(user: User, council: Any) -> bool:
    own = _council_reader(user)
    if own is None or user.role not in COUNCIL_AUDIT_READERS:
        return False
    return council is None or council.pk == own.pk


def _can_view_templates(user: User, obj: Any = None) -> bool:
    """Anyone who may see programmes, and the councils' report readers (analysts too)."""
    return _can_view_programme(user, None) or _council_reader(user) is not None


def templates_visible_to(user: User) -> QuerySet[AuditTemplate]:
    if _can_view_templates(user):
        return AuditTemplate.objects.all()
    return AuditTemplate.objects.none()


policy.register_scope(AuditTemplate, templates_visible_to)
policy.register_rule(CaseAuditAction.VIEW_TEMPLATES, _can_view_templates)
policy.register_scope(AuditProgramme, programmes_visible_to)
policy.register_scope(AuditCase, cases_visible_to)
policy.register_scope(BlindRegrade, regrades_visible_to)
policy.register_scope(AuditAction, actions_visible_to)
policy.register_scope(FrontDoorObservation, observations_visible_to)
policy.register_rule(CaseAuditAction.RUN_PROGRAMMES, _can_run)
policy.register_rule(CaseAuditAction.VIEW_PROGRAMME, _can_view_programme)
policy.register_rule(CaseAuditAction.AUDIT_CASE, _can_audit)
policy.register_rule(CaseAuditAction.MODERATE_CASE, _can_moderate)
policy.register_rule(CaseAuditAction.REGRADE, _can_regrade)
policy.register_rule(CaseAuditAction.VIEW_CONSISTENCY, _runs_or_moderates)
policy.register_rule(CaseAuditAction.VIEW_REPORT, _can_view_report)
policy.register_rule(CaseAuditAction.ADD_ACTIONS, _runs_or_moderates)
policy.register_rule(CaseAuditAction.UPDATE_ACTION, _can_update_action)
policy.register_rule(CaseAuditAction.OBSERVE_FRONT_DOOR, _can_observe)
policy.register_rule(CaseAuditAction.ADD_COUNCIL_QUESTION, _can_add_council_question)
