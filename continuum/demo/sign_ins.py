"""The demo sign-ins: the same usernames in every demo database.

They sign in with ``settings.DEMO_PASSWORD``, and only in demo mode
(``continuum.accounts.backends.DemoPasswordBackend``); their own passwords are unusable.

``analyst.tees``, ``admin`` and ``admin2`` work for the Tees Early Help Partnership, an
invented partnership body serving all four councils: the analyst compares councils, so no
single council employs them, and the two administrators look after reference data and
accounts for everyone (a change to someone's access needs both).

Every council the demo uses has a front-door worker (``frontdoor.<council>``), a front door
and early help manager (``manager.<council>``, who signs off decisions, decides step-ups and
allocates at panel) and an early help practitioner who leads families
(``ehworker.<council>``), so every journey can be finished whichever council it reaches: a
school's contact to Middlesbrough, a step-up in Hartlepool (issue 12).
``test_demo_journeys`` checks it against the access policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from continuum.accounts.models import Role


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    role: str
    organisation: str  # a key of World.organisations
    team: str | None  # a key of World.teams
    first_name: str
    last_name: str
    job_title: str
    is_admin: bool = False
    # Other teams, by key prefix: every team whose key starts with one of these.
    also_manages: tuple[str, ...] = ()


DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    # Each council's front door, manager and early help practitioner (issue 12).
    DemoSignIn("frontdoor.stockton", Role.FRONT_DOOR_WORKER, "council:stockton",
               "stockton:front-door", "Amy", "Lawson", "First contact officer"),
    DemoSignIn("manager.stockton", Role.TEAM_MANAGER, "council:stockton",
               "stockton:front-door", "Daniel", "Okafor", "Front door and early help manager",
               also_manages=("stockton:early-help",)),
    DemoSignIn("ehworker.stockton", Role.EARLY_HELP_PRACTITIONER, "council:stockton",
               "stockton:early-help:1", "Zara", "Malik", "Family support worker"),
    DemoSignIn("frontdoor.hartlepool", Role.FRONT_DOOR_WORKER, "council:hartlepool",
               "hartlepool:front-door", "Nadia", "Karim", "First contact officer"),
    DemoSignIn("manager.hartlepool", Role.TEAM_MANAGER, "council:hartlepool",
               "hartlepool:front-door", "Sarah", "Kendall",
               "Front door and early help manager", also_manages=("hartlepool:early-help",)),
    DemoSignIn("ehworker.hartlepool", Role.EARLY_HELP_PRACTITIONER, "council:hartlepool",
               "hartlepool:early-help:1", "Rachel", "Dunn", "Family support worker"),
    DemoSignIn("frontdoor.middlesbrough", Role.FRONT_DOOR_WORKER, "council:middlesbrough",
               "middlesbrough:front-door", "Liam", "Foster", "First contact officer"),
    DemoSignIn("manager.middlesbrough", Role.TEAM_MANAGER, "council:middlesbrough",
               "middlesbrough:front-door", "Marcus", "Adeyemi",
               "Front door and early help manager", also_manages=("middlesbrough:early-help",)),
    DemoSignIn("ehworker.middlesbrough", Role.EARLY_HELP_PRACTITIONER,
               "council:middlesbrough", "middlesbrough:early-help:1", "Callum", "Brennan",
               "Family support worker"),
    DemoSignIn("frontdoor.redcar", Role.FRONT_DOOR_WORKER, "council:redcar",
               "redcar:front-door", "Ellie", "Watson", "First contact officer"),
    DemoSignIn("manager.redcar", Role.TEAM_MANAGER, "council:redcar", "redcar:front-door",
               "Helen", "Carr", "Front door and early help manager",
               also_manages=("redcar:early-help",)),
    DemoSignIn("ehworker.redcar", Role.EARLY_HELP_PRACTITIONER, "council:redcar",
               "redcar:early-help:1", "Megan", "Shaw", "Family support worker"),
    DemoSignIn("school.middlesbrough", Role.PARTNER_PRACTITIONER, "school:middlesbrough",
               "school:middlesbrough:safeguarding", "Mark", "Ellison",
               "Designated safeguarding lead"),
    DemoSignIn("healthvisitor.redcar", Role.PARTNER_PRACTITIONER, "health-visiting",
               "health-visiting:redcar", "Sophie", "Bell", "Health visitor"),
    DemoSignIn("police.cleveland", Role.PARTNER_PRACTITIONER, "police",
               "police:vulnerability", "Tom", "Harper", "Police constable"),
    DemoSignIn("vcs.stockton", Role.EARLY_HELP_PRACTITIONER, "voluntary:stockton",
               "voluntary:stockton:key-workers", "Hannah", "Price", "Family key worker"),
    DemoSignIn("analyst.tees", Role.PERFORMANCE_ANALYST, "partnership",
               "partnership:performance", "Imran", "Hussain", "Performance analyst"),
    # Case audits (issue 14): the partnership's quality-assurance lead runs the audit
    # programmes across the four councils; each council's auditor audits the other
    # councils' cases.
    DemoSignIn("partnership.lead", Role.SAFEGUARDING_PARTNERSHIP_LEAD, "partnership",
               "partnership:quality-assurance", "Ruth", "Ashworth",
               "Quality assurance lead, safeguarding partnership"),
    DemoSignIn("auditor.stockton", Role.AUDITOR, "council:stockton",
               "stockton:quality-assurance", "Kieran", "Doyle", "Quality assurance officer"),
    DemoSignIn("auditor.hartlepool", Role.AUDITOR, "council:hartlepool",
               "hartlepool:quality-assurance", "Lucy", "Pearson", "Quality assurance officer"),
    DemoSignIn("auditor.middlesbrough", Role.AUDITOR, "council:middlesbrough",
               "middlesbrough:quality-assurance", "Samir", "Hassan",
               "Quality assurance officer"),
    DemoSignIn("auditor.redcar", Role.AUDITOR, "council:redcar", "redcar:quality-assurance",
               "Claire", "Robson", "Quality assurance lead"),
    DemoSignIn("admin", Role.SYSTEM_ADMINISTRATOR, "partnership", "partnership:systems",
               "Alex", "Morgan", "System administrator", is_admin=True),
    # A second administrator: changes to someone's role, organisation, teams or administrator
    # status, and resets of a second factor, need one administrator to ask and another to
    # approve.
    DemoSignIn("admin2", Role.SYSTEM_ADMINISTRATOR, "partnership", "partnership:systems",
               "Jordan", "Reid", "System administrator", is_admin=True),
    # Each council's information governance lead: reviews unusual reading and emergency
    # access to the council's records; sees no case records.
    DemoSignIn("ig.stockton", Role.INFORMATION_GOVERNANCE_LEAD, "council:stockton", None,
               "Priya", "Sandhu", "Information governance lead"),
    DemoSignIn("ig.hartlepool", Role.INFORMATION_GOVERNANCE_LEAD, "council:hartlepool", None,
               "Gareth", "Lowe", "Information governance lead"),
    DemoSignIn("ig.middlesbrough", Role.INFORMATION_GOVERNANCE_LEAD, "council:middlesbrough",
               None, "Joanne", "Whitfield", "Information governance lead"),
    DemoSignIn("ig.redcar", Role.INFORMATION_GOVERNANCE_LEAD, "council:redcar", None,
               "Owen", "Marsh", "Information governance lead"),
    # Joint front doors (issue 15): staff of four agencies placed in the Hartlepool and
    # Stockton MACH (``steps/hubs.py``), who work one queue across the two councils as far
    # as the data-sharing agreement lets each agency see. The councils' own front doors and
    # managers above are not placed in a hub: they see their own council only.
    DemoSignIn("hub.worker", Role.FRONT_DOOR_WORKER, "council:stockton",
               "stockton:front-door", "Jess", "Ainsley",
               "First contact officer, Hartlepool and Stockton MACH"),
    DemoSignIn("hub.manager", Role.TEAM_MANAGER, "council:hartlepool",
               "hartlepool:front-door", "Paul", "Dixon",
               "Team manager, Hartlepool and Stockton MACH"),
    DemoSignIn("hub.police", Role.PARTNER_PRACTITIONER, "police", "police:vulnerability",
               "Chris", "Nolan", "Detective constable, Hartlepool and Stockton MACH"),
    DemoSignIn("hub.health", Role.PARTNER_PRACTITIONER, "nhs:north-tees",
               "nhs:north-tees:safeguarding", "Anita", "Rao",
               "Safeguarding nurse, Hartlepool and Stockton MACH"),
    # Each council's strategic lead for early help (issue 15): signs off the council's
    # spending returns, which its manager submits (``steps/spending.py``).
    DemoSignIn("lead.stockton", Role.STRATEGIC_LEAD, "council:stockton", None, "Fiona",
               "Gallagher", "Head of early help"),
    DemoSignIn("lead.hartlepool", Role.STRATEGIC_LEAD, "council:hartlepool", None, "Robert",
               "Ince", "Head of early help"),
    DemoSignIn("lead.middlesbrough", Role.STRATEGIC_LEAD, "council:middlesbrough", None,
               "Aisha", "Begum", "Head of early help"),
    DemoSignIn("lead.redcar", Role.STRATEGIC_LEAD, "council:redcar", None, "Neil",
               "Thornton", "Head of early help"),
)  # fmt: skip

DEMO_USERNAMES = tuple(sign_in.username for sign_in in DEMO_SIGN_INS)

# The councils' own sign-ins, by role: ``council_sign_in("manager", "hartlepool")``.
COUNCIL_ROLES = ("frontdoor", "manager", "ehworker")


def council_sign_in(kind: str, council_key: str) -> str | None:
    """The username of a council's demo sign-in of a kind (``frontdoor``, ``manager``,
    ``ehworker``), or None when the council has none (copies made by ``--scale``)."""
    username = f"{kind}.{council_key}"
    return username if username in DEMO_USERNAMES else None
