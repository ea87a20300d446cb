"""Early help: episodes for each council in every state, from the front door's decisions
for early help, opened directly by partners, and stepped down from social care.

Each episode lives through the steps the early help services take it through, with the
dates they happened on (counted back from the as-of date): waiting for allocation, a
locality panel with the agencies present, a lead professional from the council, a school,
health visiting or a voluntary organisation, the whole-family assessment with the child's
own voice, needs tagged with Supporting Families outcome areas and scored, the Team Around
the Family and its meetings, a plan of SMART actions, reviews showing distance travelled,
step-ups to social care (an agreed one reaches the front door as a contact) and closure
with per-need outcomes and the six-month sustained-outcome checks. Nothing comes before
what the services require first (no review before the assessment is complete; no open
action on a closed episode), and involvement follows the lead professional and the TAF
members until the episode closes.
"""

from __future__ import annotations

from collections import Counter

from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.early_help.choosing import EpisodeChooser
from continuum.demo.generator.steps.early_help.lives import Lives
from continuum.demo.generator.steps.early_help.writing import EarlyHelpWriter
from continuum.demo.generator.world import World
from continuum.early_help.choices import ActionStatus, EpisodeOrigin, EpisodeStatus
from continuum.organisations.models import OrganisationKind

# --- the step --------------------------------------------------------------------------------


@step(order=800)
def episodes(world: World) -> None:
    chooser = EpisodeChooser(world, Lives(world))
    chooser.choose()
    writer = EarlyHelpWriter(world, chooser)
    writer.write()
    world.contacts.sort(key=lambda c: c.contact.received_at)
    for line in summary(world, writer):
        world.note(line)


def summary(world: World, writer: EarlyHelpWriter) -> list[str]:
    """Episodes by state and origin, who leads them, and what is due or overdue."""
    as_of = world.as_of
    episodes = [e.row for e in writer.chooser.episodes if e.row is not None]
    states = Counter(e.status for e in episodes)
    origins = Counter(e.origin for e in episodes)
    leads = Counter(
        str(OrganisationKind(e.lead_professional_organisation.kind).label)
        for e in episodes
        if e.lead_professional_organisation is not None
    )
    actions = [a for e in writer.chooser.episodes for a in e.actions]
    overdue = sum(a.status == ActionStatus.OPEN and a.due_date < as_of for a in actions)
    lines = [
        f"Episodes: {len(episodes)} ("
        + ", ".join(f"{EpisodeStatus(s).label.lower()} {states[s]}" for s in EpisodeStatus.values)
        + f"); from the front door {origins[EpisodeOrigin.FRONT_DOOR]}, opened by partners "
        f"{origins[EpisodeOrigin.PARTNER]}, step-downs {origins[EpisodeOrigin.STEP_DOWN]}.",
        "Lead professionals: "
        + ", ".join(f"{kind} {n}" for kind, n in leads.most_common())
        + f"; {len(writer.panels)} allocation panels.",
        f"Plans: {len(actions)} actions ({overdue} open past their due date); "
        f"{writer.step_up_contacts} step-ups agreed and sent to the front door.",
    ]
    for council in world.councils.values():
        by_state = Counter(e.status for e in episodes if e.council_id == council.pk)
        lines.append(
            f"  {council.name}: "
            + ", ".join(
                f"{EpisodeStatus(s).label.lower()} {by_state[s]}" for s in EpisodeStatus.values
            )
        )
    return lines
