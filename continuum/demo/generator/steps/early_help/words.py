"""What early help workers and families said and wrote: the needs an assessment finds
and what the plan does about them, children's words, reviews, TAF decisions, closures."""

from __future__ import annotations

from dataclasses import dataclass

from continuum.demo.generator.fitting import AgedText
from continuum.early_help.choices import (
    ClosureReason,
)
from continuum.organisations.models import OrganisationKind

TAF_ROLES: dict[str, str] = {
    OrganisationKind.COUNCIL_CHILDRENS_SERVICES: "Early help practitioner",
    OrganisationKind.SCHOOL: "School pastoral lead",
    OrganisationKind.NHS_TRUST: "Health visiting",
    OrganisationKind.VOLUNTARY: "Family worker",
}


@dataclass(frozen=True)
class NeedKind:
    """A need an early help assessment commonly finds, and what the plan does about it."""

    domain: str
    about: str  # "child", "parent" or "family"
    description: str  # {name} is the child or parent it is about
    outcome_areas: tuple[str, ...]
    will_be_different: str
    actions: tuple[tuple[str, str], ...]  # (what, who: "lead", "school", "health", "family")
    min_age: int = 0
    max_age: int = 18


NEEDS: dict[str, NeedKind] = {
    "attendance": NeedKind(
        "developmental-needs", "child", "{name}'s attendance has dropped below 90% this term.",
        ("SF01",), "{name} is in school every day and on time.",
        (("Agree a morning routine with the family and check in each week", "lead"),
         ("Meet {name} each Monday to plan the week and celebrate attendance", "school")),
        min_age=5,
    ),
    "behaviour": NeedKind(
        "developmental-needs", "child",
        "{name}'s behaviour in class has led to two suspensions and a reduced timetable.",
        ("SF01", "SF07"), "{name} is back on a full timetable with no suspensions.",
        (("Set up a pastoral support plan with a key adult in school", "school"),
         ("Refer {name} to the youth service's mentoring project", "lead")),
        min_age=8,
    ),
    "wellbeing": NeedKind(
        "developmental-needs", "child",
        "{name} is anxious, sleeping badly and worried about things at home.",
        ("SF03",), "{name} feels calmer and has a trusted adult to talk to.",
        (("Six sessions of the school's emotional wellbeing programme", "school"),
         ("Talk with the GP about a referral to the mental health support team", "health")),
        min_age=6,
    ),
    "speech": NeedKind(
        "developmental-needs", "child",
        "{name}'s speech and language are behind what is expected for their age.",
        ("SF02",), "{name} is using more words and joining in at nursery.",
        (("Refer {name} to speech and language therapy", "health"),
         ("Join the family hub's Chatter Matters group each week", "family")),
        max_age=5,
    ),
    "health": NeedKind(
        "developmental-needs", "child",
        "{name} has missed health checks and immunisations.",
        ("SF02", "SF03"), "{name}'s health checks and immunisations are up to date.",
        (("Book the missed immunisations and go with the family", "health"),),
        max_age=11,
    ),
    "routines": NeedKind(
        "parenting-capacity", "parent",
        "{name} is finding routines and boundaries hard to keep since the baby was born.",
        ("SF05",), "The family has calm bedtime and morning routines most days.",
        (("Complete the Family Links parenting programme", "family"),
         ("Visit weekly to practise the new routines together", "lead")),
    ),
    "parent_mental_health": NeedKind(
        "parenting-capacity", "parent",
        "{name}'s low mood is affecting the care of the children.",
        ("SF03",), "{name} has support for their mental health and feels able to cope.",
        (("Self-refer to talking therapies, with support to make the call", "family"),
         ("See the GP about a medication review", "health")),
    ),
    "substance_use": NeedKind(
        "parenting-capacity", "parent",
        "{name}'s drinking is affecting the children's care at weekends.",
        ("SF04",), "{name} is engaging with the recovery service and drinking less.",
        (("Attend an assessment at the community recovery service", "family"),),
    ),
    "domestic_abuse": NeedKind(
        "family-environment", "parent",
        "{name} has experienced domestic abuse from a former partner.",
        ("SF08", "SF06"), "{name} and the children feel safe at home.",
        (("Safety plan reviewed with the IDVA service", "lead"),
         ("Join the Freedom Programme", "family")),
    ),
    "conflict": NeedKind(
        "family-environment", "family",
        "Conflict between the parents since they separated is upsetting the children.",
        ("SF05",), "The parents agree arrangements for the children without arguments.",
        (("Reducing parental conflict sessions for both parents", "lead"),),
    ),
    "debt": NeedKind(
        "family-environment", "family", "Rent arrears and debts are causing the family stress.",
        ("SF10",), "The family has a plan for its debts and the rent is paid on time.",
        (("Appointment with the debt advice service", "lead"),
         ("Check the family's benefit entitlement", "lead")),
    ),
    "housing": NeedKind(
        "family-environment", "family",
        "The home is damp and overcrowded, and the family is at risk of losing it.",
        ("SF09",), "The family is in safe, suitable housing.",
        (("Support the family's housing application", "lead"),
         ("Landlord to repair the damp in the children's bedroom", "family")),
    ),
    "work": NeedKind(
        "family-environment", "parent",
        "{name} would like to work but has been out of work for two years.",
        ("SF10",), "{name} is in training or work.",
        (("Referral to the employment support service", "lead"),),
    ),
    "young_carer": NeedKind(
        "family-environment", "child",
        "{name} looks after a parent most evenings and is falling behind at school.",
        ("SF01", "SF05"), "{name} has time for school and friends, with help at home.",
        (("Young carer's assessment and a place at the young carers' group", "lead"),),
        min_age=8,
    ),
}  # fmt: skip
# The need an indicator from the front-door decision points to.
NEED_OF_INDICATOR: dict[str, str] = {
    "DEV-2-01": "attendance", "DEV-3-01": "attendance",
    "DEV-2-03": "behaviour", "DEV-3-02": "behaviour", "DEV-3-04": "behaviour",
    "DEV-2-04": "wellbeing", "DEV-3-03": "wellbeing", "DEV-2-02": "speech",
    "DEV-2-05": "health", "PAR-2-01": "routines", "PAR-3-02": "routines",
    "PAR-2-03": "routines", "PAR-2-02": "parent_mental_health",
    "PAR-3-01": "parent_mental_health", "FAM-3-01": "domestic_abuse",
    "FAM-4-01": "domestic_abuse", "FAM-2-04": "conflict", "FAM-2-01": "debt",
    "FAM-2-02": "housing", "FAM-3-02": "housing", "FAM-2-05": "young_carer",
    "FAM-3-03": "young_carer", "FAM-3-04": "behaviour",
}  # fmt: skip

