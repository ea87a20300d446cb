"""Who may see and do what with the shared case record. Registered with the one access
policy, which every people page and API endpoint asks.

- The council's front-door workers, early help practitioners and team managers see the
  council's people; a break-glass grant shows them another council's person for its few
  hours.
- Partner practitioners, auditors and early help practitioners (of any agency) see a
  person while they have an active involvement with them (referrer, lead professional,
  Team Around the Family member, peer auditor), and not after.
- A restricted record is invisible to anyone not on its access list, everywhere.
- Only council staff of the record's own council change it; front-door workers and team
  managers may break the glass on another council's (unrestricted) record.
- Staff placed in a hub whose agency's row in the agreement in force covers the
  children's records they need to decide (``hubs.reach``; a party council's front door
  always) see the people of the agreement's councils, as a council's front door sees its
  own, until the placement or the agreement ends. Restriction still hides a record; only
  the person's own council's staff change it.
- Analysts, strategic leads, team managers and administrators see numbers of people per
  council, never names.
- A possible match (a new record that may be a second record of someone already known) is
  reviewed by the front door of the council holding the existing record, if they see it;
  only someone who sees both records decides it. Its author is never told (decision 0008).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import (
    BreakGlassGrant,
    Involvement,
    InvolvementReason,
    RestrictedAccess,
)
from continuum.accounts.models import Role, User
from continuum.accounts.roles import (
    COUNCIL_CASE_ROLES,
    DASHBOARD_ROLES,
    FRONT_DOOR_ROLES,
    INVOLVEMENT_ROLES,
)
from continuum.hubs.reach import reached_councils
from continuum.organisations.models import OrganisationKind
from continuum.people.choices import ChronologyCategory
from continuum.people.models import Person, PossibleMatch


class PeopleAction:
    SEARCH = "people.search"
    CREATE = "people.create"
    VIEW = "people.view"
    EDIT = "people.edit"
    VIEW_ACCESS_LOG = "people.view_access_log"
    BREAK_GLASS = "people.break_glass"
    # Numbers of people per council (never names).
    VIEW_COUNTS = "people.view_counts"
    # The possible matches the user's council holds, and deciding one.
    REVIEW_MATCHES = "people.review_matches"
    DECIDE_MATCH = "people.decide_match"


def _not_restricted_or_listed(user: User) -> Q:
    listed = Exists(RestrictedAccess.objects.filter(person=OuterRef("pk"), user=user))
    return Q(is_restricted=False) | Q(listed)


def _active_involvement(user: User) -> Exists:
    return Exists(Involvement.objects.active().filter(user=user, person=OuterRef("pk")))


def _active_break_glass(user: User) -> Exists:
    now = timezone.now()
    return Exists(
        BreakGlassGrant.objects.filter(
            user=user,
            person=OuterRef("pk"),
            granted_at__lte=now,
            expires_at__gt=now,
            revoked_at__isnull=True,
        )
    )


def people_visible_to(user: User) -> QuerySet[Person]:
    """The people ``user`` may see by name. Everyone else gets none."""
    council = policy.council_of(user)
    reaches: list[Q] = []
    if council is not None:
        reaches += [Q(council=council), Q(_active_break_glass(user))]
    if user.role in INVOLVEMENT_ROLES:
        reaches.append(Q(_active_involvement(user)))
    if user.role in COUNCIL_CASE_ROLES | INVOLVEMENT_ROLES:
        # Placed in a hub: the children's records of its councils (a subquery, no query).
        reaches.append(Q(council__in=reached_councils(user, "childrens_records")))
    if not reaches:
        return Person.objects.none()
    reach = reaches[0]
    for extra in reaches[1:]:
        reach |= extra
    return Person.objects.filter(reach).filter(_not_restricted_or_listed(user))


def _sees(user: User, person: Any) -> bool:
    return person is not None and people_visible_to(user).filter(pk=person.pk).exists()


def _can_search(user: User, _: Any) -> bool:
    return user.role in COUNCIL_CASE_ROLES | INVOLVEMENT_ROLES


def _can_create(user: User, _: Any) -> bool:
    return user.role in COUNCIL_CASE_ROLES | {Role.PARTNER_PRACTITIONER}


def _can_edit(user: User, person: Any) -> bool:
    return _sees(user, person) and policy.council_of(user) == person.council


def _can_view_access_log(user: User, person: Any) -> bool:
    return _sees(user, person) and user.role in COUNCIL_CASE_ROLES


def _can_break_glass(user: User, person: Any) -> bool:
    council = policy.council_of(user)
    return (
        person is not None
        and council is not None
        and user.role in FRONT_DOOR_ROLES
        and person.council_id != council.pk
        and not person.is_restricted
    )


def _can_view_counts(user: User, _: Any) -> bool:
    return user.role in DASHBOARD_ROLES | {Role.SYSTEM_ADMINISTRATOR}


def possible_matches_visible_to(user: User) -> QuerySet[PossibleMatch]:
    """The possible matches ``user`` reviews: those whose existing record their council
    holds and they may see, for the front door. Never the author of the new record as such."""
    council = policy.council_of(user)
    if council is None or user.role not in FRONT_DOOR_ROLES:
        return PossibleMatch.objects.none()
    return PossibleMatch.objects.filter(
        existing_person__council=council,
        existing_person__in=people_visible_to(user).values("pk"),
    )


def _can_review_matches(user: User, _: Any) -> bool:
    return user.role in FRONT_DOOR_ROLES and policy.council_of(user) is not None


def _can_decide_match(user: User, match: Any) -> bool:
    return (
        isinstance(match, PossibleMatch)
        and possible_matches_visible_to(user).filter(pk=match.pk).exists()
        and _sees(user, match.new_person)
    )


# --- the chronology, filtered by who reads it (issue 10, finding 10) --------------------------
#
# Who reads which categories of a person's chronology, once: docs/chronology-visibility.md
# shows this table with the reasons (a test checks the two match). A reader is the
# council's own staff, or a partner by the kind of organisation they work for; leading an
# episode or auditing one adds what that work needs. A category not listed is not seen.

C = ChronologyCategory
EVERY_CATEGORY = frozenset(ChronologyCategory.values)


class ChronologyReader:
    COUNCIL = "council"
    LEAD_PROFESSIONAL = "lead_professional"
    PEER_AUDITOR = "peer_auditor"
    SCHOOL = OrganisationKind.SCHOOL.value
    EARLY_YEARS = OrganisationKind.EARLY_YEARS.value
    NHS_TRUST = OrganisationKind.NHS_TRUST.value
    GP_PRACTICE = OrganisationKind.GP_PRACTICE.value
    POLICE = OrganisationKind.POLICE.value
    VOLUNTARY = OrganisationKind.VOLUNTARY.value
    HOUSING = OrganisationKind.HOUSING.value
    # The safeguarding partnership's staff read no one's record (issue 14): nothing.
    PARTNERSHIP = OrganisationKind.SAFEGUARDING_PARTNERSHIP.value
    # A hub has no accounts of its own: its staff are placed in it by their agencies and
    # read as their agency does (issue 15). An account of the hub itself reads nothing.
    HUB = OrganisationKind.HUB.value
    OTHER = OrganisationKind.OTHER.value


_SHARED = frozenset({C.RECORD, C.FAMILY, C.CONTACT, C.DECISION, C.EARLY_HELP})
_HEALTH = _SHARED | {C.SOCIAL_CARE, C.HEALTH, C.MENTAL_HEALTH}
CHRONOLOGY_VISIBILITY: dict[str, frozenset[str]] = {
    ChronologyReader.COUNCIL: EVERY_CATEGORY,
    ChronologyReader.LEAD_PROFESSIONAL: EVERY_CATEGORY - {C.MENTAL_HEALTH},
    ChronologyReader.PEER_AUDITOR: _SHARED | {C.SOCIAL_CARE},
    ChronologyReader.SCHOOL: _SHARED | {C.SOCIAL_CARE, C.EDUCATION},
    ChronologyReader.EARLY_YEARS: _SHARED | {C.EDUCATION},
    ChronologyReader.NHS_TRUST: _HEALTH,
    ChronologyReader.GP_PRACTICE: _HEALTH,
    ChronologyReader.POLICE: (_SHARED - {C.EARLY_HELP}) | {C.SOCIAL_CARE, C.POLICE},
    ChronologyReader.VOLUNTARY: _SHARED | {C.OTHER},
    ChronologyReader.HOUSING: _SHARED | {C.OTHER},
    ChronologyReader.PARTNERSHIP: frozenset(),
    ChronologyReader.HUB: frozenset(),
    ChronologyReader.OTHER: _SHARED,
}


def chronology_readers(user: User, person: Person) -> list[str]:
    """The rows of ``CHRONOLOGY_VISIBILITY`` that apply to ``user`` reading ``person``."""
    if policy.council_of(user) is not None:
        return [ChronologyReader.COUNCIL]
    readers: list[str] = []
    if user.role == Role.AUDITOR:
        readers.append(ChronologyReader.PEER_AUDITOR)
    elif user.organisation is not None and user.organisation.kind in CHRONOLOGY_VISIBILITY:
        readers.append(user.organisation.kind)
    else:
        readers.append(ChronologyReader.OTHER)
    leads = (
        Involvement.objects.active()
        .filter(user=user, person=person, reason=InvolvementReason.LEAD_PROFESSIONAL)
        .exists()
    )
    if leads:
        readers.append(ChronologyReader.LEAD_PROFESSIONAL)
    return readers


def chronology_categories_for(user: User, person: Person) -> frozenset[str]:
    """The categories of ``person``'s chronology ``user`` sees (none for anyone without a
    role)."""
    if not policy.has_role(user):
        return frozenset()
    seen: frozenset[str] = frozenset()
    for reader in chronology_readers(user, person):
        seen |= CHRONOLOGY_VISIBILITY[reader]
    return seen


def reads_council_only_detail(user: User) -> bool:
    """A front-door decision's rationale (and any entry marked council-only) is for the
    council's own staff."""
    return policy.has_role(user) and policy.council_of(user) is not None


policy.register_scope(Person, people_visible_to)
policy.register_scope(PossibleMatch, possible_matches_visible_to)
policy.register_rule(PeopleAction.SEARCH, _can_search)
policy.register_rule(PeopleAction.CREATE, _can_create)
policy.register_rule(PeopleAction.VIEW, _sees)
policy.register_rule(PeopleAction.EDIT, _can_edit)
policy.register_rule(PeopleAction.VIEW_ACCESS_LOG, _can_view_access_log)
policy.register_rule(PeopleAction.BREAK_GLASS, _can_break_glass)
policy.register_rule(PeopleAction.VIEW_COUNTS, _can_view_counts)
policy.register_rule(PeopleAction.REVIEW_MATCHES, _can_review_matches)
policy.register_rule(PeopleAction.DECIDE_MATCH, _can_decide_match)
