"""The groups of roles the policies speak of, each defined once.

Policies and services name these sets rather than listing roles again, so "who works for a
council's children's services" or "who may lead an episode" has one answer.
"""

from __future__ import annotations

from continuum.accounts.models import Role

# Council children's services staff who work with families: they see their council's
# people and cases.
COUNCIL_CASE_ROLES = frozenset(
    {Role.FRONT_DOOR_WORKER, Role.EARLY_HELP_PRACTITIONER, Role.TEAM_MANAGER}
)
# Council staff who do early help work on the council's episodes.
EARLY_HELP_STAFF_ROLES = frozenset({Role.EARLY_HELP_PRACTITIONER, Role.TEAM_MANAGER})
# Those who screen contacts, triage notifications and take referrals by phone at the front
# door (and so are never the referrer themselves).
FRONT_DOOR_ROLES = frozenset({Role.FRONT_DOOR_WORKER, Role.TEAM_MANAGER})
# Practitioners who may work for any agency (a school, health, the voluntary sector):
# they see people only through a recorded involvement unless a council employs them.
PRACTITIONER_ROLES = frozenset({Role.PARTNER_PRACTITIONER, Role.EARLY_HELP_PRACTITIONER})
# Who sees people through a recorded involvement, while it lasts.
INVOLVEMENT_ROLES = PRACTITIONER_ROLES | {Role.AUDITOR}
# Who may refer a family to the front door.
REFERRING_ROLES = COUNCIL_CASE_ROLES | PRACTITIONER_ROLES
# Who may lead an early help episode and do its work: practitioners of any agency and team
# managers (never analysts, auditors or administrators, who do not work with families).
LEAD_PROFESSIONAL_ROLES = PRACTITIONER_ROLES | {Role.TEAM_MANAGER}
# Who sees aggregates only, never names.
AGGREGATE_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.STRATEGIC_LEAD})
# Who sees the performance dashboards.
DASHBOARD_ROLES = AGGREGATE_ROLES | {Role.TEAM_MANAGER}
# A council's information governance leads: they review who reads the council's records
# (unusual volumes of reads, emergency access to its records) and may end emergency access.
# They see access-log rows and grants, which name people by id only, and no case records.
INFORMATION_GOVERNANCE_ROLES = frozenset({Role.INFORMATION_GOVERNANCE_LEAD})
# Who makes a council's statutory returns (the CIN census, Ofsted's Annex A lists): its team
# managers, performance analysts and strategic leads, employed by the council itself, for
# their own council only. A return names no one, but it lists the council's children one
# by one, so never a partner, a practitioner, an auditor or the information governance
# lead (who sees no records).
STATUTORY_RETURN_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST, Role.STRATEGIC_LEAD}
)
# A safeguarding children partnership's quality-assurance lead (issue 14): runs audit
# programmes across the councils their partnership serves and sees their reports across
# councils. Like an analyst, they see no case records.
AUDIT_PROGRAMME_ROLES = frozenset({Role.SAFEGUARDING_PARTNERSHIP_LEAD})
# Who may moderate an audit programme's grades: auditors and the partnership's lead.
MODERATOR_ROLES = frozenset({Role.AUDITOR, Role.SAFEGUARDING_PARTNERSHIP_LEAD})
