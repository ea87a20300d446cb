"""The outcomes framework as data: every indicator the partnership reports, defined once.

Each definition says what is counted (numerator and denominator in plain English), its
unit, whether higher is better, and which dimensions it can be split by. One engine
(``engine.compute``) calculates any of them for any councils, periods and dimension; the
dashboards, the partnership report and the API all read this catalogue.

Conventions every definition follows:

- A record is counted in the month of the date its definition names (a contact in the
  month it was received, a closure in the month it closed), so any period is the sum of
  its months. A stock ("open at the end of the period") is counted on the period's last
  day.
- Rates per 10,000 children divide by the ONS mid-year estimate of children aged 0-17 for
  the council and the year the period ends in. A flow rate is per 10,000 children *in
  that period* (a quarter's rate is about a quarter of a year's), not annualised.
- Dimensions split the total so that the categories add up to it: a record with no value
  is counted under "Not known". Records about several children (a contact, an episode)
  are attributed, for the age band and ethnicity dimensions, to the youngest child named
  on them, so each record counts once. Age bands are the child's age at the end of the
  month the record is counted in. Indicators about children (the impact measures) use
  each child's own age and ethnicity.
- Per-10,000 rates split by age band divide by that band's population; split by any
  other dimension they divide by the whole child population, so the categories' rates
  add up to the total rate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from continuum.early_help.choices import AgencyKind, ClosureReason
from continuum.front_door.choices import Outcome
from continuum.organisations.models import OrganisationKind


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    PER_10K = "per_10k", "Per 10,000 children"
    COUNT = "count", "Count"
    DAYS = "days", "Days"


class Polarity(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"
    NEUTRAL = "neutral", "Neither higher nor lower is better"


class Area(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door"
    EARLY_HELP = "early_help", "Early help"
    IMPACT = "impact", "Impact"


DIMENSIONS: dict[str, str] = {
    "locality": "Locality",
    "team": "Team",
    "lead_professional_agency": "Lead professional's agency",
    "referral_source": "Referral source",
    "age_band": "Age band",
    "ethnicity": "Ethnicity",
}

NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    name: str
    description: str
    area: str  # Area value
    group: str  # display grouping, e.g. "Outcome mix"
    numerator: str
    denominator: str
    unit: str  # Unit value
    polarity: str  # Polarity value
    dimensions: tuple[str, ...]  # subset of DIMENSIONS keys
    headline: bool = False  # in the partnership report's headline table
    funnel: str | None = None  # "proportion" (binomial limits) | "rate" (Poisson) | None
    # "flow": counted in the months of the period; "stock": open on its last day.
    measure: str = "flow"
    # Impact measures follow each record up for 12 months: no value until that has passed.
    follow_up_days: int = 0

    @property
    def area_label(self) -> str:
        return str(Area(self.area).label)

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)

    @property
    def polarity_label(self) -> str:
        return str(Polarity(self.polarity).label)


CONTACT_DIMENSIONS = ("locality", "team", "referral_source", "age_band", "ethnicity")
EPISODE_DIMENSIONS = ("locality", "team", "lead_professional_agency", "age_band", "ethnicity")
STATUTORY_DIMENSIONS = ("referral_source", "age_band", "ethnicity")

_PER_10K_NOTE = (
    " A rate for a period longer than a month is per 10,000 children in that period, "
    "not annualised."
)


def _front_door() -> list[IndicatorDefinition]:
    items = [
        IndicatorDefinition(
            code="fd_contacts_per_10k",
            name="Contacts per 10,000 children",
            description=(
                "Contacts received by the front door (submitted, not drafts) per 10,000 "
                "children living in the area." + _PER_10K_NOTE
            ),
            area=Area.FRONT_DOOR,
            group="Demand",
            numerator="Contacts received in the period",
            denominator="Children aged 0-17 (ONS mid-year estimate), divided by 10,000",
            unit=Unit.PER_10K,
            polarity=Polarity.NEUTRAL,
            dimensions=CONTACT_DIMENSIONS,
            headline=True,
            funnel="rate",
        ),
        IndicatorDefinition(
            code="fd_decided_within_1wd_pct",
            name="Contacts decided within one working day",
            description=(
                "Of the contacts received in the period, the percentage whose threshold "
                "decision was made by its due date: the end of the first working day after "
                "the day of receipt (a contact received at a weekend or on a bank holiday "
                "counts from the next working day). Contacts still open and not yet due "
                "are left out; contacts open past their due date count as late."
            ),
            area=Area.FRONT_DOOR,
            group="Timeliness",
            numerator="Contacts decided on or before their due date",
            denominator="Contacts received, less those still open and not yet due",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=CONTACT_DIMENSIONS,
            headline=True,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="fd_consent_recorded_pct",
            name="Contacts with consent or a lawful basis recorded at submission",
            description=(
                "Of the contacts received, the percentage on which the referrer recorded "
                "either the family's agreement to the referral or the lawful basis for "
                "sharing without it."
            ),
            area=Area.FRONT_DOOR,
            group="Quality",
            numerator="Contacts with the family's agreement or a lawful basis recorded",
            denominator="Contacts received",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=CONTACT_DIMENSIONS,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="fd_repeat_contacts_pct",
            name="Repeat contacts within 12 months",
            description=(
                "Of the contacts received, the percentage about a child who had another "
                "contact in the 12 months before."
            ),
            area=Area.FRONT_DOOR,
            group="Demand",
            numerator="Contacts about a child with a contact in the previous 12 months",
            denominator="Contacts received",
            unit=Unit.PERCENT,
            polarity=Polarity.DOWN,
            dimensions=CONTACT_DIMENSIONS,
            headline=True,
            funnel="proportion",
        ),
    ]
    for outcome in Outcome:
        items.append(
            IndicatorDefinition(
                code=f"fd_outcome_{outcome.value}_pct",
                name=f"Contacts with the outcome: {outcome.label}",
                description=(
                    f"Of the contacts received in the period that have been decided, the "
                    f"percentage whose outcome was {str(outcome.label).lower()}. The "
                    f"outcomes add up to 100%."
                ),
                area=Area.FRONT_DOOR,
                group="Outcome mix",
                numerator=f"Decided contacts with the outcome {outcome.label}",
                denominator="Contacts received in the period that have been decided",
                unit=Unit.PERCENT,
                polarity=Polarity.NEUTRAL,
                dimensions=CONTACT_DIMENSIONS,
                funnel="proportion",
            )
        )
    items += [
        IndicatorDefinition(
            code="fd_da_triaged_within_1wd_pct",
            name="Domestic-abuse notifications triaged within one working day",
            description=(
                "Of the police domestic-abuse notifications received in the period, the "
                "percentage discussed at a joint triage meeting by the end of the first "
                "working day after receipt. Notifications awaiting triage and not yet due "
                "are left out; those awaiting triage past their due date count as late."
            ),
            area=Area.FRONT_DOOR,
            group="Domestic abuse",
            numerator="Notifications triaged on or before their due date",
            denominator="Notifications received, less those awaiting triage and not yet due",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=(),
            headline=True,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="fd_da_high_risk_marac_pct",
            name="High-risk domestic-abuse notifications referred to MARAC",
            description=(
                "Of the notifications received in the period with a high DASH risk level "
                "that have been triaged, the percentage where joint triage made a MARAC "
                "referral."
            ),
            area=Area.FRONT_DOOR,
            group="Domestic abuse",
            numerator="High-risk triaged notifications with a MARAC referral",
            denominator="High-risk notifications triaged",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=(),
            funnel="proportion",
        ),
    ]
    return items


def _early_help() -> list[IndicatorDefinition]:
    items = [
        IndicatorDefinition(
            code="eh_started_per_10k",
            name="Early help episodes started per 10,000 children",
            description="Early help episodes started in the period per 10,000 children."
            + _PER_10K_NOTE,
            area=Area.EARLY_HELP,
            group="Demand",
            numerator="Episodes started in the period",
            denominator="Children aged 0-17 (ONS mid-year estimate), divided by 10,000",
            unit=Unit.PER_10K,
            polarity=Polarity.NEUTRAL,
            dimensions=EPISODE_DIMENSIONS,
            headline=True,
            funnel="rate",
        ),
        IndicatorDefinition(
            code="eh_open_per_10k",
            name="Early help episodes open per 10,000 children",
            description=(
                "Early help episodes open on the last day of the period (started on or "
                "before it and not closed by it) per 10,000 children."
            ),
            area=Area.EARLY_HELP,
            group="Demand",
            numerator="Episodes open on the last day of the period",
            denominator="Children aged 0-17 (ONS mid-year estimate), divided by 10,000",
            unit=Unit.PER_10K,
            polarity=Polarity.NEUTRAL,
            dimensions=EPISODE_DIMENSIONS,
            headline=True,
            funnel="rate",
            measure="stock",
        ),
        IndicatorDefinition(
            code="eh_allocated_within_target_pct",
            name="Episodes allocated within target",
            description=(
                "Of the episodes started in the period, the percentage allocated to a lead "
                "professional within the council's allocation target (working days from the "
                "start, set in its early help settings). Episodes not yet allocated and not "
                "yet due are left out; those unallocated past the target count as late."
            ),
            area=Area.EARLY_HELP,
            group="Timeliness",
            numerator="Episodes allocated on or before the target date",
            denominator="Episodes started, less those unallocated and not yet due",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            headline=True,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="eh_assessment_on_time_pct",
            name="Early help assessments completed on time",
            description=(
                "Of the assessments due in the period, the percentage completed on or "
                "before their due date. Assessments due but not completed count as late "
                "once the due date has passed."
            ),
            area=Area.EARLY_HELP,
            group="Timeliness",
            numerator="Assessments due in the period completed by their due date",
            denominator="Assessments due in the period (completed, or past due)",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            headline=True,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="eh_assessment_child_voice_pct",
            name="Early help assessments with the child's voice",
            description=(
                "Of the assessments completed in the period, the percentage recording a "
                "child's voice: what a child said, or for a child who could not say, what "
                "was observed."
            ),
            area=Area.EARLY_HELP,
            group="Quality",
            numerator="Completed assessments recording what a child said or what was observed",
            denominator="Assessments completed in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="eh_review_on_time_pct",
            name="Plans reviewed on time",
            description=(
                "Of the plan reviews held in the period, the percentage held within the "
                "council's review interval of the previous review (or, for the first "
                "review, of the plan being made)."
            ),
            area=Area.EARLY_HELP,
            group="Timeliness",
            numerator="Reviews held within the review interval",
            denominator="Reviews held in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="eh_led_by_partner_pct",
            name="Episodes led by a partner agency",
            description=(
                "Of the episodes started in the period and allocated, the percentage whose "
                "lead professional works for a partner agency rather than the council."
            ),
            area=Area.EARLY_HELP,
            group="Lead professional's agency",
            numerator="Allocated episodes led by a partner agency",
            denominator="Episodes started in the period that have been allocated",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=("locality", "team", "age_band", "ethnicity"),
            headline=True,
            funnel="proportion",
        ),
    ]
    for kind in OrganisationKind:
        items.append(
            IndicatorDefinition(
                code=f"eh_led_by_{kind.value}_pct",
                name=f"Episodes led by: {kind.label}",
                description=(
                    f"Of the episodes started in the period and allocated, the percentage "
                    f"whose lead professional works for a {str(kind.label).lower()} "
                    f"organisation. The agencies add up to 100%."
                ),
                area=Area.EARLY_HELP,
                group="Lead professional's agency",
                numerator=f"Allocated episodes led by {kind.label}",
                denominator="Episodes started in the period that have been allocated",
                unit=Unit.PERCENT,
                polarity=Polarity.NEUTRAL,
                dimensions=("locality", "team", "age_band", "ethnicity"),
                funnel="proportion",
            )
        )
    for agency in AgencyKind:
        items.append(
            IndicatorDefinition(
                code=f"eh_taf_attendance_{agency.value}_pct",
                name=f"Team Around the Family attendance: {agency.label}",
                description=(
                    f"Of the {str(agency.label).lower()} members invited to Team Around the "
                    f"Family meetings held in the period, the percentage who attended."
                ),
                area=Area.EARLY_HELP,
                group="TAF attendance by agency",
                numerator=f"{agency.label} invitees who attended",
                denominator=f"{agency.label} invitees to TAF meetings held in the period",
                unit=Unit.PERCENT,
                polarity=Polarity.UP,
                dimensions=("locality", "team", "lead_professional_agency"),
                funnel="proportion",
            )
        )
    closure_polarity = {
        ClosureReason.NEEDS_MET: Polarity.UP,
        ClosureReason.STEPPED_UP: Polarity.DOWN,
        ClosureReason.DECLINED: Polarity.DOWN,
    }
    for reason in ClosureReason:
        items.append(
            IndicatorDefinition(
                code=f"eh_closure_{reason.value}_pct",
                name=f"Episodes closed: {reason.label}",
                description=(
                    f"Of the early help episodes closed in the period, the percentage closed "
                    f"with the reason {str(reason.label).lower()}. The reasons add up to 100%."
                ),
                area=Area.EARLY_HELP,
                group="Closures by reason",
                numerator=f"Episodes closed with the reason {reason.label}",
                denominator="Episodes closed in the period",
                unit=Unit.PERCENT,
                polarity=closure_polarity.get(reason, Polarity.NEUTRAL),
                dimensions=EPISODE_DIMENSIONS,
                headline=reason == ClosureReason.NEEDS_MET,
                funnel="proportion",
            )
        )
    items += [
        IndicatorDefinition(
            code="eh_needs_achieved_pct",
            name="Needs with the outcome achieved at closure",
            description=(
                "Of the needs recorded on episodes closed in the period, the percentage "
                "whose outcome at closure was achieved (not partly or not achieved)."
            ),
            area=Area.EARLY_HELP,
            group="Outcomes",
            numerator="Needs achieved at closure",
            denominator="Needs with an outcome recorded at closure in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            headline=True,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="eh_sf_sustained_pct",
            name="Supporting Families outcomes sustained for 6 months",
            description=(
                "Of the six-month follow-up checks due in the period with a result "
                "recorded, the percentage where the Supporting Families outcome was "
                "sustained. A check that could not establish the result counts as not "
                "sustained."
            ),
            area=Area.EARLY_HELP,
            group="Outcomes",
            numerator="Checks finding the outcome sustained",
            denominator="Checks due in the period with a result recorded",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            funnel="proportion",
        ),
    ]
    return items + _consent()


# Days after an episode's start by which the family's agreement to early help may be
# recorded and still count (it is often written up at the first visit). Read by the engine
# (``engine.sources.consent``).
CONSENT_GRACE_DAYS = 7


def _consent() -> list[IndicatorDefinition]:
    return [
        IndicatorDefinition(
            code="eh_consent_agreed_pct",
            name="Episodes started with the family's agreement to early help recorded",
            description=(
                "Of the early help episodes started in the period, the percentage where a "
                "member of the family (one of the episode's children, or an adult of its "
                "household) had a consent record agreeing to early help, obtained on or "
                f"before the start date or within {CONSENT_GRACE_DAYS} days after it, and "
                "not withdrawn by the start date. Episodes opened on a lawful basis "
                "without the family's agreement count only in the denominator."
            ),
            area=Area.EARLY_HELP,
            group="Consent",
            numerator=(
                "Episodes started with a family member's agreement to early help recorded "
                f"by {CONSENT_GRACE_DAYS} days after the start"
            ),
            denominator="Episodes started in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="eh_consent_withdrawals",
            name="Withdrawals of consent",
            description=(
                "Withdrawals of consent recorded with a date in the period, in the council "
                "of the consent withdrawn from: of early help itself, of sharing with the "
                "Team Around the Family or a named agency, or of kinds of information. "
                "A withdrawal of several of these counts once."
            ),
            area=Area.EARLY_HELP,
            group="Consent",
            numerator="Withdrawals of consent dated in the period",
            denominator="None: a count",
            unit=Unit.COUNT,
            polarity=Polarity.NEUTRAL,
            dimensions=(),
        ),
        IndicatorDefinition(
            code="eh_consent_early_help_withdrawn",
            name="Withdrawals of consent to early help",
            description=(
                "Withdrawals dated in the period in which a family member withdrew their "
                "agreement to early help itself (not only to sharing), in the council of "
                "the consent withdrawn from."
            ),
            area=Area.EARLY_HELP,
            group="Consent",
            numerator="Withdrawals of agreement to early help dated in the period",
            denominator="None: a count",
            unit=Unit.COUNT,
            polarity=Polarity.NEUTRAL,
            dimensions=(),
        ),
    ]


def _impact() -> list[IndicatorDefinition]:
    return [
        IndicatorDefinition(
            code="im_stepped_up_within_12m_pct",
            name="Children referred to social care within 12 months of early help closing",
            description=(
                "Of the children on early help episodes closed in the period (each child "
                "counted once per episode), the percentage with a referral to children's "
                "social care in the 365 days after the closure. No value until 365 days "
                "after the period has passed."
            ),
            area=Area.IMPACT,
            group="After early help",
            numerator="Children referred to social care within 365 days of closure",
            denominator="Children on episodes closed in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.DOWN,
            dimensions=EPISODE_DIMENSIONS,
            headline=True,
            funnel="proportion",
            follow_up_days=365,
        ),
        IndicatorDefinition(
            code="im_back_at_front_door_within_12m_pct",
            name="Children back at the front door within 12 months of early help closing",
            description=(
                "Of the children on early help episodes closed in the period (each child "
                "counted once per episode), the percentage named on a contact received by "
                "the front door in the 365 days after the closure. No value until 365 days "
                "after the period has passed."
            ),
            area=Area.IMPACT,
            group="After early help",
            numerator="Children named on a contact within 365 days of closure",
            denominator="Children on episodes closed in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.DOWN,
            dimensions=EPISODE_DIMENSIONS,
            headline=True,
            funnel="proportion",
            follow_up_days=365,
        ),
        IndicatorDefinition(
            code="im_cin_per_10k",
            name="Children in need per 10,000 children",
            description=(
                "Children with a referral to children's social care open (the child in need "
                "episode, from referral to case closure) on the last day of the period, per "
                "10,000 children, as the children in need census counts them."
            ),
            area=Area.IMPACT,
            group="Statutory involvement",
            numerator="Open child in need episodes on the last day of the period",
            denominator="Children aged 0-17 (ONS mid-year estimate), divided by 10,000",
            unit=Unit.PER_10K,
            polarity=Polarity.NEUTRAL,
            dimensions=STATUTORY_DIMENSIONS,
            headline=True,
            funnel="rate",
            measure="stock",
        ),
        IndicatorDefinition(
            code="im_cp_per_10k",
            name="Children on a child protection plan per 10,000 children",
            description=(
                "Child protection plans open on the last day of the period per 10,000 children."
            ),
            area=Area.IMPACT,
            group="Statutory involvement",
            numerator="Open child protection plans on the last day of the period",
            denominator="Children aged 0-17 (ONS mid-year estimate), divided by 10,000",
            unit=Unit.PER_10K,
            polarity=Polarity.NEUTRAL,
            dimensions=STATUTORY_DIMENSIONS,
            headline=True,
            funnel="rate",
            measure="stock",
        ),
        IndicatorDefinition(
            code="im_looked_after_per_10k",
            name="Looked-after children per 10,000 children",
            description=(
                "Children looked after on the last day of the period per 10,000 children."
            ),
            area=Area.IMPACT,
            group="Statutory involvement",
            numerator="Children looked after on the last day of the period",
            denominator="Children aged 0-17 (ONS mid-year estimate), divided by 10,000",
            unit=Unit.PER_10K,
            polarity=Polarity.NEUTRAL,
            dimensions=STATUTORY_DIMENSIONS,
            headline=True,
            funnel="rate",
            measure="stock",
        ),
        IndicatorDefinition(
            code="im_assessment_within_45wd_pct",
            name="Assessments completed within 45 working days of the referral",
            description=(
                "Of the social work assessments authorised in the period, the percentage "
                "authorised within 45 working days of the referral date (Working Together "
                "2023): the day the referral reached children's social care, for a front-door "
                "referral the day the contact was received, not the day of the decision. "
                "Counted in the month the assessment was authorised."
            ),
            area=Area.IMPACT,
            group="Social care timescales",
            numerator="Assessments authorised within 45 working days of the referral",
            denominator="Assessments authorised in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=STATUTORY_DIMENSIONS,
            funnel="proportion",
        ),
        IndicatorDefinition(
            code="im_icpc_within_15wd_pct",
            name="Initial child protection conferences within 15 working days",
            description=(
                "Of the initial child protection conferences held in the period after a "
                "recorded section 47 enquiry, the percentage held within 15 working days of "
                "the strategy discussion (Working Together 2023); of the enquiry's start "
                "where no strategy discussion was recorded. Counted in the month held."
            ),
            area=Area.IMPACT,
            group="Social care timescales",
            numerator="Conferences held within 15 working days of the strategy discussion",
            denominator="Initial conferences held in the period",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=STATUTORY_DIMENSIONS,
            funnel="proportion",
        ),
        *_attendance(),
    ]


# The term after a closure ends at most about nine months after it (a closure in April:
# the autumn term after, to 31 December).
ATTENDANCE_FOLLOW_UP_DAYS = 275


def _attendance() -> list[IndicatorDefinition]:
    common = (
        " Each child of an early help episode closed in the period (once per episode) whose "
        "attendance is known both in the school term before the episode started and in the "
        "term after it closed; a child's attendance in a term is the sessions they attended "
        "as a percentage of the sessions possible, at all their schools that term, from the "
        "attendance files the council imports. Compare it with the term "
        "{other} early help, for the same children. No value until the terms after the "
        "period's closures have ended."
    )
    children = (
        "Children of episodes closed in the period with attendance known in the term "
        "before and the term after"
    )
    return [
        IndicatorDefinition(
            code="im_attendance_before_early_help_pct",
            name="School attendance in the term before early help started",
            description="The children's average attendance in the term before the episode "
            "started." + common.format(other="after"),
            area=Area.IMPACT,
            group="School attendance",
            numerator="Sum of the children's attendance in the term before the episode started",
            denominator=children,
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            follow_up_days=ATTENDANCE_FOLLOW_UP_DAYS,
        ),
        IndicatorDefinition(
            code="im_attendance_after_early_help_pct",
            name="School attendance in the term after early help closed",
            description="The same children's average attendance in the term after the "
            "episode closed." + common.format(other="before"),
            area=Area.IMPACT,
            group="School attendance",
            numerator="Sum of the children's attendance in the term after the episode closed",
            denominator=children,
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            dimensions=EPISODE_DIMENSIONS,
            follow_up_days=ATTENDANCE_FOLLOW_UP_DAYS,
        ),
    ]


CATALOGUE: tuple[IndicatorDefinition, ...] = tuple(_front_door() + _early_help() + _impact())
_BY_CODE: dict[str, IndicatorDefinition] = {item.code: item for item in CATALOGUE}


def get(code: str) -> IndicatorDefinition:
    """The definition with ``code``; KeyError if there is none."""
    return _BY_CODE[code]


def codes() -> list[str]:
    return [item.code for item in CATALOGUE]
