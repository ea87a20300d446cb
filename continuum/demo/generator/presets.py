"""How much demo data to make. A preset is plain data; steps read what they need from it.

Later work adds fields here with defaults, so the existing presets keep working.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    # Families across the four councils, shared out by each council's child population.
    # A family averages about 3.7 people in 1.2 households (a parent may live apart).
    families: int
    # How many years of history (chronology, house moves) to make, back from the as-of date.
    years: int
    primary_schools_per_council: int
    secondary_schools_per_council: int
    gp_practices_per_council: int
    early_years_settings_per_council: int
    voluntary_organisations_per_council: int
    # Named (non-sign-in) workers in each council team, for access lists and allocation.
    staff_per_team: int
    # Whole households whose records are restricted, per council.
    restricted_households_per_council: int
    # Roughly how many people each partner demo sign-in is involved with.
    partner_caseload: int
    # Front door: contacts received in the month before the as-of date, across the four
    # councils (shared out by families with children), domestic-abuse joint triage
    # notifications among them included; earlier contacts spread over the 20 months before
    # that (repeats, and the decisions older early help episodes came from); and police
    # domestic-abuse notifications in the month.
    contacts_per_month: int = 48
    earlier_contacts: int = 48
    notifications_per_month: int = 16
    # The days those contacts and notifications arrive over (a month: 30). The small
    # preset's history (a 2% slice) holds about 25 contacts a month across the councils, so
    # a month of 48 contacts and 16 notifications on top made its latest month twice the
    # others and the trends page a special cause (issue 12); it spreads them over four
    # months instead, a few of them in the last ten days so the queue stays current, and
    # the history tops each month up to its target.
    front_door_days: int = 30
    # Early help: besides the episodes opened from front-door decisions, per council,
    # episodes opened by partners (a school, health visiting, a charity) and step-downs
    # from social care.
    partner_episodes_per_council: int = 2
    step_downs_per_council: int = 1
    # Five years of history (steps/five_years): the share of each council's children it is
    # made for. 1 gives realistic volumes per 10,000 children; the small preset makes a
    # small slice (and child population estimates to match) so tests stay fast.
    history_share: float = 1.0
    # --scale N: the four councils repeated N times (copies 2..N are new councils with their
    # own names, codes, postcodes and people), for scale tests.
    copies: int = 1
    batch_size: int = 1000

    def scaled(self, factor: float) -> Preset:
        """The four councils ``factor`` times over (a whole number), each copy with the
        same families and volumes as the original."""
        if factor <= 0:
            raise ValueError("The scale must be greater than zero.")
        if factor != int(factor):
            raise ValueError(
                "The scale must be a whole number: how many times to repeat the councils."
            )
        return dataclasses.replace(
            self,
            copies=int(factor),
            families=max(4, round(self.families * factor)),
            contacts_per_month=max(4, round(self.contacts_per_month * factor)),
            earlier_contacts=max(4, round(self.earlier_contacts * factor)),
            notifications_per_month=max(4, round(self.notifications_per_month * factor)),
        )

    def with_years(self, years: int) -> Preset:
        if years < 1:
            raise ValueError("Make at least one year of history.")
        return dataclasses.replace(self, years=years)


PRESETS: dict[str, Preset] = {
    # A few hundred people: quick enough for tests and the browser journeys.
    "small": Preset(
        name="small",
        families=100,
        years=2,
        primary_schools_per_council=3,
        secondary_schools_per_council=1,
        gp_practices_per_council=2,
        early_years_settings_per_council=2,
        voluntary_organisations_per_council=2,
        staff_per_team=1,
        restricted_households_per_council=1,
        partner_caseload=6,
        contacts_per_month=48,
        earlier_contacts=48,
        notifications_per_month=16,
        front_door_days=120,
        partner_episodes_per_council=2,
        step_downs_per_council=1,
        history_share=0.02,
    ),
    # Tees volumes: about 3,000 people per council, written with bulk inserts.
    "tees": Preset(
        name="tees",
        families=3300,
        years=5,
        primary_schools_per_council=20,
        secondary_schools_per_council=5,
        gp_practices_per_council=10,
        early_years_settings_per_council=8,
        voluntary_organisations_per_council=6,
        staff_per_team=4,
        restricted_households_per_council=8,
        partner_caseload=12,
        contacts_per_month=900,
        earlier_contacts=1500,
        notifications_per_month=160,
        partner_episodes_per_council=20,
        step_downs_per_council=10,
    ),
}