STRENGTHS = (
    "Loving and warm with the children; wants things to be better.",
    "Has kept going through a hard year and asks for help when needed.",
    "Close to grandparents, who help with school runs.",
    "Proud of the children and knows what they are good at.",
)
# (text, youngest, oldest): each suits the children of those ages (fitting.for_age).
CHILD_STRENGTHS: tuple[AgedText, ...] = (
    ("Settled and content; feeds and sleeps well.", 0, 1),
    ("Curious and chatty; loves books at bedtime.", 2, 9),
    ("Kind to younger brothers and sisters; enjoys football.", 4, 17),
    ("Has a good friend in class and likes art.", 5, 17),
    ("Works hard in lessons they enjoy, especially science.", 7, 17),
)
SAID: tuple[AgedText, ...] = (
    ("I want Mum and Dad to stop shouting. I like it when we go to the park.", 3, 17),
    ("I like my key worker. I want my brother to stop taking my things.", 3, 17),
    ("School is OK but I get worried about Mum when I am there.", 5, 17),
    ("I want to stay at my school and see my friends.", 5, 17),
    ("I wish I could sleep in my own bed and not be tired at school.", 5, 17),
)
HOW_GATHERED: tuple[AgedText, ...] = (
    ("Through play at nursery, with their key person there.", 3, 4),
    ("In a one-to-one session at home with drawing and a feelings scale.", 3, 17),
    ("Talked with the lead professional at school, using a three houses worksheet.", 5, 17),
    ("A walk and talk with the lead professional after school.", 7, 17),
    ("Through the school's pastoral worker, who knows them well.", 5, 17),
)
# What an assessment says a child needs.
CHILD_NEEDS: tuple[AgedText, ...] = (
    ("Needs a calm, settled routine at home and their health checks kept up.", 0, 4),
    ("Needs support with speech and play at home.", 1, 5),
    ("Worried about home; needs a trusted adult to talk to.", 4, 17),
    ("Needs a settled routine and help to be in school every day.", 5, 17),
)
OBSERVED = (
    "Settled and smiling with Mum, reaching for her when unsure; feeding and sleeping well.",
    "Babbling and playing with toys on the floor; looked to Dad for comfort when a visitor "
    "arrived.",
    "Alert and content; Mum responded quickly when they cried.",
)
FAMILY_VIEWS = (
    "We want the children to be happy and settled. We need help with money and with "
    "getting them to school.",
    "Things got on top of us after the separation. We want to be a calmer family.",
    "Mum says she is ready to make changes and wants someone to help her stick to them.",
    "The family agrees there is a problem and wants help, but not too many professionals "
    "coming to the house.",
)
REVIEW_SUMMARIES = (
    "Good progress: the family is keeping to the routines and school reports a better "
    "month. Plan continues.",
    "Some progress, but attendance has dipped again; actions refreshed with the family.",
    "The family has engaged well; the TAF agreed most actions are done.",
    "Little change this period; the lead professional will visit weekly until the next review.",
)
TAF_DECISIONS = (
    "Plan agreed with the family. The school will lead on attendance; the lead "
    "professional will visit weekly.",
    "Actions reviewed; the health visitor will follow up the missed checks; next meeting "
    "in six weeks.",
    "The family is making progress; the TAF agreed to step down to single agency support "
    "if this continues.",
    "Housing and debt advice referrals made; the family asked to meet at school.",
)
CLOSURE_SUMMARIES: dict[str, str] = {
    ClosureReason.NEEDS_MET: "The plan's outcomes are met and the family feels confident "
    "to carry on without early help.",
    ClosureReason.STEPPED_UP: "Stepped up to children's social care; the lead professional "
    "has handed over.",
    ClosureReason.STEPPED_DOWN: "Needs now met by universal services: the school and "
    "health visitor will keep in touch with the family.",
    ClosureReason.DECLINED: "The family no longer wants early help and has not engaged "
    "since the last review; they know how to ask again.",
    ClosureReason.MOVED_AWAY: "The family has moved out of the area; information shared "
    "with the new council's early help service with their agreement.",
    ClosureReason.OTHER: "Closed after the family's circumstances changed; the school "
    "continues to offer support.",
}
STEP_UP_REASONS = (
    "The children have disclosed that their mother's partner hit them; the TAF's safety "
    "plan is not enough.",
    "Despite the plan, the home conditions have got worse and the youngest child has been "
    "left alone twice.",
    "The parent's drinking has increased and the children are caring for themselves most evenings.",
)
SOCIAL_CARE_HISTORIES = (
    "Child in need plan after a social care assessment (section 17), closed with the "
    "family's agreement to early help: {detail}",
    "Child protection plan for neglect, ended after nine months; then a child in need plan. "
    "{detail}",
    "Social care assessment after a domestic abuse incident; no further statutory work, "
    "stepped down for support. {detail}",
)
